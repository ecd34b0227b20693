"""Shared by the pytest-qt tests: a hall session on a test database, and waiting helpers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from commandcenter.ui.app import application, open_blocking
from commandcenter.ui.session import Session


@contextmanager
def hall_session(dsn: str, lang: str = "en") -> Iterator[Session]:
    application(lang)
    session = open_blocking(dsn, lang)
    try:
        yield session
    finally:
        session.close()


def settle(qtbot, session: Session, timeout: int = 10_000) -> None:  # noqa: ANN001
    """Wait until the worker has answered everything asked of it."""
    qtbot.waitUntil(lambda: session.worker.pending == 0, timeout=timeout)
