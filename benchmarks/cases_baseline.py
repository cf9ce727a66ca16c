"""Whole processes against an older commit of Waymark itself, in one run (issue 14).

The issue asks that ``waymark export`` of the sample stay no slower, as a whole process,
than before posters were composed for the paper (commit :data:`BASELINE_COMMIT`), and
that ``waymark check`` of a failing map (every way out composed) be cheap. The older
tree is taken from this repository with ``git archive`` into the run's work folder and
run by the same interpreter and packages (``PYTHONPATH`` first, ``-P`` so the working
folder is not on the path), so the only difference
is Waymark's own code. Each tree writes its own sample document (the older one cannot
read today's file format). Both trees are byte-compiled first, as an installed package
is, so neither run pays for compiling its sources. The two commands run in turn (A B A B
...) and the ratio is taken pair by pair, so a machine that speeds up or slows down during
the run moves both alike.
"""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys
import tarfile
from io import BytesIO
from pathlib import Path

from benchmarks.context import Context
from benchmarks.harness import run_process, stats
from benchmarks.results import NOT_AVAILABLE, Result

ROOT = Path(__file__).resolve().parent.parent
#: The last commit of main before posters were composed for the paper.
BASELINE_COMMIT = os.environ.get("WAYMARK_BASELINE_COMMIT", "215ed67")


def _tree(commit: str, dest: Path) -> Path | None:
    """The commit's ``app`` and ``resources`` under ``dest`` (None without git)."""
    try:
        blob = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "app", "resources"],
                              capture_output=True, check=True, timeout=120).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=BytesIO(blob)) as tar:
        tar.extractall(dest, filter="data")
    return dest


def _env(tree: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(tree)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


def _imports_from(tree: Path, env: dict[str, str]) -> bool:
    probe = subprocess.run([sys.executable, "-P", "-c", "import app; print(app.__file__)"], env=env,
                           capture_output=True, text=True, timeout=60, check=False)
    return probe.stdout.strip().startswith(str(tree))


def _alternate(a: list[str], env_a: dict[str, str], b: list[str], env_b: dict[str, str],
               pairs: int, ok: tuple[int, ...] = (0,)) -> tuple[dict, dict, list[float]]:
    """Run A and B in turn ``pairs`` times after one warm-up each: both stats and the
    pairwise ratios A/B."""
    ta: list[float] = []
    tb: list[float] = []
    for i in range(pairs + 1):
        da, code_a, _pa, err_a = run_process(a, env=env_a)
        db, code_b, _pb, err_b = run_process(b, env=env_b)
        if code_a not in ok or code_b not in ok:
            raise RuntimeError(f"exit {code_a}/{code_b}: {err_a.strip() or err_b.strip()}")
        if i:
            ta.append(da)
            tb.append(db)
    return stats(ta), stats(tb), [x / y for x, y in zip(ta, tb, strict=True)]


def case_baseline(ctx: Context) -> list[Result]:
    """``waymark export`` of the sample (PDF A1) and ``waymark check`` of failing maps,
    today's tree against :data:`BASELINE_COMMIT`, as whole processes."""
    old = _tree(BASELINE_COMMIT, ctx.work / "baseline")
    if old is None:
        return [Result("export sample vs baseline commit", status=NOT_AVAILABLE,
                       reason=f"no git checkout to take {BASELINE_COMMIT} from")]
    for tree in (ROOT / "app", old / "app"):
        compileall.compile_dir(tree, quiet=1)
    env_new, env_old = _env(ROOT), _env(old)
    if not _imports_from(old, env_old):
        return [Result("export sample vs baseline commit", status=NOT_AVAILABLE,
                       reason="the baseline tree is not the one imported")]
    py = [sys.executable, "-P", "-m", "app"]  # -P: the tree from PYTHONPATH, not the cwd
    files = {}
    for name, env in (("new", env_new), ("old", env_old)):
        files[name] = ctx.work / f"sample-{name}.cjm"
        subprocess.run([*py, "new", str(files[name]), "--template", "sample"], env=env,
                       capture_output=True, check=True, timeout=120)
    pairs = 3 * ctx.plan.reps
    out: list[Result] = []

    def compare(case: str, size: str, verb: list[str], extra: list[str],
                ok: tuple[int, ...], target: str, met_at: float | None) -> None:
        a = [*py, *verb, str(files["new"]), *extra]
        b = [*py, *verb, str(files["old"]), *extra]
        fa, fb, ratios = _alternate(a, env_new, b, env_old, pairs, ok)
        r = Result(case, size, figures=fa, baseline=fb,
                   baseline_name=f"the same command at commit {BASELINE_COMMIT}",
                   target=target).finish()
        paired = statistics.median(ratios)
        r.notes.append(f"median of the {len(ratios)} pairwise ratios: {paired:.2f}x")
        if met_at is not None:
            r.target_met = paired <= met_at
        out.append(r)

    pdf = str(ctx.work / "baseline-sample.pdf")
    compare("waymark export sample (PDF A1), whole process", "", ["export"],
            ["-o", pdf, "--paper", "A1", "--force", "--quiet"], (0,), "no slower (<= 1.0x)",
            1.0)
    compare("waymark check sample on A3 (fails: ways out composed), whole process", "",
            ["check"], ["--paper", "A3"], (0, 1), "", None)
    return out
