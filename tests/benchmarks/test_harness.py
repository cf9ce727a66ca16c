"""The benchmark harness and generator: JSON shape, statistics, determinism, validity.

These check the machinery, never the times (the machine is shared and noisy).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.model.document import Document
from app.model.schema import DocumentData, LaneKind
from benchmarks.generate import SIZES, generate, write_cjm
from benchmarks.harness import run_process, stats

ROOT = Path(__file__).resolve().parents[2]
FIGURES = {"n", "min_s", "median_s", "p95_s", "mean_s"}
RESULT_KEYS = {"case", "size", "status", "reason", "figures", "baseline_name", "baseline",
               "ratio", "target", "target_met", "notes"}


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "benchmarks", *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def test_quick_undo_case_writes_documented_json(tmp_path: Path) -> None:
    out = tmp_path / "tmp.json"
    proc = _run(tmp_path, "--quick", "--only", "undo", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert set(doc) == {"machine", "options", "results"}
    for key in ("platform", "python", "qt", "reportlab", "sqlite", "cpu_count", "date"):
        assert doc["machine"][key], key
    assert doc["options"]["quick"] is True
    assert doc["options"]["only"] == ["undo"]
    results = doc["results"]
    assert all(set(r) == RESULT_KEYS for r in results)
    measured = [r for r in results if r["status"] == "ok"]
    # undo and redo at 100 and 1,000 cards; quick never runs 10,000.
    assert {(r["case"], r["size"]) for r in measured} == {
        ("undo", "100"), ("redo", "100"), ("undo", "1000"), ("redo", "1000")}
    for r in measured:
        assert FIGURES <= set(r["figures"]) and FIGURES <= set(r["baseline"])
        f = r["figures"]
        assert 0 < f["min_s"] <= f["median_s"] <= f["p95_s"]
        assert r["ratio"] == pytest.approx(f["median_s"] / r["baseline"]["median_s"])
    assert all(r["status"] == "ok" for r in results)
    # The terminal table names every case.
    assert "| undo | 1000 |" in proc.stdout and "| redo | 100 |" in proc.stdout


def test_unknown_case_is_a_usage_error(tmp_path: Path) -> None:
    proc = _run(tmp_path, "--only", "nonsense", "--out", str(tmp_path / "x.json"))
    assert proc.returncode == 2
    assert "unknown case nonsense" in proc.stderr
    assert not (tmp_path / "x.json").exists()


def test_stats_nearest_rank() -> None:
    s = stats([float(i) for i in range(1, 21)])  # 1..20
    assert (s["n"], s["min_s"], s["median_s"], s["p95_s"]) == (20, 1.0, 10.5, 19.0)
    assert stats([3.0])["p95_s"] == 3.0
    with pytest.raises(ValueError):
        stats([])


def test_run_process_reports_child_peak_not_parent() -> None:
    ballast = bytearray(200 * 2**20)  # the parent is big; the child must not look big
    small = run_process([sys.executable, "-c", "pass"])
    big = run_process([sys.executable, "-c",
                       "b = bytearray(150 * 2**20)\nfor i in range(0, len(b), 4096): b[i] = 1\n"
                       "import time; time.sleep(0.05)"])
    assert small[1] == 0 and big[1] == 0
    assert small[2] < 100 * 2**20 < big[2]
    assert run_process([sys.executable, "-c", "raise SystemExit(3)"])[1] == 3
    del ballast


def test_generator_is_deterministic_and_valid() -> None:
    a = generate(1_000)
    b = generate(1_000)
    assert a == b
    assert generate(1_000, seed=8) != a
    again = DocumentData.model_validate_json(a.model_dump_json())
    assert again == a
    (jm,) = a.maps.values()
    assert len(a.cards) == 1_000 and len(a.stages_of(jm.id)) == 12
    assert len(a.lanes_of(jm.id)) == 8 and len(a.links) >= 50
    emotions = [c for c in a.cards.values() if c.emotion is not None]
    lanes = {ln.id: ln.kind for ln in a.lanes.values()}
    assert {c.stage_id for c in emotions} == set(a.stages)  # one per stage at least
    assert all(lanes[c.lane_id] is LaneKind.EMOTIONS for c in emotions)
    titles = [len(c.title.split()) for c in a.cards.values()]
    bodies = [len(c.body.split()) for c in a.cards.values()]
    assert min(titles) >= 2 and max(bodies) <= 60 and min(bodies) == 0
    text = " ".join(c.title + " " + c.body for c in a.cards.values())
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text)  # CJK
    assert any("\u0600" <= ch <= "\u06ff" for ch in text)  # Arabic
    assert any(c.votes for c in a.cards.values()) and any(c.metrics for c in a.cards.values())
    assert SIZES["40stages"][1] == 40
    assert len(generate(*SIZES["40stages"]).stages) == 40


def test_generated_map_opens_as_a_document(tmp_path: Path) -> None:
    data = generate(100)
    path = write_cjm(data, tmp_path / "bench.cjm")
    with Document.open(path) as doc:
        assert len(doc.data.cards) == 100
        assert {c.title for c in doc.data.cards.values()} == {c.title for c in data.cards.values()}
