"""Every format Waymark exports, declared once: its key, label, file suffixes, kind and
what it can do.

The CLI (``waymark export``), the export dialog and the settings read this table: the
dialog lists its entries and enables the options an exporter has (``caps``), the CLI
refuses an option the chosen exporter lacks, and :mod:`app.export.service` runs the
entry's ``target``. A new exporter is one module with an ``export_*`` function of the
poster signature (``data, map_id, path, options, *, force, layout``) and one entry here.

Targets are named, not imported: they load on first use. The CLI's PDF and data
exports never import Qt, and the PNG renderer (:mod:`app.render.png`) stands on the
floor above this one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any, Literal

#: Capabilities an exporter may have (the options it honours).
TILE = "tile"  # print the poster on several smaller sheets
BLEED = "bleed"  # extend the background past the trim
CROP_MARKS = "crop_marks"  # marks where to cut
INSIGHTS = "insights"  # a last page with the report
DPI = "dpi"  # a chosen resolution
TRANSPARENT = "transparent"  # no page background
EMBED_FONTS = "embed_fonts"  # the faces used go into the file
ALL_MAPS = "all_maps"  # a data file that holds every map of the document
CAPABILITIES = (TILE, BLEED, CROP_MARKS, INSIGHTS, DPI, TRANSPARENT, EMBED_FONTS, ALL_MAPS)

Kind = Literal["poster", "data"]


@dataclass(frozen=True)
class Exporter:
    """One export format."""

    key: str
    label: str
    #: File suffixes it writes, the one it adds first.
    suffixes: tuple[str, ...]
    kind: Kind
    caps: frozenset[str]
    #: ``module:function`` that writes the file, imported on first use.
    target: str

    @property
    def suffix(self) -> str:
        """The suffix added to a file name that has none."""
        return self.suffixes[0]

    @property
    def poster(self) -> bool:
        """True for a drawing of a map (paper, orientation, distance, preflight)."""
        return self.kind == "poster"

    def can(self, cap: str) -> bool:
        """Whether the exporter honours the option ``cap`` (one of CAPABILITIES)."""
        return cap in self.caps

    def load(self) -> Callable[..., Any]:
        """The function that writes the file (looked up at each call, so it can be
        wrapped for a test)."""
        module, _, name = self.target.partition(":")
        return getattr(import_module(module), name)


def _entry(key: str, label: str, suffixes: tuple[str, ...], kind: Kind, caps: tuple[str, ...],
           target: str) -> Exporter:
    return Exporter(key, label, suffixes, kind, frozenset(caps), target)


_DATA = "app.interchange.formats:export_data"

#: In the order the export dialog offers them.
EXPORTERS: tuple[Exporter, ...] = (
    _entry("pdf", "PDF poster", (".pdf",), "poster", (TILE, BLEED, CROP_MARKS, INSIGHTS),
           "app.export.pdf:export_pdf"),
    _entry("png", "PNG image", (".png",), "poster", (DPI, TRANSPARENT),
           "app.render.png:export_png"),
    _entry("svg", "SVG drawing", (".svg",), "poster", (TRANSPARENT, EMBED_FONTS),
           "app.export.svg:export_svg"),
    _entry("csv", "CSV table (one row per card)", (".csv",), "data", (ALL_MAPS,), _DATA),
    _entry("xlsx", "Excel workbook", (".xlsx",), "data", (ALL_MAPS,), _DATA),
    _entry("json", "Waymark JSON", (".json",), "data", (ALL_MAPS,), _DATA),
    _entry("mmd", "Mermaid journey", (".mmd", ".mermaid"), "data", (), _DATA),
    _entry("md", "Markdown table", (".md",), "data", (ALL_MAPS,), _DATA),
)
KEYS = tuple(e.key for e in EXPORTERS)
_BY_KEY = {e.key: e for e in EXPORTERS}
_BY_SUFFIX = {s: e for e in EXPORTERS for s in e.suffixes}


def by_key(key: str) -> Exporter:
    """The exporter called ``key`` (KeyError for an unknown one)."""
    return _BY_KEY[key]


def for_suffix(suffix: str) -> Exporter | None:
    """The exporter that writes files ending in ``suffix`` ('.PDF' too), or None."""
    return _BY_SUFFIX.get(suffix.lower())


def suffixes() -> tuple[str, ...]:
    """Every suffix Waymark exports, posters first."""
    return tuple(_BY_SUFFIX)


def with_cap(cap: str) -> tuple[Exporter, ...]:
    """The exporters that have ``cap``."""
    return tuple(e for e in EXPORTERS if e.can(cap))
