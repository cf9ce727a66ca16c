"""A brand typeface as the primary face: checked, completed with its bold and italic, stored.

:func:`load_font` takes a TTF, OTF or TTC file, refuses a font whose licence forbids
embedding (OS/2 ``fsType`` "restricted licence", or bitmap-only embedding) with a
one-line reason, finds the bold, italic and bold italic faces of the same family in
the same folder, and converts CFF-outlined OpenType files to TrueType outlines
(fontTools' cu2qu; cached in the user cache folder), because reportlab embeds
TrueType subsets only. The result is a :class:`~app.layout.fonts.FontChoice` for
:func:`app.layout.fonts.configure`.

The choice lives in the document (the ``meta`` row ``poster_font``) as the family and
the file names with a hash of each file: :func:`to_setting` / :func:`from_setting`.
Opened on another machine, the same files are looked for where they were, then among
the system fonts by family; if they are not there, the poster is set in DejaVu Sans
and the caller says so.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from app.errors import WaymarkError
from app.layout.faces import FontChoice
from app.layout.fontset import FontSet, fonts_for

SETTING = "poster_font"
_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")


class FontRefused(WaymarkError):
    """A font file that cannot be used for posters (unreadable, or not embeddable)."""


@dataclass(frozen=True)
class FaceInfo:
    """What the name and OS/2 tables say about one face."""

    path: str
    family: str
    bold: bool
    italic: bool
    fs_type: int
    cff: bool


def _info(path: Path) -> FaceInfo:
    from fontTools.ttLib import TTFont, TTLibError

    try:
        f = TTFont(str(path), fontNumber=0, lazy=True)
    except (TTLibError, OSError, ValueError, KeyError, AssertionError) as err:
        raise FontRefused(f"{path.name} is not a font Waymark can read ({err})") from None
    try:
        name = f["name"]
        family = name.getDebugName(16) or name.getDebugName(1) or path.stem
        os2 = f["OS/2"] if "OS/2" in f else None
        sel = os2.fsSelection if os2 is not None else 0
        mac = f["head"].macStyle
        bold = bool(sel & 0x20 or mac & 0x01)
        italic = bool(sel & 0x01 or mac & 0x02)
        fs_type = os2.fsType if os2 is not None else 0
        cff = "CFF " in f or "CFF2" in f
        if "glyf" not in f and not cff:
            raise FontRefused(f"{path.name} has no outlines Waymark can print "
                              "(bitmap or colour-only font)")
        return FaceInfo(str(path), family, bold, italic, fs_type, cff)
    finally:
        f.close()


def check_embeddable(info: FaceInfo) -> None:
    """Refuse a face whose licence forbids embedding it in a PDF or SVG."""
    name = Path(info.path).name
    if info.fs_type & 0x000F == 0x0002:
        raise FontRefused(f"{name} ({info.family}): its licence forbids embedding it in "
                          "documents (OS/2 fsType: restricted licence); choose another font")
    if info.fs_type & 0x0200:
        raise FontRefused(f"{name} ({info.family}): its licence allows embedding bitmaps "
                          "only (OS/2 fsType); choose another font")


def _cache_dir() -> Path:
    import platformdirs

    d = Path(platformdirs.user_cache_dir("Waymark", "Waymark")) / "fonts"
    d.mkdir(parents=True, exist_ok=True)
    return d


def file_hash(path: str | Path) -> str:
    """SHA-1 of a file (identifies the exact font version)."""
    return hashlib.sha1(Path(path).read_bytes()).hexdigest()


def truetype_path(info: FaceInfo) -> str:
    """The face as a TrueType-outlined file (CFF converted once, then cached)."""
    if not info.cff:
        return info.path
    out = _cache_dir() / f"{Path(info.path).stem}-{file_hash(info.path)[:12]}.ttf"
    if not out.exists():
        from fontTools.pens.cu2quPen import Cu2QuPen
        from fontTools.pens.ttGlyphPen import TTGlyphPen
        from fontTools.ttLib import TTFont, newTable

        font = TTFont(info.path, fontNumber=0)
        order = font.getGlyphOrder()
        glyph_set = font.getGlyphSet()
        glyf = newTable("glyf")
        glyf.glyphOrder = order
        glyf.glyphs = {}
        for name in order:
            pen = TTGlyphPen(glyph_set)
            glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
            glyf.glyphs[name] = pen.glyph()
        font["glyf"] = glyf
        font["loca"] = newTable("loca")
        for tag in ("CFF ", "CFF2", "VORG"):
            if tag in font:
                del font[tag]
        maxp = newTable("maxp")
        maxp.tableVersion = 0x00010000
        for field in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
                      "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
                      "maxComponentElements"):
            setattr(maxp, field, 0)
        maxp.maxZones = 1
        font["maxp"] = maxp
        font["head"].indexToLocFormat = 0
        font["head"].glyphDataFormat = 0
        post = font["post"]
        post.formatType = 2.0
        post.extraNames = []
        post.mapping = {}
        post.glyphOrder = order
        font.sfntVersion = "\x00\x01\x00\x00"
        tmp = out.with_suffix(".part")
        font.save(str(tmp))
        tmp.replace(out)
    return str(out)


def _siblings(info: FaceInfo) -> dict[tuple[bool, bool], FaceInfo]:
    """Faces of the same family in the same folder, by (bold, italic)."""
    found: dict[tuple[bool, bool], FaceInfo] = {}
    folder = Path(info.path).parent
    for p in sorted(folder.iterdir()):
        if p.suffix.lower() not in _SUFFIXES or not p.is_file():
            continue
        try:
            other = _info(p)
        except FontRefused:
            continue
        if other.family == info.family:
            found.setdefault((other.bold, other.italic), other)
    found[(info.bold, info.italic)] = info
    return found


def load_font(path: str | Path) -> FontChoice:
    """A brand font file (and its bold/italic faces beside it) as the primary face.

    Raises :class:`FontRefused` with a one-line reason for a file that is missing,
    unreadable, without outlines, or whose licence forbids embedding."""
    p = Path(path).expanduser()
    if not p.is_file():
        raise FontRefused(f"{p} does not exist")
    if p.suffix.lower() not in _SUFFIXES:
        raise FontRefused(f"{p.name}: choose a TrueType or OpenType font (.ttf, .otf, .ttc)")
    info = _info(p)
    check_embeddable(info)
    faces = _siblings(info)
    regular = faces.get((False, False), info)
    usable = {}
    for key, face in faces.items():
        try:
            check_embeddable(face)
        except FontRefused:
            continue
        usable[key] = truetype_path(face)
    return FontChoice(regular=usable.get((False, False)) or truetype_path(regular),
                      bold=usable.get((True, False)), italic=usable.get((False, True)),
                      bolditalic=usable.get((True, True)))


def to_setting(choice: FontChoice, source: str | Path) -> str:
    """The choice as the document's ``poster_font`` value (JSON)."""
    info = _info(Path(source))
    return json.dumps({"family": info.family, "file": str(Path(source).resolve()),
                       "sha1": file_hash(source)}, ensure_ascii=False)


def from_setting(value: str | None) -> tuple[FontChoice | None, str]:
    """The font a document names, found on this machine: (choice or None, message).

    The message is empty when the font was found, else one line saying what is used
    instead."""
    if not value:
        return None, ""
    try:
        spec = json.loads(value)
        family = str(spec["family"])
        file = str(spec.get("file", ""))
    except (ValueError, KeyError, TypeError):
        return None, "the document's poster font setting is unreadable; using DejaVu Sans"
    candidates = [file] if file else []
    from app.layout.sysfonts import find_family

    candidates += find_family(family)
    for c in candidates:
        if c and Path(c).is_file():
            try:
                return load_font(c), ""
            except FontRefused as err:
                return None, f"{err}; using DejaVu Sans"
    return None, (f"the document's poster font {family!r} is not installed here; "
                  "the poster is set in DejaVu Sans")


def fonts_of_setting(value: str | None) -> tuple[FontSet, str]:
    """The font set a document's ``poster_font`` value names (DejaVu Sans when it names
    none or its font is missing here), and the message of :func:`from_setting`."""
    choice, message = from_setting(value)
    return fonts_for(choice), message
