"""Qt-free layout engine: document + style + target -> positioned boxes and text lines.

For the canvas author
---------------------
::

    from app.layout import layout_map, layout_card_text, Style, Target
    lay = layout_map(doc.data, map_id)              # Target.screen(): natural size, scale 1
    lay = layout_map(doc.data, map_id, Target.for_paper(parse_paper("A1")))  # fitted to A1

Units are points (1/72 in), origin top-left, y down; on the canvas 1 scene unit
= 1 pt. A paper target is the natural layout scaled uniformly (``lay.scale``)
and centred on the page, so **line breaks are identical on canvas and paper**.

What a :class:`MapLayout` holds (all frozen dataclasses, see ``boxes.py``):

* ``width``, ``height``, ``background``; ``title`` (:class:`TitleBlock`:
  title lines, meta lines with persona, owner, last reviewed, version).
* ``phases`` (bands over consecutive stages sharing ``Stage.phase``),
  ``stages`` (:class:`StageHeader`: header ``rect``, whole ``column``, fill,
  centred text ``lines``, ``empty``), ``lanes`` (:class:`LaneLabel`: label
  ``rect``, full ``row``, ``lines``, ``collapsed``, kind ``marker``).
* ``grid`` (the stage x lane area), ``cells`` ``{(stage_id, lane_id): Rect}``
  (every cell has a height, empty ones too; collapsed lanes are thin).
* ``cards`` ``{card_id: CardBox}``: ``rect``, ``fill``, ``border``, kind
  ``marker`` (:class:`Glyph`, shape + colour), ``title_lines``,
  ``body_lines`` and ``badges`` (emotion, channel, votes, metrics,
  assumption). Cards of collapsed lanes are absent.
* ``curve`` (:class:`EmotionCurve`, :mod:`app.layout.curve`): ``band``, ``zero_y``,
  ``points`` (one per emotion card, above it: score, glyph, ``card_id``) and cubic
  ``segments`` ``(x0, y0, c1x, c1y, c2x, c2y, x1, y1)``; ``means`` /
  ``mean_segments`` (stage averages), ``room`` / ``room_segments`` / ``room_band``
  (the room's mean feelings and the polygon of their interquartile spread).
* ``links`` (:class:`LinkPath`: Bezier + arrow polygon), ``legend``, ``footer``.
* ``all_text()`` lists every :class:`TextLine` ``(x, y_baseline, text, font,
  size_pt, colour, width)`` in absolute coordinates.

Live editing: ``layout_card_text(card, width, style)`` lays out one card at
(0, 0) exactly as the map does (wrap, shrink the title, then grow); use
``width = style.em(style.card_width_em)`` (every card has that width; a busy
stage gets two card columns). Wrapping is memoised (:func:`wrap_text`), so
calling it per keystroke is cheap; a whole map lays out in ~10-40 ms.

Colours are the user's unless ``Style(fix_contrast=True)`` (the export's
``--fix-contrast``), which repairs text below WCAG 4.5:1; the canvas may want
that on. Drawing order and primitives: ``app.layout.paint.paint_ops(layout)``
(what the PDF/PNG/SVG renderers walk; the canvas can reuse it per item).

Fonts: DejaVu Sans from ``resources/fonts`` (``fonts.font_file(style)``);
Qt renderers must register those files (QFontDatabase.addApplicationFont)
and draw with pixel-independent point sizes taken from the TextLines.
"""

from app.layout.boxes import (
    Badge,
    CardBox,
    EmotionCurve,
    EmotionPoint,
    Glyph,
    LaneLabel,
    Legend,
    LegendEntry,
    LinkPath,
    MapLayout,
    PhaseGroup,
    Rect,
    StageHeader,
    TextLine,
    TitleBlock,
)
from app.layout.cardtext import CardText, layout_card_text
from app.layout.engine import layout_map
from app.layout.paper import Paper, parse_distance, parse_length, parse_paper
from app.layout.style import Style, Target
from app.layout.wrap import wrap_text

__all__ = [
    "Badge", "CardBox", "CardText", "EmotionCurve", "EmotionPoint", "Glyph", "LaneLabel",
    "Legend", "LegendEntry", "LinkPath", "MapLayout", "Paper", "PhaseGroup", "Rect",
    "StageHeader", "Style", "Target", "TextLine", "TitleBlock", "layout_card_text",
    "layout_map", "parse_distance", "parse_length", "parse_paper", "wrap_text",
]
