"""Room secrets: the room token in the join address, participant tokens, the room code.

Tokens come from :mod:`secrets` (the OS's CSPRNG): 144 bits for the room token (it is in
the QR address; at least 128 bits are needed so nobody on the network can guess it) and
192 bits for a participant's token. Only a participant token's SHA-256 is stored in the
document. The room code (8 characters from a 31-letter alphabet without look-alikes,
about 40 bits) lets people type the short address instead of scanning; the server limits
wrong codes per address and in total, so it cannot be searched.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

ROOM_TOKEN_BYTES = 18  # 144 bits
PARTICIPANT_TOKEN_BYTES = 24  # 192 bits
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ2345679"  # no 0/O, 1/I, 8/B look-alikes
CODE_LENGTH = 8
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def new_room_token() -> str:
    """A fresh room token (URL-safe base64, 24 characters)."""
    return secrets.token_urlsafe(ROOM_TOKEN_BYTES)


def new_participant_token() -> str:
    """A fresh participant token (URL-safe base64, 32 characters)."""
    return secrets.token_urlsafe(PARTICIPANT_TOKEN_BYTES)


def new_code() -> str:
    """A fresh room code, e.g. ``K7QF-2MXR`` (shown with a dash, typed with or without)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def show_code(code: str) -> str:
    """The code as shown on the projector: two groups of four."""
    return f"{code[:4]}-{code[4:]}"


def normal_code(typed: str) -> str:
    """What a person typed, as a code to compare: upper case, no spaces or dashes."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())[:32]


def same(a: str, b: str) -> bool:
    """Constant-time comparison of two secrets."""
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


def digest(token: str) -> str:
    """The SHA-256 of a token, as stored (the token itself never is)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def fingerprint(token: str) -> str:
    """A short check shown on the projector and on every participant's page
    (``3F9A-C21B``), so people can see they joined this room and not another."""
    h = hashlib.sha256(b"waymark-room:" + token.encode("utf-8")).hexdigest().upper()
    return f"{h[:4]}-{h[4:8]}"


def looks_like_token(text: str) -> bool:
    """Whether ``text`` has a token's shape (checked before any look-up)."""
    return bool(TOKEN_RE.match(text))
