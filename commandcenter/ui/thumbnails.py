"""Thumbnails of photos, made once where a photo is sent (the hall's attach action on its
worker thread, the field terminal's command) and stored beside it (cc.attachment.thumbnail).

QImage is reentrant and needs no QGuiApplication: this runs on any thread, offscreen or in a
plain command-line process."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QImage, QPainter

#: fits in THUMBNAIL_SIDE × THUMBNAIL_SIDE (cc.input_limit thumbnail_pixels)
THUMBNAIL_SIDE = 240
JPEG_QUALITY = 80


def make_thumbnail(photo: bytes, side: int = THUMBNAIL_SIDE, quality: int = JPEG_QUALITY) -> bytes | None:
    """JPEG bytes of the photo scaled to fit side × side (never enlarged); None if Qt cannot
    read the photo (the database then judges the photo itself and keeps no thumbnail)."""
    image = QImage.fromData(QByteArray(photo))
    if image.isNull():
        return None
    if image.width() > side or image.height() > side:
        image = image.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    if image.hasAlphaChannel():          # JPEG has no alpha: transparent parts turn white
        image = _over_white(image)
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buf, "JPEG", quality):  # type: ignore[call-overload]  # PySide6 takes str here
        return None
    return bytes(buf.data().data())


def _over_white(image: QImage) -> QImage:
    white = QImage(image.size(), QImage.Format.Format_RGB32)
    white.fill(Qt.GlobalColor.white)
    painter = QPainter(white)
    painter.drawImage(0, 0, image)
    painter.end()
    return white


def read_photo(path: Path) -> tuple[bytes, bytes | None]:
    """A photo file's bytes and their thumbnail."""
    content = path.read_bytes()
    return content, make_thumbnail(content)
