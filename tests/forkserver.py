"""A fork server for kill -9 loops: one child process imports a test child module once, then
forks a fresh process for each run; the test kills that process (SIGKILL, no cleanup), as it
would a process started from scratch, without paying Python's and Waymark's imports (about
a second on this machine when it is busy) for every kill.

The server is ``python tests/forkserver.py MODULE_PATH``. Each line it reads on stdin is a
JSON list: an output file, then the arguments. It forks; the new process points its stdout
at the output file and calls the module's ``run(*argv)`` with the arguments (strings, as its
``__main__`` would get them from ``sys.argv``). The server prints ``pid N``, and ``exit
STATUS`` (the ``waitpid`` status) once that process has ended; nothing else is written to
its stdout, so the two cannot interleave with what the process prints (under
PYTHONUNBUFFERED a print is two writes, and a kill between them leaves half a line: only
complete lines are read). Nothing in the server opens a document or starts a thread before
it forks. Every wait has a time limit: a stuck run fails its test, not the whole suite.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


#: Longest wait for the server or a run (a run that is this late has failed).
TIMEOUT = 60.0


class Run:
    """One forked process: its pid and what it prints (into ``output``)."""

    def __init__(self, server: ForkServer, pid: int, output: Path) -> None:
        self._server = server
        self.pid = pid
        self.output = output
        self.status: int | None = None

    def lines(self) -> list[str]:
        """The complete lines it has printed so far."""
        text = self.output.read_text(encoding="utf-8") if self.output.exists() else ""
        return [line + "\n" for line in text.split("\n")[:-1]]

    def first_line(self) -> str:
        """Wait until it has printed a line (or ended); that line, or "" if it ended first."""
        deadline = time.monotonic() + TIMEOUT
        while not (found := self.lines()):
            if self._server.ended(self):
                return ""
            if time.monotonic() > deadline:
                raise TimeoutError(f"run {self.pid} printed nothing in {TIMEOUT:.0f} s")
            time.sleep(0.002)
        return found[0]

    def kill(self) -> list[str]:
        """SIGKILL the process, wait for its end; every line it printed."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self._server.wait(self)
        return self.lines()

    @property
    def killed(self) -> bool:
        """Whether it ended by SIGKILL (known once it has ended)."""
        return self.status is not None and os.WIFSIGNALED(self.status) and (
            os.WTERMSIG(self.status) == signal.SIGKILL)


class ForkServer:
    """The server process for ``module`` (a path to a child script with ``run``)."""

    def __init__(self, module: Path, stderr: Path, env: dict[str, str] | None = None) -> None:
        self._err = stderr.open("w")
        self._run: Run | None = None
        self._buf = b""
        self._proc = subprocess.Popen(
            [sys.executable, __file__, str(module)], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=self._err, text=True, cwd=ROOT, bufsize=1,
            env={**(env or os.environ), "PYTHONPATH": str(ROOT)})

    def _line(self, timeout: float = TIMEOUT) -> str | None:
        """The server's next line; None if none came within ``timeout``."""
        assert self._proc.stdout is not None
        fd = self._proc.stdout.fileno()  # read unbuffered: select sees what is not read yet
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buf:
            left = deadline - time.monotonic()
            if left < 0 or not select.select([fd], [], [], max(left, 0))[0]:
                return None
            chunk = os.read(fd, 4096)
            if not chunk:
                raise RuntimeError(f"the fork server died: {self._errors()}")
            self._buf += chunk
        line, _, self._buf = self._buf.partition(b"\n")
        return line.decode()

    def _next(self) -> str:
        line = self._line()
        if line is None:
            raise TimeoutError(f"the fork server said nothing in {TIMEOUT:.0f} s")
        return line

    def _errors(self) -> str:
        self._err.flush()
        return Path(self._err.name).read_text(encoding="utf-8")[-2000:]

    def start(self, output: Path, *args: object) -> Run:
        """Fork a process running ``run(*args)``, printing into ``output``."""
        assert self._proc.stdin is not None and self._run is None
        self._proc.stdin.write(json.dumps([str(output), *(str(a) for a in args)]) + "\n")
        self._proc.stdin.flush()
        first = self._next()
        if not first.startswith("pid "):
            raise RuntimeError(f"the fork server said {first!r}")
        self._run = Run(self, int(first.split()[1]), output)
        return self._run

    def ended(self, run: Run) -> bool:
        """Whether ``run`` has ended (without waiting)."""
        if run.status is None:
            self._exit(run, self._line(0))
        return run.status is not None

    def wait(self, run: Run) -> None:
        """Wait for ``run``'s end (its ``exit`` line)."""
        if run.status is None:
            self._exit(run, self._next())

    def _exit(self, run: Run, line: str | None) -> None:
        if line is None:
            return
        if not line.startswith("exit "):
            raise RuntimeError(f"the fork server said {line!r}")
        run.status = int(line.split()[1])
        self._run = None
        if os.WIFEXITED(run.status) and os.WEXITSTATUS(run.status):
            raise RuntimeError(f"run {run.pid} failed: {self._errors()}")

    def close(self) -> None:
        """End the server (its stdin closes; it exits); a run still going is killed."""
        assert self._proc.stdin is not None
        if self._run is not None:
            with contextlib.suppress(Exception):
                self._run.kill()
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
        output, *args = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
                os.dup2(fd, 1)
                os.close(fd)
                module.run(*args)
            except BaseException:
                import traceback

                traceback.print_exc()
                code = 1
            finally:
                with contextlib.suppress(BaseException):
                    sys.stdout.flush()
                    sys.stderr.flush()
                os._exit(code)
        print(f"pid {pid}", flush=True)
        _, status = os.waitpid(pid, 0)
        print(f"exit {status}", flush=True)


if __name__ == "__main__":
    _serve(sys.argv[1])
