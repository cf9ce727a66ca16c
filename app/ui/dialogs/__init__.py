"""The editor's dialogs: export, import preview, versions, preferences, help and about."""
