"""``waymark import``: CSV, XLSX, JSON or Mermaid into a new document or an existing one.

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
IMPORT_FORMATS = ("csv", "json", "mermaid", "xlsx")


def add_import_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``waymark import``."""
    parser.add_argument("src", type=Path, help="a .csv, .xlsx, .json or .mmd file")
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("-o", "--output", type=Path, help="create this .cjm document")
    target.add_argument("--into", type=Path, help="add the maps to this existing .cjm document")
    parser.add_argument("--force", action="store_true", help="replace an existing -o file")
    parser.add_argument("--format", choices=IMPORT_FORMATS,
                        help="read the file as this format (default: from its extension)")
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
    result = import_file(args.src, getattr(args, "format", None))
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
        return 0
    with Document.open(args.into) as doc:
        doc.execute(ImportMaps(result.data, images=result.blobs,
                               name=f"Import {args.src.name}"[:120]))
    print(f"added to {args.into}: {result.summary()}")
    return 0


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
