"""Every command at each of Waymark's limits (issue 18): time and peak memory.

    python -m benchmarks.limits [--out limits.json] [--table limits.md] [--only NAME]

For each limit of :mod:`app.model.limits` a seeded input sits exactly at it, and each
command a user runs on such a document is run once as a process (``waymark import``,
``info``, ``check``, ``report``, ``export``), with the child's wall time and peak RSS
(VmHWM, as the main benchmarks read it). Rows just past a limit time the refusal. It is
not a ratio benchmark: it shows that nothing at a limit takes minutes or gigabytes
(before the fixes, inputs far smaller did). A full run takes 15-25 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from benchmarks.harness import run_process

ROOT = Path(__file__).resolve().parent.parent
WORDS = ("appeler le service client pour la livraison du canapé, mesurer la porte, "
         "compare prices online 比較する 価格 مقارنة الأسعار and read the reviews").split()


def _text(rng: random.Random, lo: int, hi: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(lo, hi)))


def long_csv(path: Path, stages: int, lanes: int, cards: int, *, maps: int = 1,
             extra_columns: int = 0, seed: int = 1) -> Path:
    """A long-layout CSV at a given size (declaring rows keep every stage and lane)."""
    rng = random.Random(seed)
    kinds = ["Actions", "Touchpoints", "Emotions", "Pain points", "Ideas", "Goals"]
    extra = "".join(f",x{i}" for i in range(extra_columns))
    blank = "," * extra_columns
    with path.open("w", encoding="utf-8") as fh:
        fh.write(f"map,stage,lane,title,body,emotion,source,channel{extra}\n")
        for m in range(maps):
            for s in range(stages):
                fh.write(f"Map {m},Stage {s},,,,,,{blank}\n")
            for ln in range(lanes):
                fh.write(f"Map {m},,Lane {ln} {kinds[ln % 6]},,,,,{blank}\n")
        for i in range(cards):
            m, s, ln = i % maps, (i // maps) % stages, (i // (maps * stages)) % lanes
            emotion = (i % 5) - 2 if kinds[ln % 6] == "Emotions" else ""
            fh.write(f"Map {m},Stage {s},Lane {ln} {kinds[ln % 6]},{_text(rng, 2, 6)},"
                     f"\"{_text(rng, 0, 25)}\",{emotion},observed,web{blank}\n")
    return path


def mermaid_personas(path: Path, personas: int) -> Path:
    lines = ["journey", "  title Many people"]
    for i in range(personas):
        if i % 50 == 0:
            lines.append(f"  section Part {i // 50}")
        lines.append(f"    Step {i}: {i % 5 + 1}: Persona {i}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def links_json(path: Path, cards: int, links: int) -> Path:
    rng = random.Random(3)
    data: dict[str, dict[str, object]] = {
        "maps": {"1": {"id": 1, "title": "Linked", "position": 0}},
        "stages": {str(s): {"id": s, "map_id": 1, "name": f"Stage {s}", "position": s}
                   for s in range(2, 22)},
        "lanes": {"30": {"id": 30, "map_id": 1, "name": "Touchpoints", "kind": "touchpoints",
                         "position": 0}},
        "cards": {}, "links": {}}
    for i in range(cards):
        cid = 100 + i
        data["cards"][str(cid)] = {"id": cid, "map_id": 1, "stage_id": 2 + i % 20,
                                   "lane_id": 30, "position": i // 20,
                                   "title": f"{_text(rng, 2, 4)} {i}",
                                   "channel": ["web", "email", "phone"][i % 3]}
    for k in range(links):
        a, b = rng.randrange(cards), rng.randrange(cards)
        lid = 100 + cards + k
        data["links"][str(lid)] = {"id": lid, "map_id": 1, "source_id": 100 + a,
                                   "target_id": 100 + (b if b != a else (a + 1) % cards)}
    path.write_text(json.dumps({"format": "waymark", "version": 1, "data": data}),
                    encoding="utf-8")
    return path


def workbook_with_comment(path: Path, megabytes: int) -> Path:
    from openpyxl import Workbook

    plain = path.with_suffix(".plain.xlsx")
    wb = Workbook()
    wb.active.append(["stage", "title"])
    wb.save(plain)
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info, data)
                continue
            before, after = data.split(b"<sheetData>", 1)
            with dst.open(info.filename, "w", force_zip64=True) as part:
                part.write(before + b"<sheetData><!--")
                for _ in range(megabytes):
                    part.write(b"x" * (1024 * 1024))
                part.write(b"-->" + after)
    plain.unlink()
    return path


def _waymark(*args: object) -> list[str]:
    return [sys.executable, "-m", "app", *map(str, args)]


class Runner:
    """Runs commands as processes and collects one row per (limit, command)."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.rows: list[dict[str, object]] = []
        self.env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen",
                    "WAYMARK_BACKUP_DIR": str(work / "backups")}

    def run(self, limit: str, at: str, command: str, argv: list[str],
            expect: tuple[int, ...] = (0,), timeout: float = 900) -> None:
        seconds, code, peak, err = run_process(argv, env=self.env, timeout=timeout)
        status = "ok" if code in expect else f"exit {code}: {err.strip()[-160:]}"
        self.rows.append({"limit": limit, "at": at, "command": command,
                          "seconds": round(seconds, 2), "peak_rss_mb": round(peak / 2**20),
                          "status": status})
        print(f"{limit:28s} {command:34s} {seconds:7.2f} s {peak / 2**20:7.0f} MB  {status}",
              flush=True)


def scenario_stages(r: Runner) -> None:
    src = long_csv(r.work / "stages.csv", 1000, 4, 4000)
    doc = r.work / "stages.cjm"
    r.run("stages of a map: 1,000", "1 map, 1,000 stages x 4 lanes, 4,000 cards",
          "import CSV -o", _waymark("import", src, "-o", doc, "--force"))
    for name, argv, ok in (("info", _waymark("info", doc), (0,)),
                           ("check", _waymark("check", doc), (0, 1)),
                           ("report", _waymark("report", doc), (0,)),
                           ("export xlsx", _waymark("export", doc, "-o", r.work / "s.xlsx",
                                                    "--force"), (0,)),
                           ("export mmd", _waymark("export", doc, "-o", r.work / "s.mmd",
                                                   "--force"), (0,)),
                           ("export pdf", _waymark("export", doc, "-o", r.work / "s.pdf",
                                                   "--force"), (0,))):
        r.run("stages of a map: 1,000", "", name, argv, ok)
    past = r.work / "stages-past.csv"
    past.write_text("stage,title\n" + "".join(f"s{i},t\n" for i in range(100_000)))
    r.run("stages of a map: 1,000", "100,000 stages (890 KB CSV)", "import refused",
          _waymark("import", past, "-o", r.work / "past.cjm", "--force"), (1,))


def scenario_lanes(r: Runner) -> None:
    src = long_csv(r.work / "lanes.csv", 10, 200, 4000)
    doc = r.work / "lanes.cjm"
    at = "1 map, 10 stages x 200 lanes, 4,000 cards"
    r.run("lanes of a map: 200", at, "import CSV -o",
          _waymark("import", src, "-o", doc, "--force"))
    r.run("lanes of a map: 200", "", "check", _waymark("check", doc), (0, 1))
    r.run("lanes of a map: 200", "", "report", _waymark("report", doc))
    r.run("lanes of a map: 200", "", "export pdf",
          _waymark("export", doc, "-o", r.work / "l.pdf", "--force"))


def scenario_cards(r: Runner) -> None:
    src = long_csv(r.work / "cards.csv", 20, 10, 100_000)
    doc = r.work / "cards.cjm"
    at = "100,000 cards, 20 stages x 10 lanes"
    r.run("cards of a document: 100,000", at, "import CSV -o",
          _waymark("import", src, "-o", doc, "--force"))
    for name, argv, ok in (("info", _waymark("info", doc), (0,)),
                           ("check", _waymark("check", doc), (0, 1)),
                           ("report", _waymark("report", doc), (0,)),
                           ("export csv", _waymark("export", doc, "-o", r.work / "c.csv",
                                                   "--force"), (0,)),
                           ("export pdf", _waymark("export", doc, "-o", r.work / "c.pdf",
                                                   "--force", "--paper", "A0"), (0,))):
        r.run("cards of a document: 100,000", "", name, argv, ok)
    into = r.work / "into.cjm"
    shutil.copyfile(r.work / "stages.cjm", into) if (r.work / "stages.cjm").exists() else None
    if not into.exists():
        r.run("cards of a document: 100,000", "", "new", _waymark("new", into))
    half = long_csv(r.work / "half.csv", 20, 10, 50_000, seed=9)
    r.run("undo step of any size", "50,000 cards in one step (history parts)",
          "import CSV --into", _waymark("import", half, "--into", into))


def scenario_cells(r: Runner) -> None:
    src = long_csv(r.work / "cells.csv", 20, 10, 99_000, extra_columns=42)
    r.run("cells of an import: 5,000,000", "99,000 rows x 50 columns", "import CSV -o",
          _waymark("import", src, "-o", r.work / "cells.cjm", "--force"))
    past = r.work / "commas.csv"
    past.write_bytes(b"stage,title\n" + b"," * 5_000_010 + b"\n")
    r.run("cells of an import: 5,000,000", "5,000,010 empty cells on one line",
          "import refused", _waymark("import", past, "-o", r.work / "x.cjm", "--force"), (1,))


def scenario_personas(r: Runner) -> None:
    src = mermaid_personas(r.work / "people.mmd", 1000)
    doc = r.work / "people.cjm"
    r.run("personas: 1,000", "Mermaid journey, 1,000 actors", "import Mermaid -o",
          _waymark("import", src, "-o", doc, "--force"))
    r.run("personas: 1,000", "", "report", _waymark("report", doc))
    past = mermaid_personas(r.work / "crowd.mmd", 60_000)
    r.run("personas: 1,000", "60,000 actors (1.9 MB)", "import refused",
          _waymark("import", past, "-o", r.work / "x.cjm", "--force"), (1,))


def scenario_maps(r: Runner) -> None:
    src = long_csv(r.work / "maps.csv", 6, 5, 6000, maps=200)
    doc = r.work / "maps.cjm"
    r.run("maps of a document: 200", "200 maps x 6 stages x 5 lanes, 6,000 cards",
          "import CSV -o", _waymark("import", src, "-o", doc, "--force"))
    r.run("maps of a document: 200", "", "info", _waymark("info", doc))
    r.run("maps of a document: 200", "", "export json",
          _waymark("export", doc, "-o", r.work / "m.json", "--force"))


def scenario_links(r: Runner) -> None:
    src = links_json(r.work / "links.json", 20_000, 100_000)
    doc = r.work / "links.cjm"
    r.run("links of a document: 100,000", "20,000 cards, 100,000 links", "import JSON -o",
          _waymark("import", src, "-o", doc, "--force"))
    r.run("links of a document: 100,000", "", "report", _waymark("report", doc))
    r.run("links of a document: 100,000", "", "check", _waymark("check", doc), (0, 1))


def scenario_versions(r: Runner) -> None:
    code = ("import sys\nfrom app.model.document import Document\nfrom app.model import "
            "commands as C\nd = Document.create(sys.argv[1], template='sample', overwrite=True)\n"
            "m = d.data.ordered_maps()[0]\ns, l = d.data.stages_of(m.id)[0].id, "
            "d.data.lanes_of(m.id)[0].id\nfor i in range(500):\n"
            "    d.execute(C.AddCard(s, l, {'title': f'card {i}'}))\n"
            "    d.name_version(f'v{i}')\nd.close()\n")
    doc = r.work / "versions.cjm"
    r.run("named versions: 500", "500 versions of the sample map", "create (500 edits)",
          [sys.executable, "-c", code, str(doc)])
    r.run("named versions: 500", "", "info", _waymark("info", doc))
    r.run("named versions: 500", "", "report --since v0",
          _waymark("report", doc, "--since", "v0"))
    big = r.work / "snapshot.cjm"
    shutil.copyfile(r.work / "cards.cjm", big) if (r.work / "cards.cjm").exists() else None
    if big.exists():
        code = ("import sys\nfrom app.model.document import Document\n"
                "with Document.open(sys.argv[1]) as d: d.name_version('all cards')\n")
        r.run("version content: 64 MB", "a version of the 100,000-card document",
              "name version", [sys.executable, "-c", code, str(big)], (0, 1))
        r.run("version content: 64 MB", "", "report --since",
              _waymark("report", big, "--since", "all cards"), (0, 1))


def scenario_tokens(r: Runner) -> None:
    src = workbook_with_comment(r.work / "comment.xlsx", 190)
    r.run("XML token in an .xlsx: 256 KB", f"190 MB comment ({src.stat().st_size // 1024} "
          "KB file)", "import refused", _waymark("import", src, "-o", r.work / "x.cjm",
                                                 "--force"), (1,))
    cell = '"tired' + " " * 65_000 + '(-1)"'
    grid = r.work / "grid.csv"
    grid.write_text(",A,B,C\nEmotions," + ",".join([cell] * 3) + "\n" * 1, encoding="utf-8")
    r.run("grid cell: 64K characters", "3 emotion cells of 65,000 characters "
          "('tired', spaces, '(-1)')", "import CSV -o",
          _waymark("import", grid, "-o", r.work / "g.cjm", "--force"))


SCENARIOS: dict[str, Callable[[Runner], None]] = {
    "stages": scenario_stages, "lanes": scenario_lanes, "cards": scenario_cards,
    "cells": scenario_cells, "personas": scenario_personas, "maps": scenario_maps,
    "links": scenario_links, "versions": scenario_versions, "tokens": scenario_tokens,
}


def markdown(rows: list[dict[str, object]]) -> str:
    out = ["| limit | input | command | time (s) | peak RSS (MB) | result |",
           "|---|---|---|---:|---:|---|"]
    for row in rows:
        out.append(f"| {row['limit']} | {row['at']} | {row['command']} | {row['seconds']} | "
                   f"{row['peak_rss_mb']} | {row['status']} |")
    return "\n".join(out) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("limits-results.json"))
    parser.add_argument("--table", type=Path)
    parser.add_argument("--only", action="append", choices=sorted(SCENARIOS))
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="waymark-limits-"))
    runner = Runner(work)
    try:
        for name in args.only or list(SCENARIOS):
            SCENARIOS[name](runner)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    args.out.write_text(json.dumps(runner.rows, indent=2) + "\n", encoding="utf-8")
    if args.table:
        args.table.write_text(markdown(runner.rows), encoding="utf-8")
    print(markdown(runner.rows))
    return 0 if all(r["status"] == "ok" for r in runner.rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
