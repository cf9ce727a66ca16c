"""Run Waymark in a child process with a time bound: how the suite catches an input that
makes a command take minutes (a quadratic parse) without asserting speed.

The bounds are generous (tens of times what the command takes on a loaded machine); a
command that passes one did not finish at all before its fix.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def waymark(*args: str | Path, timeout: float = 60.0, cwd: Path | None = None
            ) -> subprocess.CompletedProcess[str]:
    """``waymark ARGS`` in a child; fails the test when it runs past ``timeout`` seconds."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    try:
        return subprocess.run([sys.executable, "-m", "app", *map(str, args)],
                              capture_output=True, text=True, timeout=timeout, env=env,
                              cwd=cwd or ROOT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"waymark {' '.join(map(str, args))[:120]} ran over {timeout:.0f} s")


def python(code: str, timeout: float = 60.0) -> subprocess.CompletedProcess[str]:
    """Run Python ``code`` in a child; fails the test when it runs past ``timeout``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    try:
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              timeout=timeout, env=env, cwd=ROOT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the child ran over {timeout:.0f} s: {code.strip()[:120]}")


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """The one-line ``waymark: ...`` message of a refused command (exit status 1)."""
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr[-2000:])
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    first = result.stderr.splitlines()[0]
    assert first.startswith("waymark: "), result.stderr
    return result.stderr
