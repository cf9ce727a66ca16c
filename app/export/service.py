"""The one way an export runs, for ``waymark export`` and for File > Export… alike.

No Qt and no document: a front end hands over the content (a snapshot), the map, the
target file and :class:`~app.export.common.ExportOptions`, and gets back what was
written. The CLI calls :func:`export_poster` and :func:`write_data` directly (it has
already composed the map for its preflight); the dialog's worker thread runs an
:class:`ExportJob` with :func:`run_job`. Both describe the result with :func:`summary`.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.errors import Cancelled, ExportError
from app.export import registry
from app.export.common import ExportOptions, atomic_output
from app.export.registry import Exporter
from app.layout.caches import LayoutCache, owner
from app.layout.paper import parse_paper
from app.model.schema import Blob, DocumentData

if TYPE_CHECKING:
    from app.layout.boxes import MapLayout
    from app.layout.compose import Composition

#: The flags of the print-shop options, by capability (the CLI's names).
FLAGS = {registry.TILE: "--tile", registry.BLEED: "--bleed",
         registry.CROP_MARKS: "--crop-marks", registry.INSIGHTS: "--insights"}


@dataclass
class ExportJob:
    """One export as a front end describes it: no Qt widgets, no document."""

    fmt: str  # a registry key
    map_id: int | None  # None: every map (data formats that hold them all)
    path: Path
    paper: str = "A1"  # a paper name, or "auto": the smallest sheet that prints legibly
    options: ExportOptions = field(default_factory=ExportOptions)
    overwrite: bool = False
    #: The document's fonts (an :class:`app.layout.fontset.FontSet`, e.g. its window's
    #: ``MapScene.fonts``): the job lays out and draws with them. None: the process default.
    fonts: Any = None

    @property
    def exporter(self) -> Exporter:
        """The registry entry of the job's format."""
        return registry.by_key(self.fmt)


def check_options(exporter: Exporter, options: ExportOptions) -> None:
    """Refuse print-shop options the exporter does not honour (one line naming them)."""
    used = {registry.TILE: options.tile is not None, registry.BLEED: bool(options.bleed),
            registry.CROP_MARKS: options.crop_marks, registry.INSIGHTS: options.insights}
    if any(on and not exporter.can(cap) for cap, on in used.items()):
        flags = list(FLAGS.values())
        owners = sorted({e.key.upper() for cap in FLAGS for e in registry.with_cap(cap)})
        raise ExportError(f"{', '.join(flags[:-1])} and {flags[-1]} apply to "
                          f"{' and '.join(owners)} output only")


def auto_paper(data: DocumentData, map_id: int, options: ExportOptions) -> None:
    """Set ``options.paper`` to the smallest standard sheet on which the composed map
    passes the legibility rule (A0 landscape when none does)."""
    from app.export.preflight import smallest_sheet

    found = smallest_sheet(data, map_id, options)
    if found is None:
        options.paper = parse_paper("A0", "landscape")
        return
    name, orient = found.rsplit(" ", 1)
    options.paper = parse_paper(name, orient)
    if options.orientation == "auto":
        options.orientation = orient


def export_poster(exporter: Exporter, data: DocumentData, map_id: int, path: Path,
                  options: ExportOptions, *, force: bool,
                  composition: Composition | None = None,
                  cache: LayoutCache | None = None) -> tuple[MapLayout, Composition]:
    """Compose the map for the options' paper (unless ``composition`` is given) and write
    it with ``exporter``; returns the page drawn and its composition. ``cache``: the
    job's layout cache (None: the one bound for the job, or a fresh one)."""
    from app.export.prepare import compose_for

    if not exporter.poster:
        raise ExportError(f"{exporter.label} is not a poster format")
    check_options(exporter, options)
    cache = owner(cache)
    with cache.measuring():  # the drawing measures text too
        comp = (composition if composition is not None
                else compose_for(data, map_id, options, cache=cache))
        lay = exporter.load()(data, map_id, path, options, force=force, layout=comp.layout)
    return lay, comp


def write_data(data: DocumentData, map_id: int | None, path: Path, *, force: bool,
               blob_lookup: Callable[[str], Blob | None] | None = None,
               cancelled: Callable[[], bool] | None = None) -> Path:
    """Write a data file (CSV, XLSX, JSON, Mermaid, Markdown), atomically.

    With ``cancelled`` (a worker thread), the file is staged inside
    :func:`~app.export.common.atomic_output`, so a Cancel even after writing leaves
    nothing behind.
    """
    from app.interchange.formats import export_data

    if cancelled is None:  # the data exporters write atomically themselves
        return export_data(data, map_id, path, force=force, blob_lookup=blob_lookup)

    def check() -> None:
        if cancelled():
            raise Cancelled("export cancelled; nothing was written")

    check()
    with atomic_output(path, force=force) as tmp:
        staged = tmp.with_name(tmp.name + path.suffix)
        try:
            export_data(data, map_id, staged, force=True, blob_lookup=blob_lookup)
            check()
            os.replace(staged, tmp)
        finally:
            with contextlib.suppress(OSError):
                staged.unlink()
    return path


def summary(options: ExportOptions, lay: MapLayout, comp: Composition | None = None) -> str:
    """What a poster export wrote, in words: sheet, orientation, tiling, scale, smallest
    text ("A1 landscape tiled on A4, every text role at 1.20x its need, smallest text 9.0
    pt")."""
    what = f"{options.paper.name} {'landscape' if lay.width > lay.height else 'portrait'}"
    if options.tile is not None:
        what += f" tiled on {options.tile.name}"
    if comp is not None:
        what += f", every text role at {comp.scale:.2f}x its need"
    return f"{what}, smallest text {lay.min_size:.1f} pt"


def run_job(data: DocumentData, job: ExportJob, blobs: dict[str, Blob],
            progress: Callable[[float | None, str], Any], cancelled: Callable[[], bool]
            ) -> str:
    """Run ``job`` (on a worker thread); returns the one-line summary for the status bar.

    The job lays out with a :class:`~app.layout.caches.LayoutCache` of its own, made and
    used on this thread: it never shares entries with (or empties) a canvas's cache. It
    carries the job's fonts, so the file is set in its document's poster font whatever
    another window uses."""
    exporter = job.exporter
    if exporter.poster:
        assert job.map_id is not None
        opts = job.options
        opts.progress = progress
        opts.is_cancelled = cancelled
        opts.report(0.0, "laying out")
        cache = LayoutCache(f"export {job.path.name}", fonts=job.fonts)
        with cache.measuring():
            if job.paper == "auto":
                auto_paper(data, job.map_id, opts)
            lay, comp = export_poster(exporter, data, job.map_id, job.path, opts,
                                      force=job.overwrite, cache=cache)
        return f"Exported {job.path.name} ({summary(opts, lay, comp)})"
    progress(None, "writing")
    write_data(data, job.map_id, job.path, force=job.overwrite, blob_lookup=blobs.get,
               cancelled=cancelled)
    progress(1.0, "done")
    return f"Exported {job.path.name}"


def frozen_snapshot(doc: Any) -> DocumentData:
    """The document's content for a worker thread, taken on the GUI thread in microseconds.

    Every edit replaces the row objects it changes (State.apply builds new rows, commands
    use ``model_copy``) and never mutates one in place, so sharing the rows is safe; the
    tables themselves are fresh dicts, so later edits cannot change what the worker sees.
    A deep copy (``Document.snapshot``) of 10,000 cards takes ~0.6 s on the GUI thread.
    """
    data = doc.data
    return DocumentData.model_construct(
        **{name: dict(getattr(data, name)) for name in DocumentData.model_fields})


def referenced_blobs(doc: Any, data: DocumentData) -> dict[str, Blob]:
    """The images a JSON export carries, read from the document (on its thread)."""
    from app.interchange.json_io import referenced_blobs as digests

    out: dict[str, Blob] = {}
    for digest in digests(data):
        blob = doc.blob(digest)
        if blob is not None:
            out[digest] = blob
    return out


def latest_version(doc: Any) -> str:
    """The name of the document's latest named version ('' if none)."""
    from app.errors import WaymarkError

    try:
        versions = doc.versions()
    except WaymarkError:
        return ""
    return max(versions, key=lambda v: (v.created, v.id)).name if versions else ""
