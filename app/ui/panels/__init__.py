"""Docked panels of the main window: palette, properties, maps & personas, history."""
