"""``python -m benchmarks [--quick] [--only NAME] [--out results.json]``.

Runs every case (or those whose name contains NAME), prints a Markdown table
and writes the JSON results. A case whose feature is missing is reported as
"not available"; a case that fails is reported as "error" and the run goes on.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from benchmarks.harness import Plan
from benchmarks.results import ERROR, Result, machine_info, table, write_json

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def registry() -> dict[str, Callable]:
    """Case name -> function(ctx) -> list[Result], in running order."""
    from benchmarks import (
        cases_baseline,
        cases_canvas,
        cases_compose,
        cases_export,
        cases_misc,
        cases_model,
        cases_scripts,
    )

    return {
        "open": cases_model.case_open,
        "edit": cases_model.case_durable_edit,
        "undo": cases_model.case_undo_redo,
        "create": cases_model.case_create,
        "pdf": cases_export.case_pdf,
        "pdf-process": cases_export.case_pdf_process,
        "compose": cases_compose.case_compose,
        "png": cases_export.case_png,
        "svg": cases_export.case_svg,
        "csv-import": cases_misc.case_csv_import,
        "check": cases_misc.case_check,
        "report": cases_misc.case_report,
        "startup": cases_misc.case_startup,
        "canvas": cases_canvas.case_canvas,
        "scripts": cases_scripts.case_scripts,
        "baseline": cases_baseline.case_baseline,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the suite; exit 0 unless no case could run at all."""
    from benchmarks.context import Context

    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true",
                        help="fewer repetitions, only the 100 and 1,000 card maps")
    parser.add_argument("--only", action="append", default=[],
                        help="run only cases whose name is NAME (repeatable); "
                             f"names: {', '.join(registry())}")
    parser.add_argument("--out", type=Path, default=Path("benchmark-results.json"))
    parser.add_argument("--table", type=Path, help="also write the Markdown table here")
    args = parser.parse_args(argv)
    cases = registry()
    unknown = [n for n in args.only if n not in cases]
    if unknown:
        parser.error(f"unknown case {', '.join(unknown)}; choose from {', '.join(cases)}")
    chosen = {n: f for n, f in cases.items() if not args.only or n in args.only}
    plan = Plan(warmup=1, reps=2, samples=50) if args.quick else Plan(warmup=1, reps=5,
                                                                       samples=200)
    results: list[Result] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="waymark-bench-") as work:
        ctx = Context(Path(work), plan, args.quick)
        for name, fn in chosen.items():
            t0 = time.perf_counter()
            print(f"[{name}] ...", file=sys.stderr, flush=True)
            try:
                got = fn(ctx)
            except Exception as err:  # one broken case must not hide the others
                traceback.print_exc()
                got = [Result(name, status=ERROR, reason=f"{type(err).__name__}: {err}")]
            results += got
            print(f"[{name}] {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
    options = {"quick": args.quick, "only": args.only, "warmup": plan.warmup, "reps": plan.reps,
               "edit_samples": plan.samples,
               "wall_time_s": round(time.perf_counter() - started, 1)}
    machine = machine_info()
    write_json(args.out, machine, results, options)
    text = table(results)
    print(text)
    if args.table:
        args.table.write_text(text + "\n", encoding="utf-8")
    print(f"\nwrote {args.out} ({options['wall_time_s']} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
