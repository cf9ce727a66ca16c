"""Rebuild the fallback fonts Waymark ships (resources/fonts/fallback/) from Debian's packages.

Run by a maintainer, not at install time (the results are committed):

    .venv/bin/python scripts/build_fonts.py [--debs DIR]

It downloads the packages with ``apt-get download`` (or uses the .deb files in
``--debs``), then with fontTools' subsetter removes the TrueType hinting (the
posters are vector and printed large: hinting only matters on screens at small
pixel sizes, and it is a third of each Noto file), keeps every OpenType layout
feature HarfBuzz needs (joining, conjuncts, marks), and cuts two large faces to
the ranges they are in the chain for (Droid Sans Fallback: CJK ideographs, kana,
CJK punctuation and full-width forms; Nanum Gothic: hangul; Symbola: symbols and
emoji). See resources/fonts/README.md for what each face covers, its licence and
its size.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "fonts" / "fallback"

PACKAGES = ["fonts-noto-core", "fonts-droid-fallback", "fonts-nanum", "fonts-symbola"]
NOTO = "usr/share/fonts/truetype/noto"
NOTO_SCRIPTS = ["Arabic", "Hebrew", "Devanagari", "Bengali", "Gujarati", "Gurmukhi",
                "Kannada", "Malayalam", "Oriya", "Tamil", "Telugu", "Sinhala", "Thai"]
CJK = ("U+0020,U+00B7,U+2E80-2FDF,U+3000-30FF,U+3190-31FF,U+3200-33FF,U+4E00-9FFF,"
       "U+F900-FAFF,U+FE30-FE4F,U+FF00-FFEF")
HANGUL = "U+0020,U+1100-11FF,U+3000-303F,U+3130-318F,U+A960-A97F,U+AC00-D7A3,U+D7B0-D7FF"
SYMBOLS = ("U+0020,U+00A9,U+00AE,U+2000-2BFF,U+3030,U+303D,U+3297,U+3299,U+FE0E,U+FE0F,"
           "U+1F000-1FAFF,U+E0020-E007F")

#: (source inside the extracted packages, output name, unicode ranges or None for all)
FACES: list[tuple[str, str, str | None]] = [
    *[(f"{NOTO}/NotoSans{s}-{w}.ttf", f"NotoSans{s}-{w}.ttf", None)
      for s in NOTO_SCRIPTS for w in ("Regular", "Bold")],
    ("usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", "DroidSansFallback-CJK.ttf",
     CJK),
    ("usr/share/fonts/truetype/nanum/NanumGothic.ttf", "NanumGothic-Hangul.ttf", HANGUL),
    ("usr/share/fonts/truetype/nanum/NanumGothicBold.ttf", "NanumGothicBold-Hangul.ttf",
     HANGUL),
    ("usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf", "Symbola-Emoji.ttf", SYMBOLS),
]


def main(argv: list[str] | None = None) -> int:
    """Download (unless given), extract and subset; print each output's size."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--debs", type=Path, help="folder with the .deb files already downloaded")
    args = ap.parse_args(argv)
    from fontTools import subset

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        debs = args.debs
        if debs is None:
            debs = tmp / "debs"
            debs.mkdir()
            subprocess.run(["apt-get", "download", *PACKAGES], cwd=debs, check=True)
        tree = tmp / "tree"
        for deb in sorted(debs.glob("*.deb")):
            subprocess.run(["dpkg-deb", "-x", str(deb), str(tree)], check=True)
        OUT.mkdir(parents=True, exist_ok=True)
        for src, name, ranges in FACES:
            options = ["--layout-features=*", "--name-IDs=*", "--name-languages=*",
                       "--no-hinting", "--notdef-outline",
                       f"--output-file={OUT / name}"]
            options.append(f"--unicodes={ranges}" if ranges else "--unicodes=*")
            if ranges is None:
                options.append("--glyphs=*")
            subset.main([str(tree / src), *options])
            print(f"{name}: {(OUT / name).stat().st_size / 1024:.0f} KiB")
        for lic in ("usr/share/doc/fonts-noto-core/copyright",
                    "usr/share/doc/fonts-droid-fallback/copyright",
                    "usr/share/doc/fonts-nanum/copyright",
                    "usr/share/doc/fonts-symbola/copyright"):
            pkg = lic.split("/")[3]
            shutil.copy(tree / lic, OUT / f"COPYRIGHT-{pkg}.txt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
