"""Text typed by someone else is shown as text. QLabel and tooltips guess "rich text" from the
content (Qt.mightBeRichText): a case title such as `<b>…</b>` or `<img src=…>` written at one
console would otherwise be rendered as markup on every other console and on the wall."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel


def plain_label(label: QLabel) -> QLabel:
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def plain_tooltip(text: str) -> str:
    """A tooltip that shows `text` literally (escaped inside rich text, which Qt then renders)."""
    return "<p style='white-space:pre-wrap'>" + html.escape(text) + "</p>"
