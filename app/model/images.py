"""Checking images (persona photos, storyboard frames) before anything decodes them.

A hostile image can claim 100,000 x 100,000 pixels in a few hundred bytes (a
decompression bomb), lie about its type, or carry hundreds of animation
frames. We read the dimensions from the header ourselves, without a decoder,
and refuse anything outside sane limits; the GUI additionally sets Qt's
QImageReader allocation limit.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

MAX_SIDE = 8_000
MAX_PIXELS = 40_000_000
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"


@dataclass(frozen=True)
class ImageInfo:
    """What an image's header says."""

    mime: str
    width: int
    height: int
    frames: int


def inspect_image(data: bytes) -> ImageInfo:
    """Read type and size from the header; raise ValueError for anything unusable."""
    if data.startswith(PNG_MAGIC):
        info = _png(data)
    elif data.startswith(JPEG_MAGIC):
        info = _jpeg(data)
    else:
        raise ValueError("only PNG and JPEG images are accepted")
    if info.width < 1 or info.height < 1:
        raise ValueError("the image has no pixels")
    if max(info.width, info.height) > MAX_SIDE or info.width * info.height > MAX_PIXELS:
        raise ValueError(
            f"the image is {info.width} x {info.height} pixels; at most {MAX_SIDE} per side "
            f"and {MAX_PIXELS // 1_000_000} megapixels are accepted"
        )
    if info.frames > 1:
        raise ValueError("animated images are not accepted")
    return info


def _png(data: bytes) -> ImageInfo:
    if len(data) < 33 or data[12:16] != b"IHDR":
        raise ValueError("the PNG header is damaged")
    width, height = struct.unpack(">II", data[16:24])
    frames = 1
    pos = 8
    # Walk the chunk list (lengths only, no decoding) looking for an APNG animation.
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        if kind == b"acTL" and pos + 12 <= len(data):
            (frames,) = struct.unpack(">I", data[pos + 8 : pos + 12])
        if kind == b"IDAT" or length > len(data):
            break
        pos += 12 + length
    return ImageInfo("image/png", width, height, frames)


def _jpeg(data: bytes) -> ImageInfo:
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            raise ValueError("the JPEG header is damaged")
        marker = data[pos + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        # SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            if pos + 9 > len(data):
                break
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            return ImageInfo("image/jpeg", width, height, 1)
        if length < 2:
            break
        pos += 2 + length
    raise ValueError("the JPEG header is damaged")
