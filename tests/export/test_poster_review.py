"""A print designer's review of the posters (after issues 14 and 15): each fault seen on
the sheets, measured on the composed boxes, the paint operations or the PDF."""

from __future__ import annotations

from itertools import pairwise

import pytest

from app.export.common import ExportOptions
from app.export.prepare import compose_for
from app.layout.boxes import MapLayout
from app.layout.paper import parse_paper
from app.model.schema import DocumentData
from app.model.templates import load_template
from tests.layout.layout_maps import csv_data, sample_data


def _composed(data: DocumentData, paper: str, orientation: str) -> MapLayout:
    options = ExportOptions(paper=parse_paper(paper, orientation), orientation=orientation)
    return compose_for(data, data.ordered_maps()[0].id, options).layout


def _maps() -> dict[str, DocumentData]:
    return {"sample": sample_data(), "b2b": load_template("b2b"),
            "ikea": csv_data("ikea-couch.csv")}


@pytest.mark.parametrize("paper", ["A3", "A1", "A0"])
@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_stage_and_phase_names_keep_clear_of_their_band(paper: str, orientation: str) -> None:
    # Seen: 'Comparison' and 'Installation' of the B2B template touched the edges of
    # their dark stage bands on A2-A0 (0.22 of the header's type size clear at the sides, 0.36 above the capitals).
    for name, data in _maps().items():
        lay = _composed(data, paper, orientation)
        bands = [(s.rect, s.lines) for s in lay.stages] + [(p.rect, p.lines) for p in lay.phases]
        for rect, lines in bands:
            for t in lines:
                clear = min(t.x - rect.x, rect.x + rect.w - (t.x + t.width))
                assert clear >= 0.3 * t.size_pt - 1e-6, (name, t.text, clear / t.size_pt)


def test_the_preflight_reads_as_english(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    # Seen: "map title print at 15.8 pt on LETTER landscape", "5 problem(s)", "1 more card
    # titles continue", and --title-distance's "distance the map title are read from".
    from app.cli import main
    from app.model.document import Document

    cjm = tmp_path / "s.cjm"
    Document.create_from(cjm, sample_data()).close()
    assert main(["check", str(cjm), "--paper", "Letter"]) == 1
    out = capsys.readouterr().out
    assert "map title printed at " in out and " print at " not in out
    assert "on Letter landscape" in out and "LETTER" not in out
    assert "5 problems in 'Buying a couch' on Letter landscape" in out and "(s)" not in out
    assert main(["check", str(cjm), "--paper", "tabloid", "--orientation", "portrait",
                 "--json"]) == 1
    assert '"paper": "Tabloid portrait"' in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "distance the map title is read from" in text
    assert "distance card bodies, chips, legend are read from" in text


def test_one_more_overflowing_title_is_singular() -> None:
    from app.export.preflight import run_preflight

    data = sample_data()
    m = data.ordered_maps()[0].id
    long = "a title far too long for its lines " * 6
    ids = sorted(c.id for c in data.cards.values() if c.map_id == m)[:4]
    cards = {k: c.model_copy(update={"title": long.strip()}) if k in ids else c
             for k, c in data.cards.items()}
    data = data.model_copy(update={"cards": cards})
    options = ExportOptions(paper=parse_paper("A1"))
    messages = [p.message for p in run_preflight(data, m, "A1", options=options)
                if p.rule == "title-overflow"]
    assert "1 more card title continues in its body" in messages, messages


@pytest.mark.parametrize("paper", ["A2", "A1", "A0"])
def test_legend_entries_in_one_column_and_no_lone_entry_on_a_line(paper: str) -> None:
    # Seen on the sample's A1 sheet: each group's swatches began after its own heading
    # (Card kinds at 255, Channels at 232, Emotion at 222 px), and 'Opportunity' and
    # 'chat' sat alone on a second line.
    for name, data in _maps().items():
        leg = _composed(data, paper, "landscape").legend
        if leg is None or not leg.entries:  # the empty B2B template has nothing to key
            continue
        heads = sorted(h.y_baseline for h in leg.headings)
        rows: dict[float, list[float]] = {}
        for e in leg.entries:
            rows.setdefault(round(e.label.y_baseline, 3), []).append(e.label.x)
        lefts = {round(min(xs), 3) for xs in rows.values()}
        assert len(lefts) == 1, (name, lefts)
        per_group: dict[float, list[int]] = {}
        for y, xs in sorted(rows.items()):
            # a group's first line sits beside its heading (set larger, so lower)
            head = max(h for h in heads if h <= y + leg.headings[0].size_pt)
            per_group.setdefault(head, []).append(len(xs))
        for counts in per_group.values():
            assert len(counts) == 1 or min(counts) >= 2, (name, counts)
        # entries never overlap: on each line, one ends before the next begins
        for e, f in zip(leg.entries, leg.entries[1:], strict=False):
            if round(e.label.y_baseline, 3) == round(f.label.y_baseline, 3):
                assert e.label.x + e.label.width < (f.swatch.x if f.swatch else f.glyph.cx
                                                    - f.glyph.size / 2), (name, e.label.text)


def _bezier_ys(seg: tuple[float, ...], steps: int = 24) -> list[float]:
    y0, ay, by, y1 = seg[1], seg[3], seg[5], seg[7]
    return [(1 - t) ** 3 * y0 + 3 * (1 - t) ** 2 * t * ay + 3 * (1 - t) * t * t * by
            + t ** 3 * y1 for t in (k / steps for k in range(steps + 1))]


@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_the_emotion_curve_never_overshoots_its_points(orientation: str) -> None:
    # Seen on the IKEA map's A3 portrait sheet: between two +1 cards of 'Use' the line
    # rose to about +1.4, and between two -1 cards of 'Research' it bulged: a feeling no
    # card had. Each stretch of the line now stays between the scores it joins.
    for name, data in _maps().items():
        curve = _composed(data, "A3", orientation).curve
        if curve is None:
            continue
        for segs in (curve.segments, curve.mean_segments):
            for seg in segs:
                low, high = sorted((seg[1], seg[7]))
                ys = _bezier_ys(seg)
                assert low - 1e-6 <= min(ys) and max(ys) <= high + 1e-6, (name, seg)
        # and it still passes through every card's point
        ends = {(round(s[6], 6), round(s[7], 6)) for s in curve.segments}
        assert all((round(p.x, 6), round(p.y, 6)) in ends for p in curve.points[1:])


def test_metric_chips_put_the_unit_after_the_value(tmp_path) -> None:
    # Seen on the sample's A1 sheet: "Time on page s 212", "Drop-off % 46", "CTR % 1.8".
    from app.layout.cardtext import metric_label

    assert metric_label("Time on page s", 212) == "Time on page 212 s"
    assert metric_label("Drop-off %", 46) == "Drop-off 46%"
    assert metric_label("CSAT", 4.1) == "CSAT 4.1"
    assert metric_label("NPS", -12) == "NPS −12"
    assert metric_label("%", 3) == "% 3"  # a name that is only a unit stays as typed
    data = load_template("sample")
    lay = _composed(data, "A1", "landscape")
    chips = {b.text.text for c in lay.cards.values() for b in c.badges
             if b.kind == "metric" and b.text is not None}
    assert {"Drop-off 46%", "Time on page 212 s", "CTR 1.8%"} <= chips, chips


def test_pdf_metadata_names_people_not_the_program(tmp_path) -> None:
    # Seen: 'Viaje de Ayax' (no owner) said "Author: Waymark"; Waymark is the Creator.
    from pypdf import PdfReader

    from app.export.pdf import export_pdf

    data = csv_data("ikea-couch.csv")
    m = data.ordered_maps()[0].model_copy(update={"owner": ""})  # as the real CSV has it
    data = data.model_copy(update={"maps": {**data.maps, m.id: m}})
    out = tmp_path / "p.pdf"
    export_pdf(data, m.id, out, ExportOptions(paper=parse_paper("A3")))
    meta = PdfReader(out).metadata
    assert meta.title == m.title and meta.creator == "Waymark"
    assert meta.author in ("", None)
    owned = sample_data()
    out2 = tmp_path / "q.pdf"
    export_pdf(owned, owned.ordered_maps()[0].id, out2, ExportOptions(paper=parse_paper("A3")))
    assert PdfReader(out2).metadata.author == owned.ordered_maps()[0].owner


def test_tiling_notes_tell_each_sheet_which_edges_to_cut(tmp_path) -> None:
    # Seen on the sample tiled onto A4 (520x370mm, 3 across, 2 down): every sheet, the
    # first too, said "Cut the left and top edges", and "(2 x 3 sheets" read as rows x
    # columns while --sheets takes COLSxROWS.
    from pypdf import PdfReader

    from app.export.pdf import export_pdf

    out = tmp_path / "t.pdf"
    export_pdf(sample_data(), 1, out, ExportOptions(paper=parse_paper("520x370mm"),
                                                    tile=parse_paper("A4", "portrait")))
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(out).pages]
    assert len(pages) == 6
    assert all("(3 across x 2 down, 520x370mm poster, 10 mm overlap)" in t for t in pages)
    assert "Do not cut this sheet" in pages[0] and "Cut the" not in pages[0]
    assert "Cut the left edge along the outline" in pages[1]  # row 1, column 2
    assert "Cut the top edge along the outline" in pages[3]  # row 2, column 1
    assert "Cut the left and top edges" in pages[4] and "Cut the left and top" in pages[5]
    assert "left and top" not in " ".join(pages[:4])


@pytest.mark.parametrize("paper", ["A3", "A2", "A1"])
@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_headings_wrap_into_even_lines(paper: str, orientation: str) -> None:
    # Seen on the multilingual map's A2 portrait sheet: the stage "가입 Sign up" printed as
    # "가입 Sign" over a lone "up". A heading's lines are evened out: taking the last word
    # of a line down to the next never makes the pair narrower.
    from app.layout.fonts import text_width
    from tests.layout.layout_maps import scripts_data

    maps = {**_maps(), "scripts": scripts_data()}
    for name, data in maps.items():
        lay = _composed(data, paper, orientation)
        blocks = [s.lines for s in lay.stages] + [p.lines for p in lay.phases]
        blocks.append(lay.title.title_lines)
        for lines in blocks:
            for a, b in pairwise(lines):
                words = a.text.split(" ")
                if len(words) < 2 or a.text.endswith(("-", "…", "·")) or b.text.endswith("…"):
                    continue  # cut words, cut titles, and breaks after a separator on purpose
                size = a.size_pt / lay.scale
                now = max(a.width, b.width) / lay.scale
                moved = max(text_width(" ".join(words[:-1]), a.font, size),
                            text_width(f"{words[-1]} {b.text}", b.font, size))
                assert moved >= now - 1e-6, (name, a.text, b.text)
    title = _composed(scripts_data(), "A2", "landscape").title.title_lines
    assert [t.text.lstrip("\u200e") for t in title] == [
        "多言語ジャーニー ·", "رحلة العميل ·", "Multilingual journey"]  # was "· Multilingual"
    header = next(s for s in _composed(scripts_data(), "A2", "portrait").stages
                  if "Sign" in "".join(t.text for t in s.lines))
    assert [t.text for t in header.lines] in (["가입", "Sign up"], ["가입 Sign up"])


@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_a_wrapped_line_keeps_its_paragraphs_direction(orientation: str) -> None:
    # Seen on the multilingual map's A2 portrait sheet: the title's second line, logically
    # "العميل · Multilingual" of a left-to-right title, printed "Multilingual · العميل"
    # (each line was set alone, and this one starts with Arabic).
    from app.layout.bidi import embedding_levels, paragraph_is_rtl
    from tests.layout.layout_maps import scripts_data

    data = scripts_data()
    lay = _composed(data, "A2", orientation)
    title = data.ordered_maps()[0].title
    assert not paragraph_is_rtl(title)
    lines = lay.title.title_lines
    assert len(lines) > 1
    for t in lines:
        assert embedding_levels(t.text)[1] == 0, t.text  # set left to right, as the title
    # what is typed is what prints, but for the invisible marks
    joined = " ".join(t.text.replace("\u200e", "") for t in lines)
    assert " ".join(joined.split()) == title
    for s in lay.stages:  # and each stage name keeps its own direction on every line
        name = data.stages[s.stage_id].name
        for t in s.lines:
            assert embedding_levels(t.text)[1] == int(paragraph_is_rtl(name)), (name, t.text)
