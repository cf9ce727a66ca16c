"""Faults during Save As and export: kill -9 leaves the destination absent or complete,
and a full disk (RLIMIT_FSIZE) is a clear error with nothing left behind."""

from __future__ import annotations

import os
import random
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.model import commands as C
from app.model.document import Document
from tests.forkserver import ForkServer
from tests.made import new_document

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("fault_child.py")


def big_document(path: Path, cards: int = 1500) -> Path:
    with new_document(path, "sample") as doc:
        m = doc.data.ordered_maps()[0].id
        stages = [s.id for s in doc.data.stages_of(m)]
        lane = doc.data.lanes_of(m)[1].id
        doc.execute(C.AddCards([(stages[i % len(stages)], lane,
                                 {"title": f"Card {i}", "body": "word " * 30})
                                for i in range(cards)]))
    return path


def kill_loop(mode: str, source: Path, dest: Path, kills: int, check) -> int:  # type: ignore[no-untyped-def]
    rng = random.Random(7)
    survived = 0
    # One fork server: each run is a fresh process forked after the imports, killed -9.
    with ForkServer(CHILD, dest.parent / f"{mode}-child.err") as server:
        for _ in range(kills):
            child = server.start(dest.parent / f"{mode}-{survived}.out", mode, source, dest)
            assert child.first_line().strip() == "ready", (
                dest.parent / f"{mode}-child.err").read_text()
            time.sleep(rng.uniform(0.0, 0.6))
            child.kill()
            assert child.killed, child.status
            if dest.exists():
                check(dest)
            survived += 1
    return survived


@pytest.mark.slow  # kill -9 loops; CI runs them (scripts/test.sh selects every test)
def test_kill_during_save_as(tmp_path: Path) -> None:
    source = big_document(tmp_path / "source.cjm")
    dest = tmp_path / "copy.cjm"
    expected = Document.open(source, read_only=True)
    want = expected.data
    expected.close()

    def complete(path: Path) -> None:
        with Document.open(path) as copy:  # opening also removes stale temporaries
            assert copy.data == want

    assert kill_loop("save", source, dest, 12, complete) == 12
    assert dest.exists()
    assert not list(tmp_path.glob(".wm-*.tmp"))


@pytest.mark.slow  # kill -9 loops; CI runs them (scripts/test.sh selects every test)
def test_kill_during_export(tmp_path: Path) -> None:
    source = big_document(tmp_path / "source.cjm", cards=300)
    dest = tmp_path / "poster.pdf"

    def complete(path: Path) -> None:
        reader = PdfReader(path)
        assert len(reader.pages) == 1 and "Card 1" in (reader.pages[0].extract_text() or "")

    assert kill_loop("export", source, dest, 8, complete) == 8
    # the next export to the same file sweeps the parts a killed export left behind
    result = subprocess.run([sys.executable, "-m", "app", "export", str(source), "-o", str(dest),
                             "--force", "--quiet"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert not list(tmp_path.glob(".wm-*.part"))


@pytest.mark.parametrize("suffix", [".pdf", ".png"])
def test_export_on_a_full_disk(tmp_path: Path, suffix: str) -> None:
    source = big_document(tmp_path / "source.cjm", cards=50)
    dest = tmp_path / f"out{suffix}"

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of being killed
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    result = subprocess.run([sys.executable, "-m", "app", "export", str(source), "-o", str(dest),
                             "--quiet", "--dpi", "150"], capture_output=True, text=True, cwd=ROOT,
                            preexec_fn=limit, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 1, result.stdout + result.stderr
    # (libpng itself may print "libpng error: Write Error" first; our message is one line)
    lines = result.stderr.splitlines()
    assert lines[-1].startswith("waymark: ") and sum(x.startswith("waymark") for x in lines) == 1
    assert "Traceback" not in result.stderr
    assert not dest.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["source.cjm"]
