"""Line break opportunities (UAX #14) with dictionary breaking for Thai, Lao, Khmer, Burmese.

ICU's line break iterator gives UAX #14 plus the dictionaries that languages written
without spaces between words need; Qt (and so the canvas) breaks those the same way.
ICU is not a Python dependency here: its C library is loaded with ``ctypes`` from the
copy the PySide6 wheel ships (``PySide6/Qt/lib/libicuuc.so.*``), else the system's
(``libicuuc``, macOS ``libicucore``, Windows ``icu.dll``). Where none loads, the pure
Python ``uniseg`` gives UAX #14 without dictionaries (Thai then breaks only at spaces
and, for a phrase wider than the line, between clusters).

One tailoring, as Qt and Korean typesetting do: hangul words are not broken between
syllables (Korean breaks at spaces).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import glob
import importlib.util
import os
import re
import sys
import threading
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff]")
_lock = threading.Lock()


def _candidates() -> list[str]:
    out: list[str] = []
    # The ICU that PySide6 ships, found without importing Qt (the layout is Qt-free).
    spec = importlib.util.find_spec("PySide6")
    if spec is not None and spec.origin:
        lib = Path(spec.origin).resolve().parent / "Qt" / "lib"
        out += sorted(glob.glob(str(lib / "libicuuc.so.*")), reverse=True)
        out += sorted(glob.glob(str(lib / "libicuuc.*.dylib")), reverse=True)
    if sys.platform == "darwin":
        out.append("/usr/lib/libicucore.dylib")
    elif sys.platform.startswith("win"):
        out += [os.path.join(os.environ.get("WINDIR", r"C:\Windows"), "System32", "icu.dll")]
    found = ctypes.util.find_library("icuuc")
    if found:
        out.append(found)
    return out


class _Icu:
    """ubrk_* functions of one loaded ICU (symbols with or without a version suffix)."""

    def __init__(self, lib: ctypes.CDLL, suffix: str) -> None:
        def fn(name: str, restype: object, *argtypes: object) -> ctypes._CFuncPtr:
            f = getattr(lib, name + suffix)
            f.restype = restype
            f.argtypes = argtypes
            return f

        self.open = fn("ubrk_open", ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p,
                       ctypes.c_void_p, ctypes.c_int32, ctypes.POINTER(ctypes.c_int))
        self.next = fn("ubrk_next", ctypes.c_int32, ctypes.c_void_p)
        self.close = fn("ubrk_close", None, ctypes.c_void_p)


@lru_cache(maxsize=1)
def _icu() -> _Icu | None:
    for path in _candidates():
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        m = re.search(r"\.so\.(\d+)|\.(\d+)\.dylib", path)
        suffixes = ["", f"_{(m.group(1) or m.group(2))}" if m else ""]
        suffixes += [f"_{v}" for v in range(80, 49, -1)]
        for suffix in dict.fromkeys(suffixes):
            try:
                icu = _Icu(lib, suffix)
            except AttributeError:
                continue
            if _probe(icu):
                return icu
    return None


def _probe(icu: _Icu) -> bool:
    try:
        return _icu_units(icu, "ab cd", "en") == ["ab ", "cd"]
    except Exception:  # a library that does not behave is not used
        return False


def _icu_units(icu: _Icu, text: str, locale: str) -> list[str]:
    data = text.encode("utf-16-le")
    n = len(data) // 2
    buf = ctypes.create_string_buffer(data, len(data) + 2)
    status = ctypes.c_int(0)
    with _lock:
        it = icu.open(2, locale.encode("ascii"), buf, n, ctypes.byref(status))  # UBRK_LINE
        if status.value > 0 or not it:
            raise OSError(f"ICU line breaker failed ({status.value})")
        bounds = []
        try:
            while True:
                b = icu.next(it)
                if b < 0 or b > n:
                    break
                bounds.append(b)
        finally:
            icu.close(it)
    # UTF-16 offsets to str offsets
    out = []
    start16 = 0
    pos = 0
    units16 = [2 if ord(ch) > 0xFFFF else 1 for ch in text]
    idx16 = 0
    for b in bounds:
        end = pos
        while idx16 < b and end < len(text):
            idx16 += units16[end]
            end += 1
        out.append(text[pos:end])
        pos = end
        start16 = b
    del start16
    if pos < len(text):
        out.append(text[pos:])
    return [u for u in out if u]


def _uniseg_units(text: str) -> list[str]:
    from uniseg.linebreak import line_break_units

    return list(line_break_units(text))


def _keep_hangul_words(units: list[str]) -> list[str]:
    """Join units split next to a hangul letter without a space (Korean breaks at spaces)."""
    out: list[str] = []
    for u in units:
        if out and out[-1] and not out[-1][-1].isspace() and (
                _HANGUL.match(out[-1][-1]) or _HANGUL.match(u[:1])):
            out[-1] += u
        else:
            out.append(u)
    return out


def backend() -> str:
    """Which breaker is in use: "icu" or "uniseg"."""
    return "icu" if _icu() is not None else "uniseg"


def units(text: str, locale: str = "en") -> list[str]:
    """``text`` cut after each line break opportunity (spaces stay with the unit before)."""
    icu = _icu()
    breaker: Callable[[str], list[str]]
    if icu is not None:
        def breaker(t: str) -> list[str]:
            return _icu_units(icu, t, locale)
    else:
        breaker = _uniseg_units
    found = breaker(text)
    if _HANGUL.search(text):
        found = _keep_hangul_words(found)
    return found
