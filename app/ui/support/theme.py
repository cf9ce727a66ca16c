"""Themes for the chrome: light, dark, or following the system's colour scheme.

Qt 6.5+ reports the desktop's scheme (QStyleHints.colorScheme) and 6.8+ can
request one (setColorScheme), which native dialogs and the platform style
follow where the platform supports it. Because many platforms (and Xvfb or
the offscreen platform) have no theme that honours the request, Waymark also
switches to the Fusion style with an explicit palette, so the docks, panels,
menus and the canvas background around the map always match the choice.
The map itself is print colour (white sheet, card colours) and never changes
with the theme.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QGraphicsView, QWidget

#: Canvas background around the sheet, by effective scheme.
CANVAS_BACKGROUND = {"light": "#e6e8eb", "dark": "#1b1d21"}

_DARK = {
    QPalette.ColorRole.Window: "#2b2d31",
    QPalette.ColorRole.WindowText: "#e8e8e8",
    QPalette.ColorRole.Base: "#1f2125",
    QPalette.ColorRole.AlternateBase: "#2f3237",
    QPalette.ColorRole.ToolTipBase: "#3a3d42",
    QPalette.ColorRole.ToolTipText: "#f0f0f0",
    QPalette.ColorRole.PlaceholderText: "#9a9da3",
    QPalette.ColorRole.Text: "#e8e8e8",
    QPalette.ColorRole.Button: "#33363b",
    QPalette.ColorRole.ButtonText: "#e8e8e8",
    QPalette.ColorRole.BrightText: "#ff6b6b",
    QPalette.ColorRole.Light: "#4a4d52",
    QPalette.ColorRole.Midlight: "#3d4045",
    QPalette.ColorRole.Mid: "#26282c",
    QPalette.ColorRole.Dark: "#191a1d",
    QPalette.ColorRole.Shadow: "#000000",
    QPalette.ColorRole.Highlight: "#3d7be0",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#7aa7ff",
    QPalette.ColorRole.LinkVisited: "#b197fc",
}
_LIGHT = {
    QPalette.ColorRole.Window: "#f3f3f3",
    QPalette.ColorRole.WindowText: "#1d1d1d",
    QPalette.ColorRole.Base: "#ffffff",
    QPalette.ColorRole.AlternateBase: "#f5f6f7",
    QPalette.ColorRole.ToolTipBase: "#ffffdc",
    QPalette.ColorRole.ToolTipText: "#1d1d1d",
    QPalette.ColorRole.PlaceholderText: "#6e6e6e",
    QPalette.ColorRole.Text: "#1d1d1d",
    QPalette.ColorRole.Button: "#ececec",
    QPalette.ColorRole.ButtonText: "#1d1d1d",
    QPalette.ColorRole.BrightText: "#c00000",
    QPalette.ColorRole.Light: "#ffffff",
    QPalette.ColorRole.Midlight: "#e3e3e3",
    QPalette.ColorRole.Mid: "#b8b8b8",
    QPalette.ColorRole.Dark: "#9f9f9f",
    QPalette.ColorRole.Shadow: "#767676",
    QPalette.ColorRole.Highlight: "#2f6fd6",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#0b57d0",
    QPalette.ColorRole.LinkVisited: "#6b3fb5",
}
_DISABLED_TEXT = {"light": "#9a9a9a", "dark": "#6f7277"}
#: Text of findings (preflight errors and warnings) on the scheme's Base, at least WCAG
#: AA (4.5:1) on it: Qt's darkRed and darkYellow read at 1.5:1 and 3.8:1 on the dark one.
FINDING_TEXT = {"light": {"error": "#b3261e", "warning": "#7a5200"},
                "dark": {"error": "#ff8a80", "warning": "#f0c05a"}}


def system_scheme() -> str:
    """'dark' or 'light': what the desktop asks for (light when it does not say)."""
    hints = QGuiApplication.styleHints()
    scheme = getattr(hints, "colorScheme", None)
    if scheme is not None and scheme() == Qt.ColorScheme.Dark:
        return "dark"
    return "light"


def effective_scheme(theme: str) -> str:
    """The scheme a theme setting ('system', 'light', 'dark') stands for now."""
    if theme in ("light", "dark"):
        return theme
    return system_scheme()


def palette_for(scheme: str) -> QPalette:
    """The Fusion palette of 'light' or 'dark'."""
    pal = QPalette()
    for role, colour in (_DARK if scheme == "dark" else _LIGHT).items():
        pal.setColor(role, QColor(colour))
    grey = QColor(_DISABLED_TEXT["dark" if scheme == "dark" else "light"])
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText,
                 QPalette.ColorRole.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, grey)
    # a disabled field sits on the window's colour, so it does not look ready for typing
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Base,
                 pal.color(QPalette.ColorRole.Window))
    return pal


def apply_theme(theme: str, app: QApplication | None = None) -> str:
    """Switch the whole application to ``theme``; returns the scheme now in use.

    'system' lets the platform decide again (unsetColorScheme) and follows it
    while the program runs.
    """
    app = app or QApplication.instance()  # type: ignore[assignment]
    if app is None:
        raise RuntimeError("apply_theme needs a QApplication")
    hints = QGuiApplication.styleHints()
    if hasattr(hints, "setColorScheme"):  # Qt 6.8+
        if theme == "dark":
            hints.setColorScheme(Qt.ColorScheme.Dark)
        elif theme == "light":
            hints.setColorScheme(Qt.ColorScheme.Light)
        else:
            hints.unsetColorScheme()
    scheme = effective_scheme(theme)
    app.setStyle("Fusion")
    app.setPalette(palette_for(scheme))
    app.setProperty("waymark_theme", theme)
    app.setProperty("waymark_scheme", scheme)
    for widget in app.topLevelWidgets():
        style_window(widget)
    _follow_system(app)
    return scheme


def current_scheme() -> str:
    """The scheme last applied ('light' when none was)."""
    app = QApplication.instance()
    value = app.property("waymark_scheme") if app is not None else None
    return value if value in ("light", "dark") else "light"


def finding_colour(severity: str) -> QColor | None:
    """The text colour of an ``error`` or ``warning`` in the scheme in use (None: the
    palette's own text colour)."""
    colour = FINDING_TEXT[current_scheme()].get(severity)
    return QColor(colour) if colour else None


def style_window(window: QWidget) -> None:
    """Give a window's canvas views the theme's background (the map keeps its colours)."""
    brush = QBrush(QColor(CANVAS_BACKGROUND[current_scheme()]))
    views = window.findChildren(QGraphicsView)
    if isinstance(window, QGraphicsView):
        views.append(window)
    for view in views:
        view.setBackgroundBrush(brush)


_following: list[bool] = []


def _follow_system(app: QApplication) -> None:
    """Re-apply 'system' when the desktop switches between light and dark (connect once)."""
    hints = QGuiApplication.styleHints()
    if _following or not hasattr(hints, "colorSchemeChanged"):
        return
    _following.append(True)

    def changed(_scheme: object) -> None:
        if app.property("waymark_theme") == "system":
            scheme = effective_scheme("system")
            if scheme != current_scheme():
                app.setPalette(palette_for(scheme))
                app.setProperty("waymark_scheme", scheme)
                for widget in app.topLevelWidgets():
                    style_window(widget)

    hints.colorSchemeChanged.connect(changed)
