"""Support for the whole GUI: settings, background tasks, theme, translations, actions."""
