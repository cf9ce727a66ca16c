"""Word wrapping: widths from the embedded font, long words, CJK, emoji, memoisation."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.layout.fonts import text_width
from app.layout.wrap import clusters, fits, wrap_text


def test_wraps_at_spaces_within_width() -> None:
    lines = wrap_text("Compare features and price before buying", "regular", 10, 80)
    assert len(lines) > 1
    assert all(text_width(line, "regular", 10) <= 80 for line in lines)
    assert " ".join(lines) == "Compare features and price before buying"


def test_long_word_is_split_and_kept_whole() -> None:
    word = "Supercalifragilisticexpialidocious"
    lines = wrap_text(word, "bold", 12, 60)
    assert len(lines) > 1
    assert "".join(lines) == word
    assert fits(lines, "bold", 12, 60)


def test_cjk_breaks_between_characters() -> None:
    text = "日本語のテキストを折り返します"
    lines = wrap_text(text, "regular", 10, 40)
    assert len(lines) > 1 and "".join(lines) == text
    assert fits(lines, "regular", 10, 40)


def test_newlines_make_paragraphs_and_empty_text_one_line() -> None:
    assert wrap_text("a\n\nb", "regular", 10, 100) == ("a", "", "b")
    assert wrap_text("", "regular", 10, 100) == ("",)


def test_emoji_zwj_sequence_never_split() -> None:
    family = "👩\u200d👩\u200d👧"
    assert clusters(family + "x") == [family, "x"]
    lines = wrap_text(family * 6, "regular", 10, 12)
    assert all(line.count("\u200d") % 2 == 0 for line in lines)


def test_combining_mark_stays_with_its_letter() -> None:
    text = "e\u0301" * 30
    for line in wrap_text(text, "regular", 10, 20):
        assert not line.startswith("\u0301")


def test_wrapping_is_memoised() -> None:
    wrap_text.cache_clear()
    wrap_text("memo test text", "regular", 10, 50)
    wrap_text("memo test text", "regular", 10, 50)
    assert wrap_text.cache_info().hits >= 1


def test_width_is_linear_in_size() -> None:
    assert abs(text_width("Hello", "regular", 20) - 2 * text_width("Hello", "regular", 10)) < 1e-9


TEXT = st.lists(
    st.sampled_from(
        [*"abcdefghij ABC   .,-'", "WWW", "日", "本", "語", "ש", "ל", "ו", "ם", "ع", "ر",
         "😀", "👍🏽", "\u200d", "e\u0301", "\n", "ﬁ", "Ω", "Donaudampfschifffahrtsgesellschaft"]
    ),
    max_size=60,
).map("".join)


@given(text=TEXT, width=st.floats(min_value=20, max_value=300),
       size=st.sampled_from([8.0, 10.0, 12.5, 21.0]),
       style=st.sampled_from(["regular", "bold", "italic", "bolditalic"]))
def test_no_line_wider_than_width(text: str, width: float, size: float, style: str) -> None:
    lines = wrap_text(text, style, size, width)
    for line in lines:
        too_wide = text_width(line, style, size) > width + 1e-6
        # Only a single unbreakable cluster may be wider than the line.
        assert not too_wide or len(clusters(line)) == 1
    # Nothing is lost but whitespace.
    assert "".join("".join(lines).split()) == "".join(text.split())
