"""The Qt user interface: main window, canvas, panels."""
