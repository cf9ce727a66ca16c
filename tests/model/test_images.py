"""Images are checked from their headers before anything decodes them."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from app.errors import CommandError
from app.model.images import inspect_image
from tests.made import new_document


def png(width: int = 40, height: int = 30) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(out, "PNG")
    return out.getvalue()


def chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def test_real_images_pass() -> None:
    assert inspect_image(png()).width == 40
    out = io.BytesIO()
    Image.new("RGB", (64, 48)).save(out, "JPEG")
    info = inspect_image(out.getvalue())
    assert (info.mime, info.width, info.height) == ("image/jpeg", 64, 48)


def test_bomb_header_is_refused_without_decoding() -> None:
    ihdr = chunk(b"IHDR", struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0))
    with pytest.raises(ValueError, match="100000 x 100000"):
        inspect_image(b"\x89PNG\r\n\x1a\n" + ihdr)
    sof = b"\xff\xd8\xff\xc0" + struct.pack(">HBHHB", 11, 8, 60_000, 60_000, 3) + b"\0" * 9
    with pytest.raises(ValueError, match="pixels"):
        inspect_image(sof)


def test_false_headers_and_animation() -> None:
    for bad in (b"GIF89a" + b"\0" * 50, b"\x89PNG\r\n\x1a\n" + b"garbage" * 5, b"\xff\xd8\xff\x00"):
        with pytest.raises(ValueError):
            inspect_image(bad)
    data = png()
    animated = data[:33] + chunk(b"acTL", struct.pack(">II", 50, 0)) + data[33:]
    with pytest.raises(ValueError, match="animated"):
        inspect_image(animated)


def test_document_refuses_bad_images(tmp_path: Path) -> None:
    with new_document(tmp_path / "i.cjm", "") as doc:
        digest = doc.add_blob(png(), "image/png")
        assert doc.blob(digest).data == png()  # type: ignore[union-attr]
        with pytest.raises(CommandError, match="Image refused"):
            doc.add_blob(b"\x89PNG\r\n\x1a\n" + b"x" * 40, "image/png")
        with pytest.raises(CommandError, match="do not match"):
            doc.add_blob(png(), "image/jpeg")
