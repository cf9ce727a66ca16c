"""`waymark export` and `waymark check`: argument definitions and runners for app/cli.py."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.errors import ExportError, WaymarkError
from app.export import registry, service
from app.export.common import ExportOptions
from app.export.preflight import Problem, role_report, run_preflight
from app.export.prepare import compose_for
from app.layout.brandfont import SETTING, from_setting, load_font
from app.layout.caches import one_job
from app.layout.logo import BRAND_SETTING, Logo, logo_from_blob
from app.layout.logo import SETTING as LOGO_SETTING
from app.layout.paper import MM, parse_distance, parse_length, parse_paper
from app.model.schema import DocumentData
from app.wording import counted


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="the .cjm document")
    parser.add_argument("--map", help="map title or id (default: the first map)")
    parser.add_argument("--paper", default="A1",
                        help="A0-A5, Letter, Legal, Tabloid, ARCH C/D/E or e.g. 420x594mm, "
                             "24x36in (default A1)")
    parser.add_argument("--orientation", choices=("landscape", "portrait", "auto"),
                        default="landscape", help="auto picks the one with larger text")
    parser.add_argument("--font", type=Path, metavar="FILE",
                        help="brand typeface for the poster (TTF/OTF; its bold and italic "
                             "beside it are used too); default: the document's font, else "
                             "DejaVu Sans")
    parser.add_argument("--distance", help="viewing distance D, e.g. 1.2m or 80cm "
                                           "(default: by sheet size, A1 1.0 m)")
    for role, default in (("title", "3 D"), ("header", "2 D"), ("label", "D"),
                          ("body", "D/2"), ("footer", "0.3 m, in the hand")):
        what = {"header": "stage and phase headers", "label": "lane labels and card titles",
                "body": "card bodies, chips, legend", "footer": "footer and notes",
                "title": "the map title"}[role]
        verb = "is" if role == "title" else "are"
        parser.add_argument(f"--{role}-distance", metavar="DIST",
                            help=f"distance {what} {verb} read from (default {default})")
    parser.add_argument("--margin", help="page margin, e.g. 12mm (default 2%% of the short "
                                         "side, at least 8 mm)")
    parser.add_argument("--phase", help="print only the stages of this phase")
    parser.add_argument("--stages", help="print only these stages (comma-separated names)")
    parser.add_argument("--lanes", help="print only these lanes (comma-separated names)")
    parser.add_argument("--split-stages", nargs="?", const="auto", metavar="N",
                        help="a map too dense for one sheet: its stages cut into N "
                             "consecutive groups balanced by cards, a sheet each (PDF: a "
                             "page each); without N the fewest sheets that pass")
    parser.add_argument("--fit", choices=("page", "width", "height"), default="page",
                        help="page: fill the sheet; width/height: keep that side of the "
                             "sheet, the other follows the map")
    parser.add_argument("--sheets", metavar="COLSxROWS",
                        help="with --tile: a poster exactly COLS x ROWS tile sheets large, "
                             "e.g. 3x2")
    parser.add_argument("--brand-colour", metavar="COLOUR",
                        help="stage headers and phase bands in this colour, e.g. #0058a3 "
                             "(default: the document's brand colour, if it has one)")
    logo = parser.add_mutually_exclusive_group()
    logo.add_argument("--logo", type=Path, metavar="FILE",
                      help="a PNG or JPEG logo at the start of the title block (default: "
                           "the document's logo, if it has one)")
    logo.add_argument("--no-logo", action="store_true",
                      help="leave the document's logo out of this poster")


def add_export_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of `waymark export FILE.cjm -o OUT.(pdf|png|svg) ...`."""
    _common(parser)
    parser.add_argument("-o", "--output", type=Path, required=True,
                        help="output file; the format follows its extension "
                             "(.pdf .png .svg, or data: .csv .xlsx .json .mmd)")
    parser.add_argument("--dpi", type=int, default=150, help="PNG resolution, 72-600")
    parser.add_argument("--transparent", action="store_true", help="PNG/SVG without background")
    parser.add_argument("--bleed", default="0mm", help="PDF bleed, e.g. 3mm")
    parser.add_argument("--crop-marks", action="store_true", help="PDF crop marks")
    parser.add_argument("--tile", help="PDF: print the poster on these sheets, e.g. A4")
    parser.add_argument("--overlap", default="10mm", help="tiling overlap (default 10mm)")
    parser.add_argument("--fix-contrast", action="store_true",
                        help="repair text colours below WCAG contrast")
    parser.add_argument("--all-maps", action="store_true",
                        help="PDF: every map of the document, one page per map")
    parser.add_argument("--background", metavar="COLOUR",
                        help="page colour, e.g. #fdf6e3 (PNG/SVG: --transparent for none)")
    parser.add_argument("--version-label", default="",
                        help="version shown in the title block (default: the latest named "
                             "version of the document)")
    parser.add_argument("--heat", metavar="METRIC",
                        help="colour cards by this metric (e.g. NPS, CSAT, drop-off), with a "
                             "legend")
    parser.add_argument("--funnel", metavar="METRIC",
                        help="draw the stages as a funnel of this metric under the map")
    parser.add_argument("--evidence", action="store_true",
                        help="show evidence coverage (cards backed by data) per stage")
    parser.add_argument("--dim-assumptions", action="store_true",
                        help="draw assumption cards lighter with a dashed border")
    parser.add_argument("--insights", action="store_true",
                        help="PDF: append a page with the report (moments of truth, gaps, "
                             "ranked pain points, evidence, funnel, review)")
    parser.add_argument("--no-embed-fonts", action="store_true",
                        help="SVG: name the fonts only, do not embed them (smaller file)")
    parser.add_argument("--force", action="store_true", help="replace an existing file")
    parser.add_argument("--quiet", action="store_true",
                        help="no progress or preflight output (missing glyphs are still "
                             "reported)")


def add_check_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of `waymark check FILE.cjm [--map] [--paper] [--distance] [--json]`."""
    _common(parser)
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--fail-on-research", action="store_true",
                        help="research findings (e.g. a stage resting on assumptions only) "
                             "fail the check too, not only print faults")


def _open(path: Path) -> DocumentData:
    return _open_with_version(path)[0]


def _open_with_version(path: Path) -> tuple[DocumentData, str]:
    """The document's data and the name of its latest named version ('' if none), read
    without the editing machinery (:mod:`app.model.snapshot`: no SQLAlchemy import)."""
    from app.model.snapshot import read_snapshot

    if not path.exists():
        raise WaymarkError(f"{path} does not exist")
    snap = read_snapshot(path, setting_blobs=(LOGO_SETTING,))
    _DOC_FONT[0] = snap.setting(SETTING)
    _DOC_BRAND.clear()
    _DOC_BRAND["colour"] = snap.setting(BRAND_SETTING)
    digest = snap.setting(LOGO_SETTING)
    blob = snap.blobs.get(digest) if digest else None
    _DOC_BRAND["logo"] = logo_from_blob(blob.data if blob is not None else None)
    if digest and _DOC_BRAND["logo"] is None:
        print(f"warning: {path.name}'s logo is missing or unusable; the poster is printed "
              "without it", file=sys.stderr)
    return snap.data, snap.latest_version


#: The open document's poster font setting (read with its data).
_DOC_FONT: list[str | None] = [None]
#: The open document's brand: "colour" ('#rrggbb' or None) and "logo" (Logo or None).
_DOC_BRAND: dict[str, object] = {}


def _use_fonts(args: argparse.Namespace) -> None:
    """The primary face for this run: --font, else the document's, else DejaVu Sans."""
    from app.layout.fonts import configure

    font = getattr(args, "font", None)
    if font is not None:
        configure(load_font(font))
        return
    choice, message = from_setting(_DOC_FONT[0])
    if message:
        print(f"warning: {message}", file=sys.stderr)
    configure(choice)


def _map_id(data: DocumentData, name: str | None) -> int:
    try:
        return data.find_map(name).id
    except KeyError as err:
        raise WaymarkError(str(err.args[0]) if err.args else "no such map") from None


def _options(args: argparse.Namespace) -> ExportOptions:
    orientation = args.orientation
    paper = parse_paper(args.paper, orientation if orientation != "auto" else "landscape")
    opts = ExportOptions(paper=paper, orientation=orientation)
    if args.distance:
        opts.distance_m = parse_distance(args.distance)
    for name in ("dpi", "transparent", "crop_marks", "fix_contrast"):
        if hasattr(args, name):
            setattr(opts, name, getattr(args, name))
    if getattr(args, "bleed", None):
        opts.bleed = parse_length(args.bleed)
        if opts.bleed > 72:
            raise ExportError("bleed is at most 1 inch (25.4 mm)")
    if getattr(args, "tile", None):
        opts.tile = parse_paper(args.tile, "portrait")
    if getattr(args, "overlap", None):
        opts.overlap = parse_length(args.overlap)
        if opts.tile is not None:
            from app.export.pdf import check_overlap

            check_overlap(opts.tile, opts.overlap)
    for role, flag in (("title", "title"), ("stage", "header"), ("label", "label"),
                       ("body", "body"), ("footer", "footer")):
        value = getattr(args, f"{flag}_distance", None)
        if value:
            opts.role_distances[role] = parse_distance(value)
    if getattr(args, "margin", None):
        opts.margin = parse_length(args.margin)
        if opts.margin < 8 * MM - 1e-6 or opts.margin > min(paper.width, paper.height) / 4:
            raise ExportError(f"margin {args.margin} must be between 8 mm and a quarter of "
                              "the sheet's short side")
    opts.phase = getattr(args, "phase", None) or None
    opts.stages = _names(getattr(args, "stages", None))
    opts.lanes = _names(getattr(args, "lanes", None))
    opts.background = _colour(getattr(args, "background", None), "--background")
    opts.brand_colour = _colour(getattr(args, "brand_colour", None), "--brand-colour")
    if opts.brand_colour is None:
        stored = _DOC_BRAND.get("colour")
        opts.brand_colour = stored if isinstance(stored, str) and _is_colour(stored) else None
    logo_file = getattr(args, "logo", None)
    if logo_file is not None:
        opts.logo = Logo.from_file(logo_file)
    elif not getattr(args, "no_logo", False):
        stored_logo = _DOC_BRAND.get("logo")
        opts.logo = stored_logo if isinstance(stored_logo, Logo) else None
    opts.fit = getattr(args, "fit", "page") or "page"
    opts.all_maps = bool(getattr(args, "all_maps", False))
    sheets = getattr(args, "sheets", None)
    if sheets:
        _poster_of_sheets(opts, sheets)
    opts.version = getattr(args, "version_label", "") or ""
    opts.heat_metric = getattr(args, "heat", None) or None
    opts.funnel_metric = getattr(args, "funnel", None) or None
    opts.show_evidence = bool(getattr(args, "evidence", False))
    opts.dim_assumptions = bool(getattr(args, "dim_assumptions", False))
    opts.insights = bool(getattr(args, "insights", False))
    opts.embed_fonts = not getattr(args, "no_embed_fonts", False)
    return opts


def _is_colour(text: str) -> bool:
    import re

    return re.fullmatch(r"#[0-9a-fA-F]{6}", text.strip()) is not None


def _colour(text: str | None, flag: str) -> str | None:
    if not text:
        return None
    if not _is_colour(text):
        raise ExportError(f"{flag} {text!r}: write a colour as #rrggbb")
    return text.strip().lower()


def _poster_of_sheets(opts: ExportOptions, sheets: str) -> None:
    """``--sheets 3x2 --tile A4``: the poster is exactly that many tile sheets."""
    import re

    from app.export.pdf import TILE_MARGIN
    from app.layout.paper import Paper

    m = re.fullmatch(r"\s*([1-9][0-9]?)\s*[x×]\s*([1-9][0-9]?)\s*", sheets)
    if not m:
        raise ExportError(f"--sheets {sheets!r}: write columns x rows, e.g. 3x2")
    if opts.tile is None:
        opts.tile = parse_paper("A4", "portrait")
    cols, rows = int(m.group(1)), int(m.group(2))
    best = None
    for turn in ("portrait", "landscape"):
        t = opts.tile.oriented(turn)
        ww, wh = t.width - 2 * TILE_MARGIN, t.height - 2 * TILE_MARGIN
        w = cols * (ww - opts.overlap) + opts.overlap
        h = rows * (wh - opts.overlap) + opts.overlap
        if best is None or w * h > best[0] * best[1]:
            best = (w, h)
    assert best is not None
    w, h = best
    opts.paper = Paper(f"{cols}x{rows} {opts.tile.name}", w, h)
    opts.orientation = "landscape" if w >= h else "portrait"


def _names(text: str | None) -> tuple[str, ...]:
    return tuple(n.strip() for n in (text or "").split(",") if n.strip())


def _check_metrics(data: DocumentData, map_id: int, opts: ExportOptions) -> None:
    """A --heat or --funnel metric must be on at least one card of the map."""
    from app.analysis.findings import metric_names

    names = metric_names(data, map_id)
    for flag, metric in (("--heat", opts.heat_metric), ("--funnel", opts.funnel_metric)):
        if metric and metric.casefold() not in {n.casefold() for n in names}:
            have = ", ".join(names[:10]) if names else "none"
            raise ExportError(f"{flag} {metric}: no card of map {data.maps[map_id].title!r} "
                              f"has this metric (metrics on the map: {have})")


def _print_problems(problems: list[Problem], stream=None) -> None:
    stream = stream or sys.stdout
    for p in problems:
        where = ""
        if p.card_id is not None:
            where = f" [card {p.card_id}]"
        elif p.stage_id is not None:
            where = f" [stage {p.stage_id}]"
        elif p.lane_id is not None:
            where = f" [lane {p.lane_id}]"
        print(f"{p.severity}: {p.rule}: {p.message}{where}", file=stream)


@one_job  # one layout cache for the command's compositions and drawing
def run_check(args: argparse.Namespace) -> int:
    """Preflight a map; exit 0 when it prints legibly, 1 on any print error or warning
    (research findings count too with ``--fail-on-research``)."""
    data = _open(args.file)
    _use_fonts(args)
    map_id = _map_id(data, args.map)
    opts = _options(args)
    groups = _split_groups(args, data, map_id, opts)
    if groups is not None:
        return _check_split(args, data, map_id, opts, groups)
    comp = compose_for(data, map_id, opts)
    problems = run_preflight(data, map_id, comp.paper, opts.distance_m, options=opts,
                             composition=comp)
    strict = bool(getattr(args, "fail_on_research", False))
    failing = [p for p in problems if p.fails or (strict and p.research)]
    sheet = comp.paper.label()
    if args.json:
        print(json.dumps({
            "map": data.maps[map_id].title,
            "paper": sheet,
            "orientation": "landscape" if comp.paper.landscape else "portrait",
            "distance_m": comp.distances.poster,
            "scale": round(comp.scale, 3),
            "roles": role_report(comp),
            "ok": not failing,
            "problems": [p.to_dict() for p in problems if not p.research],
            "research": [p.to_dict() for p in problems if p.research],
        }, indent=2, ensure_ascii=False))
    else:
        title = data.maps[map_id].title
        print(f"{title!r} on {sheet}, read from {comp.distances.poster:g} m:")
        for r in role_report(comp):
            mark = "ok  " if r["ok"] else "FAIL"
            print(f"  {mark} {r['label']}: {r['printed_pt']:.1f} pt (needs {r['need_pt']:.1f} "
                  f"pt from {r['distance_m']:g} m)")
        _print_problems([p for p in problems if not p.research])
        research = [p for p in problems if p.research]
        if research:
            print("research findings" + (" (they fail this check: --fail-on-research)"
                                          if strict else " (not print faults):"))
            _print_problems(research)
        if failing:
            print(f"{counted(len(failing), 'problem')} in {title!r} on {sheet}")
        else:
            print(f"{title!r} is ready to print on {sheet}")
    return 1 if failing else 0


def _split_groups(args: argparse.Namespace, data: DocumentData, map_id: int,
                  opts: ExportOptions) -> list[tuple[int, ...]] | None:
    """The stage groups of ``--split-stages`` (None without it): N groups, or without N
    the fewest sheets on which every group passes."""
    from app.export import split

    value = getattr(args, "split_stages", None)
    if value is None:
        return None
    if opts.phase or opts.stages or opts.all_maps or opts.tile is not None:
        raise ExportError("--split-stages prints the whole map on several sheets: it does not "
                          "combine with --phase, --stages, --all-maps or --tile")
    n_stages = len(data.stages_of(map_id))
    if n_stages < 2:
        raise ExportError(f"--split-stages: map {data.maps[map_id].title!r} has "
                          f"{n_stages} stage(s), nothing to split")
    if value == "auto":
        groups = split.passing_split(data, map_id, opts)
        if groups is None:
            raise ExportError(f"no split of up to {min(split.MAX_SHEETS, n_stages)} "
                              f"{opts.paper.name} sheets passes: try a bigger --paper or "
                              "name the sheets, e.g. --split-stages 4")
        return groups
    try:
        n = int(value)
    except ValueError:
        raise ExportError(f"--split-stages {value!r}: give a number of sheets, e.g. 3"
                          ) from None
    if not 2 <= n <= n_stages:
        raise ExportError(f"--split-stages {n}: between 2 and the map's {n_stages} stages")
    return split.stage_groups(data, map_id, n)


def _export_split(args: argparse.Namespace, data: DocumentData, map_id: int,
                  opts: ExportOptions, groups: list[tuple[int, ...]], suffix: str) -> int:
    """``--split-stages``: a PDF page per group of stages, each composed and
    preflighted as a poster of its own."""
    from app.export import split
    from app.export.pdf import export_pdf_pages

    if suffix != ".pdf":
        raise ExportError("--split-stages applies to PDF output only")
    pages = []
    scales = []
    for i, group in enumerate(groups, start=1):
        sheet = split.sheet_data(data, map_id, group, i, len(groups))
        sheet_opts = split.sheet_options(opts, group)
        comp = compose_for(sheet, map_id, sheet_opts)
        pages.append((sheet, map_id, comp.layout))
        scales.append(comp.scale)
        if not args.quiet:
            problems = [p for p in run_preflight(sheet, map_id, comp.paper, opts.distance_m,
                                                 options=sheet_opts, composition=comp,
                                                 suggest=False) if p.fails]
            if problems:
                print(f"preflight of sheet {i} of {len(groups)}:", file=sys.stderr)
                _print_problems(problems, sys.stderr)
    opts.progress = _progress_line(args.quiet)
    export_pdf_pages(pages, args.output, opts, force=args.force)
    if not args.quiet:
        print(f"wrote {args.output} ({len(groups)} {opts.paper.display_name} sheets: "
              f"{split.describe(data, groups)}; every text role at {min(scales):.2f}x its "
              "need or more)")
    return 0


def _check_split(args: argparse.Namespace, data: DocumentData, map_id: int,
                 opts: ExportOptions, groups: list[tuple[int, ...]]) -> int:
    """``check --split-stages``: every sheet checked; exit 0 when all print legibly
    (``--json``: one object with a row per sheet)."""
    from app.export import split

    title = data.maps[map_id].title
    rows = []
    for i, group in enumerate(groups, start=1):
        sheet = split.sheet_data(data, map_id, group, i, len(groups))
        sheet_opts = split.sheet_options(opts, group)
        comp = compose_for(sheet, map_id, sheet_opts)
        problems = run_preflight(sheet, map_id, comp.paper, opts.distance_m,
                                 options=sheet_opts, composition=comp, suggest=False)
        rows.append((i, group, comp, [p for p in problems if p.fails]))
    failing_sheets = sum(1 for *_, failing in rows if failing)
    if getattr(args, "json", False):
        print(json.dumps({
            "map": title, "ok": not failing_sheets,
            "sheets": [{"sheet": i, "stages": [data.stages[s].name for s in group],
                        "paper": comp.paper.label(), "scale": round(comp.scale, 3),
                        "ok": not failing, "roles": role_report(comp),
                        "problems": [p.to_dict() for p in failing]}
                       for i, group, comp, failing in rows],
        }, indent=2, ensure_ascii=False))
        return 1 if failing_sheets else 0
    for i, group, comp, failing in rows:
        verdict = "ready" if not failing else counted(len(failing), "problem")
        print(f"sheet {i} of {len(groups)} ({split.describe(data, [group])}) on "
              f"{comp.paper.label()}: {verdict}, every text role at {comp.scale:.2f}x its need")
        _print_problems(failing)
    if failing_sheets:
        print(f"{failing_sheets} of {len(groups)} sheets of {title!r} fail")
        return 1
    print(f"{title!r} is ready to print on {len(groups)} {opts.paper.name} sheets")
    return 0


def _export_all_maps(args: argparse.Namespace, data: DocumentData, opts: ExportOptions,
                     suffix: str) -> int:
    """``--all-maps``: a page per map in one PDF, each map composed and preflighted."""
    if suffix != ".pdf":
        raise ExportError("--all-maps applies to PDF output only")
    from app.export.pdf import export_pdf_maps

    map_ids = [m.id for m in data.ordered_maps()]
    layouts = {}
    for map_id in map_ids:
        comp = compose_for(data, map_id, opts)
        layouts[map_id] = comp.layout
        if not args.quiet:
            problems = [p for p in run_preflight(data, map_id, comp.paper, opts.distance_m,
                                                 options=opts, composition=comp) if p.fails]
            if problems:
                print(f"preflight of {data.maps[map_id].title!r}:", file=sys.stderr)
                _print_problems(problems, sys.stderr)
    opts.progress = _progress_line(args.quiet)
    export_pdf_maps(data, map_ids, args.output, opts, force=args.force, layouts=layouts)
    if not args.quiet:
        print(f"wrote {args.output} ({len(map_ids)} maps, a page each, {opts.paper.name})")
    return 0


def _progress_line(quiet: bool):
    if quiet:
        return None
    tty = sys.stderr.isatty()

    def show(fraction: float, message: str) -> None:
        if tty:
            print(f"\rexporting: {message:<12} {fraction * 100:3.0f}%", end="", file=sys.stderr,
                  flush=True)
            if fraction >= 1:
                print(file=sys.stderr)

    return show


@one_job
def run_export(args: argparse.Namespace) -> int:
    """Export a map as a poster (PDF, PNG, SVG) or the data (CSV, XLSX, JSON, Mermaid,
    Markdown), through :mod:`app.export.service`."""
    out: Path = args.output
    exporter = registry.for_suffix(out.suffix)
    if exporter is None:
        raise ExportError(f"cannot export as '{out.suffix.lower() or out.name}' "
                          f"(use {', '.join(registry.suffixes())})")
    if not exporter.poster:
        from app.model.document import Document

        with Document.open(args.file, read_only=True) as doc:
            data = doc.data
            map_id = _map_id(data, args.map) if args.map else None
            # images travel with JSON exports: read them while the document is open
            service.write_data(data, map_id, out, force=args.force, blob_lookup=doc.blob)
        if not args.quiet:
            print(f"wrote {out}")
        return 0
    data, latest_version = _open_with_version(args.file)
    _use_fonts(args)
    map_id = _map_id(data, args.map)
    opts = _options(args)
    opts.version = opts.version or latest_version
    service.check_options(exporter, opts)
    _check_metrics(data, map_id, opts)
    if out.exists() and not args.force:
        raise ExportError(f"{out} already exists (use --force to overwrite it)")
    groups = _split_groups(args, data, map_id, opts)
    if groups is not None:
        return _export_split(args, data, map_id, opts, groups, out.suffix.lower())
    if opts.all_maps:
        return _export_all_maps(args, data, opts, out.suffix.lower())
    # One composition serves the preflight and the export.
    comp = compose_for(data, map_id, opts)
    problems = run_preflight(data, map_id, comp.paper, opts.distance_m, options=opts,
                             composition=comp, suggest=not args.quiet)
    if problems and not args.quiet:
        print("preflight:", file=sys.stderr)
        _print_problems(problems, sys.stderr)
    elif args.quiet:  # never print empty boxes silently
        boxes = [p for p in problems if p.rule == "glyphs"]
        if boxes:
            _print_problems(boxes, sys.stderr)
    opts.progress = _progress_line(args.quiet)
    lay, comp = service.export_poster(exporter, data, map_id, out, opts, force=args.force,
                                      composition=comp)
    if not args.quiet:
        print(f"wrote {out} ({service.summary(opts, lay, comp)})")
    return 0
