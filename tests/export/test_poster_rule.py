"""Issue 14: posters composed for the paper, checked against the legibility rule per role.

Every number is measured: glyph sizes from the PDF (pypdf's text visitor), strokes
from the paint operations every renderer walks, spans from the composed boxes.
"""

from __future__ import annotations

import shlex
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.cli import main
from app.export.common import ExportOptions
from app.export.pdf import export_pdf
from app.export.preflight import role_report, run_preflight
from app.export.prepare import compose_for
from app.export.split import sheet_options, stage_groups
from app.layout.compose import MAX_SCALE
from app.layout.legibility import role_lines
from app.layout.paint import EllipseOp, LineOp, PathOp, PolyOp, RectOp, paint_ops
from app.layout.paper import MM, parse_distance, parse_paper
from app.model.schema import DocumentData
from benchmarks.generate import generate
from tests.layout.layout_maps import csv_data, sample_data


def _options(paper: str, orientation: str = "landscape", **kw) -> ExportOptions:
    return ExportOptions(paper=parse_paper(paper, orientation), orientation=orientation, **kw)


def pdf_glyph_sizes(path: Path) -> dict[str, set[float]]:
    """Text shown in the PDF -> the effective sizes (pt) it is set at (font size x the
    text matrix's and the page matrix's scale)."""
    sizes: dict[str, set[float]] = {}

    def visit(text, cm, tm, _font, font_size) -> None:
        if not text.strip():
            return
        scale_tm = (tm[0] ** 2 + tm[1] ** 2) ** 0.5
        scale_cm = (cm[0] ** 2 + cm[1] ** 2) ** 0.5
        sizes.setdefault(text.strip(), set()).add(round(font_size * scale_tm * scale_cm, 2))

    PdfReader(path).pages[0].extract_text(visitor_text=visit)
    return sizes


@pytest.mark.parametrize("name", ["sample", "ikea-couch.csv"])
def test_a1_poster_passes_and_the_pdf_agrees_role_by_role(name: str, tmp_path: Path) -> None:
    data = sample_data() if name == "sample" else csv_data(name)
    options = _options("A1")
    comp = compose_for(data, 1, options)
    problems = run_preflight(data, 1, "A1", options=options, composition=comp)
    assert not [p for p in problems if p.fails], problems
    out = tmp_path / "poster.pdf"
    export_pdf(data, 1, out, options, layout=comp.layout)
    printed = pdf_glyph_sizes(out)
    lines = role_lines(comp.layout)
    for row in role_report(comp):
        role = row["role"]
        measured = []
        for t in lines[role]:
            found = printed.get(t.text.strip())
            if found:  # the PDF size of this line (the same text may print in other roles)
                size = min(found, key=lambda v, t=t: abs(v - t.size_pt))
                assert size == pytest.approx(t.size_pt, abs=0.02), (role, t.text)
                measured.append(size)
        assert len(measured) >= 0.9 * len(lines[role]), role
        # the smallest glyph of the role in the PDF is what the preflight reported ...
        assert min(measured) == pytest.approx(row["printed_pt"], abs=0.02), role
        # ... and it meets the rule
        assert min(measured) >= row["need_pt"] - 0.01, (role, min(measured), row["need_pt"])


def _imported(name: str, tmp_path: Path) -> DocumentData:
    from app.model.document import Document
    from tests.real_maps import REAL_MAPS

    tmp_path.mkdir(parents=True, exist_ok=True)
    cjm = tmp_path / "imported.cjm"
    assert main(["import", str(REAL_MAPS / name), "-o", str(cjm)]) == 0
    with Document.open(cjm, read_only=True) as doc:
        return doc.data


def test_both_spanish_maps_pass_on_a2(tmp_path: Path) -> None:
    data = _imported("viaje-dos-personas.csv", tmp_path)
    assert len(data.maps) == 2
    for map_id in data.maps:
        problems = run_preflight(data, map_id, "A2")
        assert not [p for p in problems if p.fails], (data.maps[map_id].title, problems)


def _lane_fill(lay, lane) -> float:
    """How much of a lane's row its fullest cell uses (below the emotion band)."""
    top = lane.row.y
    if lay.curve is not None and lay.curve.lane_id == lane.lane_id:
        top = lay.curve.band.bottom
    bottom = max(b.rect.bottom for b in lay.cards.values() if b.lane_id == lane.lane_id)
    return (bottom - top) / (lane.row.bottom - top)


def test_the_spanish_maps_use_their_a2_sheet_lanes_by_content(tmp_path: Path) -> None:
    """Width-bound maps (one card a cell, columns as wide as 'Inspiración' needs): the
    room left in the height goes into larger card text, not empty lanes; the scale, the
    words and the titles' lines stay whole."""
    from app.layout import Style, layout_map
    from app.layout.compose import composed_style
    from app.layout.wrap import words

    data = _imported("viaje-dos-personas.csv", tmp_path)
    for map_id in data.maps:
        comp = compose_for(data, map_id, _options("A2"))
        lay = comp.layout
        assert comp.scale == pytest.approx(comp.natural_fit, rel=1e-3)  # nothing lost
        for lane in lay.lanes:
            assert _lane_fill(lay, lane) >= 0.6, (map_id, lane.lines[0].text,
                                                   _lane_fill(lay, lane))
        # the card text is set larger than the rest of its role, within the 3x cap
        label = {r["role"]: r for r in role_report(comp)}["label"]
        titles = {round(b.title_size, 3) for b in lay.cards.values()}
        assert len(titles) == 1 and titles.pop() > label["printed_pt"] * 1.1
        assert max(b.title_size for b in lay.cards.values()) <= label["need_pt"] * MAX_SCALE
        # no word is cut to get there, no title continues in its body more than at the need
        for box in lay.cards.values():
            card = data.cards[box.card_id]
            for t in box.title_lines:
                for w in words(t.text.rstrip("…")):
                    assert w in card.title, (w, card.title)
        at_need = layout_map(data, map_id, None,
                             composed_style(Style(), comp.needs, comp.card_em, 1.414))
        assert sum(b.shrunk for b in lay.cards.values()) <= sum(
            b.shrunk for b in at_need.cards.values())


def _suggested_options(base: ExportOptions, args: str
                       ) -> tuple[ExportOptions, list[str], int]:
    """Options after following one way out (its CLI flags); phases and the number of
    sheets of a split (0: none) are returned apart."""
    opts = replace(base, role_distances=dict(base.role_distances))
    words = shlex.split(args.split(" (")[0])
    phases: list[str] = []
    sheets = 0
    i = 0
    orientation = base.orientation
    paper = None
    while i < len(words):
        flag = words[i]
        if flag == "/":
            i += 1
            continue
        value = words[i + 1]
        if flag == "--paper":
            paper = value
        elif flag == "--orientation":
            orientation = value
        elif flag == "--distance":
            opts.distance_m = parse_distance(value)
        elif flag == "--tile":
            opts.tile = parse_paper(value, "portrait")
        elif flag == "--phase":
            phases.append(value)
        elif flag == "--split-stages":
            sheets = int(value)
        i += 2
    opts.orientation = orientation
    if paper is not None:
        opts.paper = parse_paper(paper, orientation)
    return opts, phases, sheets


def test_dense_400_card_map_fails_on_a3_and_every_way_out_passes() -> None:
    data: DocumentData = generate(400, stages=12, lanes=8, seed=3)
    map_id = next(iter(data.maps))
    base = _options("A3")
    problems = run_preflight(data, map_id, "A3", options=base)
    size = [p for p in problems if p.rule == "text-size"]
    assert size and size[0].suggestions, problems
    assert "ways out" in size[0].message
    assert any("--split-stages" in way for way in size[0].suggestions), size[0].suggestions
    for way in size[0].suggestions:
        opts, phases, sheets = _suggested_options(base, way)
        trials = [replace(opts, phase=phase) for phase in phases or [None]]
        if sheets:  # each sheet of the split, as `export --split-stages N` prints it
            groups = stage_groups(data, map_id, sheets)
            assert [s for g in groups for s in g] == [s.id for s in data.stages_of(map_id)]
            trials = [sheet_options(opts, g) for g in groups]
        for trial in trials:
            again = run_preflight(data, map_id, trial.paper, options=trial, suggest=False)
            assert "text-size" not in {p.rule for p in again}, (way, trial.phase,
                                                                 trial.stage_ids, again)


REAL = ("ikea-couch.csv", "viaje-dos-personas.csv", "restaurant-blueprint.csv")
SHEETS = ("Letter", "A4", "A3", "A2", "A1", "A0")


@pytest.mark.parametrize("name", REAL)
def test_one_card_title_size_per_lane(name: str) -> None:
    data = csv_data(name)
    for map_id in data.maps:
        for paper in ("A3", "A1"):
            lay = compose_for(data, map_id, _options(paper)).layout
            by_lane: dict[int, list[float]] = {}
            for card in lay.cards.values():
                by_lane.setdefault(card.lane_id, []).append(card.title_size)
            for sizes in by_lane.values():
                assert max(sizes) <= min(sizes) * 1.15


def _stroke_widths(lay) -> list[float]:
    out = []
    for op in paint_ops(lay):
        if isinstance(op, RectOp | PolyOp | EllipseOp) and op.stroke and op.width:
            out.append(op.width)
        elif isinstance(op, PathOp | LineOp):
            out.append(op.width)
    return out


@pytest.mark.parametrize("paper", SHEETS)
def test_every_stroke_between_a_quarter_and_four_points(paper: str) -> None:
    maps = [sample_data(), csv_data("restaurant-blueprint.csv"), csv_data("ikea-couch.csv")]
    for data in maps:
        opts = _options(paper, dim_assumptions=True, show_evidence=True)
        widths = _stroke_widths(compose_for(data, 1, opts).layout)
        assert widths and min(widths) >= 0.25 - 1e-9 and max(widths) <= 4.0 + 1e-9, (
            paper, min(widths), max(widths))


def _span(lay) -> tuple[float, float]:
    """The content's extent (title, lane labels, grid, legend, footer) as a share of the
    sheet in each dimension."""
    boxes = [lay.title.rect, lay.grid, *(ln.rect for ln in lay.lanes)]
    if lay.legend is not None:
        boxes.append(lay.legend.rect)
    x0 = min(b.x for b in boxes)
    x1 = max(b.right for b in boxes)
    y0 = min(b.y for b in boxes)
    y1 = max([b.bottom for b in boxes] + [t.y_baseline for t in lay.footer])
    return (x1 - x0) / lay.width, (y1 - y0) / lay.height


@pytest.mark.parametrize("paper", ["A3", "A2", "A1", "A0"])
def test_real_maps_of_twenty_cards_fill_the_sheet(paper: str, tmp_path: Path) -> None:
    for name in REAL:
        data = _imported(name, tmp_path / name)
        for map_id in data.maps:
            if sum(1 for c in data.cards.values() if c.map_id == map_id) < 20:
                continue
            comp = compose_for(data, map_id, _options(paper))
            w, h = _span(comp.layout)
            assert w >= 0.85 and h >= 0.85, (name, map_id, paper, w, h)
            assert comp.margin >= 8 * MM


def test_small_map_is_not_blown_up_and_is_told_a_smaller_sheet() -> None:
    data = csv_data("restaurant-blueprint.csv")
    comp = compose_for(data, 1, _options("A0"))
    for row in role_report(comp):
        assert row["printed_pt"] <= row["need_pt"] * MAX_SCALE + 0.01, row
    notes = [p for p in run_preflight(data, 1, "A0") if p.rule == "small-map"]
    assert notes and not notes[0].fails
    assert notes[0].suggestions and "A0" not in notes[0].suggestions[0]
    opts, _, _ = _suggested_options(_options("A0"), notes[0].suggestions[0])
    smaller = compose_for(data, 1, opts)
    assert smaller.passes and smaller.paper.width * smaller.paper.height < \
        comp.paper.width * comp.paper.height


def test_same_physical_sheet_same_verdict_and_distance_changes_the_layout() -> None:
    data = csv_data("ikea-couch.csv")
    a = compose_for(data, 1, _options("ARCH D"))
    b = compose_for(data, 1, _options("24x36in"))
    assert a.distances.poster == b.distances.poster
    assert [r["printed_pt"] for r in role_report(a)] == [r["printed_pt"] for r in role_report(b)]
    near = compose_for(data, 1, _options("A1", distance_m=0.5))
    far = compose_for(data, 1, _options("A1", distance_m=3.0))
    assert near.needs["label"] < far.needs["label"]
    assert near.layout.cards != far.layout.cards


def test_role_distances_are_settings(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                     ) -> None:
    data = sample_data()
    opts = _options("A1")
    opts.role_distances["title"] = 6.0
    comp = compose_for(data, 1, opts)
    assert comp.distances.of("title") == 6.0 and comp.distances.of("label") == 1.0
    assert comp.needs["title"] == pytest.approx(comp.needs["label"] * 6, rel=1e-6)


def _write(data: DocumentData, path: Path) -> Path:
    from app.model.document import Document

    Document.create_from(path, data).close()
    return path


def test_research_findings_do_not_fail_check_unless_asked(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    from app.model.schema import DataSource

    data = sample_data()
    cards = {k: c.model_copy(update={"source": DataSource.ASSUMPTION})
             if c.stage_id == 1 else c for k, c in data.cards.items()}
    cjm = _write(data.model_copy(update={"cards": cards}), tmp_path / "a.cjm")
    assert main(["check", str(cjm), "--paper", "A1"]) == 0
    out = capsys.readouterr().out
    assert "research findings" in out and "assumptions only" in out
    assert main(["check", str(cjm), "--paper", "A1", "--fail-on-research"]) == 1


def test_check_auto_orientation_names_the_one_it_chose(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    data = csv_data("ikea-couch.csv")
    cjm = _write(data, tmp_path / "i.cjm")
    main(["check", str(cjm), "--paper", "A2", "--orientation", "auto"])
    out = capsys.readouterr().out
    chosen = compose_for(data, 1, _options("A2", "auto")).paper.label()
    assert f"on {chosen}" in out


def test_overlap_larger_than_the_sheet_is_refused(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    cjm = _write(sample_data(), tmp_path / "s.cjm")
    code = main(["export", str(cjm), "-o", str(tmp_path / "t.pdf"), "--tile", "A4",
                 "--overlap", "200mm"])
    assert code != 0
    err = capsys.readouterr().err
    assert "overlap 200 mm" in err and "at most" in err
    assert not (tmp_path / "t.pdf").exists()


def test_tiling_notes_sit_inside_an_office_printers_area(tmp_path: Path) -> None:
    out = tmp_path / "t.pdf"
    opts = _options("A2", tile=parse_paper("A4", "portrait"))
    export_pdf(sample_data(), 1, out, opts)
    reader = PdfReader(out)
    lows: list[float] = []

    def visit(text, cm, tm, _font, size) -> None:
        if text.startswith(("Sheet ", "Cut the", "Do not cut")):
            lows.append(tm[5] + cm[5] - 0.236 * size)

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    assert lows and min(lows) >= 5 * MM - 0.01


def test_designer_options_all_maps_fit_sheets_brand_and_selection(tmp_path: Path) -> None:
    from app.model.document import Document
    from tests.real_maps import REAL_MAPS

    cjm = tmp_path / "viaje.cjm"
    assert main(["import", str(REAL_MAPS / "viaje-dos-personas.csv"), "-o", str(cjm)]) == 0
    every = tmp_path / "all.pdf"
    assert main(["export", str(cjm), "--all-maps", "--paper", "A2", "-o", str(every),
                 "--quiet"]) == 0
    assert len(PdfReader(every).pages) == 2  # a page per map
    with Document.open(cjm, read_only=True) as doc:
        data = doc.data
    # fit to width: the A1 width is kept, the height follows the map, every role passes
    wide = compose_for(data, 1, _options("A1", fit="width"))
    a1 = parse_paper("A1", "landscape")
    assert wide.paper.width == pytest.approx(a1.width) and wide.paper.height != a1.height
    assert all(r["ok"] for r in role_report(wide))
    # brand colour and page colour
    branded = compose_for(data, 1, _options("A2", brand_colour="#0058a3",
                                            background="#fdf6e3")).layout
    assert {st.fill for st in branded.stages} == {"#0058a3"}
    assert branded.background == "#fdf6e3"
    # one phase / some stages / some lanes
    stages = data.stages_of(1)
    picked = compose_for(data, 1, _options("A3", stages=(stages[0].name, stages[2].name),
                                           lanes=(data.lanes_of(1)[0].name,))).layout
    assert [st.stage_id for st in picked.stages] == [stages[0].id, stages[2].id]
    assert len(picked.lanes) == 1
    # COLS x ROWS tile sheets: exactly that many pages
    tiles = tmp_path / "tiles.pdf"
    assert main(["export", str(cjm), "--tile", "A4", "--sheets", "3x2", "-o", str(tiles),
                 "--quiet"]) == 0
    assert len(PdfReader(tiles).pages) == 6


def test_phase_export_prints_only_that_phase() -> None:
    data = sample_data()
    phases = [s.phase for s in data.stages_of(1) if s.phase.strip()]
    assert phases  # the sample map has phases
    one = phases[0]
    lay = compose_for(data, 1, _options("A3", phase=one)).layout
    names = {data.stages[st.stage_id].phase for st in lay.stages}
    assert names == {one}
