"""Mermaid's own parser for the suite: node runs tests/mermaid/journeys.mjs (the ``mermaid``
npm package, with jsdom as its DOM), kept running for the whole session.

:func:`mermaid_reads` gives what Mermaid reads in a text; :func:`assert_mermaid_agrees`
checks that Mermaid reads an exported journey as the exporter meant it: the same title,
sections, tasks in order with their sections, scores and actors, and description. The
tests' conftest applies it to every journey Waymark writes while a test runs.

A missing node or npm install is a failure, never a skip: ``bash scripts/setup.sh``
installs both (CI runs it).
"""

from __future__ import annotations

import atexit
import itertools
import json
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).parent / "mermaid"
SCRIPT = HERE / "journeys.mjs"


class _Node:
    """One node process answering one JSON line per request."""

    def __init__(self) -> None:
        node = shutil.which("node")
        if node is None:
            pytest.fail("node is not installed, so exported Mermaid cannot be checked with "
                        "Mermaid's own parser: run 'bash scripts/setup.sh' (it installs "
                        "nodejs, npm and tests/mermaid's packages)", pytrace=False)
        if not (HERE / "node_modules" / "mermaid" / "package.json").is_file():
            pytest.fail("the mermaid npm package is not installed in tests/mermaid: run "
                        "'bash scripts/setup.sh' (npm ci --prefix tests/mermaid)",
                        pytrace=False)
        self.proc = subprocess.Popen(
            [node, str(SCRIPT)], cwd=HERE, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, encoding="utf-8", bufsize=1)
        self.ids = itertools.count(1)
        self.lock = threading.Lock()

    def read(self, text: str) -> dict[str, Any]:
        with self.lock:
            assert self.proc.stdin is not None and self.proc.stdout is not None
            request_id = next(self.ids)
            self.proc.stdin.write(json.dumps({"id": request_id, "text": text}) + "\n")
            self.proc.stdin.flush()
            line = self.proc.stdout.readline()
            if not line:
                err = self.proc.stderr.read() if self.proc.stderr else ""
                pytest.fail(f"Mermaid's parser (node) stopped: {err[-2000:]}", pytrace=False)
            answer = json.loads(line)
            assert answer["id"] == request_id
            return answer

    def close(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


_node: _Node | None = None


def mermaid_reads(text: str) -> dict[str, Any]:
    """What Mermaid 11 reads in ``text``: {'ok': True, 'title', 'sections', 'tasks': [...],
    'actors', 'accDescr', ...} or {'ok': False, 'error': ...}."""
    global _node
    if _node is None:
        _node = _Node()
        atexit.register(_node.close)
    return _node.read(text)


def label(text: str) -> str:
    """A label as compared: each line single-spaced, blank lines dropped."""
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def reading_of(answer: dict[str, Any]) -> dict[str, Any]:
    """Mermaid's answer, normalised the way Waymark compares labels."""
    return {
        "title": label(answer["title"]),
        "description": answer["accDescr"],
        "sections": [label(s) for s in answer["sections"]],
        "tasks": [(label(t["section"]), label(t["task"]), t["score"],
                   [p for p in (label(x) for x in t["people"]) if p]) for t in answer["tasks"]],
    }


def meant_by(journey: Any) -> dict[str, Any]:
    """What an exporter's OutJourney means Mermaid to read."""
    return {
        "title": " ".join(journey.title.split()),
        "description": "\n".join(" ".join(line.split()) for line in journey.description.splitlines()
                                 if line.strip()),
        "sections": [label(s.name) for s in journey.sections],
        "tasks": [(label(s.name), label(t.name),
                   t.score, [" ".join(a.split()) for a in t.actors])
                  for s in journey.sections for t in s.tasks],
    }


def assert_mermaid_agrees(journey: Any, text: str) -> None:
    """Mermaid reads ``text`` as ``journey`` (an exporter's OutJourney) means."""
    answer = mermaid_reads(text)
    assert answer["ok"], f"Mermaid refuses an exported journey: {answer['error']}\n{text}"
    assert answer["type"] == "journey", text
    assert reading_of(answer) == meant_by(journey), text
