"""The overview (minimap): the whole map small, the visible part framed; click to go there.

The map is rendered once into a pixmap (again after a document change, a selection
change or a resize), and the frame of the main view's visible area is drawn over it,
so scrolling the main canvas repaints the overview for the cost of one pixmap copy.
The view shows a private empty scene whose rectangle mirrors the canvas scene's, so
its coordinates are the map's.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView, QWidget

from app.ui.canvas.view import CanvasView


class OverviewView(QGraphicsView):
    """A non-interactive picture of the canvas scene."""

    def __init__(self, main: CanvasView, parent: QWidget | None = None) -> None:
        self._blank = QGraphicsScene()
        super().__init__(self._blank, parent)
        self.main = main
        self._pixmap: QPixmap | None = None
        self._source = QRectF()
        self.setInteractive(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(120)
        scene = main.map_scene
        scene.refreshed.connect(self.refit)
        scene.selectionChanged.connect(self.invalidate)
        for bar in (main.horizontalScrollBar(), main.verticalScrollBar()):
            bar.valueChanged.connect(lambda _v: self.viewport().update())
        main.zoomed.connect(lambda _z: self.viewport().update())
        self.refit()

    def invalidate(self) -> None:
        """Render the map again at the next paint."""
        self._pixmap = None
        self.viewport().update()

    def refit(self) -> None:
        """Fit the whole map."""
        self._blank.setSceneRect(self.main.map_scene.sceneRect())
        lay = self.main.map_scene.layout
        if lay is not None:
            self.fitInView(QRectF(0, 0, lay.width, lay.height),
                           Qt.AspectRatioMode.KeepAspectRatio)
        self.invalidate()

    def resizeEvent(self, event) -> None:
        """Keep the map fitted."""
        super().resizeEvent(event)
        self.refit()

    def drawBackground(self, p: QPainter, rect: QRectF) -> None:
        """The map, from the pixmap (rendered when missing or when the view moved)."""
        p.fillRect(rect, self.palette().base())
        source = self.mapToScene(self.viewport().rect()).boundingRect()
        if self._pixmap is None or source != self._source:
            ratio = self.devicePixelRatioF()
            size = self.viewport().size()
            pix = QPixmap(size * ratio)
            pix.setDevicePixelRatio(ratio)
            pix.fill(self.palette().base().color())
            painter = QPainter(pix)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            with self.main.map_scene.measuring():  # the scene's own fonts
                self.main.map_scene.render(painter, QRectF(0, 0, size.width(), size.height()),
                                           source, Qt.AspectRatioMode.IgnoreAspectRatio)
            painter.end()
            self._pixmap, self._source = pix, source
        p.drawPixmap(self._source, self._pixmap, QRectF(self._pixmap.rect()))

    def drawForeground(self, p: QPainter, rect: QRectF) -> None:
        """Frame the main view's visible area."""
        visible = self.main.mapToScene(self.main.viewport().rect()).boundingRect()
        pen = QPen(QColor("#1f6feb"))
        pen.setWidthF(2.0 / max(1e-6, self.transform().m11()))
        p.setPen(pen)
        p.setBrush(QColor(31, 111, 235, 30))
        p.drawRect(visible)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Centre the main view on the clicked point."""
        self.main.centerOn(self.mapToScene(event.position().toPoint()))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """Drag to pan the main view."""
        if event.buttons() & Qt.MouseButton.LeftButton:
            self.main.centerOn(self.mapToScene(event.position().toPoint()))
