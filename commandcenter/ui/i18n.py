"""Interface language: Qt's translation system for our strings. The database's name / name_en
pairs are picked by the session's Display. Chinese first; English where the operator asks."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from ..paths import resources_dir

LANGUAGES = ("zh_CN", "en")
_keep: list[QTranslator] = []   # translators must outlive their installation


def choose_language(requested: str | None) -> str:
    """--lang wins; otherwise Chinese on zh locales and English elsewhere."""
    if requested:
        if requested not in LANGUAGES:
            raise ValueError(f"unknown language {requested!r}: use one of {', '.join(LANGUAGES)}")
        return requested
    return "zh_CN" if QLocale.system().name().startswith("zh") else "en"


def install(app: QCoreApplication, lang: str) -> None:
    """Qt's translators for our strings and Qt's own; the language of names and times is the
    session's (domain.display.Display)."""
    for t in _keep:
        app.removeTranslator(t)
    _keep.clear()
    if lang == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    ours = QTranslator()
    if not ours.load(str(resources_dir() / "translations" / f"commandcenter_{lang}.qm")):
        raise FileNotFoundError(f"translation commandcenter_{lang}.qm is missing from resources/translations")
    qt = QTranslator()
    if qt.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _keep.append(qt)
    app.installTranslator(ours)
    _keep.append(ours)
