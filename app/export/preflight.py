"""Preflight: every legibility and structure rule checked on the poster as it prints.

It measures the composed layout the exporter draws (one source:
:func:`app.export.prepare.compose_for`). Rules (``Problem.rule``):

* ``text-size`` -- a text role printed smaller than the rule asks for its reading
  distance (cap height >= distance / 200, per role: title 3 D, stage headers 2 D,
  labels and card titles D, bodies D / 2 never below 8 pt, footer 6 pt; see
  :mod:`app.layout.legibility`). The first such problem names the ways out, each
  checked by composing it: the smallest standard sheet that passes at its default
  distance, this sheet read from closer, a split by phase, a tiled poster.
* ``small-map`` -- the map is small for the sheet: it is not blown up past 3x its
  needs, and the note names the smallest sheet it fills (info).
* ``contrast`` -- text under 4.5:1 (3:1 when large) or a card border, marker
  or the emotion curve under 3:1 against what it sits on (WCAG 2.2).
* ``overflow`` -- a text line wider than its card, or a card taller than the page.
* ``title-overflow`` -- a card title longer than its line bound continues in the body (info).
* ``empty-stage``, ``unbalanced``, ``orphan`` -- structure.
* ``glyphs`` -- characters the poster font cannot print.
* ``evidence`` -- a research finding, not a print fault: a stage resting on
  assumptions only. Reported apart (``Problem.research``); it fails ``waymark
  check`` only with ``--fail-on-research``.

Print errors and warnings fail ``waymark check`` (exit 1); infos and research findings
do not.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Literal

from app.errors import WaymarkError
from app.export import split
from app.export.common import ExportOptions
from app.export.prepare import compose_for, poster_distance, trial_passes
from app.layout.boxes import MapLayout
from app.layout.caches import one_job
from app.layout.compose import Composition
from app.layout.legibility import CAP_RATIO, ROLE_LABELS, role_sizes_printed
from app.layout.paper import MM, PAPERS, Paper, parse_paper
from app.layout.rules import GRAPHICS_CONTRAST, contrast_ratio, required_contrast
from app.layout.style import Style
from app.model.schema import DocumentData

Severity = Literal["error", "warning", "info"]

#: Rules that report research findings, not print faults.
RESEARCH_RULES = frozenset({"evidence"})


@dataclass(frozen=True)
class Problem:
    """One rule violation, with the card, stage or lane it concerns."""

    rule: str
    severity: Severity
    message: str
    card_id: int | None = None
    stage_id: int | None = None
    lane_id: int | None = None
    #: Ways out, each a set of ``waymark check``/``export`` options that passes.
    suggestions: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict:
        """JSON-ready form."""
        d = asdict(self)
        d["suggestions"] = list(self.suggestions)
        d["research"] = self.research
        return d

    @property
    def research(self) -> bool:
        """A research finding (reported apart from print faults)."""
        return self.rule in RESEARCH_RULES

    @property
    def fails(self) -> bool:
        """True for print errors and warnings (they make ``waymark check`` exit 1)."""
        return self.severity != "info" and not self.research


def distance_for(paper: Paper, distance_m: float | None) -> float:
    """The viewing distance D to use: the user's, else the sheet's default."""
    return poster_distance(paper, distance_m)


#: Standard sheets a way out may name (ISO and US), smallest first.
STANDARD_SHEETS = ("A4", "LETTER", "A3", "TABLOID", "A2", "ARCH C", "A1", "ARCH D", "A0",
                   "ARCH E")


def _sheet_name(key: str) -> str:
    return key if key.startswith(("A", "ARCH")) else key.title()


def _passes(data: DocumentData, map_id: int, options: ExportOptions, style: Style | None
            ) -> Composition | None:
    return trial_passes(data, map_id, options, style)


@one_job  # the sheets tried share one layout cache (the caller's, or the search's own)
def smallest_sheet(data: DocumentData, map_id: int, options: ExportOptions,
                   style: Style | None = None, *, fill: bool = False) -> str | None:
    """The smallest standard sheet, with its orientation, on which the map passes at that
    sheet's default distance ('A2 landscape'); ``fill``: the smallest it fills without
    being held at 3x (for a small map). None when none does."""
    for key in STANDARD_SHEETS:
        short, long = PAPERS[key]
        for turn in ("landscape", "portrait"):
            paper = Paper(_sheet_name(key), short, long).oriented(turn)
            trial = replace(options, paper=paper, orientation=turn, distance_m=None,
                            tile=None)
            c = _passes(data, map_id, trial, style)
            if c is not None and (not fill or not c.capped):
                return f"{paper.name} {turn}"
    return None


def ways_out(data: DocumentData, map_id: int, options: ExportOptions, comp: Composition,
             style: Style | None = None) -> tuple[str, ...]:
    """Options that make a failing map pass, in order, each checked by composing it."""
    out: list[str] = []
    sheet = smallest_sheet(data, map_id, options, style)
    if sheet is not None:
        name, turn = sheet.rsplit(" ", 1)
        out.append(f"--paper {_quote(name)} --orientation {turn}")
    paper = comp.paper
    turn = "landscape" if paper.landscape else "portrait"
    d = comp.distances.poster
    closer = _floor_to(d * comp.scale, 0.05)
    while closer >= 0.3:
        trial = replace(options, paper=paper, orientation=turn, distance_m=closer)
        if _passes(data, map_id, trial, style) is not None:
            out.append(f"--paper {_paper_arg(paper)} --orientation {turn} "
                       f"--distance {closer:g}m")
            break
        closer = round(closer - 0.05, 2)
    phases = _phases(data, map_id)
    by_phase = False
    if len(phases) > 1:
        by_phase = all(_passes(data, map_id, replace(options, paper=paper, orientation=turn,
                                                     phase=ph), style) is not None
                       for ph in phases)
        if by_phase:
            out.append(" / ".join(f"--phase {_quote(ph)}" for ph in phases)
                       + f" (one {_paper_arg(paper)} sheet per phase)")
    if not by_phase and not (options.stage_ids or options.phase or options.stages):
        # no phases that fit: the stages split onto sheets of this size or the next ISO
        # sizes up (several ordinary sheets instead of one huge tiled poster)
        found = _split_way(data, map_id, options, paper, turn, d, style)
        if found is not None:
            sheet, groups = found
            far = "" if sheet is paper else f" --distance {d:g}m"
            out.append(f"--paper {_paper_arg(sheet)} --orientation {turn}{far} --split-stages "
                       f"{len(groups)} ({len(groups)} {_paper_arg(sheet)} sheets: "
                       f"{split.describe(data, groups)})")
    grow = 1.0 / max(comp.scale, 1e-3)
    for _ in range(6):
        w = int(-(-(paper.width * grow) // (10 * MM))) * 10
        h = int(-(-(paper.height * grow) // (10 * MM))) * 10
        try:
            custom = parse_paper(f"{w}x{h}mm", turn)
        except WaymarkError:  # past the largest sheet a plotter takes (200 in): no way out
            break
        trial = replace(options, paper=custom, orientation=turn, distance_m=d)
        if _passes(data, map_id, trial, style) is not None:
            tile = "A4" if custom.width * custom.height > 2 * PAPERS["A4"][0] * PAPERS["A4"][1] \
                else None
            out.append(f"--paper {w}x{h}mm --distance {d:g}m"
                       + (f" --tile {tile}" if tile else ""))
            break
        grow *= 1.08
    return tuple(out)


def _split_way(data: DocumentData, map_id: int, options: ExportOptions, paper: Paper,
               turn: str, distance: float, style: Style | None
               ) -> tuple[Paper, list[tuple[int, ...]]] | None:
    """The first of this sheet and the ISO A sizes above it (up to A0) on which the map's
    stages split onto at most :data:`~app.export.split.MAX_SHEETS` sheets that all pass
    read from the same ``distance`` (metres: the reader walks along the sheets), with
    those groups."""
    sheets = [paper]
    for key in ("A3", "A2", "A1", "A0"):
        short, long = PAPERS[key]
        if short * long > paper.width * paper.height * 1.01:
            sheets.append(Paper(key, short, long).oriented(turn))
    for sheet in sheets:
        trial = replace(options, paper=sheet, orientation=turn, distance_m=distance,
                        tile=None)
        groups = split.passing_split(data, map_id, trial, style)
        if groups is not None:
            return sheet, groups
    return None


def _paper_arg(paper: Paper) -> str:
    """``--paper`` value naming this sheet: its standard name, else its size in mm."""
    key = paper.name.strip().upper()
    if key in PAPERS:
        return _quote(paper.display_name)
    return f"{round(paper.width / MM)}x{round(paper.height / MM)}mm"


def _quote(name: str) -> str:
    return f'"{name}"' if " " in name else name


def _floor_to(value: float, step: float) -> float:
    return round(int(value / step + 1e-9) * step, 2)


def _phases(data: DocumentData, map_id: int) -> list[str]:
    names: list[str] = []
    for s in data.stages_of(map_id):
        ph = s.phase.strip()
        if ph and ph not in names:
            names.append(ph)
    return names


@one_job
def run_preflight(data: DocumentData, map_id: int, paper: Paper | str = "A1",
                  distance_m: float | None = None, *, options: ExportOptions | None = None,
                  style: Style | None = None, composition: Composition | None = None,
                  suggest: bool = True) -> list[Problem]:
    """Every problem of one map printed on ``paper`` and read from ``distance_m`` metres.

    The rules read the composed page layout, exactly what the exporter draws.
    ``composition``: the map's composition when the caller has it (``waymark export``).
    ``suggest``: look for the ways out of a size failure (composes a few alternatives).
    """
    options = replace(options) if options is not None else ExportOptions()
    if isinstance(paper, str):
        paper = parse_paper(paper, options.orientation if options.orientation != "auto"
                            else "landscape")
    options.paper = paper
    if distance_m is not None:
        options.distance_m = distance_m
    comp = composition or compose_for(data, map_id, options, style)
    lay = comp.layout
    problems: list[Problem] = []
    problems += _size(data, map_id, options, comp, style, suggest)
    problems += _contrast(lay, 1.0)
    problems += _overflow(lay, comp)
    problems += _structure(data, map_id, lay)
    problems += _glyphs(lay)
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(problems, key=lambda p: (p.research, order[p.severity]))


def role_report(comp: Composition) -> list[dict]:
    """Per role: printed size, needed size, distance, and whether it passes."""
    printed = role_sizes_printed(comp.layout)
    out = []
    for role, need in comp.needs.items():
        if role not in printed:
            continue
        out.append({"role": role, "label": ROLE_LABELS[role], "printed_pt": round(printed[role], 2),
                    "need_pt": round(need, 2), "distance_m": comp.distances.of(role),
                    "ok": printed[role] >= need - 1e-6})
    return out


def _size(data: DocumentData, map_id: int, options: ExportOptions, comp: Composition,
          style: Style | None, suggest: bool) -> list[Problem]:
    """The rule per role, measured on the printed layout."""
    out: list[Problem] = []
    sheet = comp.paper.label()
    failing = [r for r in role_report(comp) if not r["ok"]]
    for i, r in enumerate(failing):
        msg = (f"{r['label']} printed at {r['printed_pt']:.1f} pt on {sheet}, below the "
               f"{r['need_pt']:.1f} pt whose cap height reads from {r['distance_m']:g} m "
               f"(cap height >= distance / {CAP_RATIO:g})")
        found: tuple[str, ...] = ()
        if i == 0:
            found = ways_out(data, map_id, options, comp, style) if suggest else ()
            if found:
                msg += "; ways out: " + "; or ".join(found)
            elif suggest:
                msg += "; no standard sheet, distance, split or tiling found: shorten the text"
        out.append(Problem("text-size", "error", msg, suggestions=found))
    if not failing and comp.capped:
        fill = smallest_sheet(data, map_id, options, style, fill=True) if suggest else None
        where = f"; it would fill {fill}" if fill and not fill.startswith(
            comp.paper.name + " ") else ""
        out.append(Problem(
            "small-map", "info",
            f"the map is small for {sheet}: every role prints at {comp.scale:.1f}x its need "
            f"(held there, not blown up){where}",
            suggestions=(f"--paper {_quote(fill.rsplit(' ', 1)[0])} --orientation "
                         f"{fill.rsplit(' ', 1)[1]}",) if where and fill else ()))
    return out


def _contrast(lay: MapLayout, s: float) -> list[Problem]:
    """Contrast rules; ``s`` scales the layout's text sizes to printed sizes."""
    out: list[Problem] = []
    need_of: dict[tuple[float, bool], float] = {}

    def need_for(size: float, bold: bool) -> float:
        key = (size, bold)
        need = need_of.get(key)
        if need is None:
            need = need_of[key] = required_contrast(size * s, bold)
        return need

    for st in lay.stages:
        for t in st.lines[:1]:
            need = need_for(t.size_pt, True)
            ratio = contrast_ratio(t.colour, st.fill)
            if ratio < need:
                out.append(Problem("contrast", "error",
                                   f"stage header text {t.colour} on {st.fill} has contrast "
                                   f"{ratio:.2f}:1, needs {need:g}:1", stage_id=st.stage_id))
    for card in lay.cards.values():
        seen = False
        last = None
        for t in (*card.title_lines, *card.body_lines):
            key = (t.colour, t.size_pt, t.font)
            if key == last:  # lines of a paragraph share colour, size and font
                continue
            last = key
            need = need_for(t.size_pt, t.font.startswith("bold"))
            ratio = contrast_ratio(t.colour, card.fill)
            if ratio < need and not seen:
                seen = True
                out.append(Problem("contrast", "error",
                                   f"card text {t.colour} on {card.fill} has contrast "
                                   f"{ratio:.2f}:1, needs {need:g}:1 (export with "
                                   f"--fix-contrast to repair)", card_id=card.card_id))
        for b in card.badges:
            if b.text is None:
                continue
            bg = b.fill or card.fill
            need = need_for(b.text.size_pt, b.text.font.startswith("bold"))
            ratio = contrast_ratio(b.text.colour, bg)
            if ratio < need:
                out.append(Problem("contrast", "error",
                                   f"{b.kind} label on a card has contrast {ratio:.2f}:1, needs "
                                   f"{need:g}:1", card_id=card.card_id))
        ratio = contrast_ratio(card.border, lay.background)
        if ratio < GRAPHICS_CONTRAST:
            out.append(Problem("contrast", "warning",
                               f"card border {card.border} has contrast {ratio:.2f}:1 against "
                               f"the page, needs 3:1", card_id=card.card_id))
    if lay.curve is not None:
        ratio = contrast_ratio(lay.curve.colour, lay.background)
        if ratio < GRAPHICS_CONTRAST:
            out.append(Problem("contrast", "error",
                               f"the emotion curve has contrast {ratio:.2f}:1, needs 3:1",
                               lane_id=lay.curve.lane_id))
    return out


def _overflow(lay: MapLayout, comp: Composition) -> list[Problem]:
    """Overflow rules on the printed layout."""
    out: list[Problem] = []
    usable = comp.paper.height - 2 * comp.margin
    legible = 1.0 / max(comp.scale, 1e-6)  # printed -> at the needs
    for card in lay.cards.values():
        if card.rect.h * max(1.0, legible) > usable + 0.01:
            out.append(Problem("overflow", "error",
                               f"card is too long to fit on {comp.paper.label()} at the "
                               f"legible size; shorten its text or split it",
                               card_id=card.card_id))
        for b in card.badges:
            if b.full_text:
                out.append(Problem("overflow", "warning",
                                   f"{b.kind} label {b.full_text[:40]!r} is too long for the "
                                   f"card and prints shortened", card_id=card.card_id))
        r = card.rect
        for t in card.text_lines():
            if t.x + t.width > r.right + 0.01 or t.x < r.x - 0.01:
                out.append(Problem("overflow", "error",
                                   f"text {t.text[:30]!r} runs outside its card",
                                   card_id=card.card_id))
                break
    cut = [c for c in lay.cards.values() if c.shrunk]
    for card in cut[:3]:
        out.append(Problem("title-overflow", "info",
                           "card title is longer than its lines allow and continues in the "
                           "body; consider shortening it", card_id=card.card_id))
    if len(cut) > 3:
        more = ("1 more card title continues in its body" if len(cut) == 4 else
                f"{len(cut) - 3} more card titles continue in their body")
        out.append(Problem("title-overflow", "info", more))
    return out


#: At most this many cards are named by the missing-glyph rule (then a count of the rest).
GLYPH_CARDS_NAMED = 10


def _glyphs(lay: MapLayout) -> list[Problem]:
    """Characters no available font covers (shipped fallbacks and system fonts included):
    they would print as empty boxes."""
    from app.layout.fonts import has_missing_glyphs, missing_glyphs

    out: list[Problem] = []
    unnamed = 0
    for card in lay.cards.values():
        parts = [("".join([t.text for t in lines]), lines[0].font)  # one font per part
                 for lines in (card.title_lines, card.body_lines) if lines]
        if not any(has_missing_glyphs(text, font) for text, font in parts):
            continue
        if len(out) >= GLYPH_CARDS_NAMED:
            unnamed += 1
            continue
        missing = "".join(dict.fromkeys("".join(missing_glyphs(*part) for part in parts)))
        title = " ".join(t.text for t in card.title_lines)[:40]
        out.append(Problem(
            "glyphs", "warning",
            f"card {title!r} has characters no available font can print: "
            f"{missing[:12]!r}{'…' if len(missing) > 12 else ''}; they print as empty boxes",
            card_id=card.card_id))
    headers = [*lay.title.title_lines, *lay.title.meta_lines,
               *(t for p in lay.phases for t in p.lines), *(t for s in lay.stages for t in s.lines),
               *(t for ln in lay.lanes for t in ln.lines)]
    other = "".join(dict.fromkeys("".join(missing_glyphs(t.text, t.font) for t in headers)))
    if other:
        out.append(Problem("glyphs", "warning",
                           f"titles or headers have characters no available font can print: "
                           f"{other[:12]!r}; they print as empty boxes"))
    if unnamed:
        out.append(Problem("glyphs", "warning",
                           f"{unnamed} more cards have characters no available font can print"))
    return out


def _structure(data: DocumentData, map_id: int, lay: MapLayout) -> list[Problem]:
    out: list[Problem] = []
    stage_ids = {s.id for s in data.stages_of(map_id)}
    lanes = {ln.id: ln for ln in data.lanes_of(map_id)}
    counts = {sid: 0 for sid in stage_ids}
    for c in data.cards.values():
        if c.map_id != map_id:
            continue
        if c.stage_id not in stage_ids or c.lane_id not in lanes:
            out.append(Problem("orphan", "error", f"card {c.title[:40]!r} has no stage or lane "
                               "in this map", card_id=c.id))
            continue
        counts[c.stage_id] += 1
        if lanes[c.lane_id].collapsed:
            out.append(Problem("orphan", "warning",
                               f"card {c.title[:40]!r} is in the collapsed lane "
                               f"{lanes[c.lane_id].name!r} and will not print",
                               card_id=c.id, lane_id=c.lane_id))
    for st in lay.stages:
        if st.empty:
            name = data.stages[st.stage_id].name
            out.append(Problem("empty-stage", "warning", f"stage {name!r} has no cards",
                               stage_id=st.stage_id))
    total = sum(counts.values())  # the others' average from the total: one pass
    for sid, n in counts.items():
        others = len(counts) - 1
        if others >= 2 and n > 8 and n > 3 * max(1.0, (total - n) / others):
            out.append(Problem("unbalanced", "warning",
                               f"stage {data.stages[sid].name!r} holds {n} cards, over three "
                               f"times the other stages' average; consider splitting it",
                               stage_id=sid))
    if not stage_ids:
        out.append(Problem("empty-stage", "warning", "the map has no stages"))
    out += _assumptions_only(data, map_id)
    return out


def _assumptions_only(data: DocumentData, map_id: int) -> list[Problem]:
    """A warning for each stage whose cards are all marked as assumptions."""
    from app.analysis.findings import evidence
    from app.layout.overlays import placed_only
    from app.wording import counted

    data = placed_only(data, map_id)
    out = []
    for stage, ev in zip(data.stages_of(map_id), evidence(data, map_id), strict=True):
        if ev.cards and ev.assumptions == ev.cards:
            out.append(Problem("evidence", "warning",
                               f"stage {stage.name!r} rests on assumptions only "
                               f"({counted(ev.cards, 'card')}); back it with research, survey data "
                               "or feedback",
                               stage_id=stage.id))
    return out
