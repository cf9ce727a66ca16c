"""Child process for the fault tests: Save As or export in a loop until killed."""

from __future__ import annotations

import sys
from pathlib import Path

from app.export.common import ExportOptions
from app.export.pdf import export_pdf
from app.layout import parse_paper
from app.model.document import Document


def main(mode: str, source: Path, dest: Path) -> None:
    doc = Document.open(source, read_only=True)
    print("ready", flush=True)
    while True:
        if mode == "save":
            doc.save_as(dest, switch=False)
        else:
            export_pdf(doc.data, doc.data.ordered_maps()[0].id, dest,
                       ExportOptions(paper=parse_paper("A1", "landscape")), force=True)


def run(mode: str, source: str, dest: str) -> None:
    """Entry point from the command line or tests/forkserver.py."""
    main(mode, Path(source), Path(dest))


if __name__ == "__main__":
    run(*sys.argv[1:4])
