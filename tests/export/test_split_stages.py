"""A dense map split by its stages onto several sheets (issue 14): `waymark export
--split-stages` writes a page per group of stages, each passing `check`; the preflight
names the split as a way out; bad requests get one line."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.cli import main
from app.export.split import stage_groups
from benchmarks.generate import generate, write_cjm

DENSE = dict(cards=400, stages=12, lanes=8, seed=3)


@pytest.fixture(scope="module")
def dense(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_cjm(generate(**DENSE), tmp_path_factory.mktemp("dense") / "dense.cjm")


def _loads(data, map_id: int) -> list[int]:
    return [1 + sum(1 for c in data.cards.values() if c.stage_id == s.id)
            for s in data.stages_of(map_id)]


def test_stage_groups_are_consecutive_and_as_even_as_can_be() -> None:
    data = generate(**DENSE)
    map_id = next(iter(data.maps))
    order = [s.id for s in data.stages_of(map_id)]
    loads = dict(zip(order, _loads(data, map_id), strict=True))
    for n in (2, 3, 4, 5):
        groups = stage_groups(data, map_id, n)
        assert len(groups) == n and [s for g in groups for s in g] == order
        worst = max(sum(loads[s] for s in g) for g in groups)
        # brute force: no other cut into n consecutive groups has a lighter heaviest sheet
        best = min(
            max(sum(loads[s] for s in order[a:b]) for a, b in
                itertools.pairwise((0, *cuts, len(order))))
            for cuts in itertools.combinations(range(1, len(order)), n - 1))
        assert worst == best, n
    assert len(stage_groups(data, map_id, 40)) == len(order)  # one stage a sheet at most


def test_export_split_writes_a_page_per_sheet_each_passing_check(
        dense: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A3 alone cannot hold the map: the preflight names a split as a way out
    assert main(["check", str(dense), "--paper", "A3"]) == 1
    said = capsys.readouterr().out
    assert "--split-stages" in said
    way = said[said.index("--paper A0"):].split(" (")[0] if "--paper A0" in said else ""
    assert "--split-stages 4" in way, said
    flags = way.split()
    out = tmp_path / "split.pdf"
    assert main(["export", str(dense), *flags, "-o", str(out)]) == 0
    wrote = capsys.readouterr().out
    assert "4 A0 sheets" in wrote
    pages = PdfReader(out).pages
    assert len(pages) == 4
    for i, page in enumerate(pages, start=1):
        assert f"sheet {i} of 4" in page.extract_text()
        assert round(float(page.mediabox.width)) == 3370  # A0 landscape
    assert main(["check", str(dense), *flags]) == 0
    report = capsys.readouterr().out
    assert report.count(": ready,") == 4 and "ready to print on 4 A0 sheets" in report
    assert main(["check", str(dense), *flags, "--json"]) == 0
    verdict = json.loads(capsys.readouterr().out)
    assert verdict["ok"] and len(verdict["sheets"]) == 4
    data = generate(**DENSE)
    assert [n for sh in verdict["sheets"] for n in sh["stages"]] == [
        s.name for s in data.stages_of(next(iter(data.maps)))]
    assert all(sh["ok"] and sh["scale"] >= 1.0 for sh in verdict["sheets"])
    # the fewest sheets that pass, found when N is left out
    auto = tmp_path / "auto.pdf"
    assert main(["export", str(dense), "--paper", "A0", "--distance", "0.6m",
                 "--split-stages", "-o", str(auto), "--quiet"]) == 0
    assert len(PdfReader(auto).pages) == 4


@pytest.mark.parametrize(("extra", "message"), [
    (["--split-stages", "1"], "between 2 and the map's 12 stages"),
    (["--split-stages", "three"], "give a number of sheets"),
    (["--split-stages", "3", "--phase", "Purchase"], "does not combine with --phase"),
    (["--split-stages", "3", "--tile", "A4"], "does not combine"),
])
def test_bad_split_requests_get_one_line(dense: Path, tmp_path: Path, extra: list[str],
                                         message: str, capsys: pytest.CaptureFixture[str]
                                         ) -> None:
    out = tmp_path / "x.pdf"
    assert main(["export", str(dense), *extra, "-o", str(out)]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0], err
    assert not out.exists()


def test_a_one_stage_map_has_nothing_to_split(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    cjm = write_cjm(generate(30, stages=1, lanes=4, seed=5), tmp_path / "one.cjm")
    assert main(["check", str(cjm), "--split-stages"]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "nothing to split" in err[0], err


def test_split_is_for_pdf(dense: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
                          ) -> None:
    out = tmp_path / "x.png"
    assert main(["export", str(dense), "--split-stages", "3", "-o", str(out)]) != 0
    assert "PDF output only" in capsys.readouterr().err
    assert not out.exists()
