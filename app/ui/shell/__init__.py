"""The window shell: the main window and what composes it (desktop behaviour, file actions
and drops, insight controls, opening a file off the GUI thread)."""
