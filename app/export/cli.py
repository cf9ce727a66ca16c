"""`waymark export` and `waymark check`: argument definitions and runners for app/cli.py."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.errors import ExportError, WaymarkError
from app.export.common import ExportOptions
from app.export.preflight import Problem, distance_for, run_preflight
from app.export.prepare import natural_layout, page_layout
from app.layout.brandfont import SETTING, from_setting, load_font
from app.layout.paper import parse_distance, parse_length, parse_paper
from app.model.schema import DocumentData

POSTERS = (".pdf", ".png", ".svg")


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
    parser.add_argument("--distance", help="viewing distance, e.g. 1.2m or 80cm "
                                           "(default: by paper, A1 1.0 m)")


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


def _open(path: Path) -> DocumentData:
    return _open_with_version(path)[0]


def _open_with_version(path: Path) -> tuple[DocumentData, str]:
    """The document's data and the name of its latest named version ('' if none)."""
    from app.model.document import Document

    if not path.exists():
        raise WaymarkError(f"{path} does not exist")
    doc = Document.open(path, read_only=True)
    try:
        versions = doc.versions()
        latest = max(versions, key=lambda v: (v.created, v.id)).name if versions else ""
        _DOC_FONT[0] = doc.setting(SETTING)
        return doc.data, latest
    finally:
        doc.close()


#: The open document's poster font setting (read with its data).
_DOC_FONT: list[str | None] = [None]


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
    opts.version = getattr(args, "version_label", "") or ""
    opts.heat_metric = getattr(args, "heat", None) or None
    opts.funnel_metric = getattr(args, "funnel", None) or None
    opts.show_evidence = bool(getattr(args, "evidence", False))
    opts.dim_assumptions = bool(getattr(args, "dim_assumptions", False))
    opts.insights = bool(getattr(args, "insights", False))
    opts.embed_fonts = not getattr(args, "no_embed_fonts", False)
    return opts


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


def run_check(args: argparse.Namespace) -> int:
    """Preflight a map; exit 0 when clean, 1 when any error or warning."""
    data = _open(args.file)
    _use_fonts(args)
    map_id = _map_id(data, args.map)
    opts = _options(args)
    problems = run_preflight(data, map_id, opts.paper, opts.distance_m, options=opts)
    failing = [p for p in problems if p.fails]
    if args.json:
        print(json.dumps({
            "map": data.maps[map_id].title,
            "paper": opts.paper.label(),
            "distance_m": distance_for(opts.paper, opts.distance_m),
            "ok": not failing,
            "problems": [p.to_dict() for p in problems],
        }, indent=2, ensure_ascii=False))
    else:
        _print_problems(problems)
        title = data.maps[map_id].title
        if failing:
            print(f"{len(failing)} problem(s) in {title!r} on {opts.paper.label()}")
        else:
            print(f"{title!r} is ready to print on {opts.paper.label()}")
    return 1 if failing else 0


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


def run_export(args: argparse.Namespace) -> int:
    """Export a map as PDF, PNG or SVG (data formats go to app.interchange)."""
    out: Path = args.output
    suffix = out.suffix.lower()
    if suffix not in POSTERS:
        from app.interchange.formats import DATA_EXPORTS, export_data

        if suffix not in DATA_EXPORTS:
            raise ExportError(f"cannot export as '{suffix or out.name}' "
                              f"(use {', '.join(POSTERS + DATA_EXPORTS)})")
        from app.model.document import Document

        with Document.open(args.file, read_only=True) as doc:
            data = doc.data
            map_id = _map_id(data, args.map) if args.map else None
            # images travel with JSON exports: read them while the document is open
            export_data(data, map_id, out, force=args.force, blob_lookup=doc.blob)
        if not args.quiet:
            print(f"wrote {out}")
        return 0
    data, latest_version = _open_with_version(args.file)
    _use_fonts(args)
    map_id = _map_id(data, args.map)
    opts = _options(args)
    opts.version = opts.version or latest_version
    if (opts.tile or opts.bleed or opts.crop_marks or opts.insights) and suffix != ".pdf":
        raise ExportError("--tile, --bleed, --crop-marks and --insights apply to PDF output "
                          "only")
    _check_metrics(data, map_id, opts)
    if out.exists() and not args.force:
        raise ExportError(f"{out} already exists (use --force to overwrite it)")
    # One layout serves the preflight and the export.
    natural = natural_layout(data, map_id, opts)
    problems = run_preflight(data, map_id, opts.paper, opts.distance_m, options=opts,
                             natural=natural)
    if problems and not args.quiet:
        print("preflight:", file=sys.stderr)
        _print_problems(problems, sys.stderr)
    elif args.quiet:  # never print empty boxes silently
        boxes = [p for p in problems if p.rule == "glyphs"]
        if boxes:
            _print_problems(boxes, sys.stderr)
    opts.progress = _progress_line(args.quiet)
    page = page_layout(data, map_id, opts, natural=natural)
    if suffix == ".pdf":
        from app.export.pdf import export_pdf

        lay = export_pdf(data, map_id, out, opts, force=args.force, layout=page)
    elif suffix == ".png":
        from app.export.png import export_png

        lay = export_png(data, map_id, out, opts, force=args.force, layout=page)
    else:
        from app.export.svg import export_svg

        lay = export_svg(data, map_id, out, opts, force=args.force, layout=page)
    if not args.quiet:
        what = f"{opts.paper.name} {'landscape' if lay.width > lay.height else 'portrait'}"
        if opts.tile is not None:
            what += f" tiled on {opts.tile.name}"
        print(f"wrote {out} ({what}, smallest text {lay.min_size:.1f} pt)")
    return 0
