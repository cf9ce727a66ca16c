"""Qt rendering of a layout: the one QPainter interpreter of paint ops (``qtpaint``,
with ``qtshaped`` for shaped glyph runs), used by the canvas items and by the PNG
renderer (``png``). The only floor besides ``app.ui`` that imports PySide6; it stands on
``app.export`` (options, atomic writes, page layouts) and ``app.layout``, never the reverse.
"""
