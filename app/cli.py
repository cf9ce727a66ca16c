"""The ``waymark`` command: the GUI by default, subcommands for scripted work.

``waymark`` opens the editor on the sample map; ``waymark FILE`` opens FILE;
``waymark new|info|import|export|check|report ...`` work without Qt (it is
imported only by the GUI and by the PNG/SVG exporters). User errors print one
line on stderr and exit 1; usage errors exit 2 (argparse's convention).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.about import version_text
from app.errors import WaymarkError
from app.wording import counted

if TYPE_CHECKING:
    from app.model.document import Document

SUBCOMMANDS = ("new", "info", "import", "export", "check", "report", "version", "open", "room")

#: Subcommands provided by other packages: name -> (module, add-arguments fn, run fn, help).
PLUGGED: dict[str, tuple[str, str, str, str]] = {
    "import": ("app.interchange.cli", "add_import_arguments", "run_import",
               "import CSV, XLSX, JSON or Mermaid into a new or existing document"),
    "export": ("app.export.cli", "add_export_arguments", "run_export",
               "export a map as PDF, PNG or SVG (or data as CSV, XLSX, JSON, Mermaid)"),
    "check": ("app.export.cli", "add_check_arguments", "run_check",
              "preflight a map for print legibility"),
    "report": ("app.analysis.cli", "add_report_arguments", "run_report",
               "analyse a map: moments of truth, channel gaps, evidence, votes"),
    "room": ("app.room.cli", "add_room_arguments", "run_room",
             "open a room: participants add ideas, dots and feelings from their browsers"),
}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="waymark",
        description="Waymark: customer journey maps, offline, printed legibly.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("new", help="create a document from a template")
    p.add_argument("file", type=Path)
    p.add_argument("--template", choices=("b2c", "b2b", "blank", "sample"), default="b2c")
    p.add_argument("--force", action="store_true", help="replace an existing file")

    p = sub.add_parser("info", help="show a document's maps, personas and history")
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = sub.add_parser("open", help="open a document in the editor")
    p.add_argument("file", type=Path)

    for name, (module, add, _run, help_text) in PLUGGED.items():
        p = sub.add_parser(name, help=help_text)
        try:
            getattr(import_module(module), add)(p)
        except (ImportError, AttributeError):
            p.set_defaults(unavailable=name)
    return parser


def document_info(doc: Document) -> dict[str, Any]:
    """A summary for ``waymark info``: maps, personas, counts, version, history depth."""
    from app.model.rows import SCHEMA_VERSION

    data = doc.data
    maps = []
    for m in data.ordered_maps():
        persona = data.personas.get(m.persona_id) if m.persona_id else None
        cards = data.cards_of(m.id)
        maps.append({
            "id": m.id, "title": m.title,
            "persona": persona.name if persona else None,
            "owner": m.owner,
            "last_reviewed": m.last_reviewed.isoformat() if m.last_reviewed else None,
            "review_interval_days": m.review_interval_days,
            "stages": [s.name for s in data.stages_of(m.id)],
            "lanes": [{"name": ln.name, "kind": ln.kind.value} for ln in data.lanes_of(m.id)],
            "cards": len(cards),
            "links": len(data.links_of(m.id)),
        })
    return {
        "file": str(doc.path),
        "schema_version": SCHEMA_VERSION,
        "maps": maps,
        "personas": [p.name for p in data.personas.values()],
        "history_depth": len(doc.history()),
        "history_head": doc.head,
        "can_undo": doc.can_undo,
        "can_redo": doc.can_redo,
        "versions": [v.name for v in doc.versions()],
        "read_only": doc.read_only,
        "notes": doc.notes(),
    }


def _cmd_new(args: argparse.Namespace) -> int:
    from app.model.document import Document

    if args.file.suffix.lower() != ".cjm":
        raise WaymarkError(f"'{args.file.name}' should end in .cjm")
    with Document.create(args.file, template=args.template, overwrite=args.force) as doc:
        info = document_info(doc)
    first = info["maps"][0] if info["maps"] else None
    summary = f" ({first['title']}: {counted(len(first['stages']), 'stage')})" if first else ""
    print(f"created {args.file}{summary}")
    return 0


def _cmd_info(args: argparse.Namespace) -> int:
    from app.model.document import Document

    with Document.open(args.file, read_only=True) as doc:
        info = document_info(doc)
        info["file"] = str(args.file)
    if args.json:
        print(json.dumps(info, indent=2, ensure_ascii=False))
        return 0
    print(f"{args.file}  (file format {info['schema_version']})")
    for m in info["maps"]:
        persona = f", persona {m['persona']}" if m["persona"] else ""
        print(f"  map {m['title']!r}{persona}: {counted(len(m['stages']), 'stage')}, "
              f"{counted(len(m['lanes']), 'lane')}, {counted(m['cards'], 'card')}, "
              f"{counted(m['links'], 'link')}")
        print(f"    stages: {', '.join(m['stages'])}")
        print(f"    lanes:  {', '.join(lane['name'] for lane in m['lanes'])}")
    if info["personas"]:
        print(f"  personas: {', '.join(info['personas'])}")
    print(f"  history: {counted(info['history_depth'], 'step')} "
          f"(at step {info['history_head']})")
    if info["versions"]:
        print(f"  versions: {', '.join(info['versions'])}")
    for line in info.get("notes", []):
        print(f"  {line}")
    return 0


def _cmd_gui(path: Path | None) -> int:
    try:
        gui = import_module("app.ui.app")
    except ImportError as err:
        raise WaymarkError(f"the editor cannot start here ({err}); try 'waymark export'") from None
    run_gui: Callable[[Path | None], int] = gui.run_gui
    return run_gui(path)


#: Allocations between two young collections of the cycle collector in a batch command.
BATCH_YOUNG = 100_000


@contextmanager
def _batch_collector() -> Iterator[None]:
    """A batch command (check, export, import, report...) runs the cycle collector less
    often: its default, a young collection every 700 allocations, took a quarter of the
    time of a large poster's layout (which allocates millions of small objects that all
    live to the end). Garbage in cycles is still collected; the thresholds are restored
    after (a test runs commands in its own process)."""
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], BATCH_YOUNG), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``waymark`` command; returns the exit status."""
    try:
        return _main(argv)
    except BrokenPipeError:  # `waymark report … | head`: the reader went away; not an error
        # Point stdout at /dev/null so the interpreter's final flush does not complain.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def _main(argv: Sequence[str] | None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv == ["--version"] or argv == ["version"]:
        print(version_text())
        return 0
    from app import tempfiles

    tempfiles.sweep_private()  # copies a killed Waymark left in the temporary folder
    try:
        if not argv:
            return _cmd_gui(None)
        if argv[0] not in SUBCOMMANDS and not argv[0].startswith("-") and len(argv) == 1:
            return _cmd_gui(Path(argv[0]))
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.version:
            print(version_text())
            return 0
        if args.command is None:
            return _cmd_gui(None)
        if getattr(args, "unavailable", None):
            raise WaymarkError(f"'waymark {args.unavailable}' is not available in this build")
        if args.command == "new":
            return _cmd_new(args)
        if args.command == "info":
            return _cmd_info(args)
        if args.command == "open":
            return _cmd_gui(args.file)
        module, _add, run, _help = PLUGGED[args.command]
        with _batch_collector():
            return int(getattr(import_module(module), run)(args))
    except WaymarkError as err:
        print(f"waymark: {err.message}", file=sys.stderr)
        for line in err.details[:50]:
            print(f"  {line}", file=sys.stderr)
        if len(err.details) > 50:
            print(f"  ... and {len(err.details) - 50} more", file=sys.stderr)
        for line in getattr(err, "notes", []):
            print(f"  {line}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("waymark: interrupted", file=sys.stderr)
        return 130
    except MemoryError:  # nothing was half-written: every write is atomic or one transaction
        print("waymark: not enough memory to finish; nothing was changed", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
