"""System fonts for characters none of Waymark's own faces cover (the chain's last resort).

On Linux fontconfig answers which installed fonts cover a character (``fc-list
:charset=XXXX``); on macOS and Windows the system font folders are read (each
file's cmap, once, in a fixed order). Only TrueType-outlined faces that reportlab
can embed in the PDF are used (not CFF/OpenType-PS, not colour-bitmap emoji), so
the PDF, PNG and SVG draw the same glyphs. Lookups are cached for the process.
A poster that uses a system font looks the same on another machine only if it has
that font too: Waymark's own faces come first in the chain for that reason.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from functools import lru_cache
from pathlib import Path

from app.layout.faces import Face

_lock = threading.Lock()
_usable: dict[tuple[str, int], bool] = {}


def _embeddable_truetype(path: str, index: int) -> bool:
    """Whether a font file is TrueType-outlined, monochrome, and allows embedding."""
    key = (path, index)
    found = _usable.get(key)
    if found is not None:
        return found
    ok = False
    try:
        from fontTools.ttLib import TTFont

        f = TTFont(path, fontNumber=index, lazy=True)
        tags = set(f.keys())
        ok = ("glyf" in tags and not tags & {"CBDT", "sbix", "COLR", "SVG "}
              and not _restricted(f))
        f.close()
    except Exception:  # an unreadable or odd system file is simply not used
        ok = False
    _usable[key] = ok
    return ok


def _restricted(f: object) -> bool:
    try:
        fs_type = f["OS/2"].fsType  # type: ignore[index]
    except Exception:
        return False
    return (fs_type & 0x000F) == 0x0002  # restricted licence embedding


@lru_cache(maxsize=1)
def _fontconfig_index() -> list[tuple[str, int, list[tuple[int, int]], bool]]:
    """(path, index, covered ranges, bold) of every TrueType font fontconfig knows:
    one ``fc-list`` call per process, then lookups in memory."""
    exe = shutil.which("fc-list")
    if exe is None:
        return []
    try:
        out = subprocess.run(
            [exe, "--format", "%{file}|%{index}|%{weight}|%{fontformat}|%{charset}\\n"],
            capture_output=True, text=True, timeout=20, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    found = []
    for line in out.splitlines():
        parts = line.split("|")
        if len(parts) != 5 or parts[3] != "TrueType":
            continue
        path, index, weight, _fmt, charset = parts
        ranges = []
        for item in charset.split():
            lo, _, hi = item.partition("-")
            try:
                ranges.append((int(lo, 16), int(hi or lo, 16)))
            except ValueError:
                continue
        try:
            bold = int(weight.split()[0].strip("[]")) >= 200
            idx = int(index or 0)
        except (ValueError, IndexError):
            bold, idx = False, 0
        found.append((path, idx, ranges, bold))
    # a fixed order: "Sans" faces first, then by path
    found.sort(key=lambda c: ("Sans" not in Path(c[0]).name, c[0], c[1]))
    return found


def _fontconfig_candidates(code: int, bold: bool) -> list[tuple[str, int, bool]]:
    hits = [(p, i, b) for p, i, ranges, b in _fontconfig_index()
            if any(lo <= code <= hi for lo, hi in ranges)]
    hits.sort(key=lambda c: c[2] != bold)  # stable: keeps the fixed order otherwise
    return hits


def _system_folders() -> list[Path]:
    if sys.platform == "darwin":
        return [Path("/System/Library/Fonts"), Path("/Library/Fonts"),
                Path.home() / "Library" / "Fonts"]
    if sys.platform.startswith("win"):
        windir = os.environ.get("WINDIR", r"C:\Windows")
        local = os.environ.get("LOCALAPPDATA", "")
        dirs = [Path(windir) / "Fonts"]
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
        return dirs
    return []


@lru_cache(maxsize=1)
def _folder_index() -> list[tuple[str, int, frozenset[int], bool]]:
    """(path, index, code points, bold) of every usable font in the system folders."""
    out = []
    for folder in _system_folders():
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix.lower() not in (".ttf", ".ttc"):
                continue
            try:
                from fontTools.ttLib import TTCollection, TTFont

                n = len(TTCollection(str(path)).fonts) if path.suffix.lower() == ".ttc" else 1
                for index in range(n):
                    if not _embeddable_truetype(str(path), index):
                        continue
                    f = TTFont(str(path), fontNumber=index, lazy=True)
                    codes = frozenset(f.getBestCmap() or {})
                    bold = bool(f["OS/2"].fsSelection & 0x20) if "OS/2" in f else False
                    f.close()
                    out.append((str(path), index, codes, bold))
            except Exception:  # unreadable system file: skipped
                continue
    return out


def system_face_for(code: int, style: str) -> Face | None:
    """A system face covering ``code`` for text in ``style``, or None."""
    bold = style in ("bold", "bolditalic")
    with _lock:
        if sys.platform.startswith("linux") or shutil.which("fc-list"):
            candidates = _fontconfig_candidates(code, bold)
        else:
            candidates = sorted(((p, i, b) for p, i, codes, b in _folder_index() if code in codes),
                                key=lambda c: (c[2] != bold, c[0], c[1]))
        for path, index, is_bold in candidates:
            if _embeddable_truetype(path, index):
                face = Face(path, index, origin="system", role="system",
                            synthetic_bold=bold and not is_bold)
                if code in face.unicodes():
                    return face
    return None


def find_family(family: str) -> list[str]:
    """Font files of an installed family (regular face first), by fontconfig or the
    system folders; empty when it is not installed."""
    exe = shutil.which("fc-list")
    if exe is not None:
        try:
            out = subprocess.run([exe, f":family={family}", "file", "weight", "slant"],
                                 capture_output=True, text=True, timeout=10,
                                 check=False).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        files = []
        for line in out.splitlines():
            path = line.split(":")[0].strip()
            plain = "weight=80" in line.replace(" ", "") and "slant=0" in line.replace(" ", "")
            files.append((not plain, path))
        return [p for _k, p in sorted(files)]
    out2 = []
    for path, index, _codes, bold in _folder_index():
        if index:
            continue
        try:
            from fontTools.ttLib import TTFont

            f = TTFont(path, lazy=True)
            fam = f["name"].getDebugName(16) or f["name"].getDebugName(1)
            f.close()
        except Exception:  # unreadable system file: skipped
            continue
        if fam == family:
            out2.append((bold, path))
    return [p for _b, p in sorted(out2)]
