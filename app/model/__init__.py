"""The journey document: Qt-free model, file format, commands and history."""
