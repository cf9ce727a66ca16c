"""A fork server for kill -9 loops: one child process imports a test child module once, then
forks a fresh process for each run; the test kills that process (SIGKILL, no cleanup), as it
would a process started from scratch, without paying Python's and Waymark's imports (about
a second on this machine when it is busy) for every kill.

The server is ``python tests/forkserver.py MODULE_PATH``. Each line it reads on stdin is a
JSON list of arguments: it forks, the new process prints ``pid N`` and calls the module's
``run(*argv)`` with them (strings; as its ``__main__`` would with ``sys.argv``), writing its own lines to the same stdout; when that
process has ended, the server prints ``exit STATUS`` (the ``waitpid`` status). Nothing in
the server opens a document or starts a thread before it forks.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[1]


class Run:
    """One forked process: its pid and the lines it prints."""

    def __init__(self, pid: int, out: IO[str]) -> None:
        self.pid = pid
        self._out = out
        self.status: int | None = None

    def readline(self) -> str:
        """The process's next line, or "" once it has ended."""
        if self.status is not None:
            return ""
        line = self._out.readline()
        if not line:
            raise RuntimeError("the fork server died")
        if line.startswith("exit "):
            self.status = int(line.split()[1])
            return ""
        return line

    def kill(self) -> list[str]:
        """SIGKILL the process; the lines it printed that were not read yet."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        return self.rest()

    def rest(self) -> list[str]:
        """Every line up to the process's end (it has ended or is ending)."""
        lines = []
        while line := self.readline():
            lines.append(line)
        return lines

    @property
    def killed(self) -> bool:
        """Whether it ended by SIGKILL (known once :meth:`rest` has run)."""
        return self.status is not None and os.WIFSIGNALED(self.status) and (
            os.WTERMSIG(self.status) == signal.SIGKILL)


class ForkServer:
    """The server process for ``module`` (a path to a child script with ``run``)."""

    def __init__(self, module: Path, stderr: Path, env: dict[str, str] | None = None) -> None:
        self._err = stderr.open("w")
        self._proc = subprocess.Popen(
            [sys.executable, __file__, str(module)], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=self._err, text=True, cwd=ROOT,
            env={**(env or os.environ), "PYTHONPATH": str(ROOT)})

    def start(self, *args: object) -> Run:
        """Fork a process running ``run(*args)``; returns once it has printed its pid."""
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._proc.stdin.write(json.dumps([str(a) for a in args]) + "\n")
        self._proc.stdin.flush()
        first = self._proc.stdout.readline()
        if not first.startswith("pid "):
            raise RuntimeError(f"the fork server said {first!r}")
        return Run(int(first.split()[1]), self._proc.stdout)

    def close(self) -> None:
        """End the server (its stdin closes; it exits)."""
        assert self._proc.stdin is not None
        self._proc.stdin.close()
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._err.close()

    def __enter__(self) -> ForkServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _serve(module_path: str) -> None:
    spec = importlib.util.spec_from_file_location("forked_child", module_path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for line in sys.stdin:
        args = json.loads(line)
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                print(f"pid {os.getpid()}", flush=True)
                module.run(*args)
            except BaseException:
                import traceback

                traceback.print_exc()
                code = 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        print(f"exit {status}", flush=True)


if __name__ == "__main__":
    _serve(sys.argv[1])
