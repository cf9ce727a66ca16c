"""A brand logo for the title block: checked once, kept in the document, drawn everywhere.

A logo is a PNG or JPEG file (a transparent PNG prints best). It is treated as hostile:
the file's size is read before its bytes, the header's type and pixel size are checked
without a decoder (:func:`app.model.images.inspect_image`: no decompression bombs, no
animations), then the whole image is decoded once by Pillow (which reportlab draws with)
so a damaged file is refused here, with one line, and never half-way through an export.

The document keeps it as an image (``blobs``, by SHA-256) named by the setting
:data:`SETTING`, so the poster prints the same on every machine; ``--logo FILE`` on
``waymark export`` and ``check`` uses a file for one run instead. SVG logos are refused
with a way forward (export the SVG as a PNG), because the PDF writer draws raster images
only and a vector logo would print differently in each output.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from app.errors import WaymarkError
from app.model.images import inspect_image
from app.model.schema import MAX_IMAGE_BYTES

#: The document setting holding the logo's SHA-256 (its image is in ``blobs``).
SETTING = "poster_logo"
#: The document setting holding the brand colour ('#rrggbb') of stage headers and phases.
BRAND_SETTING = "poster_brand_colour"
#: The largest logo file accepted (the document's image limit).
MAX_LOGO_BYTES = MAX_IMAGE_BYTES


class LogoRefused(WaymarkError):
    """A file that cannot be a logo (the message says why, in one line)."""


@dataclass(frozen=True)
class Logo:
    """A checked logo image. Equal logos have the same digest (the bytes are not compared)."""

    digest: str
    mime: str
    px_w: int
    px_h: int
    data: bytes = field(repr=False, compare=False)

    @property
    def aspect(self) -> float:
        """Width over height."""
        return self.px_w / self.px_h

    @classmethod
    def from_bytes(cls, data: bytes, name: str = "the logo") -> Logo:
        """A logo from an image's bytes; raises :class:`LogoRefused` with the reason."""
        if len(data) > MAX_LOGO_BYTES:
            raise LogoRefused(f"{name} is {len(data) / 1e6:.1f} MB; a logo is at most "
                              f"{MAX_LOGO_BYTES // (1024 * 1024)} MB")
        head = data[:512].lstrip().lower()
        if head.startswith((b"<?xml", b"<svg")) or b"<svg" in head:
            raise LogoRefused(f"{name} is an SVG; export it as a PNG (transparent, about "
                              "1000 pixels wide) and choose that")
        try:
            info = inspect_image(data)
        except ValueError as err:
            raise LogoRefused(f"{name} cannot be used: {err}") from None
        _decode(data, name)
        return cls(hashlib.sha256(data).hexdigest(), info.mime, info.width, info.height, data)

    @classmethod
    def from_file(cls, path: str | Path) -> Logo:
        """A logo from a file (its size checked before it is read)."""
        p = Path(path)
        name = f"'{p.name}'"
        try:
            if not p.is_file():
                raise LogoRefused(f"{name} is not a file" if p.exists()
                                  else f"{name} does not exist")
            size = p.stat().st_size
            if size > MAX_LOGO_BYTES:
                raise LogoRefused(f"{name} is {size / 1e6:.1f} MB; a logo is at most "
                                  f"{MAX_LOGO_BYTES // (1024 * 1024)} MB")
            with p.open("rb") as fh:
                data = fh.read(MAX_LOGO_BYTES + 1)
        except OSError as err:
            raise LogoRefused(f"{name} cannot be read: {err.strerror or err}") from None
        return cls.from_bytes(data, name)


def _decode(data: bytes, name: str) -> None:
    """Decode every pixel once (Pillow, as the PDF writer will), refusing damage."""
    import io

    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as im:
            im.load()
    except Exception as err:  # Pillow raises many types for damaged files
        raise LogoRefused(f"{name} is a damaged image ({type(err).__name__})") from None


def logo_from_blob(data: bytes | None) -> Logo | None:
    """The logo kept in a document (None when absent or no longer usable)."""
    if not data:
        return None
    try:
        return Logo.from_bytes(data)
    except LogoRefused:
        return None
