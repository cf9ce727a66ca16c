"""Interchange and analysis run without Qt (CLI, worker threads): they never import PySide6."""

from __future__ import annotations

import subprocess
import sys


def test_no_qt_in_interchange_or_analysis() -> None:
    code = ("import sys, pkgutil, importlib, app.interchange, app.analysis\n"
            "for pkg in (app.interchange, app.analysis):\n"
            "    for m in pkgutil.iter_modules(pkg.__path__):\n"
            "        importlib.import_module(f'{pkg.__name__}.{m.name}')\n"
            "print(sorted(n for n in sys.modules if n.startswith('PySide6')))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
