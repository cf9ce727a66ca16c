"""The layout's fast paths give exactly what the plain, reflective versions give.

Text widths are summed per word from cached advances (reportlab measures character by
character); plain paragraphs wrap without the tokenising regex; cards are placed and
fitted to the page by per-type functions instead of the generic dataclass walk.
"""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from layout_maps import sample_data

from app.layout import Target, layout_map, parse_paper
from app.layout.fonts import FONT_FILES, ensure_fonts, is_simple, text_width
from app.layout.shaping import shape
from app.layout.transform import _walk, fit_to_page, scale_factor
from app.layout.wrap import wrap_text
from benchmarks.generate import generate_size

_TEXT = st.lists(st.sampled_from([*"ab Wé中ع \t\n-", "\u00a0", "e\u0301", "supercalifragilistic"]),
                max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.sampled_from(sorted(FONT_FILES)), st.sampled_from([7.5, 9.0, 11.25, 30.0]))
def test_text_width_equals_reportlab(text: str, style: str, size: float) -> None:
    from reportlab.pdfbase import pdfmetrics

    ensure_fonts()
    if not is_simple(text, style):  # shaped through the fallback chain: HarfBuzz's advance
        assert text_width(text, style, size) == pytest.approx(shape(text, style).advance * size,
                                                              rel=1e-12)
        return
    expected = pdfmetrics.stringWidth(text, FONT_FILES[style][0], 1000.0) / 1000.0 * size
    assert text_width(text, style, size) == expected


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.sampled_from(["regular", "bold"]), st.sampled_from([20.0, 61.5, 150.0]))
def test_wrapped_lines_fit_and_keep_the_words(text: str, style: str, width: float) -> None:
    from reportlab.pdfbase import pdfmetrics

    lines = wrap_text(text, style, 9.0, width)
    for line in lines:
        # The wrapper hands each line's summed width to the cache: it must be exact.
        if is_simple(line, style):
            assert text_width(line, style, 9.0) == pdfmetrics.stringWidth(
                line, FONT_FILES[style][0], 1000.0) / 1000.0 * 9.0
        else:
            assert text_width(line, style, 9.0) == pytest.approx(shape(line, style).advance * 9.0,
                                                                 rel=1e-12)
        # Only a single cluster that is itself too wide may overflow.
        assert text_width(line, style, 9.0) <= width + 1e-6 or len(line.rstrip()) <= 2
    # nothing lost but spaces, nothing added but the hyphens of cut words
    assert "".join("".join(lines).split()).replace("-", "") == \
        "".join(text.split()).replace("-", "")


def _reference_fit(layout, page_w: float, page_h: float, margin: float):
    s = scale_factor(layout, page_w, page_h, margin)
    p = layout.pad
    dx = (page_w - (layout.width - 2 * p) * s) / 2 - p * s
    dy = (page_h - (layout.height - 2 * p) * s) / 2 - p * s
    moved = _walk(layout, s, dx, dy)
    return dataclasses.replace(moved, width=page_w, height=page_h, scale=s,
                               sizes={k: v * s for k, v in layout.sizes.items()},
                               min_size=layout.min_size * s)


def test_fit_to_page_matches_the_generic_walk() -> None:
    for data in (sample_data(), generate_size("100")):
        map_id = next(iter(data.maps))
        natural = layout_map(data, map_id)
        for paper in ("A1", "A4"):
            sheet = parse_paper(paper, "landscape")
            margin = Target.for_paper(sheet).margin
            fast = fit_to_page(natural, sheet.width, sheet.height, margin)
            assert fast == _reference_fit(natural, sheet.width, sheet.height, margin)
            # A paper target lays out at natural size, then fits: the same boxes.
            assert layout_map(data, map_id, Target.for_paper(sheet)).cards == fast.cards


def test_placed_cards_match_the_generic_walk() -> None:
    from app.layout.cardtext import layout_card_text
    from app.layout.style import Style
    from app.layout.transform import translate_card

    data = generate_size("100")
    for card in list(data.cards.values())[:40]:
        text = layout_card_text(card, 200.0, Style())
        box = translate_card(card, text, 37.5, 911.25, text.height + 3)
        moved = _walk(text, 1.0, 37.5, 911.25)
        assert box.title_lines == moved.title_lines
        assert box.body_lines == moved.body_lines
        assert box.badges == moved.badges
        assert box.marker == moved.marker


def test_relayout_reuses_unchanged_cards_and_never_stale_ones() -> None:
    import dataclasses as dc

    from app.layout.caches import LayoutCache
    from app.layout.style import Style

    data = generate_size("100")
    map_id = next(iter(data.maps))
    cache = LayoutCache()
    first = layout_map(data, map_id, cache=cache)
    edited_id, other_id = list(first.cards)[:2]
    card = data.cards[edited_id]
    data.cards[edited_id] = card.model_copy(update={"title": "Completely new title words",
                                                    "votes": card.votes + 3})
    second = layout_map(data, map_id, cache=cache)
    titles = " ".join(t.text for t in second.cards[edited_id].title_lines)
    assert titles == "Completely new title words"
    assert any(b.kind == "votes" and b.text is not None and str(card.votes + 3) in b.text.text
               for b in second.cards[edited_id].badges)
    # An unchanged card in an unchanged place is the very same box.
    if second.cards[other_id].rect == first.cards[other_id].rect:
        assert second.cards[other_id] is first.cards[other_id]
    # A style change reaches every card (the style is part of the key).
    tinted = layout_map(data, map_id, style=dc.replace(Style(), card_tint=0.2), cache=cache)
    assert tinted.cards[other_id].fill != second.cards[other_id].fill
    # A fresh cache (and no cache at all) agrees with the cached layout.
    assert layout_map(data, map_id, cache=LayoutCache()).cards == second.cards
    assert layout_map(data, map_id).cards == second.cards
