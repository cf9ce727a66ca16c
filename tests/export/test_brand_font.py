"""A brand typeface: measured and embedded, its bold found, refused when its licence forbids
embedding, CFF converted, remembered by the document."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from layout_maps import sample_data

from app.export.common import ExportOptions
from app.export.pdf import export_pdf
from app.layout import fonts
from app.layout.brandfont import SETTING, FontRefused, from_setting, load_font, to_setting
from app.layout.paper import parse_paper

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:;-+−()?!'&/·%"


def make_font(path: Path, family: str, *, bold: bool = False, fs_type: int = 0,
              cff: bool = False, advance: int = 600, chars: str = LETTERS) -> Path:
    """A small font: a box glyph of ``advance`` units (1000 per em) for each of ``chars``."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    names = [".notdef", *[f"g{ord(c):04X}" for c in chars]]
    fb = FontBuilder(1000, isTTF=not cff)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({ord(c): f"g{ord(c):04X}" for c in chars})
    width = advance + (80 if bold else 0)

    def draw(pen):
        pen.moveTo((50, 0))
        pen.lineTo((50, 700))
        pen.lineTo((width - 50, 700))
        pen.lineTo((width - 50, 0))
        pen.closePath()

    if cff:
        charstrings = {}
        for n in names:
            pen = T2CharStringPen(width, None)
            draw(pen)
            charstrings[n] = pen.getCharString()
        fb.setupCFF(family.replace(" ", "") + ("-Bold" if bold else "-Regular"), {},
                    charstrings, {})
    else:
        glyphs = {}
        for n in names:
            pen = TTGlyphPen(None)
            draw(pen)
            glyphs[n] = pen.glyph()
        fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics({n: (width, 50) for n in names})
    fb.setupHorizontalHeader(ascent=900, descent=-200)
    style = "Bold" if bold else "Regular"
    fb.setupNameTable({"familyName": family, "styleName": style,
                       "psName": family.replace(" ", "") + "-" + style})
    fb.setupOS2(fsType=fs_type, fsSelection=0x20 if bold else 0x40,
                usWeightClass=700 if bold else 400, sTypoAscender=900, sTypoDescender=-200,
                usWinAscent=900, usWinDescent=200)
    fb.setupPost()
    fb.save(str(path))
    return path


@pytest.fixture(autouse=True)
def _default_fonts_after():
    yield
    fonts.configure(None)


def test_a_brand_font_with_its_bold_is_measured_and_embedded(tmp_path: Path) -> None:
    folder = tmp_path / "brand"
    folder.mkdir()
    regular = make_font(folder / "Brandy-Regular.ttf", "Brandy Sans")
    make_font(folder / "Brandy-Bold.ttf", "Brandy Sans", bold=True)
    choice = load_font(regular)
    assert choice.bold is not None and choice.bold.endswith("Brandy-Bold.ttf")
    fonts.configure(choice)
    # measured with the brand font's advances: 600 and 680 units per 1000
    assert fonts.text_width("abc", "regular", 10) == pytest.approx(18.0)
    assert fonts.text_width("abc", "bold", 10) == pytest.approx(20.4)
    # what it does not cover still falls back through the chain
    assert fonts.chain("regular").face_for(ord("中")).role == "cjk"
    out = tmp_path / "map.pdf"
    export_pdf(sample_data(), 1, out, ExportOptions(paper=parse_paper("A3", "landscape")))
    from pypdf import PdfReader

    page = PdfReader(str(out)).pages[0]
    names = [str(f.get_object()["/BaseFont"]) for f in page["/Resources"]["/Font"].values()]
    assert any("BrandySans-Regular" in n for n in names), names
    assert any("BrandySans-Bold" in n for n in names), names


def test_a_font_whose_licence_forbids_embedding_is_refused(tmp_path: Path) -> None:
    locked = make_font(tmp_path / "Locked.ttf", "Locked Grotesk", fs_type=0x0002)
    with pytest.raises(FontRefused, match="licence forbids embedding"):
        load_font(locked)
    with pytest.raises(FontRefused, match="not a font"):
        load_font(tmp_path.joinpath("fake.ttf").write_bytes(b"not a font") and
                  tmp_path / "fake.ttf")


def test_the_cli_refuses_it_in_one_line(tmp_path: Path) -> None:
    from app.model.document import Document

    cjm = tmp_path / "map.cjm"
    Document.create_from(cjm, sample_data()).close()
    locked = make_font(tmp_path / "Locked.ttf", "Locked Grotesk", fs_type=0x0002)
    run = subprocess.run([sys.executable, "-m", "app.cli", "export", str(cjm), "-o",
                          str(tmp_path / "out.pdf"), "--font", str(locked)],
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode != 0
    assert "licence forbids embedding" in run.stderr
    assert "Traceback" not in run.stderr and not (tmp_path / "out.pdf").exists()


def test_an_opentype_cff_font_is_converted_for_embedding(tmp_path: Path) -> None:
    otf = make_font(tmp_path / "Curvy-Regular.otf", "Curvy Sans", cff=True)
    choice = load_font(otf)
    assert choice.regular.endswith(".ttf")
    fonts.configure(choice)
    assert fonts.text_width("ab", "regular", 10) == pytest.approx(12.0)
    out = tmp_path / "map.pdf"
    export_pdf(sample_data(), 1, out, ExportOptions(paper=parse_paper("A3", "landscape")))
    assert out.stat().st_size > 1000


def test_the_document_remembers_its_font(tmp_path: Path) -> None:
    from app.model.document import Document

    regular = make_font(tmp_path / "Brandy-Regular.ttf", "Brandy Sans")
    cjm = tmp_path / "map.cjm"
    doc = Document.create_from(cjm, sample_data())
    doc.set_setting(SETTING, to_setting(load_font(regular), regular))
    doc.close()
    with Document.open(cjm, read_only=True) as again:
        choice, message = from_setting(again.setting(SETTING))
    assert message == "" and choice is not None and choice.regular == str(regular)
    # exported from the command line with no --font: the document's font is used
    run = subprocess.run([sys.executable, "-m", "app.cli", "export", str(cjm), "-o",
                          str(tmp_path / "out.pdf"), "--quiet"],
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    assert b"BrandySans-Regular" in (tmp_path / "out.pdf").read_bytes()
    # on a machine without it: DejaVu Sans, and it says so
    regular.unlink()
    with Document.open(cjm, read_only=True) as again:
        choice, message = from_setting(again.setting(SETTING))
    assert choice is None and "'Brandy Sans' is not installed" in message


SYSTEM_PROBE = """
import sys
from app.layout.fonts import chain, missing_glyphs
face = chain("regular").face_for(0xE123)
print(face.origin if face else "none", face.path if face else "")
print(repr(missing_glyphs("logo \\ue123 here", "regular")))
"""


def test_a_system_font_covers_what_the_shipped_fonts_do_not(tmp_path: Path) -> None:
    """A character none of Waymark's faces has (a private-use logo glyph) is set in an
    installed font that has it, found through fontconfig."""
    fonts_dir = tmp_path / "fonts"
    fonts_dir.mkdir()
    make_font(fonts_dir / "Logo.ttf", "Company Logo", chars=" \ue123")
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?><fontconfig><dir>{fonts_dir}</dir>'
                    f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>")
    env = {"FONTCONFIG_FILE": str(conf), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    run = subprocess.run([sys.executable, "-c", SYSTEM_PROBE], capture_output=True, text=True,
                         timeout=120, env=env, check=False, cwd=Path(__file__).parents[2])
    assert run.returncode == 0, run.stderr
    origin, path = run.stdout.splitlines()[0].split(" ", 1)
    assert origin == "system" and path.endswith("Logo.ttf")
    assert run.stdout.splitlines()[1] == "''"
    # without that font, the character is reported as missing
    (fonts_dir / "Logo.ttf").unlink()
    run = subprocess.run([sys.executable, "-c", SYSTEM_PROBE], capture_output=True, text=True,
                         timeout=120, env=env, check=False, cwd=Path(__file__).parents[2])
    assert run.stdout.splitlines()[0].startswith("none")


def test_two_files_of_one_family_export_side_by_side(tmp_path: Path) -> None:
    """Two documents whose fonts share a PostScript name (two versions of a brand font, in
    two windows): each export embeds its own file, and the second PDF is written (it
    failed with a TypeError from reportlab when the name was made unique as text)."""
    from pypdf import PdfReader

    from app.layout.caches import LayoutCache

    made = []
    for version, advance in (("v1", 600), ("v2", 800)):
        (tmp_path / version).mkdir()
        font = make_font(tmp_path / version / "Brandy-Regular.ttf", "Brandy Sans",
                         advance=advance)
        made.append((fonts.fonts_for(load_font(font)), advance))
    for i, (font_set, advance) in enumerate(made):
        out = tmp_path / f"map{i}.pdf"
        with LayoutCache(f"doc {i}", fonts=font_set).measuring():
            assert fonts.text_width("abc", "regular", 10) == pytest.approx(3 * advance / 100)
            export_pdf(sample_data(), 1, out, ExportOptions(paper=parse_paper("A3",
                                                                               "landscape")))
        page = PdfReader(str(out)).pages[0]
        names = [str(f.get_object()["/BaseFont"]) for f in page["/Resources"]["/Font"].values()]
        assert any("BrandySans-Regular" in n for n in names), names
    assert fonts.current_choice() is None  # the process default was never changed
