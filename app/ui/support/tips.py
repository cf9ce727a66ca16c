"""Tooltips that show text literally: a card title or step name is never taken as markup."""

from __future__ import annotations

import html


def literal_tip(text: str) -> str:
    """A tooltip showing ``text`` literally (Qt would take '<b>' in a title as markup)."""
    return "<p style='white-space:pre-wrap'>" + html.escape(text) + "</p>"
