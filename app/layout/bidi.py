"""Visual order for right-to-left text in renderers that draw glyphs left to right (the PDF).

Qt applies the full Unicode Bidirectional Algorithm itself; reportlab's
``drawString`` does not, so Hebrew would print backwards. This is a compact
version of UAX #9 for one line: resolve each character's embedding level
(strong types; numbers in right-to-left context one level up; neutrals take
the direction of the strong characters around them, else the base direction),
then reverse runs from the highest level down (rule L2) and mirror brackets in
right-to-left runs. :func:`embedding_levels` gives the levels themselves: the
shaper (:mod:`app.layout.shaping`) cuts a line into runs by level, shapes each
run in logical order with HarfBuzz and places the runs in visual order
(:func:`visual_runs`), so the file keeps logical order and the page shows visual.
"""

from __future__ import annotations

import unicodedata

_RTL = {"R", "AL"}
_NUM = {"EN", "AN"}
_MIRROR = str.maketrans("()[]{}<>«»", ")(][}{><»«")
MIRROR = _MIRROR  # brackets swapped, as in right-to-left runs


def has_rtl(text: str) -> bool:
    """True when ``text`` holds any right-to-left letter."""
    if text.isascii():
        return False
    return any(unicodedata.bidirectional(ch) in _RTL for ch in text)


def paragraph_is_rtl(text: str) -> bool:
    """Whether a paragraph runs right to left: its first strong character is (UAX #9
    rules P2-P3)."""
    if text.isascii():
        return False
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in _RTL:
            return True
        if kind == "L":
            return False
    return False


LRM, RLM = "\u200e", "\u200f"


def directed_lines(lines: tuple[str, ...], paragraph: str) -> tuple[str, ...]:
    """The wrapped ``lines`` of ``paragraph``, each that would run the other way on its own
    led by a left-to-right or right-to-left mark (invisible, no width): every renderer sets
    a line alone, and a line of a left-to-right title that starts with Arabic would else be
    set right to left ("Multilingual · العميل" for "العميل · Multilingual")."""
    if not has_rtl(paragraph):
        return lines
    rtl = paragraph_is_rtl(paragraph)
    mark = RLM if rtl else LRM
    return tuple(mark + ln if ln and paragraph_is_rtl(ln) != rtl else ln for ln in lines)


def embedding_levels(text: str) -> tuple[list[int], int]:
    """Each character's resolved embedding level, and the paragraph's base level."""
    kinds = [unicodedata.bidirectional(ch) for ch in text]
    strong = ["R" if k in _RTL else "L" if k == "L" else "N" for k in kinds]
    base_rtl = next((s for s in strong if s != "N"), "L") == "R"
    # Neutrals take the surrounding strong direction when both sides agree.
    resolved = list(strong)
    n = len(text)
    i = 0
    while i < n:
        if resolved[i] != "N":
            i += 1
            continue
        j = i
        while j < n and resolved[j] == "N":
            j += 1
        before = next((resolved[k] for k in range(i - 1, -1, -1) if resolved[k] != "N"),
                      "R" if base_rtl else "L")
        after = next((resolved[k] for k in range(j, n) if resolved[k] != "N"),
                     "R" if base_rtl else "L")
        side = before if before == after else ("R" if base_rtl else "L")
        for k in range(i, j):
            # Digits stay a left-to-right number inside right-to-left text.
            resolved[k] = "D" if kinds[k] in _NUM and side == "R" else side
        i = j
    levels = []
    for r in resolved:
        if r == "L":
            levels.append(2 if base_rtl else 0)
        elif r == "D":
            levels.append(2)
        else:
            levels.append(1)
    return levels, 1 if base_rtl else 0


def reorder(levels: list[int], base: int) -> list[int]:
    """Indices of ``levels`` in visual (left-to-right) order (rule L2)."""
    order = list(range(len(levels)))
    lv = list(levels)
    n = len(lv)
    for level in range(max(lv, default=0), base, -1):
        k = 0
        while k < n:
            if lv[k] >= level:
                m = k
                while m < n and lv[m] >= level:
                    m += 1
                order[k:m] = order[k:m][::-1]
                lv[k:m] = lv[k:m][::-1]
                k = m
            else:
                k += 1
    if base % 2 == 1:
        order.reverse()
    return order


def visual_order(text: str) -> str:
    """``text`` (one line, logical order) rearranged into left-to-right display order."""
    if not has_rtl(text):
        return text
    levels, base = embedding_levels(text)
    order = reorder(levels, base)
    return "".join(text[i].translate(_MIRROR) if levels[i] % 2 == 1 else text[i]
                   for i in order)
