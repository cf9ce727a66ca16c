"""Qt-free layout engine: document + style + target -> positioned boxes and text lines."""
