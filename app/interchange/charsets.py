"""The text encoding of a data file, as spreadsheets and editors save them.

UTF-8 (with or without a byte-order mark) and UTF-16 with a mark are read as they are.
UTF-16 without a mark (some exporters write it) is recognised by its zero bytes. Anything
else is a legacy code page: Excel's "CSV" is saved in the system's ANSI code page
(Windows-1252 in Western Europe, Shift-JIS in Japan, GBK in China, Windows-1256 for
Arabic, …), which charset-normalizer picks among :data:`LEGACY` by how the decoded text
reads. Windows-1252 wins whenever it gives the same text as the guess: on short Western
files the Central European and Baltic pages decode identically and the detector cannot
tell them apart.
"""

from __future__ import annotations

#: Code pages a spreadsheet or text editor saves in by default, by locale.
LEGACY: dict[str, str] = {
    "cp1252": "Windows-1252 (Western European)",
    "cp1250": "Windows-1250 (Central European)",
    "cp1251": "Windows-1251 (Cyrillic)",
    "cp1253": "Windows-1253 (Greek)",
    "cp1254": "Windows-1254 (Turkish)",
    "cp1255": "Windows-1255 (Hebrew)",
    "cp1256": "Windows-1256 (Arabic)",
    "cp1257": "Windows-1257 (Baltic)",
    "cp932": "Shift-JIS (Japanese)",
    "gb18030": "GB18030 (Chinese)",
    "big5": "Big5 (Traditional Chinese)",
    "euc_kr": "EUC-KR (Korean)",
    "mac_roman": "Mac Roman",
}


#: How much worse (charset-normalizer's chaos, 0..1) a reading may be and still tie.
_TIE = 0.01


class NotText(ValueError):
    """The bytes are no text in any encoding Waymark knows; the message says what."""


def _utf16_without_bom(raw: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when zero bytes fill one half of each pair, else None."""
    sample = raw[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    zeros_even, zeros_odd = even.count(0), odd.count(0)
    if zeros_odd >= len(odd) * 0.3 and zeros_even <= len(even) * 0.05:
        return "utf-16-le"
    if zeros_even >= len(even) * 0.3 and zeros_odd <= len(odd) * 0.05:
        return "utf-16-be"
    return None


def guess_legacy(raw: bytes) -> str | None:
    """The code page of :data:`LEGACY` that ``raw`` most likely is, or None.

    Of the pages that read the text equally well (charset-normalizer's "chaos" within
    :data:`_TIE`), Windows-1252 is taken: short Western text reads as well in Windows-1250
    or -1257 (``Crème`` as ``Crčme``), and Western Europe's is the page most files are in.
    """
    from charset_normalizer import from_bytes

    matches = [m for m in from_bytes(raw, cp_isolation=list(LEGACY)) if m.encoding in LEGACY]
    if not matches:
        return None
    least = min(m.chaos for m in matches)
    tied = [m for m in matches if m.chaos <= least + _TIE]
    if any("cp1252" in m.could_be_from_charset for m in tied):
        return "cp1252"
    return tied[0].encoding


def decode(raw: bytes) -> tuple[str, str]:
    """(text, encoding) of a file's bytes; raises :class:`NotText` saying where it fails."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise NotText("the file claims to be UTF-16 but is not") from None
    wide = _utf16_without_bom(raw)  # before UTF-8: its zero bytes are valid UTF-8
    if wide is not None:
        try:
            return raw.decode(wide), wide
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as err:
        bad_line = raw[: err.start].count(b"\n") + 1
    if b"\x00" in raw:
        raise NotText("this is not a text file (it holds binary data); "
                      "export the table as CSV and import that")
    encoding = guess_legacy(raw)
    if encoding is not None:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            pass
    raise NotText(f"line {bad_line}: the file is not UTF-8 text (nor in a code page "
                  "Waymark recognises); save it as 'CSV UTF-8' and import again")
