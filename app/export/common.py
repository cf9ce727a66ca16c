"""What every exporter shares: options, progress and cancellation, atomic writes."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from app import tempfiles
from app.errors import Cancelled, ExportError
from app.filemode import give_mode
from app.layout.logo import Logo
from app.layout.paper import Paper, parse_paper

#: progress(fraction 0..1, message) -- shown as a progress bar or a CLI line.
Progress = Callable[[float, str], None]


@dataclass
class ExportOptions:
    """Choices for one export; defaults make an A1 landscape poster."""

    paper: Paper = field(default_factory=lambda: parse_paper("A1", "landscape"))
    orientation: str = "landscape"  # "landscape", "portrait" or "auto" (the larger text)
    dpi: int = 150  # PNG only, 72..600
    transparent: bool = False  # PNG only
    bleed: float = 0.0  # points, PDF only
    crop_marks: bool = False  # PDF only
    tile: Paper | None = None  # PDF only: print the poster on these sheets
    overlap: float = 10 * 72 / 25.4  # tiling overlap, points
    fix_contrast: bool = False  # repair colours that fail WCAG before drawing
    distance_m: float | None = None  # viewing distance D; None = the sheet's default
    # Role -> reading distance in metres overriding the rule's default (3 D, 2 D, D, D/2,
    # in the hand): keys "title", "stage", "label", "body", "footer".
    role_distances: dict[str, float] = field(default_factory=dict)
    margin: float | None = None  # page margin in points; None = 2 % of the short side, >= 8 mm
    background: str | None = None  # page colour '#rrggbb'; None = the style's (white)
    # What of the map to print (names, case-insensitive): one phase, some stages, some lanes.
    phase: str | None = None
    fit: str = "page"  # "page", "width" (the height follows the map) or "height"
    all_maps: bool = False  # PDF only: every map of the document, a page per map
    brand_colour: str | None = None  # '#rrggbb': stage headers and phase bands in it
    logo: Logo | None = None  # the brand logo at the start of the title block
    stages: tuple[str, ...] = ()
    stage_ids: tuple[int, ...] = ()  # only these stages (one sheet of --split-stages)
    lanes: tuple[str, ...] = ()
    version: str = ""  # shown in the title block
    author: str = ""
    heat_metric: str | None = None  # colour cards by this metric (--heat)
    funnel_metric: str | None = None  # funnel band under the grid (--funnel)
    show_evidence: bool = False  # evidence coverage per stage (--evidence)
    dim_assumptions: bool = False  # lighter, dashed assumption cards (--dim-assumptions)
    insights: bool = False  # PDF only: append the report as an insights page (--insights)
    embed_fonts: bool = True  # SVG only: the faces used, subset, as @font-face data
    progress: Progress | None = None
    is_cancelled: Callable[[], bool] | None = None

    def report(self, fraction: float, message: str) -> None:
        """Report progress, then stop with :class:`Cancelled` if the user asked."""
        if self.progress is not None:
            self.progress(max(0.0, min(1.0, fraction)), message)
        if self.is_cancelled is not None and self.is_cancelled():
            raise Cancelled("export cancelled; nothing was written")


@contextlib.contextmanager
def atomic_output(path: str | Path, *, force: bool) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it into place only on success.

    Refuses to replace an existing file unless ``force``. On any error (or
    cancellation) the temporary file is removed and the destination is untouched.
    """
    dest = Path(path)
    if dest.exists() and not force:
        raise ExportError(f"{dest} already exists (use --force to overwrite it)")
    if dest.is_dir():
        raise ExportError(f"{dest} is a folder")
    parent = dest.parent if str(dest.parent) else Path(".")
    if not parent.is_dir():
        raise ExportError(f"the folder {parent} does not exist")
    tempfiles.sweep_siblings(dest)  # parts a killed export left (ours only, by pid)
    try:
        tmp = tempfiles.sibling(dest, ".part")
    except OSError as err:
        raise ExportError(f"cannot write in {parent}: {err.strerror}") from None
    try:
        yield tmp
        give_mode(tmp, dest)  # mkstemp made it 0600; the file follows the umask
        os.replace(tmp, dest)
    except OSError as err:
        raise ExportError(f"cannot write {dest}: {err.strerror or err}") from None
    finally:
        if tmp.exists():
            tmp.unlink()
