"""``waymark import``: CSV, XLSX, JSON, Mermaid or Markdown into a new document or an existing one.

    waymark import SRC -o FILE.cjm [--force]   create a document holding the import
    waymark import SRC --into FILE.cjm         add the maps as one undoable step
    waymark import METRICS.csv --into FILE.cjm --metrics [--map NAME]
                                               put survey/analytics metrics on cards

The file is parsed completely before any document is touched, so a bad
file leaves everything unchanged (every problem is listed by row and column).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.errors import WaymarkError

#: The formats ``--format`` accepts (the keys of ``formats.IMPORTERS``, which is imported
#: only when an import runs: every ``waymark`` command builds this parser).
IMPORT_FORMATS = ("csv", "json", "markdown", "mermaid", "xlsx")
#: The table layouts (``tablelayout.LAYOUTS``, not imported here for the same reason).
LAYOUT_CHOICES = ("long", "grid", "stage-rows")


def add_import_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``waymark import``."""
    parser.add_argument("src", type=Path, help="a .csv, .xlsx, .json, .mmd or .md file")
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("-o", "--output", type=Path, help="create this .cjm document")
    target.add_argument("--into", type=Path, help="add the maps to this existing .cjm document")
    parser.add_argument("--force", action="store_true", help="replace an existing -o file")
    parser.add_argument("--format", choices=IMPORT_FORMATS,
                        help="read the file as this format (default: from its extension)")
    tables = parser.add_argument_group(
        "tables (CSV, XLSX, Markdown)", "what is detected, and these change: the layout, the "
        "header row (title and note rows above it are skipped), the columns, the sheets")
    tables.add_argument("--layout", choices=LAYOUT_CHOICES,
                        help="long: one row per card; grid: stages across, lanes down; "
                             "stage-rows: one row per stage, a lane per column")
    tables.add_argument("--header-row", type=int, metavar="N",
                        help="the header is row N of each table (1 = the first)")
    tables.add_argument("--column", action="append", default=[], metavar="COLUMN=ROLE",
                        help="what a column holds: a letter, number or header text, then a "
                             "field (title, stage, emotion…), a lane kind (touchpoints, pain "
                             "points…), 'lanes', 'stage' or 'ignore'; repeatable")
    tables.add_argument("--sheet", action="append", default=None, metavar="NAME",
                        help="read only this sheet of a workbook; repeatable")
    parser.add_argument("--metrics", action="store_true",
                        help="SRC is a metrics CSV (card_id or stage+title, metric, value, "
                             "sample_size, date) to put on the cards of --into")
    parser.add_argument("--map", help="with --metrics: match cards of this map only")


def run_import(args: argparse.Namespace) -> int:
    """Run ``waymark import``; returns the exit status (errors raise WaymarkError)."""
    from app.interchange.formats import import_file
    from app.model.commands import ImportMaps
    from app.model.document import Document

    if getattr(args, "metrics", False):
        return _run_metrics(args)
    result = import_file(args.src, getattr(args, "format", None), _options(args))
    for line in result.warnings:
        print(f"waymark: warning: {line}", file=sys.stderr)
    if args.output is not None:
        out: Path = args.output
        if out.suffix.lower() != ".cjm":
            raise WaymarkError(f"'{out.name}' should end in .cjm")
        if not out.parent.is_dir():
            raise WaymarkError(f"the folder of '{out.name}' does not exist")
        if out.exists() and not args.force:
            raise WaymarkError(f"'{out.name}' already exists (use --force to replace it)")
        doc = Document.create_from(out, result.data, result.blobs, overwrite=args.force)
        doc.close()
        print(f"created {out} with {result.summary()}")
        _print_notes(result.notes)
        return 0
    with Document.open(args.into) as doc:
        doc.execute(ImportMaps(result.data, images=result.blobs,
                               name=f"Import {args.src.name}"[:120]))
    print(f"added to {args.into}: {result.summary()}")
    _print_notes(result.notes)
    return 0


def _print_notes(notes: list[str]) -> None:
    """How the tables were read (layout, header row, columns), under the summary."""
    for line in notes:
        print(f"  {line}")


def _options(args: argparse.Namespace):  # -> ImportOptions (imported lazily)
    """The table choices of the command line."""
    from app.interchange.tabular import ImportOptions

    columns: dict[str, str] = {}
    for spec in getattr(args, "column", None) or []:
        key, sep, role = spec.partition("=")
        if not sep or not key.strip() or not role.strip():
            raise WaymarkError(f"--column {spec!r}: write COLUMN=ROLE, e.g. C=title or "
                               "'Pain Point=pain points'")
        columns[key.strip()] = role.strip()
    header = getattr(args, "header_row", None)
    if header is not None and header < 1:
        raise WaymarkError("--header-row counts from 1 (the first row)")
    return ImportOptions(layout=getattr(args, "layout", None), header_row=header,
                         sheets=getattr(args, "sheet", None), columns=columns)


def _run_metrics(args: argparse.Namespace) -> int:
    """Apply a metrics CSV to an existing document as one undoable step."""
    from app.interchange.metrics import import_metrics, metric_fields
    from app.model.commands import UpdateCard
    from app.model.document import Document

    if args.into is None:
        raise WaymarkError("--metrics needs --into FILE.cjm (the document whose cards to update)")
    with Document.open(args.into) as doc:
        data = doc.data
        map_id = None
        if args.map:
            try:
                map_id = data.find_map(args.map).id
            except KeyError as err:
                raise WaymarkError(str(err.args[0])) from None
        result = import_metrics(args.src, data, map_id)
        for line in result.warnings:
            print(f"waymark: warning: {line}", file=sys.stderr)
        fields = metric_fields(data, result.updates)
        with doc.macro(f"Import metrics {args.src.name}"[:120]):
            for card_id, values in fields.items():
                doc.execute(UpdateCard(card_id, values))
    print(f"updated {len(fields)} cards of {args.into} with {len(result.updates)} measurements")
    return 0
