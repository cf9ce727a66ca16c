"""The waymark command: new, info, errors as one line, exit codes, no Qt for CLI work."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from app.model.tables import SCHEMA_VERSION
from tests.made import new_document

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)


def test_new_then_info_json_shows_template(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "m.cjm"
    assert main(["new", str(path), "--template", "b2c"]) == 0
    capsys.readouterr()
    assert main(["info", str(path), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    first = info["maps"][0]
    assert first["stages"] == ["Awareness", "Consideration", "Purchase", "Retention", "Advocacy"]
    assert {"touchpoints", "emotions", "pain_points"} <= {lane["kind"] for lane in first["lanes"]}
    assert info["schema_version"] == SCHEMA_VERSION and info["history_depth"] == 0


def test_b2b_and_sample_templates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", str(tmp_path / "b.cjm"), "--template", "b2b"]) == 0
    assert main(["new", str(tmp_path / "s.cjm"), "--template", "sample"]) == 0
    capsys.readouterr()
    main(["info", str(tmp_path / "b.cjm"), "--json"])
    b2b = json.loads(capsys.readouterr().out)["maps"][0]
    assert b2b["stages"][:4] == ["Inquiry", "Comparison", "Purchase", "Installation"]
    main(["info", str(tmp_path / "s.cjm")])
    text = capsys.readouterr().out
    assert "cards" in text and "stages" in text


def test_user_errors_are_one_line_exit_1(tmp_path: Path) -> None:
    (tmp_path / "photo.cjm").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 300)
    for args in (["info", str(tmp_path / "photo.cjm")], ["info", str(tmp_path / "none.cjm")]):
        result = run(*args)
        assert result.returncode == 1
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("waymark: ")
        assert "Traceback" not in result.stderr
    existing = tmp_path / "x.cjm"
    assert run("new", str(existing)).returncode == 0
    again = run("new", str(existing))
    assert again.returncode == 1 and "already exists" in again.stderr


def test_usage_errors_exit_2() -> None:
    result = run("new")
    assert result.returncode == 2
    assert run("new", "x.cjm", "--template", "nope").returncode == 2


def test_version_does_not_import_qt() -> None:
    code = ("import sys; from app.cli import main; main(['--version']); "
            "print('PySide6' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, timeout=60)
    lines = result.stdout.splitlines()
    assert lines[0] == "waymark 0.1.0 (MIT licence)"
    assert lines[1].startswith("PySide6 6.") and "LGPL" in lines[1]
    assert any("DejaVu" in line for line in lines)
    assert lines[-1] == "False"


def test_json_export_from_cli_keeps_images(tmp_path: Path) -> None:
    import io

    from PIL import Image

    from app.interchange.formats import import_file
    from app.model import commands as C

    out = io.BytesIO()
    Image.new("RGB", (20, 10), "navy").save(out, "PNG")
    path = tmp_path / "img.cjm"
    with new_document(path, "sample") as doc:
        digest = doc.add_blob(out.getvalue(), "image/png")
        card = next(iter(doc.data.cards))
        doc.execute(C.UpdateCard(card, {"image": digest}))
    assert main(["export", str(path), "-o", str(tmp_path / "m.json"), "--quiet"]) == 0
    result = import_file(tmp_path / "m.json")
    assert digest in result.blobs and result.blobs[digest].data == out.getvalue()


def test_output_piped_into_a_reader_that_stops_early_is_not_a_traceback(tmp_path: Path) -> None:
    """`waymark --version | head -1`: the closed pipe ends the command quietly."""
    # Versions until the pipe closes: main then points stdout at /dev/null, and the loop
    # ends there (the interpreter's final flush must stay quiet too).
    proc = subprocess.Popen([sys.executable, "-c",
                             "import os; from app.cli import main\n"
                             "null = os.stat(os.devnull)\n"
                             "for _ in range(2000):\n"
                             "    main(['--version'])\n"
                             "    if os.path.samestat(os.fstat(1), null):\n"
                             "        break\n"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # the reader goes away, as `head -1` does
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert first.startswith(b"waymark ")
    assert "Traceback" not in err and "BrokenPipeError" not in err


def test_counts_of_one_read_as_english(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A map of one lane, one card and one stage as a person would start it: the summary
    lines say "1 card", not "1 cards", on the command line and in the report."""
    src = tmp_path / "one.csv"
    src.write_text("stage,lane,title\nbuy,pain points,2 hour queue at check-in\n", encoding="utf-8")
    out = tmp_path / "one.cjm"
    assert main(["import", str(src), "-o", str(out)]) == 0
    assert "(1 stage, 1 lane, 1 card)" in capsys.readouterr().out
    assert main(["info", str(out)]) == 0
    info = capsys.readouterr().out
    assert ": 1 stage, 1 lane, 1 card, 0 links" in info, info
    assert main(["report", str(out)]) == 0
    assert ": 1 stage, 1 card" in capsys.readouterr().out
