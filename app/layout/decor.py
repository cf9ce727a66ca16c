"""The parts of a map layout around the grid: links, legend, title block (the emotion
curve is :mod:`app.layout.curve`)."""

from __future__ import annotations

import datetime as dt

from app.layout import caches
from app.layout.bidi import directed_lines
from app.layout.boxes import (
    CardBox,
    Glyph,
    Legend,
    LegendEntry,
    LinkPath,
    Rect,
    TextLine,
    TitleBlock,
)
from app.layout.cardtext import LINE_GAP
from app.layout.curve import curve_colours, emotion_glyph
from app.layout.fonts import ASCENT, DESCENT, text_width
from app.layout.rules import GRAPHICS_CONTRAST, fix_contrast
from app.layout.style import EMOTION_STYLE, KIND_LABEL, KIND_STYLE, Style
from app.layout.wrap import balanced, wrap_text
from app.model.schema import DocumentData, JourneyMap, Link


def text_block(text: str, font: str, size: float, x: float, y_top: float, width: float,
               colour: str, max_lines: int = 0, even: bool = False
               ) -> tuple[tuple[TextLine, ...], float]:
    """Wrapped lines of ``text`` starting at ``y_top``; returns (lines, bottom y).

    ``max_lines`` (0 = no bound): longer text ends its last line with "…", and long
    words are cut with a hyphen. ``even``: lines evened out (:func:`balanced`), a heading's.
    """
    out = []
    y = y_top
    wrapped = wrap_text(text, font, size, max(1.0, width))
    if even and len(wrapped) > 1 and not (max_lines and len(wrapped) > max_lines):
        wrapped = balanced(text, font, size, max(1.0, width))  # a heading's lines evened
    if max_lines and len(wrapped) > max_lines:
        last = wrapped[max_lines - 1]
        while len(last) > 1 and text_width(last + "…", font, size) > width:
            last = last[:-1]
        wrapped = (*wrapped[:max_lines - 1], last.rstrip() + "…")
    for t in directed_lines(tuple(wrapped), text):
        out.append(TextLine(x, y + ASCENT * size, t, font, size, colour,  # type: ignore[arg-type]
                            text_width(t, font, size)))
        y += size * LINE_GAP
    if out:
        y += size * (ASCENT + DESCENT) - size * LINE_GAP
    return tuple(out), y


def link_path(link: Link, src: CardBox, dst: CardBox, style: Style) -> LinkPath:
    """A curved arrow from one card's edge to another's."""
    if dst.rect.x >= src.rect.right:
        start, end = (src.rect.right, src.rect.cy), (dst.rect.x, dst.rect.cy)
        d = max(style.body_pt * 2, (end[0] - start[0]) / 2)
        c1, c2 = (start[0] + d, start[1]), (end[0] - d, end[1])
        direction = (1.0, 0.0)
    elif dst.rect.right <= src.rect.x:
        start, end = (src.rect.x, src.rect.cy), (dst.rect.right, dst.rect.cy)
        d = max(style.body_pt * 2, (start[0] - end[0]) / 2)
        c1, c2 = (start[0] - d, start[1]), (end[0] + d, end[1])
        direction = (-1.0, 0.0)
    else:  # same column: leave the bottom, enter the top (or the reverse)
        down = dst.rect.y >= src.rect.bottom
        start = (src.rect.cx, src.rect.bottom if down else src.rect.y)
        end = (dst.rect.cx, dst.rect.y if down else dst.rect.bottom)
        d = style.body_pt * 2 * (1 if down else -1)
        c1, c2 = (start[0], start[1] + d), (end[0], end[1] - d)
        direction = (0.0, 1.0 if down else -1.0)
    a = style.body_pt * 0.8
    ex, ey = end
    dx, dy = direction
    arrow = ((ex, ey), (ex - dx * a - dy * a * 0.5, ey - dy * a + dx * a * 0.5),
             (ex - dx * a + dy * a * 0.5, ey - dy * a - dx * a * 0.5))
    label = None
    if link.label:
        size = style.body_pt
        w = text_width(link.label, "italic", size)
        mx, my = (start[0] + end[0]) / 2, (start[1] + end[1]) / 2
        label = TextLine(mx - w / 2, my - size * 0.4, link.label, "italic", size, style.text, w)
    return LinkPath(link.id, link.source_id, link.target_id, start, c1, c2, end, arrow,
                    "#333333", style.body_pt * 0.14, label)


def cached_link_path(link: Link, src: CardBox, dst: CardBox, style: Style,
                     style_id: tuple, cache: caches.LayoutCache) -> LinkPath:
    """:func:`link_path`, reused while the link and both card boxes are the same objects
    (boxes are reused by the layout while their card is unchanged) and the style equal.
    ``cache.links``: link id -> (link, source box, target box, style key, path) of its
    last layout, in the owner's cache."""
    links = cache.links
    last = links.get(link.id)
    if (last is not None and last[0] is link and last[1] is src and last[2] is dst
            and last[3] == style_id):
        return last[4]
    path = link_path(link, src, dst, style)
    if len(links) >= caches.LINKS_MAX:
        links.clear()
    links[link.id] = (link, src, dst, style_id, path)
    return path


#: The logo's height, in title sizes (about the first title line's box).
LOGO_HEIGHT = 1.3
#: At most this share of the title block's width goes to the logo.
LOGO_MAX_SHARE = 0.2


def logo_box(style: Style, x: float, y: float, width: float) -> Rect | None:
    """Where the brand logo (``style.logo``) goes with its top-left at (x, y): as tall as
    the title's first line box, narrower when it would take more than a fifth of
    ``width``; None without a logo."""
    logo = style.logo
    if logo is None:
        return None
    h = style.sizes["title"] * LOGO_HEIGHT
    w = min(h * logo.aspect, width * LOGO_MAX_SHARE)
    return Rect(x, y, w, w / logo.aspect)


def title_block(data: DocumentData, jm: JourneyMap, x: float, y: float, width: float,
                style: Style, version: str, exported: dt.date | None, *,
                logo_before: bool = True) -> TitleBlock:
    """The map's title, then one line of persona, owner, review date, version; with
    ``logo_before`` the brand logo (:func:`logo_box`) before them. The logo takes width,
    never type size: the text beside it wraps into the rest at the sizes of its roles."""
    sizes = style.sizes
    text_x, text_w = x, width
    logo = style.logo if logo_before else None
    logo_rect = logo_box(style, x, y, width) if logo is not None else None
    if logo_rect is not None:
        w = logo_rect.w
        gap = sizes["title"] * 0.6
        text_x, text_w = x + w + gap, max(1.0, width - w - gap)
    title_lines, bottom = text_block(jm.title, "bold", sizes["title"], text_x, y, text_w,
                                     style.text, max_lines=3, even=True)
    parts = []
    persona = data.personas.get(jm.persona_id) if jm.persona_id else None
    if persona is not None:
        parts.append(f"Persona: {persona.name}" + (f" ({persona.role})" if persona.role else ""))
    if jm.owner:
        parts.append(f"Owner: {jm.owner}")
    if jm.last_reviewed:
        parts.append(f"Last reviewed: {jm.last_reviewed.isoformat()}")
    if version:
        parts.append(f"Version: {version}")
    if exported:
        parts.append(f"Exported: {exported.isoformat()}")
    meta: tuple[TextLine, ...] = ()
    if parts:
        meta, bottom = text_block("\u00a0·   ".join(parts), "regular", sizes["card_title"],
                                  text_x, bottom + sizes["card_title"] * 0.5, text_w,
                                  style.muted_text)
    if jm.description.strip():
        desc, bottom = text_block(jm.description.strip(), "italic", sizes["card_title"],
                                  text_x, bottom + sizes["card_title"] * 0.4, text_w, style.text)
        meta += desc
    if logo_rect is not None:
        bottom = max(bottom, logo_rect.bottom)
    return TitleBlock(Rect(x, y, width, bottom - y), title_lines, meta, logo_rect, logo)


def _balanced_lines(widths: list[float], room: float) -> set[int]:
    """Where each line of entries starts (indices), the entries in order: as few lines as
    ``room`` allows, and of those the evenest (the narrowest width that needs no more)."""
    def starts(cap: float) -> list[int]:
        out, used = [0], 0.0
        for i, w in enumerate(widths):
            if used + w > cap and used > 0:
                out.append(i)
                used = 0.0
            used += w
        return out

    if not widths:
        return {0}
    fewest = len(starts(room))
    if fewest == 1:
        return {0}
    low, high = max(widths), room
    for _ in range(24):  # the narrowest cap that still needs only ``fewest`` lines
        mid = (low + high) / 2
        if len(starts(mid)) <= fewest:
            high = mid
        else:
            low = mid
    return set(starts(high))


def _entry_lefts(widths: list[float], starts: set[int], room: float
                 ) -> tuple[set[int], list[float]]:
    """Where lines start and each entry's offset from the entries' column: on several
    lines, in columns (the n-th entry of every line under each other, every line but the
    last full) when they fit ``room``, else flowed as ``starts`` has them."""
    n = len(widths)
    lines = len(starts)
    per = -(-n // lines)
    if lines > 1:
        cols = [max(widths[j::per]) for j in range(per)]
        if sum(cols) <= room:
            return set(range(0, n, per)), [sum(cols[:i % per]) for i in range(n)]
    out, at = [], 0.0
    for i, w in enumerate(widths):
        if i in starts:
            at = 0.0
        out.append(at)
        at += w
    return starts, out


def legend(x: float, y: float, width: float, kinds: list[str], channels: dict[str, str],
           emotions: bool, style: Style, curve_key: tuple[str, ...] = ()) -> Legend:
    """Swatches for the card kinds used, the channels used and the emotion shapes, and
    the curve's lines when it has more than the cards' (``curve_key``: "mean", "room")."""
    size = style.body_pt
    heading_size = style.sizes["card_title"]
    entries: list[LegendEntry] = []
    headings: list[TextLine] = []
    cy = y
    groups: list[tuple[str, list[tuple[str, str | None, str | None, Glyph | None]]]] = []
    if kinds:
        groups.append(("Card kinds", [
            (KIND_LABEL.get(k, k), style.card_fill(k),
             fix_contrast(style.kind_colours.get(k, "#999999"), style.background,
                          GRAPHICS_CONTRAST), None)
            for k in kinds
        ]))
    if channels:
        groups.append(("Channels", [(name, col, None, None) for name, col in channels.items()]))
    if emotions:
        groups.append(("Emotion", [(EMOTION_STYLE[s][2], None, None, None) for s in
                                   (2, 1, 0, -1, -2)]))
    if emotions and curve_key:
        card_c, mean_c, room_c, band_fill = curve_colours(style)
        lines = [("each card", card_c, "line", None)]
        if "mean" in curve_key:
            lines.append(("stage average", mean_c, "line", None))
        if "room" in curve_key:
            lines += [("room (mean)", room_c, "line", None),
                      ("room: middle half", band_fill, "band", None)]
        groups.append(("Curve", lines))
    # One column for the entries of every group (the swatches line up under each other),
    # and each group's entries spread over its lines evenly: no lone "chat" on a second line.
    indent = max([size * 8.5] + [text_width(h, "bold", heading_size) + size * 1.2
                                 for h, _items in groups])
    room = max(1.0, width - indent)
    for heading, items in groups:
        hw = text_width(heading, "bold", heading_size)
        headings.append(TextLine(x, cy + ASCENT * heading_size, heading, "bold", heading_size,
                                 style.text, hw))
        row_h = size * 1.7
        label_ws = [text_width(label, "regular", size) for label, _f, _b, _g in items]
        widths = [size * 2.2 + lw + size * 1.2 for lw in label_ws]
        starts = _balanced_lines(widths, room)
        starts, lefts = _entry_lefts(widths, starts, room)
        for i, (label, fill, border, _g) in enumerate(items):
            if i in starts and i > 0:
                cy += row_h
            ix = x + indent + lefts[i]
            lw = label_ws[i]
            sw = Rect(ix, cy + (heading_size - size * 1.3) / 2, size * 1.8, size * 1.3)
            glyph = None
            if heading == "Card kinds":
                kind = kinds[i]
                glyph = Glyph(KIND_STYLE[kind][1], sw.cx, sw.cy, size * 0.9,  # type: ignore[arg-type]
                              border, None)
            elif heading == "Emotion":
                glyph = emotion_glyph((2, 1, 0, -1, -2)[i], sw.cx, sw.cy, size * 1.3)
                sw = None  # type: ignore[assignment]
            elif heading == "Curve" and border == "line":  # a short stroke of the line
                sw = Rect(sw.x, sw.cy - size * 0.12, sw.w, size * 0.24)
                border = fill
            elif heading == "Curve":  # the band, edged in the room's blue
                border = curve_colours(style)[2]
            base = cy + (heading_size - size) / 2 + ASCENT * size
            line = TextLine(ix + size * 2.2, base, label, "regular", size, style.text, lw)
            entries.append(LegendEntry(sw, fill, border or ("#808080" if fill else None),
                                       glyph, line))
        cy += max(row_h, heading_size * 1.2) + size * 0.2  # headings never touch
    return Legend(Rect(x, y, width, cy - y), tuple(headings), tuple(entries))
