"""Visual order for right-to-left text in renderers that draw glyphs left to right (the PDF).

Qt applies the full Unicode Bidirectional Algorithm itself; reportlab's
``drawString`` does not, so Hebrew would print backwards. This is a compact
version of UAX #9 for one line: resolve each character's embedding level
(strong types; numbers in right-to-left context one level up; neutrals take
the direction of the strong characters around them, else the base direction),
then reverse runs from the highest level down (rule L2) and mirror brackets in
right-to-left runs. It does not shape Arabic letters (the PDF shows isolated
forms); advance widths do not change, so the layout's line breaks still hold.
"""

from __future__ import annotations

import unicodedata

_RTL = {"R", "AL"}
_NUM = {"EN", "AN"}
_MIRROR = str.maketrans("()[]{}<>«»", ")(][}{><»«")


def has_rtl(text: str) -> bool:
    """True when ``text`` holds any right-to-left letter."""
    if text.isascii():
        return False
    return any(unicodedata.bidirectional(ch) in _RTL for ch in text)


def visual_order(text: str) -> str:
    """``text`` (one line, logical order) rearranged into left-to-right display order."""
    if not has_rtl(text):
        return text
    kinds = [unicodedata.bidirectional(ch) for ch in text]
    strong = ["R" if k in _RTL else "L" if k == "L" else "N" for k in kinds]
    base_rtl = next((s for s in strong if s != "N"), "L") == "R"
    base = 1 if base_rtl else 0
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
    chars = [ch.translate(_MIRROR) if lv % 2 == 1 else ch for ch, lv in zip(text, levels,
                                                                           strict=True)]
    for level in range(max(levels), base, -1):
        k = 0
        while k < n:
            if levels[k] >= level:
                m = k
                while m < n and levels[m] >= level:
                    m += 1
                chars[k:m] = chars[k:m][::-1]
                levels[k:m] = levels[k:m][::-1]
                k = m
            else:
                k += 1
    if base_rtl:
        chars.reverse()
    return "".join(chars)
