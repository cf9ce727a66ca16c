"""Legibility rules: minimum size, WCAG contrast and its fixer, palettes, paper sizes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import WaymarkError
from app.layout.paper import MM, parse_distance, parse_length, parse_paper
from app.layout.rules import (
    OKABE_ITO,
    contrast_ratio,
    default_distance,
    fix_contrast,
    min_text_pt,
    required_contrast,
)
from app.layout.style import EMOTION_STYLE, KIND_STYLE


def test_min_text_size_from_distance() -> None:
    assert min_text_pt(1.0) == pytest.approx(21.0)
    assert min_text_pt(1.5) == pytest.approx(31.5)
    assert min_text_pt(0.2) == 8.0  # never below 8 pt
    assert default_distance("A1") == 1.0 and default_distance("A0") == 1.2
    assert default_distance("Letter") == 0.4 and default_distance("a4") == 0.4


def test_wcag_contrast_values() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert required_contrast(12, False) == 4.5
    assert required_contrast(18, False) == 3.0 and required_contrast(14, True) == 3.0


HEX = st.integers(0, 0xFFFFFF).map(lambda v: f"#{v:06x}")


@given(fg=HEX, bg=HEX, ratio=st.sampled_from([3.0, 4.5]))
def test_fixer_always_reaches_the_ratio(fg: str, bg: str, ratio: float) -> None:
    fixed = fix_contrast(fg, bg, ratio)
    best = max(contrast_ratio("#000000", bg), contrast_ratio("#ffffff", bg))
    assert contrast_ratio(fixed, bg) >= min(ratio, best) - 1e-9


def test_palette_kinds_differ_by_shape_and_colour() -> None:
    colours = [c for c, _ in KIND_STYLE.values()]
    shapes = [s for _, s in KIND_STYLE.values()]
    assert len(set(colours)) == len(colours) and len(set(shapes)) == len(shapes)
    assert set(colours) <= set(OKABE_ITO.values())
    assert len({s for s, _, _ in EMOTION_STYLE.values()}) == 5


def test_paper_sizes_in_points() -> None:
    a4 = parse_paper("A4", "portrait")
    assert (round(a4.width, 2), round(a4.height, 2)) == (595.28, 841.89)
    a1 = parse_paper("a1")  # landscape by default
    assert a1.width > a1.height and round(a1.width / MM) == 841
    assert (parse_paper("Letter", "portrait").width, parse_paper("Letter", "portrait").height) \
        == (612, 792)
    assert parse_paper("arch-d", "portrait").height == 36 * 72
    assert parse_paper("ARCH E").width == 48 * 72
    assert parse_paper("tabloid", "portrait").height == 17 * 72
    custom = parse_paper("420x594mm", "portrait")
    assert round(custom.width / MM) == 420 and round(custom.height / MM) == 594
    assert parse_paper("24x36in", "landscape").width == 36 * 72
    with pytest.raises(WaymarkError, match="unknown paper"):
        parse_paper("B7")


def test_lengths_and_distances() -> None:
    assert parse_length("3mm") == pytest.approx(3 * MM)
    assert parse_length("0.5in") == 36
    assert parse_distance("1.2m") == 1.2 and parse_distance("80cm") == 0.8
    with pytest.raises(WaymarkError):
        parse_length("three")
    with pytest.raises(WaymarkError):
        parse_distance("100m")
