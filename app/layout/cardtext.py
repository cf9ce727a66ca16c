"""A card's inside: wrapped title and body, kind marker and badges, relative to its top-left.

The canvas calls :func:`layout_card_text` while the user types, and the map
layout calls it for every card, so what the editor shows is what prints.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

from app.layout import caches
from app.layout.bidi import paragraph_is_rtl
from app.layout.boxes import Badge, Glyph, Rect, TextLine, fast_text_line
from app.layout.fonts import ASCENT, DESCENT, text_width
from app.layout.rules import (
    GRAPHICS_CONTRAST,
    best_text_colour,
    contrast_ratio,
    fix_contrast,
    required_contrast,
)
from app.layout.style import EMOTION_STYLE, KIND_STYLE, Style
from app.layout.wrap import join_lines, wrap_text
from app.model.schema import Card

LINE_GAP = 1.2  # line height as a multiple of the size


@dataclass(frozen=True)
class CardText:
    """A card's content laid out at (0, 0) for a given card width."""

    width: float
    height: float
    fill: str
    border: str
    text_colour: str
    marker: Glyph
    title_lines: tuple[TextLine, ...]
    body_lines: tuple[TextLine, ...]
    badges: tuple[Badge, ...]
    title_size: float
    shrunk: bool

    def lines(self) -> tuple[TextLine, ...]:
        """Title, body and badge text lines in card coordinates."""
        return (self.title_lines + self.body_lines
                + tuple(b.text for b in self.badges if b.text is not None))


def card_colours(card: Card, style: Style, background: str) -> tuple[str, str, str]:
    """(fill, border, text colour) of a card; text is fixed to 4.5:1 only if the style asks."""
    fill = card.colour or style.card_fill(card.kind.value)
    base = style.kind_colours.get(card.kind.value, "#999999")
    border = fix_contrast(base, background, GRAPHICS_CONTRAST)
    text = style.text
    if style.fix_contrast and contrast_ratio(text, fill) < 4.5:
        text = fix_contrast(text, fill, 4.5)
        if contrast_ratio(text, fill) < 4.5:
            text = best_text_colour(fill)
    return fill, border, text


def _lines(texts: tuple[str, ...], x: float, y_top: float, style_name: str, size: float,
           colour: str, width: float | None = None) -> tuple[tuple[TextLine, ...], float]:
    """Text lines from ``y_top`` down; with ``width``, a paragraph written right to left
    (its first strong character is Hebrew, Arabic...) is set flush right."""
    out = []
    y = y_top
    rtl = width is not None and paragraph_is_rtl(" ".join(texts))
    for t in texts:
        w = text_width(t, style_name, size)
        at = x + width - w if rtl and width is not None else x
        out.append(fast_text_line(at, y + ASCENT * size, t, style_name, size,  # type: ignore[arg-type]
                                  colour, w))
        y += size * LINE_GAP
    return tuple(out), y


#: Units a metric's name may end with ("Drop-off %", "Time on page s"): the chip writes
#: them after the value, as people do ("46%", "212 s"), not before it ("% 46").
METRIC_UNITS = {"%": "", "s": " ", "ms": " ", "min": " ", "h": " ", "d": " ", "days": " "}


def metric_label(name: str, value: float) -> str:
    """A metric chip's text: 'CSAT 4.1', 'Drop-off 46%', 'Time on page 212 s', 'NPS −12'
    (a minus sign, as on the emotion chips, not a hyphen)."""
    num = (f"{value:g}" if abs(value) < 1e6 else f"{value:.3g}").replace("-", "−")
    base, _, unit = name.rpartition(" ")
    if base.strip() and unit in METRIC_UNITS:
        return f"{base} {num}{METRIC_UNITS[unit]}{unit}"
    return f"{name} {num}"


def _badge_specs(card: Card, style: Style, channel_colours: dict[str, str]
                 ) -> list[tuple[str, str, str | None, str | None, str, int | None]]:
    """(kind, text, fill, border, font, emotion score) of each badge, in order."""
    specs: list[tuple[str, str, str | None, str | None, str, int | None]] = []
    if card.emotion is not None:
        label = f"{card.emotion:+d}" if card.emotion else "0"
        specs.append(("emotion", label.replace("-", "−"), "#ffffff", "#808080", "regular",
                      card.emotion))
    if card.channel:
        fill = channel_colours.get(card.channel, "#dddddd")
        specs.append(("channel", card.channel, fill, None, "regular", None))
    if card.votes:
        specs.append(("votes", f"▲ {card.votes}", "#ffffff", "#808080", "regular", None))
    for name, value in list(card.metrics.items())[:6]:
        specs.append(("metric", metric_label(name, value), "#ffffff", "#808080", "regular",
                      None))
    if card.source is not None and card.source.value == "assumption":
        specs.append(("source", "assumption", None, "#808080", "italic", None))
    return specs


def title_and_overflow(title: str, size: float, width: float, max_lines: int
                       ) -> tuple[tuple[str, ...], str]:
    """A card title's lines (at most ``max_lines``, the last ending in "…" when cut) and
    the cut-off rest, which the body shows first (starting with "…"; '' when none)."""
    lines = wrap_text(title, "bold", size, width)
    if len(lines) <= max(1, max_lines):
        return lines, ""
    keep = list(lines[:max_lines])
    rest = list(lines[max_lines:])
    words = keep[-1].split(" ")
    while len(words) > 1 and text_width(" ".join(words) + "…", "bold", size) > width:
        rest.insert(0, words.pop())
    last = " ".join(words)
    while len(last) > 1 and text_width(last + "…", "bold", size) > width:
        rest.insert(0, last[-1])
        last = last[:-1]
    keep[-1] = last.rstrip("-") + "…"
    return tuple(keep), "…" + join_lines(rest).replace("- ", "").strip()


def layout_card_text(card: Card, width: float, style: Style,
                     channel_colours: dict[str, str] | None = None,
                     background: str | None = None) -> CardText:
    """Lay out a card's inside for a card ``width`` points wide (origin at its top-left).

    Title: bold at the card-title size (the same for every card: never shrunk
    for one card), wrapped beside the kind marker, a word wider than the line cut
    with a hyphen; past ``style.max_title_lines`` lines the rest of the title
    continues at the start of the body ("…"). Body and chips: regular at the body
    size. Badges (emotion, channel, votes, metrics, assumption) flow in
    rows under the text. No text line is ever wider than the card's inner width.
    """
    background = background or style.background
    sizes = style.sizes
    pad = style.em(style.padding_em)
    inner = max(1.0, width - 2 * pad)
    fill, border, text_colour = card_colours(card, style, background)

    marker_size = style.body_pt * 1.1
    kind_colour = style.kind_colours.get(card.kind.value, "#999999")
    marker = Glyph(
        KIND_STYLE.get(card.kind.value, ("#999999", "bar"))[1],  # type: ignore[arg-type]
        width - pad - marker_size / 2, pad + marker_size / 2, marker_size,
        fix_contrast(kind_colour, fill, GRAPHICS_CONTRAST), None,
    )
    title_w = max(1.0, inner - marker_size - style.body_pt * 0.4)

    size = sizes["card_title"]
    lines, overflow = title_and_overflow(card.title, size, title_w, style.max_title_lines)
    shrunk = bool(overflow)
    title_lines, y = _lines(lines, pad, pad, "bold", size, text_colour, title_w)
    y += -size * LINE_GAP + size * (ASCENT + DESCENT)  # last line ends at its descent

    body_lines: tuple[TextLine, ...] = ()
    body_size = sizes["body"]
    body = card.body.strip()
    if overflow:
        body = overflow + ("\n" + body if body else "")
    if body:
        y += body_size * 0.45
        body_lines, y = _lines(wrap_text(body, "regular", body_size, inner),
                               pad, y, "regular", body_size, text_colour, inner)
        y += -body_size * LINE_GAP + body_size * (ASCENT + DESCENT)

    badges: list[Badge] = []
    specs = _badge_specs(card, style, channel_colours or {})
    if specs:
        y += body_size * 0.5
        chip_h = body_size * 1.5
        x = pad
        row_y = y
        for kind, text, chip_fill, chip_border, font, score in specs:
            glyph_w = body_size * 1.15 if score is not None else 0.0
            max_text = inner - body_size * 0.8 - glyph_w
            shown = wrap_text(text, font, body_size, max_text)[0]
            if shown != text:  # chip text longer than a card line: keep the start, mark the cut
                shown = wrap_text(text, font, body_size, max_text - text_width("…", font,
                                  body_size))[0] + "…"
            tw = text_width(shown, font, body_size)
            chip_w = tw + body_size * 0.8 + glyph_w
            if x > pad and x + chip_w > pad + inner + 1e-6:
                x = pad
                row_y += chip_h + body_size * 0.3
            bg = chip_fill or fill
            colour = text_colour
            if chip_fill is not None and kind == "channel":
                colour = best_text_colour(bg)
            elif contrast_ratio(colour, bg) < required_contrast(body_size, font == "bold"):
                colour = best_text_colour(bg) if style.fix_contrast else colour
            rect = Rect(x, row_y, chip_w, chip_h)
            glyph = None
            if score is not None:
                shape, gcol, _label = EMOTION_STYLE[score]
                glyph = Glyph(shape, x + body_size * 0.4 + glyph_w / 2 - body_size * 0.05,  # type: ignore[arg-type]
                              row_y + chip_h / 2, body_size, gcol, None)
            line = TextLine(x + body_size * 0.4 + glyph_w, row_y + chip_h / 2
                            + (ASCENT - DESCENT) * body_size / 2, shown, font,  # type: ignore[arg-type]
                            body_size, colour, tw)
            badges.append(Badge(kind, rect, chip_fill, chip_border, line, glyph,  # type: ignore[arg-type]
                                text if shown != text else ""))
            x += chip_w + body_size * 0.4
        y = row_y + chip_h
    height = y + pad
    return CardText(width, height, fill, border, text_colour, marker, title_lines, body_lines,
                    tuple(badges), size, shrunk)


def least_parts(card: Card) -> tuple[bool, bool]:
    """(has a body, has badges): what of a card :func:`least_height` counts."""
    return bool(card.body.strip()), bool(_badge_specs(card, _PLAIN, {}))


def least_height(parts: tuple[bool, bool], style: Style) -> float:
    """A lower bound of :func:`layout_card_text`'s height at any width for a card with
    these :func:`least_parts`, without measuring any text: the padding, one title line (a
    title always has one), one body line when it has a body, one row of badges when it
    has any. The poster's trial layouts use it to rule out sheets on which a map cannot
    pass (:func:`app.layout.compose.fit_bound`)."""
    sizes = style.sizes
    pad = style.em(style.padding_em)
    y = pad + sizes["card_title"] * (ASCENT + DESCENT)
    body, badges = parts
    if body:
        y += sizes["body"] * (0.45 + ASCENT + DESCENT)
    if badges:
        y += sizes["body"] * 2.0
    return y + pad


_PLAIN = Style()

# ---------------------------------------------------------------- re-layout cache
# (card content, width, style, channel colour) -> CardText, in the owner's LayoutCache.
# The canvas lays the whole map out again after every edit; cards whose content did not
# change reuse their text layout (CardText is immutable). Bounded: emptied when full.


_MUTABLE = (dict, list, set)


def _frozen(value: object) -> object:
    if isinstance(value, dict):
        return tuple((k, _frozen(v)) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return (type(value).__name__, *(_frozen(v) for v in value))
    return value


#: Style fields that place the columns and rows of a map but never change a card's inside
#: (the composer varies them between layouts of one poster; a card text laid out for one
#: is the same for the others).
PLACEMENT_FIELDS = frozenset({"stretch", "hero_band", "target_aspect", "max_slots", "logo",
                              "slot_threshold", "column_rule", "lane_label_em",
                              "curve_band_em", "empty_cell_em", "collapsed_lane_em",
                              "sticky_slots"})


def style_key(style: Style) -> tuple:
    """Every field of ``style`` that a card's inside depends on, as a hashable value (for
    :func:`cached_card_text`; the placement-only fields are left out)."""
    return tuple((name, _frozen(value)) for name, value in vars(style).items()
                 if name not in PLACEMENT_FIELDS)


def cached_card_text(card: Card, width: float, style: Style, style_id: tuple,
                     channel_colours: dict[str, str], cache: caches.LayoutCache) -> CardText:
    """:func:`layout_card_text`, reused while the card's content, width and style are unchanged.

    ``style_id`` is :func:`style_key` of ``style`` (computed once per map layout). The
    key holds every field of the card, so a field added later can never be missed.
    ``cache`` is the layout's owner's (a scene's, an export job's).
    """
    chan = channel_colours.get(card.channel) if card.channel else None
    last = cache.text_of_card.get(card.id)
    if (last is not None and last[0] is card and last[1] == width and last[2] is style_id
            and last[3] == chan):
        return last[4]
    text = _card_text(card, width, style, style_id, channel_colours, cache)
    if len(cache.text_of_card) >= caches.CARD_TEXTS_MAX:
        cache.text_of_card.clear()
    cache.text_of_card[card.id] = (card, width, style_id, chan, text)
    return text


def measure_ahead(cards: Iterable[Card], style: Style, cache: caches.LayoutCache,
                  until: float | None = None) -> bool:
    """Measure into ``cache`` the texts of ``cards`` that it holds for no longer current
    content, as :func:`~app.layout.layout_map` in ``style`` will ask for them, until
    :func:`time.perf_counter` reaches ``until``; True when none is left. The canvas
    measures a burst's new cards this way a few at a time, so its next layout finds them
    measured. A card with a channel is left to the layout (its colour is the map's).
    """
    width = style.em(style.card_width_em)
    skey = cache.same_style_key(style_key(style))
    with cache.measuring():
        for card in cards:
            if card.channel:
                continue
            last = cache.text_of_card.get(card.id)
            if (last is not None and last[0] is card and last[1] == width
                    and last[2] is skey):
                continue
            if until is not None and time.perf_counter() >= until:
                return False
            cached_card_text(card, width, style, skey, {}, cache)
    return True


def _card_text(card: Card, width: float, style: Style, style_id: tuple,
               channel_colours: dict[str, str], cache: caches.LayoutCache) -> CardText:
    texts = cache.card_texts
    key = (type(card), tuple([_frozen(v) if type(v) in _MUTABLE else v
                              for v in card.__dict__.values()]),
           width, style_id, channel_colours.get(card.channel) if card.channel else None)
    try:
        text = texts.get(key)
    except TypeError:  # an unhashable field value: lay out without the cache
        return layout_card_text(card, width, style, channel_colours)
    if text is None:
        text = layout_card_text(card, width, style, channel_colours)
        if len(texts) >= caches.CARD_TEXTS_MAX:
            texts.clear()
        texts[key] = text
    return text
