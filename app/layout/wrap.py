"""Greedy word wrapping measured with the embedded fonts, memoised.

Rules, in order: explicit newlines end a paragraph; lines break at spaces
(never at a no-break space);
a CJK character (or other wide ideograph/kana/hangul) is a break opportunity
on its own; a word wider than the line is split between grapheme clusters
(a base character with its combining marks, variation selectors and
zero-width-joiner sequences stay together). No line is ever wider than
``width`` unless a single cluster is (then that cluster sits alone on its line,
and :func:`fits` reports the overflow so the caller can shrink or grow).

The canvas re-lays out on every keystroke, so :func:`wrap_text` is an LRU
cache keyed by (text, font style, size, width).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from app.layout.fonts import advance_sum, remember_sum, text_width

_WIDE = re.compile(
    "[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff"
    "\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6"
    "\U00020000-\U0003fffd]"
)
_TOKEN = re.compile(
    "[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff"
    "\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6"
    "\U00020000-\U0003fffd][\u0300-\u036f\ufe00-\ufe0f]*"  # one wide char (+marks)
    "|(?:[^\\s\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff"
    "\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6"
    "\U00020000-\U0003fffd]|\u00a0|\u202f)+"  # a run of other non-space characters
)


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
        or unicodedata.category(ch) == "Mc"
    )


def _split_long(word: str, style: str, size: float, width: float,
                hyphen: bool = False) -> list[str]:
    """``word`` cut into pieces no wider than ``width``; with ``hyphen``, a piece cut
    between two letters ends with a hyphen (measured with it).

    This is the minimal hook for hyphenation: it cuts where the line is full, not at a
    syllable; dictionary hyphenation (pyphen, by the map's language) replaces the cut
    point here when it lands.
    """
    pieces: list[str] = []
    current = ""
    current_sum = 0.0  # advance sum of ``current`` in font units (exact, see fonts)
    hyphen_sum = advance_sum("-", style) if hyphen else 0.0
    for cl in (word if word.isascii() else clusters(word)):
        cl_sum = advance_sum(cl, style)
        mark = hyphen and current[-1:].isalpha() and cl[:1].isalpha()
        # text_width(current + cl (+ "-"), style, size), computed from the running sum.
        extra = hyphen_sum if hyphen else 0.0
        if current and 0.001 * 1000.0 * (current_sum + cl_sum + extra) / 1000.0 * size > width:
            pieces.append(current + "-" if mark else current)
            current, current_sum = cl, cl_sum
        else:
            current += cl
            current_sum += cl_sum
    if current:
        pieces.append(current)
    return pieces


def _wrap_plain(paragraph: str, style: str, size: float, width: float, space: float,
                lines: list[str], hyphen: bool = False) -> None:
    """:func:`wrap_text` for a paragraph without wide characters or no-break spaces.

    The same decisions and float operations as the general loop below (each token is
    a whitespace-separated word and glues to a non-empty line), without the regex.
    Each finished line's advance sum (exact, see :mod:`app.layout.fonts`) is handed
    to the width cache, so measuring the line afterwards costs a lookup.
    """
    line = ""
    line_w = 0.0
    line_sum = 0.0
    space_sum = advance_sum(" ", style)
    for token in paragraph.split():
        token_sum = advance_sum(token, style)
        tw = 0.001 * 1000.0 * token_sum / 1000.0 * size  # == text_width(token, style, size)
        if line:
            if line_w + space + tw <= width:
                line += " " + token
                line_w += space + tw
                line_sum += space_sum + token_sum
                continue
            remember_sum(line, style, line_sum)
            lines.append(line)
        if tw <= width:
            line, line_w, line_sum = token, tw, token_sum
        else:
            pieces = _split_long(token, style, size, width, hyphen)
            lines.extend(pieces[:-1])
            line = pieces[-1]
            line_w = text_width(line, style, size)
            line_sum = advance_sum(line, style)
    if line:
        remember_sum(line, style, line_sum)
    lines.append(line)


@lru_cache(maxsize=65536)
def wrap_text(text: str, style: str, size: float, width: float,
              hyphen: bool = False) -> tuple[str, ...]:
    """The lines of ``text`` wrapped to ``width`` points at ``size`` pt in ``style``.

    Returns at least one line (an empty string for empty text). Trailing and
    repeated spaces collapse to one; each line is stripped. ``hyphen``: a word
    wider than the line is cut with a hyphen (titles and headers ask for it).
    """
    lines: list[str] = []
    space = text_width(" ", style, size)
    for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if paragraph.isascii() or (_WIDE.search(paragraph) is None
                                   and "\u00a0" not in paragraph and "\u202f" not in paragraph):
            _wrap_plain(paragraph, style, size, width, space, lines, hyphen)
            continue
        line = ""
        line_w = 0.0
        # tokens with a flag: was there whitespace before this token?
        pos = 0
        for m in _TOKEN.finditer(paragraph):
            spaced = m.start() > pos and paragraph[pos:m.start()].strip() == "" and bool(line)
            # Wide characters are break opportunities even without a space.
            gap = space if spaced else 0.0
            pos = m.end()
            token = m.group()
            tw = text_width(token, style, size)
            glue = spaced or _WIDE.match(token) is not None or _ends_wide(line)
            if line and glue and line_w + gap + tw <= width:
                line += (" " if spaced else "") + token
                line_w += gap + tw
                continue
            if line and not glue:
                # No break opportunity: the token continues the line's last word.
                candidate = line + token
                if text_width(candidate, style, size) <= width:
                    line, line_w = candidate, text_width(candidate, style, size)
                    continue
            if line:
                lines.append(line)
                line, line_w = "", 0.0
            if tw <= width:
                line, line_w = token, tw
            else:
                pieces = _split_long(token, style, size, width, hyphen)
                lines.extend(pieces[:-1])
                line = pieces[-1]
                line_w = text_width(line, style, size)
        lines.append(line)
    return tuple(lines) if lines else ("",)


def _ends_wide(line: str) -> bool:
    return bool(line) and _WIDE.match(line[-1]) is not None


def widest(lines: tuple[str, ...] | list[str], style: str, size: float) -> float:
    """Width of the widest line."""
    return max((text_width(line, style, size) for line in lines), default=0.0)


def fits(lines: tuple[str, ...] | list[str], style: str, size: float, width: float) -> bool:
    """True when no line is wider than ``width`` (allowing float rounding)."""
    return widest(lines, style, size) <= width + 1e-6
