"""``waymark report FILE.cjm [--map NAME] [--json]``: what a map tells you, as text or JSON."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

from app.analysis.report import build_report, format_report
from app.errors import WaymarkError


def add_report_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``waymark report``."""
    parser.add_argument("file", type=Path, help="a .cjm document")
    parser.add_argument("--map", help="the map's title or id (default: the first map)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--metric", help="the metric for the funnel and the rankings")
    parser.add_argument("--compare", metavar="MAP",
                        help="compare the emotion per stage with another map (persona)")
    parser.add_argument("--since", metavar="VERSION",
                        help="also list what changed since this named version (name or id)")
    parser.add_argument("--today", type=dt.date.fromisoformat, help=argparse.SUPPRESS)


def run_report(args: argparse.Namespace) -> int:
    """Run ``waymark report``; returns the exit status (errors raise WaymarkError)."""
    from app.model.document import Document

    with Document.open(args.file, read_only=True) as doc:
        data = doc.data
        try:
            m = data.find_map(args.map)
            other = data.find_map(args.compare).id if args.compare else None
        except KeyError as err:
            raise WaymarkError(str(err.args[0])) from None
        old = None
        label = ""
        if args.since:
            wanted = args.since.strip().casefold()
            match = [v for v in doc.versions()
                     if v.name.casefold() == wanted or str(v.id) == wanted]
            if not match:
                names = ", ".join(repr(v.name) for v in doc.versions()) or "none"
                raise WaymarkError(f"no version named {args.since!r} (versions: {names})")
            old, label = doc.version_data(match[-1].id), match[-1].name
    report = build_report(data, m.id, today=args.today, metric=args.metric,
                          compare_with=other, old=old, old_label=label)
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print(format_report(report), end="")
    return 0
