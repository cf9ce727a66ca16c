"""What every case shares in one run: the plan, a work folder, generated maps and files."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from app.model.schema import DocumentData
from benchmarks.generate import generate_size, write_cjm
from benchmarks.harness import Plan


@dataclass
class Context:
    """Generated documents are made once per run and reused by every case."""

    work: Path
    plan: Plan
    quick: bool
    _data: dict[str, DocumentData] = field(default_factory=dict)
    _files: dict[str, Path] = field(default_factory=dict)

    def data(self, size: str) -> DocumentData:
        """The synthetic document of a named size (see ``generate.SIZES``)."""
        if size not in self._data:
            self._data[size] = generate_size(size)
        return self._data[size]

    def map_id(self, size: str) -> int:
        """The id of the one map in that document."""
        return next(iter(self.data(size).maps))

    def cjm(self, size: str) -> Path:
        """A pristine ``.cjm`` of that size; callers that edit must use :meth:`copy`."""
        if size not in self._files:
            self._files[size] = write_cjm(self.data(size), self.work / f"map-{size}.cjm")
        return self._files[size]

    def copy(self, size: str, name: str) -> Path:
        """A fresh copy of the ``.cjm`` of that size, safe to edit."""
        dest = self.work / name
        shutil.copyfile(self.cjm(size), dest)
        return dest

    def sizes(self, full: tuple[str, ...], quick: tuple[str, ...] | None = None
              ) -> tuple[str, ...]:
        """The sizes a case runs: ``full`` normally, ``quick`` (default 100/1,000) when quick."""
        if not self.quick:
            return full
        return quick if quick is not None else tuple(s for s in full if s in ("100", "1000"))
