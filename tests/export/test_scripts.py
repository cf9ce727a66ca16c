"""Every script prints: a map in Japanese, Chinese, Korean, Arabic, Hebrew, Hindi, Thai and
emoji, through the fallback chain and HarfBuzz, in the PDF, PNG and SVG alike."""

from __future__ import annotations

import base64
import io
import re
import shutil
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from layout_maps import scripts_data

from app.export.common import ExportOptions
from app.export.pdf import export_pdf
from app.export.preflight import run_preflight
from app.export.prepare import page_layout
from app.export.svg import export_svg
from app.layout.bidi import has_rtl
from app.layout.fonts import chain
from app.layout.paint import TextOp, paint_ops
from app.layout.paper import parse_paper
from app.layout.shaping import shape
from app.render.png import export_png

A2 = parse_paper("A2", "landscape")
SVG = "{http://www.w3.org/2000/svg}"


def _all_texts(data) -> list[str]:
    jm = data.maps[1]
    out = [jm.title]
    out += [s.name for s in data.stages.values()]
    out += [ln.name for ln in data.lanes.values()]
    for c in data.cards.values():
        out += [c.title, c.body]
    return [t for t in out if t]


def _squash(text: str) -> str:
    """Text without whitespace, hyphens of wrapping, or bidi marks pdftotext adds."""
    return re.sub(r"[\s\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory, qapp) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("scripts")
    data = scripts_data()
    opts = ExportOptions(paper=A2, dpi=72)
    out = {"pdf": tmp / "map.pdf", "png": tmp / "map.png", "svg": tmp / "map.svg"}
    export_pdf(data, 1, out["pdf"], opts)
    export_png(data, 1, out["png"], opts)
    export_svg(data, 1, out["svg"], opts)
    return out


def test_every_text_is_in_pdftotext(outputs: dict[str, Path]) -> None:
    text = subprocess.run(["pdftotext", str(outputs["pdf"]), "-"], capture_output=True,
                          text=True, check=True).stdout
    page = _squash(text)
    for t in _all_texts(scripts_data()):
        # each wrapped line is extracted in logical order; lines join without spaces
        for word in t.split():
            assert _squash(word) in page, word


def _pdf_drawn(path: Path) -> list[tuple[str, int, bytes, str | None]]:
    """(font resource, 0, bytes drawn, ActualText) for every Tj in the PDF."""
    from pypdf import PdfReader
    from pypdf.generic import ContentStream

    reader = PdfReader(str(path))
    page = reader.pages[0]
    drawn = []
    font = None
    actual: str | None = None
    for operands, op in ContentStream(page.get_contents(), reader).operations:
        if op == b"Tf":
            font = operands[0]
        elif op == b"BDC" and len(operands) > 1 and "/ActualText" in operands[1]:
            actual = str(operands[1]["/ActualText"])
        elif op == b"EMC":
            actual = None
        elif op in (b"Tj", b"'", b'"'):
            drawn.append((font, 0, bytes(operands[-1].original_bytes), actual))
        elif op == b"TJ":
            for item in operands[0]:
                if hasattr(item, "original_bytes"):
                    drawn.append((font, 0, bytes(item.original_bytes), actual))
    return drawn


def test_no_notdef_glyph_is_drawn_in_the_pdf(outputs: dict[str, Path]) -> None:
    drawn = _pdf_drawn(outputs["pdf"])
    assert len(drawn) > 50
    # reportlab's TrueType subsets keep code 0 for .notdef: a missing glyph is a zero byte
    assert not [d for d in drawn if 0 in d[2]]


def _subset_glyph_boxes(path: Path, font_resource: str) -> dict[int, tuple[int, ...]]:
    """Drawn code -> (advance, xMin, yMin, xMax, yMax) of the glyph in the embedded subset."""
    from fontTools.ttLib import TTFont
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    f = reader.pages[0]["/Resources"]["/Font"][font_resource].get_object()
    descendant = f.get("/DescendantFonts")
    desc = (descendant[0].get_object() if descendant else f)["/FontDescriptor"]
    ttf = TTFont(io.BytesIO(desc["/FontFile2"].get_object().get_data()))
    glyf, hmtx = ttf["glyf"], ttf["hmtx"]
    out = {}
    for code, name in ttf["cmap"].tables[0].cmap.items():
        g = glyf[name]
        out[code & 0xFF] = (hmtx[name][0], getattr(g, "xMin", 0), getattr(g, "yMin", 0),
                            getattr(g, "xMax", 0), getattr(g, "yMax", 0))
    return out


def test_arabic_is_drawn_with_the_joined_forms_harfbuzz_gives(outputs: dict[str, Path]) -> None:
    import uharfbuzz as hb
    from fontTools.ttLib import TTFont

    word = "الائتمانية"  # from the card "الدفع بالبطاقة الائتمانية"
    face = chain("bold").primary
    # HarfBuzz's own shaping of the word in the same font file
    blob = hb.Blob(Path(face.path).read_bytes())
    font = hb.Font(hb.Face(blob))
    buf = hb.Buffer()
    buf.add_str(word)
    buf.guess_segment_properties()
    hb.shape(font, buf, {})
    expected = [i.codepoint for i in buf.glyph_infos]
    cmap = TTFont(face.path).getBestCmap()
    order = TTFont(face.path).getGlyphOrder()
    isolated = [order.index(cmap[ord(ch)]) for ch in word][::-1]
    assert expected != isolated  # joining changes the glyphs
    # the glyphs the PDF draws in the span of that word are those glyphs
    src = TTFont(face.path)
    names = src.getGlyphOrder()
    boxes_src = []
    for gid in expected:
        g = src["glyf"][names[gid]]
        boxes_src.append((src["hmtx"][names[gid]][0], getattr(g, "xMin", 0), getattr(g, "yMin", 0),
                          getattr(g, "xMax", 0), getattr(g, "yMax", 0)))
    drawn = [d for d in _pdf_drawn(outputs["pdf"]) if d[3] and "الائتمانية"[::-1] in d[3]]
    assert drawn, "the word's span is in the PDF"
    boxes = _subset_glyph_boxes(outputs["pdf"], drawn[0][0])
    codes = b"".join(d[2] for d in drawn if d[0] == drawn[0][0])
    got = [boxes[c] for c in codes]
    assert got == boxes_src


def test_no_missing_glyph_in_any_output(outputs: dict[str, Path]) -> None:
    lay = page_layout(scripts_data(), 1, ExportOptions(paper=A2))
    lines = [op.line for op in paint_ops(lay) if isinstance(op, TextOp) and op.line.text]
    for t in lines:  # PNG and canvas draw exactly these glyphs
        sh = shape(t.text, t.font)
        assert not sh.missing, t.text
        assert all(g != 0 for r in sh.runs for g in r.glyphs), t.text
    # the SVG: every character of every tspan is in the embedded font it names
    from fontTools.ttLib import TTFont

    svg = outputs["svg"].read_text(encoding="utf-8")
    css = re.findall(r"font-family: '([^']*)'; font-weight: (\d+); font-style: (\w+); "
                     r"src: url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)", svg)
    cmaps = {(fam, w, st): set(TTFont(io.BytesIO(base64.b64decode(b))).getBestCmap())
             for fam, w, st, b in css}
    root = ET.fromstring(svg)
    checked = 0
    for el in root.iter():
        if el.tag not in (SVG + "text", SVG + "tspan") or not (el.text or "").strip():
            continue
        fam = el.get("font-family").split(",")[0].strip("' ")
        key = (fam, el.get("font-weight", "400"), el.get("font-style", "normal"))
        assert key in cmaps, key
        need = {ord(ch) for ch in el.text if not ch.isspace()
                and unicodedata.category(ch) not in ("Cf", "Mn")
                and not 0xFE00 <= ord(ch) <= 0xFE0F}
        assert need <= cmaps[key], (el.text, [chr(c) for c in need - cmaps[key]])
        checked += 1
    assert checked > 60


def test_nothing_overflows_and_the_preflight_is_silent_on_a2() -> None:
    data = scripts_data()
    problems = run_preflight(data, 1, "A2")
    assert not [p for p in problems if p.severity != "info"], problems
    lay = page_layout(data, 1, ExportOptions(paper=A2))
    for card in lay.cards.values():
        for t in card.text_lines():
            assert card.rect.x - 0.01 <= t.x and t.x + t.width <= card.rect.right + 0.01, t.text
            assert abs(shape(t.text, t.font).advance * t.size_pt - t.width) < 1e-6


def test_svg_groups_have_ids_and_readable_labels(outputs: dict[str, Path]) -> None:
    root = ET.parse(outputs["svg"]).getroot()
    groups = {g.get("id"): g for g in root.iter(SVG + "g")}
    data = scripts_data()
    assert "title" in groups and "legend" in groups
    for sid in data.stages:
        assert f"stage-{sid}" in groups
    for lid in data.lanes:
        assert f"lane-{lid}" in groups
    for cid, card in data.cards.items():
        g = groups[f"card-{cid}"]
        label = g.get("{http://www.inkscape.org/namespaces/inkscape}label")
        assert label.startswith("Card: ") and card.title.split()[0] in label
        assert g.find(SVG + "title") is not None
    assert len(groups) < 80  # no style-only groups
    # every font-family list ends in a generic family
    fams = [el.get("font-family") for el in root.iter() if el.get("font-family")]
    assert fams and all(f.endswith("sans-serif") for f in fams)


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _chromium(args: list[str], tmp: Path, fonts_dir: Path) -> subprocess.CompletedProcess:
    conf = tmp / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?><fontconfig><dir>{fonts_dir}</dir>'
                    f"<cachedir>{tmp / 'fccache'}</cachedir></fontconfig>")
    env = {"FONTCONFIG_FILE": str(conf), "HOME": str(tmp), "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp / 'profile'}", "--hide-scrollbars", *args],
        capture_output=True, text=True, timeout=120, env=env, check=False)


def _no_dejavu(tmp: Path) -> Path:
    """A font folder for fontconfig without DejaVu: one unrelated face only (Chromium needs
    one), so the SVG's text can only come from its embedded fonts."""
    from app.resources import resource_path

    d = tmp / "fonts"
    d.mkdir()
    shutil.copy(resource_path("fonts", "fallback", "NotoSansThai-Regular.ttf"), d / "other.ttf")
    return d


def _image(path: Path, w: int, h: int):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    img = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB32)
    return img.scaled(w, h, Qt.AspectRatioMode.IgnoreAspectRatio,
                      Qt.TransformationMode.SmoothTransformation)


def _difference(a, b) -> tuple[float, float]:
    """(mean absolute difference per channel 0..255, share of pixels differing by > 96)."""
    total = 0
    far = 0
    n = a.width() * a.height()
    for y in range(a.height()):
        for x in range(a.width()):
            p, q = a.pixel(x, y), b.pixel(x, y)
            d = [abs(((p >> s) & 255) - ((q >> s) & 255)) for s in (16, 8, 0)]
            total += sum(d)
            far += max(d) > 96
    return total / (3 * n), far / n


@pytest.mark.skipif(CHROMIUM is None, reason="scripts/setup.sh installs chromium")
def test_svg_in_chromium_without_dejavu_matches_the_pdf_and_png(outputs: dict[str, Path],
                                                                tmp_path: Path) -> None:
    """The SVG, drawn by headless Chromium with DejaVu hidden from fontconfig, matches the
    PDF (pdftoppm) and the PNG pixel for pixel at a low resolution, within a tolerance:
    mean difference under 4 levels of 255 and under 1 % of pixels far apart; and every
    text element's advance in Chromium is the layout's width within a point."""
    lay = page_layout(scripts_data(), 1, ExportOptions(paper=A2))
    w, h = round(lay.width), round(lay.height)  # 72 px per inch: one pixel per point
    html = tmp_path / "page.html"
    svg_text = outputs["svg"].read_text(encoding="utf-8").split("?>", 1)[1]
    script = ("document.fonts.ready.then(()=>{const r=[];"
              "for(const t of document.querySelectorAll('#s text')){"
              "r.push([t.getComputedTextLength(), t.getStartPositionOfChar(0).x]);}"
              "document.getElementById('out').textContent=JSON.stringify(r);});")
    html.write_text(
        "<html><head><style>#s svg{width:100%;height:100%;display:block}</style></head>"
        f"<body style='margin:0'><div id=s style='width:{w}px;height:{h}px'>{svg_text}</div>"
        f"<pre id=out></pre><script>{script}</script></body></html>", encoding="utf-8")
    fonts = _no_dejavu(tmp_path)
    shot = tmp_path / "svg.png"
    run = _chromium([f"--window-size={w},{h}", f"--screenshot={shot}",
                     "--virtual-time-budget=5000", html.as_uri()], tmp_path, fonts)
    assert shot.exists(), run.stderr[-2000:]
    dom = _chromium(["--virtual-time-budget=5000", "--dump-dom", html.as_uri()], tmp_path,
                    fonts).stdout
    import json

    measured = json.loads(re.search(r'<pre id="out">(.*?)</pre>', dom, re.S).group(1))
    lines = [op.line for op in paint_ops(lay) if isinstance(op, TextOp) and op.line.text.strip()]
    assert len(measured) == len(lines)
    for (length, x0), t in zip(measured, lines, strict=True):
        assert abs(length - t.width) < 1.0, (t.text, length, t.width)
        if not has_rtl(t.text):  # the first character in logical order is the leftmost
            assert abs(x0 - t.x) < 1.0, (t.text, x0, t.x)
    # pixels: PDF via pdftoppm, PNG export, SVG in Chromium, each at 18 px per inch
    pdf_png = tmp_path / "pdf"
    subprocess.run(["pdftoppm", "-png", "-r", "72", "-singlefile", str(outputs["pdf"]),
                    str(pdf_png)], check=True)
    small = (w // 4, h // 4)
    svg_img = _image(shot, *small)
    pdf_img = _image(pdf_png.with_suffix(".png"), *small)
    png_img = _image(outputs["png"], *small)
    for a, b in ((svg_img, pdf_img), (png_img, pdf_img), (svg_img, png_img)):
        mean, far = _difference(a, b)
        assert mean < 4.0 and far < 0.01, (mean, far)
