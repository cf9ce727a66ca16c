"""A linear pre-scan of a workbook's XML parts, refusing tokens that make parsing quadratic.

The XML parser Python bundles (expat before 2.6) re-reads a token from its start each time
more input arrives while the token is unfinished; openpyxl feeds sheets in 16 KB pieces, so
a single 100 MB comment or attribute costs hours. Real workbooks have short tokens (tags of
a few attributes, no comments), so before openpyxl sees a part we stream it once and refuse:

- a comment, processing instruction or CDATA section longer than ``MAX_TOKEN``, or more
  than ``MAX_SPECIAL`` of them (real workbooks have none beyond the XML declaration);
- a stretch of ``MAX_TOKEN`` bytes without ``<``: a tag (``<`` cannot occur inside one)
  or a text longer than any cell (a cell holds at most 64K characters).

The second check looks at aligned windows only (one ``find`` per window), so a token longer
than twice ``MAX_TOKEN`` is always caught and a shorter one costs the parser at most a few
milliseconds: the whole scan runs at the speed of decompression.
"""

from __future__ import annotations

import zipfile

#: Longest comment/PI/CDATA, and the window in which a ``<`` must appear (bytes).
MAX_TOKEN = 256 * 1024
#: Most comments, processing instructions and CDATA sections in one part.
MAX_SPECIAL = 10_000
_CHUNK = 4 * MAX_TOKEN  # a multiple of MAX_TOKEN: windows align with chunks
_SPECIALS = ((b"<!--", b"-->", "a comment"), (b"<![CDATA[", b"]]>", "a CDATA section"),
             (b"<?", b"?>", "a processing instruction"))
_XML_SUFFIXES = (".xml", ".rels", ".vml")


class UnsafeXML(ValueError):
    """A part of the workbook would make the XML parser slow; the message says why."""


def scan_part(stream: zipfile.ZipExtFile, name: str) -> None:
    """Stream one XML part and raise :class:`UnsafeXML` on a token that is too long."""
    specials = 0
    end: bytes | None = None  # the terminator of the special token we are inside
    what = ""
    started = 0  # absolute offset where that token began
    tail = b""  # the last few bytes of the previous chunk (terminators split across chunks)
    offset = 0  # absolute offset of the current chunk
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            break
        for start in range(0, len(chunk) - MAX_TOKEN + 1, MAX_TOKEN):
            if chunk.find(b"<", start, start + MAX_TOKEN) < 0:
                raise UnsafeXML(f"part {name} holds over {MAX_TOKEN // 1024} KB without "
                                "a tag break; refused as unsafe")
        data = tail + chunk
        base = offset - len(tail)
        pos = 0
        while True:
            if end is not None:
                found = data.find(end, pos)
                if found < 0:
                    if base + len(data) - started > MAX_TOKEN:
                        raise UnsafeXML(f"part {name} holds {what} longer than "
                                        f"{MAX_TOKEN // 1024} KB; refused as unsafe")
                    break
                if base + found - started > MAX_TOKEN:
                    raise UnsafeXML(f"part {name} holds {what} longer than "
                                    f"{MAX_TOKEN // 1024} KB; refused as unsafe")
                pos = found + len(end)
                end = None
            hits = [(data.find(opener, pos), opener, closer, label)
                    for opener, closer, label in _SPECIALS]
            hits = [h for h in hits if h[0] >= 0]
            if not hits:
                break
            at, opener, closer, label = min(hits)
            specials += 1
            if specials > MAX_SPECIAL:
                raise UnsafeXML(f"part {name} holds more than {MAX_SPECIAL:,} comments or "
                                "processing instructions; refused as unsafe")
            end, what, started = closer, label, base + at
            pos = at + len(opener)
        keep = max(len(o) for o, _c, _l in _SPECIALS) - 1
        if end is not None:
            keep = len(end) - 1
        tail = data[max(pos, len(data) - keep):]
        offset += len(chunk)


def scan_workbook(zf: zipfile.ZipFile) -> None:
    """Scan every XML part of an opened workbook (see :func:`scan_part`)."""
    for info in zf.infolist():
        if info.filename.lower().endswith(_XML_SUFFIXES):
            with zf.open(info) as stream:
                scan_part(stream, info.filename)
