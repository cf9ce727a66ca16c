"""Word wrapping: widths from the embedded font, long words, CJK, emoji, memoisation."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from app.layout.fonts import text_width
from app.layout.wrap import balanced, clusters, fits, wrap_lines, wrap_text


def test_wraps_at_spaces_within_width() -> None:
    lines = wrap_text("Compare features and price before buying", "regular", 10, 80)
    assert len(lines) > 1
    assert all(text_width(line, "regular", 10) <= 80 for line in lines)
    assert " ".join(lines) == "Compare features and price before buying"


def test_long_word_is_split_and_kept_whole() -> None:
    word = "Supercalifragilisticexpialidocious"
    lines = wrap_text(word, "bold", 12, 60)
    assert len(lines) > 1
    # each cut shows a hyphen (issue 14; the poster review found cuts without one)
    assert all(ln.endswith("-") for ln in lines[:-1])
    assert "".join(ln.removesuffix("-") for ln in lines) == word
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


def test_wrapping_is_memoised_in_the_bound_cache_only() -> None:
    from app.layout.caches import LayoutCache

    text = "memo test text, wrapped twice"
    bare = wrap_text(text, "regular", 10, 50)
    assert wrap_text(text, "regular", 10, 50) is not bare  # no cache bound: nothing kept
    cache, other = LayoutCache(), LayoutCache()
    with cache.measuring():
        first = wrap_text(text, "regular", 10, 50)
        assert wrap_text(text, "regular", 10, 50) is first  # the second call is a lookup
    with other.measuring():
        assert wrap_text(text, "regular", 10, 50) is not first  # another owner's is its own
    assert first == bare
    assert cache.sizes()["app.layout.wrap.wrap_text"] == 1


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
    # Nothing is lost but whitespace (and nothing added but the hyphens of cut words).
    assert "".join("".join(lines).split()).replace("-", "") == \
        "".join(text.split()).replace("-", "")


def test_long_word_hyphenated_in_the_maps_language() -> None:
    word = "Kundenzufriedenheitsbefragung"
    lines = wrap_text(f"Die {word} im Juni", "regular", 10, 70, lang="de")
    pieces = [ln for ln in lines if ln.endswith("-")]
    assert pieces, lines  # split at hyphenation points, each piece with a hyphen
    assert "".join(ln.removesuffix("-") for ln in lines).replace(" ", "") == \
        f"Die{word}imJuni"
    assert fits(lines, "regular", 10, 70)
    # every cut is one of pyphen's points for German
    import pyphen

    points = set(pyphen.Pyphen(lang="de").positions(word))
    joined = 0
    for ln in lines:
        if ln.endswith("-") and word.startswith(ln[:-1], joined):
            joined += len(ln) - 1
            assert joined in points


def test_without_a_language_a_long_word_is_cut_between_letters_with_a_hyphen() -> None:
    # Seen on posters (the layout knows no map language): "Incomprehe" / "nsibilities"
    # printed as two words, "Incomprehensibilitie" / "s" left one letter on a line.
    word = "Kundenzufriedenheitsbefragung"
    for width in range(40, 120, 3):
        lines = wrap_text(word, "regular", 10, width)
        assert "".join(ln.removesuffix("-") for ln in lines) == word
        assert all(ln.endswith("-") for ln in lines[:-1]), lines
        assert all(len(ln.removesuffix("-")) >= 2 for ln in lines), lines
        assert fits(lines, "regular", 10, width)
    lines = wrap_text("Incomprehensibilities unexpected", "bold", 5.9, 70)
    assert lines[0].endswith("-") and len(lines[1].split()[0]) >= 2, lines


def test_scripts_without_hyphens_and_numbers_are_cut_without_one() -> None:
    for text in ("مرحبابالعالمالكبيرجدا", "שלוםעולםגדולמאודמאוד", "12345678901234567890"):
        lines = wrap_text(text, "regular", 10, 40)
        assert len(lines) > 1 and "".join(lines) == text, lines


def test_existing_hyphens_are_break_points_for_long_words() -> None:
    text = "customer-journey-mapping-workshop-followup"
    lines = wrap_text(text, "regular", 10, 90)
    assert len(lines) > 1 and "".join(lines) == text
    assert all(ln.endswith("-") for ln in lines[:-1])


def test_max_lines_ends_with_an_ellipsis() -> None:
    text = "Customers abandon the sign up form when it asks for a phone number twice"
    full = wrap_text(text, "regular", 10, 80)
    assert len(full) > 2
    cut = wrap_lines(text, "regular", 10, 80, max_lines=2)
    assert cut.truncated and len(cut.lines) == 2
    assert cut.lines[0] == full[0] and cut.lines[1].endswith("…")
    assert fits(cut.lines, "regular", 10, 80)
    assert not wrap_lines(text, "regular", 10, 80, max_lines=10).truncated
    assert wrap_text(text, "regular", 10, 80, max_lines=2) == cut.lines


def test_cjk_never_breaks_before_closing_punctuation() -> None:
    text = "予約を変更できないため、電話窓口に問い合わせが集中しています。"
    for width in (30, 45, 52, 61, 75, 100):
        lines = wrap_text(text, "regular", 10, width)
        assert "".join(lines) == text
        assert fits(lines, "regular", 10, width)
        assert not any(ln.startswith(("、", "。")) for ln in lines[1:]), (width, lines)


def test_thai_and_mixed_scripts_keep_every_character() -> None:
    text = "ยืนยันการชำระเงิน ไม่สำเร็จ checkout ล้มเหลว 😀"
    lines = wrap_text(text, "regular", 10, 60)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert fits(lines, "regular", 10, 60)


def test_hebrew_then_arabic_in_one_face_are_shaped_each_in_its_script() -> None:
    """DejaVu Sans has both: one HarfBuzz run in Hebrew's script would set the Arabic
    unjoined (isolated forms, wider than the words measured alone)."""
    from app.layout.shaping import shape

    line = "שלום עולם مرحبا بالعالم"
    parts = shape("שלום עולם ", "regular").advance + shape("مرحبا بالعالم", "regular").advance
    assert abs(shape(line, "regular").advance - parts) < 1e-9
    lines = wrap_text("…" + line, "regular", 10, 125)
    assert fits(lines, "regular", 10, 125)


def test_a_cut_off_chinese_title_continues_without_spaces() -> None:
    from app.layout.cardtext import title_and_overflow

    title = "价格页面看不懂，高级版和专业版有什么区别，年付和月付又有什么不同"
    lines, rest = title_and_overflow(title, 12.5, 60, 2)
    assert len(lines) == 2 and rest.startswith("…") and " " not in rest
    assert (lines[0] + lines[1].rstrip("…") + rest[1:]) == title



def test_a_spaced_separator_ends_a_line_rather_than_begins_one() -> None:
    # Seen on the multilingual map's A2 landscape poster: its title's second line began
    # "· Multilingual". A separator stays with the word before it when the two fit a line.
    for text in ("Before · During · After the big moment", "Q3 – Q4 – Q1 of the next year",
                 "多言語ジャーニー · رحلة العميل · Multilingual journey"):
        for width in range(60, 400, 7):
            lines = wrap_text(text, "bold", 10, width)
            assert fits(lines, "bold", 10, width)
            for before, line in pairwise(lines):
                head = line.split(" ")[0]
                if head in ("·", "–"):
                    last = before.split(" ")[-1]
                    assert text_width(f"{last} {head}", "bold", 10) > width, lines


def test_a_heading_in_parts_breaks_after_its_separators() -> None:
    title = "多言語ジャーニー · رحلة العميل · Multilingual journey"
    for width in range(120, 260, 9):
        lines = balanced(title, "bold", 10, width)
        assert len(lines) <= len(wrap_text(title, "bold", 10, width)) and fits(
            lines, "bold", 10, width)
        assert all(ln.endswith("·") for ln in lines[:-1]), (width, lines)
        assert " ".join(lines) == title
