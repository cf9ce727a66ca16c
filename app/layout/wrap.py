"""Line breaking measured with the layout's fonts (UAX #14), hyphenation, memoised.

Rules, in order: explicit newlines end a paragraph; lines break at spaces (never at
a no-break space); in text with ideographs, kana, hangul, Thai or emoji the break
opportunities are those of the Unicode line breaking algorithm (UAX #14, by ICU
with its dictionaries for Thai and the like, see :mod:`app.layout.linebreak`): CJK
breaks between characters without spaces, never before a closing bracket or 、。,
never after an opening one; Korean breaks at spaces. A word wider than the line is split at
its hyphenation points (``pyphen``, in the map's language, with a hyphen added) or
after a hyphen it already has, then, failing that, between grapheme clusters (a base
character with its combining marks, variation selectors and zero-width-joiner
sequences stay together). No line is ever wider than ``width`` unless a single
cluster is (then that cluster sits alone on its line, and :func:`fits` reports the
overflow so the caller can shrink or grow).

``max_lines`` bounds the number of lines: the last line kept ends with an ellipsis
(:func:`wrap_lines` says whether text was cut).

Widths come from :func:`app.layout.fonts.text_width`: the font fallback chain and
HarfBuzz shaping for text that needs them, plain advance sums for the rest. The
canvas re-lays out on every keystroke, so :func:`wrap_text` is memoised (by text, font
style, size, width, language, line limit) in the layout cache bound for the call
(:func:`app.layout.caches.memoised`: the scene's or the export job's, never shared).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import pairwise
from typing import NamedTuple

from app.layout import caches, linebreak
from app.layout.fonts import advance_sum, remember_sum, text_width

#: Characters after which UAX #14 gives break opportunities without spaces: CJK
#: ideographs, kana, hangul, full-width forms, Thai/Lao/Khmer/Myanmar, emoji.
_NEEDS_UAX14 = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1100-\u115f\u1780-\u17ff\u2e80-\u303f\u3041-\u33ff"
    "\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f"
    "\uff00-\uffef\u2600-\u27bf\U0001f000-\U0001faff\U00020000-\U0003fffd]"
)
#: Whitespace that separates words (not the no-break spaces U+00A0, U+2007, U+202F).
_SPACES = re.compile("[^\\S\u00a0\u2007\u202f]+")
ELLIPSIS = "…"
#: Separators set between spaces ("Before · During", "Q3 – Q4"): each stays on the line of
#: the word before it, so no line begins with one ("· Multilingual journey").
SEPARATORS = frozenset("·•–—|")
HYPHEN = "-"
#: Hyphenate only words at least this long, leaving at least 2 letters on each side.
MIN_HYPHENATED = 5


class Wrapped(NamedTuple):
    """Wrapped lines, and whether ``max_lines`` cut the text short."""

    lines: tuple[str, ...]
    truncated: bool


def clusters(word: str) -> list[str]:
    """Split ``word`` into grapheme-like clusters that must not be separated."""
    out: list[str] = []
    join_next = False
    for ch in word:
        if out and (join_next or unicodedata.combining(ch) or _is_joiner_tail(ch)):
            out[-1] += ch
        else:
            out.append(ch)
        join_next = ch == "\u200d"
    return out


def _is_joiner_tail(ch: str) -> bool:
    code = ord(ch)
    return (
        ch == "\u200d"
        or 0xFE00 <= code <= 0xFE0F  # variation selectors
        or 0x1F3FB <= code <= 0x1F3FF  # skin tone modifiers
        or 0xE0020 <= code <= 0xE007F  # tag characters
        or unicodedata.category(ch) in ("Mc", "Mn", "Me")
    )


@lru_cache(maxsize=16)
def _hyphenator(lang: str) -> object | None:
    import pyphen

    found = pyphen.language_fallback(lang.replace("-", "_"))
    return pyphen.Pyphen(lang=found, left=2, right=2) if found else None


def hyphenation_points(word: str, lang: str | None) -> list[int]:
    """Offsets inside ``word`` where it may be split: after a hyphen it has, and
    (with a language pyphen knows) at its hyphenation points."""
    points = {i + 1 for i, ch in enumerate(word[:-1]) if ch in "-‐/" and i > 0}
    if lang and len(word) >= MIN_HYPHENATED:
        h = _hyphenator(lang)
        if h is not None:
            points.update(h.positions(word))  # type: ignore[attr-defined]
    return sorted(p for p in points if 0 < p < len(word))


#: Scripts whose words are hyphenated when cut (by Unicode character names' first word).
_HYPHENATING = ("LATIN", "GREEK", "CYRILLIC", "ARMENIAN", "GEORGIAN")


def _hyphenates(before: str, after: str) -> bool:
    """Whether a word cut between these two clusters shows a hyphen: both are letters of
    an alphabet that hyphenates (not CJK, Thai, Arabic, Hebrew, digits or symbols)."""
    for cl in (before, after):
        ch = cl[:1] if cl else ""
        if not ch.isalpha():
            return False
        if not ch.isascii() and not unicodedata.name(ch, "").startswith(_HYPHENATING):
            return False
    return True


def _split_clusters(word: str, style: str, size: float, width: float) -> list[str]:
    """``word`` cut between grapheme clusters into pieces no wider than ``width``; a cut
    inside an alphabetic word shows a hyphen (room kept for it), and no piece after the
    first is left with a single letter ("Incomprehensibilitie" / "s")."""
    pieces: list[str] = []
    current = ""
    current_sum = 0.0  # advance sum of ``current`` in font units (exact, see fonts)
    plain = word.isascii()
    hyphen_sum = advance_sum(HYPHEN, style) if plain else 0.0
    parts = list(word) if plain else clusters(word)
    for i, cl in enumerate(parts):
        nxt = parts[i + 1] if i + 1 < len(parts) else ""
        mark = bool(nxt) and _hyphenates(cl, nxt)
        if plain:
            cl_sum = advance_sum(cl, style)
            extra = hyphen_sum if mark else 0.0
            # text_width(current + cl (+ "-"), style, size), from the running sum.
            too_wide = bool(current) and (
                0.001 * 1000.0 * (current_sum + cl_sum + extra) / 1000.0 * size > width)
        else:
            cl_sum = 0.0
            too_wide = bool(current) and text_width(
                current + cl + (HYPHEN if mark else ""), style, size) > width
        if too_wide:
            pieces.append(current)
            current, current_sum = cl, cl_sum
        else:
            current += cl
            current_sum += cl_sum
    if current:
        pieces.append(current)
    return _hyphenated(pieces, style, size, width)


def _hyphenated(pieces: list[str], style: str, size: float, width: float) -> list[str]:
    """``pieces`` of one word with a hyphen after each cut between letters, a lone last
    letter joined by one more from the piece before it when that leaves two or more."""
    if len(pieces) > 1 and len(clusters(pieces[-1])) == 1:
        prev = clusters(pieces[-2])
        if len(prev) >= 3 and text_width(prev[-1] + pieces[-1], style, size) <= width:
            pieces[-2], pieces[-1] = "".join(prev[:-1]), prev[-1] + pieces[-1]
    out = []
    for a, b in pairwise(pieces):
        cut = clusters(a)[-1:] or [""]
        shown = a + HYPHEN if _hyphenates(cut[0], b) else a
        out.append(shown if text_width(shown, style, size) <= width else a)
    return [*out, pieces[-1]] if pieces else pieces


def _split_long(word: str, style: str, size: float, width: float,
                lang: str | None) -> list[str]:
    """Pieces of a word wider than the line: at hyphenation points, else by clusters."""
    points = hyphenation_points(word, lang)
    if not points:
        return _split_clusters(word, style, size, width)
    pieces: list[str] = []
    start = 0
    cuts = [*points, len(word)]
    while start < len(word):
        best = None
        for p in cuts:
            if p <= start:
                continue
            piece = word[start:p]
            shown = piece if p == len(word) or piece.endswith(("-", "‐", "/")) \
                else piece + HYPHEN
            if text_width(shown, style, size) <= width:
                best = (p, shown)
            else:
                break
        if best is None:  # even the next syllable is too wide: split it by clusters
            nxt = next(p for p in cuts if p > start)
            chunk = _split_clusters(word[start:nxt], style, size, width)
            pieces.extend(chunk[:-1])
            start = nxt - len(chunk[-1])
            if len(chunk) == 1:  # a single cluster wider than the line
                pieces.append(chunk[0])
                start = nxt
            continue
        pieces.append(best[1])
        start = best[0]
    return pieces


def _glued(pieces: list[str], join: str, style: str, size: float, width: float
           ) -> list[str]:
    """``pieces`` (words, or UAX #14 units with their spaces) with each spaced separator
    joined to the piece before it, when the two fit a line together."""
    out: list[str] = []
    for piece in pieces:
        if piece.strip() in SEPARATORS and out and out[-1].strip() and (
                text_width((out[-1] + join + piece).strip(), style, size) <= width):
            out[-1] = out[-1] + join + piece
        else:
            out.append(piece)
    return out


def _wrap_plain(paragraph: str, style: str, size: float, width: float, space: float,
                lines: list[str], lang: str | None) -> None:
    """A paragraph broken at spaces only (no wide characters).

    For ASCII the same decisions and float operations as before shaping existed:
    each finished line's advance sum (exact, see :mod:`app.layout.fonts`) is handed
    to the width cache, so measuring the line afterwards costs a lookup. Other text
    is measured word by word through the fallback chain and shaping, then each line
    once more as a whole (shaping across a space never changes a word's advance in
    the fonts used, but a line is checked anyway).
    """
    plain = paragraph.isascii()
    line = ""
    line_w = 0.0
    line_sum = 0.0
    space_sum = advance_sum(" ", style)
    words = paragraph.split() if plain else [w for w in _SPACES.split(paragraph) if w]
    if len(words) > 1 and not SEPARATORS.isdisjoint(words):
        words = _glued(words, " ", style, size, width)
    for token in words:
        if plain:
            token_sum = advance_sum(token, style)
            tw = 0.001 * 1000.0 * token_sum / 1000.0 * size  # == text_width(token, style, size)
        else:
            token_sum = 0.0
            tw = text_width(token, style, size)
        if line:
            if (line_w + space + tw <= width) if plain else _fits(
                    line + " " + token, line_w + space + tw, style, size, width):
                line += " " + token
                line_w += space + tw
                line_sum += space_sum + token_sum
                continue
            if plain:
                remember_sum(line, style, line_sum)
            lines.append(line)
        if tw <= width:
            line, line_w, line_sum = token, tw, token_sum
        else:
            pieces = _split_long(token, style, size, width, lang)
            lines.extend(pieces[:-1])
            line = pieces[-1]
            line_w = text_width(line, style, size)
            line_sum = advance_sum(line, style) if plain else 0.0
    if line and plain:
        remember_sum(line, style, line_sum)
    lines.append(line)


@caches.memoised
def break_units(paragraph: str) -> tuple[str, ...]:
    """``paragraph`` cut after each UAX #14 break opportunity (spaces stay at the end
    of the unit they follow; Thai and the like by dictionary, see
    :mod:`app.layout.linebreak`). Computed once per paragraph."""
    return tuple(linebreak.units(paragraph))


#: Within this many em of the line's width, a line's width is measured whole (shaped);
#: below it, the sum of its units' widths decides (shaping one unit never depends on the
#: next by more than this in the fonts used), which keeps wrapping linear in length.
_EXACT_MARGIN_EM = 0.5


def _fits(line: str, approx: float, style: str, size: float, width: float) -> bool:
    """Whether ``line`` fits: by ``approx`` (summed widths) when far from the limit, by
    shaping the whole line when close to it."""
    if approx <= width - _EXACT_MARGIN_EM * size:
        return True
    if approx > width + _EXACT_MARGIN_EM * size:
        return False
    return text_width(line, style, size) <= width


def _wrap_uax14(paragraph: str, style: str, size: float, width: float,
                lines: list[str], lang: str | None) -> None:
    """A paragraph broken at UAX #14 opportunities (CJK, Thai, emoji, mixed)."""
    line = ""
    line_w = 0.0  # the line's width as the sum of its units' (see _fits)
    space_w = text_width(" ", style, size)
    units = break_units(paragraph)
    if any(u.strip() in SEPARATORS for u in units):
        units = tuple(_glued(list(units), "", style, size, width))
    for unit in units:
        word = _SPACES.sub(" ", unit).rstrip(" ")
        trail = " " if word != _SPACES.sub(" ", unit) else ""
        if not word:  # only spaces
            if line and not line.endswith(" "):
                line += " "
                line_w += space_w
            continue
        word_w = text_width(word, style, size)
        if line:
            candidate = line + word
            if _fits(candidate, line_w + word_w, style, size, width):
                line = candidate + trail
                line_w += word_w + (space_w if trail else 0.0)
                continue
            lines.append(line.rstrip(" "))
            line, line_w = "", 0.0
        if word_w <= width:
            line = word + trail
            line_w = word_w + (space_w if trail else 0.0)
        else:
            pieces = _split_long(word, style, size, width, lang)
            lines.extend(pieces[:-1])
            line = pieces[-1] + trail
            line_w = text_width(line.rstrip(" "), style, size) + (space_w if trail else 0.0)
    lines.append(line.rstrip(" "))


def words(text: str) -> list[str]:
    """The pieces of ``text`` no line break may fall inside (without hyphenation): words
    between spaces, and for CJK, Thai or emoji text the UAX #14 units (so a Chinese
    title is many "words", one per ideograph or so, not one)."""
    out: list[str] = []
    for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not paragraph.isascii() and _NEEDS_UAX14.search(paragraph) is not None:
            out.extend(w for u in break_units(paragraph) if (w := _SPACES.sub(" ", u).strip()))
        else:
            out.extend(paragraph.split() if paragraph.isascii()
                       else [w for w in _SPACES.split(paragraph) if w])
    return out


def _wrap(text: str, style: str, size: float, width: float, lang: str | None) -> list[str]:
    lines: list[str] = []
    space = text_width(" ", style, size)
    for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not paragraph.isascii() and _NEEDS_UAX14.search(paragraph) is not None:
            _wrap_uax14(paragraph, style, size, width, lines, lang)
        else:
            _wrap_plain(paragraph, style, size, width, space, lines, lang)
    return lines or [""]


def _ellipsize(line: str, style: str, size: float, width: float) -> str:
    """``line`` shortened (by whole clusters) until it fits with an ellipsis after it."""
    parts = clusters(line.rstrip(" -"))
    while parts and text_width("".join(parts).rstrip() + ELLIPSIS, style, size) > width:
        parts.pop()
    return "".join(parts).rstrip() + ELLIPSIS


@caches.memoised
def wrap_lines(text: str, style: str, size: float, width: float, *,
               lang: str | None = None, max_lines: int | None = None) -> Wrapped:
    """:func:`wrap_text` and whether ``max_lines`` cut the text short."""
    lines = _wrap(text, style, size, width, lang)
    if max_lines is not None and 0 < max_lines < len(lines):
        kept = lines[:max_lines]
        kept[-1] = _ellipsize(kept[-1], style, size, width)
        return Wrapped(tuple(kept), True)
    return Wrapped(tuple(lines), False)


@caches.memoised
def wrap_text(text: str, style: str, size: float, width: float, *,
              lang: str | None = None, max_lines: int | None = None) -> tuple[str, ...]:
    """The lines of ``text`` wrapped to ``width`` points at ``size`` pt in ``style``.

    Returns at least one line (an empty string for empty text). Trailing and
    repeated spaces collapse to one; each line is stripped. ``lang`` (a language
    tag such as ``"de"`` or ``"en-GB"``) hyphenates words wider than the line;
    ``max_lines`` keeps at most that many lines, the last ending with "…".
    """
    if lang is None and max_lines is None:
        return tuple(_wrap(text, style, size, width, None))
    return wrap_lines(text, style, size, width, lang=lang, max_lines=max_lines).lines


def _at_separators(text: str) -> list[str]:
    """``text`` cut after each spaced separator ("A ·", "B ·", "C"), one paragraph only."""
    if "\n" in text or SEPARATORS.isdisjoint(text):
        return [text]
    parts, current = [], []
    for word in text.split(" "):
        if not word:
            continue
        current.append(word)
        if word in SEPARATORS:
            parts.append(" ".join(current))
            current = []
    if current:
        parts.append(" ".join(current))
    return parts


def balanced(text: str, style: str, size: float, width: float) -> tuple[str, ...]:
    """:func:`wrap_text` at the narrowest width that needs no more lines than ``width``
    does: the lines of a heading evened out ("가입" / "Sign up", not "가입 Sign" / "up";
    "Buying an e-bike online," / "collecting in store"), never more of them."""
    lines = wrap_text(text, style, size, width)
    if len(lines) < 2:
        return lines
    parts = _at_separators(text)
    if len(parts) > 1:  # a heading in parts ("A · B · C") breaks after its separators
        packed: list[str] = []
        for part in parts:
            if packed and text_width(f"{packed[-1]} {part}", style, size) <= width:
                packed[-1] = f"{packed[-1]} {part}"
            else:
                packed.append(part)
        if len(packed) <= len(lines) and all(text_width(p, style, size) <= width
                                             for p in packed):
            return tuple(packed)
    low, high = widest(lines, style, size) / len(lines), width
    for _ in range(14):
        mid = (low + high) / 2
        if len(wrap_text(text, style, size, mid)) <= len(lines):
            high = mid
        else:
            low = mid
    return wrap_text(text, style, size, high)


def join_lines(lines: tuple[str, ...] | list[str]) -> str:
    """Wrapped lines joined back into one string: with a space between words, without
    one where the break fell between ideographs (or other text written without spaces)."""
    out = ""
    for line in lines:
        if out and not (_NEEDS_UAX14.match(out[-1]) or _NEEDS_UAX14.match(line[:1] or " ")):
            out += " "
        out += line
    return out


def widest(lines: tuple[str, ...] | list[str], style: str, size: float) -> float:
    """Width of the widest line."""
    return max((text_width(line, style, size) for line in lines), default=0.0)


def fits(lines: tuple[str, ...] | list[str], style: str, size: float, width: float) -> bool:
    """True when no line is wider than ``width`` (allowing float rounding)."""
    return widest(lines, style, size) <= width + 1e-6

