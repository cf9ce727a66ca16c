"""The insights page appended to a PDF export (``waymark export ... --insights``).

Everything on it comes from :func:`app.analysis.report.build_report`, the same
findings as ``waymark report`` and the GUI's Report panel: moments of truth,
gaps along the path, ranked pain points and opportunities, stages missing a
touchpoint or goal, evidence per stage, the funnel and the review status.

The page has the poster's paper size. Text is sized from the sheet (about 1/75
of its short side, never under 9 pt) so an A1 insights page reads from the same
distance as the poster; content flows in columns about 40 body sizes wide and
continues on another page when it runs out of room. Cell text is wrapped with
the layout engine's metrics and drawn with ``drawString`` or, for text that needs the
fallback fonts or shaping, by :mod:`app.export.pdftext` (literal either way, never
markup).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from reportlab.pdfgen.canvas import Canvas

from app.analysis.report import build_report
from app.export.pdftext import draw_shaped
from app.layout.boxes import TextLine
from app.layout.fonts import ASCENT, is_simple, pdf_font_name
from app.layout.wrap import wrap_text
from app.model.schema import DocumentData
from app.wording import counted

TEXT = (0.1, 0.1, 0.1)
MUTED = (0.3, 0.3, 0.3)
WARN = (0.64, 0.23, 0.0)  # dark vermillion
RULE = (0.6, 0.6, 0.6)
HEAD_FILL = (0.87, 0.9, 0.93)

MAX_GAPS = 40  # rows of the gaps table; a huge map lists the rest with `waymark report`

#: Section headings, in page order (tests look for them).
HEADINGS = ("Moments of truth", "Gaps along the path", "Pain points, ranked",
            "Opportunities, ranked", "Stages missing a touchpoint or goal",
            "Evidence per stage", "Funnel", "Review")


@dataclass
class _Flow:
    """Places blocks top to bottom in columns, starting new columns and pages as needed."""

    c: Canvas
    width: float
    height: float
    size: float
    margin: float
    columns: int = 1
    col: int = 0
    y: float = 0.0
    pages: int = 1
    top: float = 0.0
    col_w: float = field(init=False)

    def __post_init__(self) -> None:
        gap = self.size * 3
        usable = self.width - 2 * self.margin
        self.columns = max(1, int((usable + gap) // (self.size * 40 + gap)))
        self.col_w = (usable - gap * (self.columns - 1)) / self.columns
        self.gap = gap
        self.y = self.top = self.margin

    @property
    def x(self) -> float:
        return self.margin + self.col * (self.col_w + self.gap)

    def need(self, h: float) -> None:
        """Move to the next column (or page) unless ``h`` points fit here."""
        if self.y + h <= self.height - self.margin or self.y == self.top:
            return
        self.col += 1
        if self.col >= self.columns:
            self.c.showPage()
            self.pages += 1
            self.col = 0
            self.top = self.margin
        self.y = self.top

    def text(self, x: float, y_top: float, text: str, font: str, size: float,
             colour: tuple[float, float, float]) -> None:
        baseline = self.height - (y_top + ASCENT * size)
        if not is_simple(text, font):  # fallback faces, shaping, bidi (app.export.pdftext)
            draw_shaped(self.c, TextLine(x, 0.0, text, font, size, "#000000"),  # type: ignore[arg-type]
                        baseline, colour)
            return
        self.c.setFillColorRGB(*colour)
        self.c.setFont(pdf_font_name(font), size)
        self.c.drawString(x, baseline, text)

    def para(self, text: str, font: str = "regular", size: float | None = None,
             colour: tuple[float, float, float] = TEXT, indent: float = 0.0) -> None:
        size = size or self.size
        for line in wrap_text(text, font, size, self.col_w - indent):
            self.need(size * 1.3)
            self.text(self.x + indent, self.y, line, font, size, colour)
            self.y += size * 1.3

    def heading(self, text: str) -> None:
        size = self.size * 1.4
        self.y += self.size * 0.8 if self.y > self.top else 0.0
        self.need(size * 1.5 + self.size * 3)  # keep a heading with its first lines
        self.text(self.x, self.y, text, "bold", size, TEXT)
        self.y += size * 1.25
        self.c.setStrokeColorRGB(*RULE)
        self.c.setLineWidth(max(0.5, self.size * 0.06))
        self.c.line(self.x, self.height - self.y, self.x + self.col_w, self.height - self.y)
        self.y += self.size * 0.4

    def table(self, head: list[str], rows: list[list[str]], weights: list[float],
              warn_rows: set[int] = frozenset()) -> None:  # type: ignore[assignment]
        """A table with a shaded header row; cells wrap inside their column."""
        total = sum(weights)
        pad = self.size * 0.3
        widths = [self.col_w * w / total for w in weights]

        def row(cells: list[str], font: str, colour: tuple[float, float, float],
                shade: bool) -> None:
            wrapped = [wrap_text(cell, font, self.size, max(1.0, w - 2 * pad)) or ("",)
                       for cell, w in zip(cells, widths, strict=True)]
            h = max(len(w) for w in wrapped) * self.size * 1.25 + pad * 2
            self.need(h)
            if shade:
                self.c.setFillColorRGB(*HEAD_FILL)
                self.c.rect(self.x, self.height - self.y - h, self.col_w, h, stroke=0, fill=1)
            x = self.x
            for lines, w in zip(wrapped, widths, strict=True):
                for k, line in enumerate(lines):
                    self.text(x + pad, self.y + pad + k * self.size * 1.25, line, font,
                              self.size, colour)
                x += w
            self.y += h
            self.c.setStrokeColorRGB(*RULE)
            self.c.setLineWidth(max(0.3, self.size * 0.03))
            self.c.line(self.x, self.height - self.y, self.x + self.col_w, self.height - self.y)

        row(head, "bold", TEXT, True)
        for i, cells in enumerate(rows):
            row(cells, "bold" if i in warn_rows else "regular",
                WARN if i in warn_rows else TEXT, False)
        self.y += self.size * 0.4


def _emo(value: float | None) -> str:
    if value is None:
        return "n/a"
    return "0" if value == 0 else f"{value:+.2f}".rstrip("0").rstrip(".").replace("-", "\u2212")


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:g}"


def insights_report(data: DocumentData, map_id: int, metric: str | None = None,
                    today: dt.date | None = None) -> dict[str, Any]:
    """The report the page shows (the funnel by ``metric`` when given)."""
    return build_report(data, map_id, metric=metric, today=today)


def draw_insights(c: Canvas, data: DocumentData, map_id: int, width: float, height: float,
                  metric: str | None = None, today: dt.date | None = None) -> int:
    """Draw the insights page(s) on a ``width`` x ``height`` sheet after the current page.

    The caller has finished its last page with ``showPage``; this draws and ends
    its own pages. Returns the number of pages drawn.
    """
    report = insights_report(data, map_id, metric, today)
    c.setPageSize((width, height))
    c.setTrimBox(None)  # a poster with bleed set these for its own page only
    c.setBleedBox(None)
    size = max(9.0, min(width, height) / 75)
    flow = _Flow(c, width, height, size, max(36.0, min(width, height) * 0.05))
    m = report["map"]
    flow.para(f"Insights: {m['title']}", "bold", size * 2.0)
    meta = [f"{counted(m['stages'], 'stage')}, {counted(m['cards'], 'card')}"]
    if m["persona"]:
        meta.insert(0, f"Persona: {m['persona']}")
    meta.append(f"as of {(today or dt.date.today()).isoformat()}")
    flow.para(" · ".join(meta), colour=MUTED)

    mot = report["moments_of_truth"]
    flow.heading(HEADINGS[0])
    if mot["lowest"]:
        low = {s["stage"] for s in mot["lowest"]}
        high = {s["stage"] for s in mot["highest"]}
        rows, warn = [], set()
        for s in mot["curve"]:
            note = "lowest" if s["stage"] in low else "highest" if s["stage"] in high else ""
            if note == "lowest":
                warn.add(len(rows))
            rows.append([s["stage"], _emo(s["average"]), str(s["count"]), note])
        flow.table(["Stage", "Emotion", "Scores", ""], rows, [3, 1.3, 1, 1.3], warn)
    else:
        flow.para("No emotion scores on this map.", colour=MUTED)

    counts = report["gap_counts"]
    flow.heading(HEADINGS[1])
    flow.para(f"{counts['channel']} channel switches, {counts['device']} device switches, "
              f"{counts['owner']} owner handoffs.")
    if report["gaps"]:
        flow.table(["Switch", "From", "To", "Emotion"], [
            [f"{g['kind']}: {g['from_value']} \u2192 {g['to_value']}",
             f"{g['from_title']} ({g['from_stage']})", f"{g['to_title']} ({g['to_stage']})",
             f"{_emo(g['emotion_before'])} \u2192 {_emo(g['emotion_after'])}"]
            for g in report["gaps"][:MAX_GAPS]], [2.2, 3, 3, 1.5])
        if len(report["gaps"]) > MAX_GAPS:
            flow.para(f"... and {len(report['gaps']) - MAX_GAPS} more (waymark report lists "
                      "them all)", colour=MUTED)

    for key, heading in (("pain_points", HEADINGS[2]), ("opportunities", HEADINGS[3])):
        flow.heading(heading)
        items = report[key]
        if not items:
            flow.para("None on this map.", colour=MUTED)
            continue
        metric_name = report["funnel"]["metric"] if report["funnel"] else None
        head = ["#", "Votes", "Title", "Stage", "Emotion"]
        weights = [0.6, 1, 4, 2, 1.3]
        if metric_name:
            head.append(metric_name)
            weights.append(1.3)
        rows = []
        for i, r in enumerate(items[:15], start=1):
            cells = [str(i), str(r["votes"]), r["title"], r["stage"], _emo(r["emotion"])]
            if metric_name:
                cells.append(_num(r["metric"]))
            rows.append(cells)
        flow.table(head, rows, weights)
        if len(items) > 15:
            flow.para(f"... and {len(items) - 15} more", colour=MUTED)

    miss = report["missing"]
    flow.heading(HEADINGS[4])
    flow.para("No touchpoint: " + (", ".join(miss["no_touchpoint"]) or "none"))
    flow.para("No goal: " + (", ".join(miss["no_goal"]) or "none"))

    flow.heading(HEADINGS[5])
    rows, warn = [], set()
    for e in report["evidence"]:
        share = "empty" if e["share"] is None else f"{e['share']:.0%}"
        if e["cards"] and not e["backed"]:
            warn.add(len(rows))
        rows.append([e["stage"], f"{e['backed']}/{e['cards']}", str(e["assumptions"]),
                     str(e["unstated"]), share])
    flow.table(["Stage", "Backed", "Assumptions", "No source", "Share"], rows,
               [3, 1.2, 1.5, 1.4, 1], warn)

    flow.heading(HEADINGS[6])
    f = report["funnel"]
    if f:
        flow.para(f"By {f['metric']} ({'summed' if f['aggregate'] == 'sum' else 'averaged'} "
                  "per stage); marked where a loss meets a negative emotion.")
        rows, warn = [], set()
        for s in f["steps"]:
            if s["coincides"]:
                warn.add(len(rows))
            change = "" if s["change"] is None else \
                f"{s['change']:+.0%}".replace("-", "\u2212")
            rows.append([s["stage"], _num(s["value"]), change, _emo(s["emotion"]),
                         "loss at a low" if s["coincides"] else ""])
        flow.table(["Stage", "Value", "Change", "Emotion", ""], rows, [3, 1.5, 1.2, 1.2, 1.8],
                   warn)
    else:
        flow.para("No metrics on this map's cards.", colour=MUTED)

    flow.heading(HEADINGS[7])
    flow.para(report["review"]["text"])
    for w in report["warnings"]:
        flow.para("Warning: " + w, colour=WARN)
    c.showPage()
    return flow.pages
