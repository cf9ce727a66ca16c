"""The canvas: the scene that mirrors the document by id, its view, the items painted from
the layout, one state machine per gesture, in-place text editing, the overview and workshop
mode. Below the shell; it knows nothing of the main window."""
