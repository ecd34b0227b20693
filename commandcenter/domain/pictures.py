"""Pictures without Qt: a small PNG encoder (zlib) and the generated scene photos the
simulator's grid workers send, each with its thumbnail — the same path as a real photo
(cc.add_attachment with view, stage and thumbnail). Standard library only."""

from __future__ import annotations

import random
import struct
import zlib
from dataclasses import dataclass

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
THUMBNAIL_SIDE = 240          # cc.input_limit thumbnail_pixels

Pixel = tuple[int, int, int]


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def encode_png(width: int, height: int, rows: list[bytes]) -> bytes:
    """An 8-bit RGB PNG of `height` rows of `width` × 3 bytes each."""
    if width < 1 or height < 1 or len(rows) != height or any(len(r) != width * 3 for r in rows):
        raise ValueError(f"{len(rows)} rows do not make a {width}×{height} RGB picture")
    raw = b"".join(b"\x00" + r for r in rows)          # filter type 0 on every row
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return PNG_SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(raw, 6)) + _chunk(b"IEND", b"")


def png_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from a PNG's header; None if the bytes are not a PNG."""
    if len(data) < 24 or not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        return None
    w, h = struct.unpack(">II", data[16:24])
    return int(w), int(h)


@dataclass(frozen=True)
class Picture:
    """A generated photo and its thumbnail, tagged like a field photo."""
    filename: str
    content: bytes
    thumbnail: bytes
    view: str          # far | near
    stage: str         # before | after


def _scene(width: int, height: int, seed: int, view: str) -> list[bytes]:
    """A street scene in broad strokes: sky, buildings, road, and the problem as a bright patch
    (small and far away for a far view, filling the frame for a near one)."""
    rng = random.Random(seed)
    sky: Pixel = (150 + rng.randrange(60), 180 + rng.randrange(50), 220 + rng.randrange(35))
    grey = 90 + rng.randrange(30)
    road: Pixel = (grey, grey, grey)
    spot: Pixel = (200 + rng.randrange(55), 80 + rng.randrange(80), 30 + rng.randrange(40))
    horizon = height * (45 + rng.randrange(15)) // 100
    blocks = []
    x = 0
    while x < width:
        w = max(4, width // (6 + rng.randrange(6)))
        top = horizon - (height * (10 + rng.randrange(30)) // 100)
        colour = (120 + rng.randrange(80), 100 + rng.randrange(60), 90 + rng.randrange(50))
        blocks.append((x, x + w, max(0, top), colour))
        x += w
    r = (width // 10 if view == "far" else width // 5) or 1
    cx, cy = width // 2 + rng.randrange(-width // 8 or -1, width // 8 or 1), horizon + (height - horizon) // 2
    rows = []
    for y in range(height):
        row = bytearray()
        for x0, x1, top, colour in blocks:
            c = road if y >= horizon else (colour if y >= top else sky)
            row += bytes(c) * (min(x1, width) - x0)
        if abs(y - cy) < r:                              # the problem itself
            half = int((r * r - (y - cy) ** 2) ** 0.5 * 1.3)
            a, b = max(0, cx - half), min(width, cx + half)
            if b > a:
                row[a * 3:b * 3] = bytes(spot) * (b - a)
        rows.append(bytes(row[: width * 3]))
    return rows


def scene_picture(seed: int, view: str = "far", stage: str = "before", width: int = 480,
                  height: int = 360) -> Picture:
    """A generated photo of a problem on the street and its thumbnail (fits 240 × 240)."""
    content = encode_png(width, height, _scene(width, height, seed, view))
    scale = min(1.0, THUMBNAIL_SIDE / max(width, height))
    tw, th = max(1, round(width * scale)), max(1, round(height * scale))
    thumbnail = encode_png(tw, th, _scene(tw, th, seed, view))
    return Picture(f"{stage}-{view}-{seed}.png", content, thumbnail, view, stage)
