"""Where the app finds its own files (migrations, resources) and the user's data."""

from __future__ import annotations

import importlib.resources
from pathlib import Path

import platformdirs

APP_NAME = "commandcenter"
_CHECKOUT = Path(__file__).resolve().parent.parent


def _shipped(dirname: str, package: str) -> Path:
    # A source checkout (or editable install) keeps db/ and resources/ at the top level;
    # a wheel carries them inside the package.
    candidate = _CHECKOUT / dirname
    if (candidate / "__init__.py").exists():
        return candidate
    return Path(str(importlib.resources.files(package)))


def db_dir() -> Path:
    """The Alembic script directory (env.py, versions/, sql/)."""
    return _shipped("db", "commandcenter._db")


def resources_dir() -> Path:
    return _shipped("resources", "commandcenter._resources")


def boundaries_file() -> Path:
    return resources_dir() / "boundaries" / "beijing_districts.geojson"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """Per-user settings (workstation layouts)."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def spelling_cache() -> Path:
    """The pinyin spellings of the names met in earlier sessions (domain.pinyin): derived data,
    safe to delete."""
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "pinyin-spellings.bin"
