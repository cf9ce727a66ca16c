"""The overview (minimap): the whole map small, the visible part framed; click to go there."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import QGraphicsView, QWidget

from app.ui.view import CanvasView


class OverviewView(QGraphicsView):
    """A second, non-interactive view of the canvas scene."""

    def __init__(self, main: CanvasView, parent: QWidget | None = None) -> None:
        super().__init__(main.map_scene, parent)
        self.main = main
        self.setInteractive(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(120)
        main.map_scene.refreshed.connect(self.refit)
        for bar in (main.horizontalScrollBar(), main.verticalScrollBar()):
            bar.valueChanged.connect(lambda _v: self.viewport().update())
        main.zoomed.connect(lambda _z: self.viewport().update())

    def refit(self) -> None:
        """Fit the whole map."""
        lay = self.main.map_scene.layout
        if lay is not None:
            self.fitInView(QRectF(0, 0, lay.width, lay.height),
                           Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event) -> None:
        """Keep the map fitted."""
        super().resizeEvent(event)
        self.refit()

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
