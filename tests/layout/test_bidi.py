"""Visual ordering of right-to-left text for the PDF renderer."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.layout.bidi import visual_order


def test_left_to_right_text_is_untouched() -> None:
    assert visual_order("Checkout <b> & (x)") == "Checkout <b> & (x)"


def test_hebrew_words_and_embedded_latin_and_numbers() -> None:
    assert visual_order("שלום עולם") == "םלוע םולש"
    assert visual_order("abc שלום def") == "abc םולש def"
    assert visual_order("שלום 123 עולם") == "םלוע 123 םולש"
    assert visual_order("שלום (abc) עולם") == "םלוע (abc) םולש"
    assert visual_order("price (מחיר) ok") == "price (ריחמ) ok"


@given(st.text(alphabet="abc שלום123()", max_size=40))
def test_reordering_keeps_every_character(text: str) -> None:
    out = visual_order(text)  # brackets may be mirrored, nothing else changes
    assert sorted(out.replace(")", "(")) == sorted(text.replace(")", "("))
