"""Shared pieces of every importer and exporter: limits, the result type,
problem collection, name normalisation and atomic writes.

Importers never half-import: they collect every problem (with row and
column) in a :class:`Problems` and raise one :class:`~app.errors.ImportProblem`
at the end, or return a complete :class:`ImportResult`.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app import tempfiles
from app.errors import ExportError, ImportProblem
from app.filemode import give_mode
from app.interchange import charsets
from app.model.schema import (
    CHANNELS,
    DEVICES,
    Blob,
    CardKind,
    DataSource,
    DocumentData,
    LaneKind,
    clean_text,
)
from app.wording import counted

# ---------------------------------------------------------------- limits
MAX_FILE_BYTES = 64 * 1024 * 1024  # any import file
MAX_ROWS = 100_000  # data rows of a CSV or sheet
MAX_COLUMNS = 1_000  # columns of a grid
MAX_CELL_CHARS = 64 * 1024  # one cell
MAX_XLSX_UNZIPPED = 200 * 1024 * 1024  # total uncompressed size of an .xlsx
MAX_LISTED_PROBLEMS = 500  # details kept; the count covers all

#: Cells starting with one of these are formulas to a spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED = re.compile(r"^'+[=+\-@\t\r]")
_NEEDS_ESCAPE = re.compile(r"^'*[=+\-@\t\r]")
_INNER_NEEDS_ESCAPE = re.compile(r"([;\t])('*[=+\-@])")
_INNER_ESCAPED = re.compile(r"([;\t])'('*[=+\-@])")


@dataclass
class ImportResult:
    """What an importer returns: a self-contained document content (ids from 1)."""

    data: DocumentData
    blobs: dict[str, Blob] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: Tables only: how each was read (tablelayout.Plan), and that in words.
    plans: list[Any] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for a preview: "1 map: 'Trip' (6 stages, 3 lanes, 69 cards)"."""
        data = self.data
        parts = [f"{m.title!r} ({counted(len(data.stages_of(m.id)), 'stage')}, "
                 f"{counted(len(data.lanes_of(m.id)), 'lane')}, "
                 f"{counted(len(data.cards_of(m.id)), 'card')})"
                 for m in data.ordered_maps()]
        return f"{counted(len(parts), 'map')}: " + ", ".join(parts)


class Problems:
    """Collects import problems; :meth:`raise_if_any` raises them all at once."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.count = 0
        self.lines: list[str] = []

    def add(self, where: str, message: str) -> None:
        """Record one problem; ``where`` is e.g. "row 4, column 'emotion'"."""
        self.count += 1
        if len(self.lines) < MAX_LISTED_PROBLEMS:
            self.lines.append(f"{where}: {message}" if where else message)

    def __bool__(self) -> bool:
        return self.count > 0

    def raise_if_any(self) -> None:
        """Raise ImportProblem listing every problem, when there is one."""
        if not self.count:
            return
        details = list(self.lines)
        if self.count > len(details):
            details.append(f"... and {self.count - len(details)} more")
        noun = "problem" if self.count == 1 else "problems"
        raise ImportProblem(f"{self.count} {noun} in {self.source}", details=details)


def refuse(source: str, message: str, details: list[str] | None = None) -> ImportProblem:
    """A single-problem refusal of a whole file."""
    return ImportProblem(f"1 problem in {source}", details=[message, *(details or [])])


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA (spreadsheet column names)."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


@dataclass(frozen=True)
class Locator:
    """How a table's cells are named in messages, when the parser sees part of a file.

    ``line_of`` gives the source line of each row (a Markdown table: 'line 14' instead of
    'row 3'), ``columns`` the file's column of each column the parser sees (a column
    moved or a margin column dropped), ``letters`` spreadsheet letters or column numbers.
    """

    line_of: tuple[int, ...] | None = None
    columns: tuple[int, ...] | None = None
    letters: bool = True

    def row(self, row: int) -> str:
        if self.line_of is not None and 1 <= row <= len(self.line_of):
            return f"line {self.line_of[row - 1]}"
        return f"row {row}"

    def column(self, col: int) -> str:
        if self.columns is not None and 0 <= col < len(self.columns):
            col = self.columns[col]
        return column_letter(col) if self.letters else str(col + 1)


_LOCATOR: contextvars.ContextVar[Locator | None] = contextvars.ContextVar("locator",
                                                                         default=None)


@contextlib.contextmanager
def located(locator: Locator) -> Iterator[None]:
    """Name cells the ``locator``'s way in every :func:`where` of this thread meanwhile."""
    token = _LOCATOR.set(locator)
    try:
        yield
    finally:
        _LOCATOR.reset(token)


def column_name(col: int) -> str:
    """A column as messages name it: 'C' (or the :class:`Locator`'s way)."""
    loc = _LOCATOR.get()
    return loc.column(col) if loc is not None else column_letter(col)


def where(row: int, col: int | None = None, header: str | None = None) -> str:
    """'row 4, column C (emotion)': a location as a spreadsheet user reads it."""
    loc = _LOCATOR.get()
    if loc is not None:
        if col is None:
            return loc.row(row)
        name = f" ({header})" if header else ""
        return f"{loc.row(row)}, column {loc.column(col)}{name}"
    if col is None:
        return f"row {row}"
    name = f" ({header})" if header else ""
    return f"row {row}, column {column_letter(col)}{name}"


def pydantic_messages(err: ValidationError) -> list[tuple[str, str]]:
    """(field, message) pairs of a validation error, messages without pydantic's prefixes."""
    out = []
    for item in err.errors():
        loc = item["loc"]
        fld = str(loc[0]) if loc else ""
        msg = item["msg"].removeprefix("Value error, ")
        if item["type"] in ("too_long", "string_too_long") and isinstance(item.get("input"), str):
            limit = (item.get("ctx") or {}).get("max_length")
            msg = f"at most {limit} characters, not {len(item['input'])}"
        out.append((fld, msg))
    return out


# ---------------------------------------------------------------- files
def read_bytes(path: Path, source: str) -> bytes:
    """A file's bytes, refusing missing, unreadable, oversized and non-regular files.

    The file is opened without blocking and checked through its descriptor, so a FIFO
    or a device (which would wait forever) is refused, even one swapped in after a check.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise refuse(source, "the file does not exist") from None
    except IsADirectoryError:
        raise refuse(source, "this is a folder, not a file") from None
    except OSError as err:
        raise refuse(source, f"the file cannot be read ({err.strerror})") from None
    with os.fdopen(fd, "rb") as handle:
        try:
            info = os.fstat(fd)
            if stat.S_ISDIR(info.st_mode):
                raise refuse(source, "this is a folder, not a file")
            if not stat.S_ISREG(info.st_mode):
                raise refuse(source, "this is not a file")
            if info.st_size > MAX_FILE_BYTES:
                raise refuse(source, f"the file is {info.st_size // (1024 * 1024)} MB; imports "
                                     f"are limited to {MAX_FILE_BYTES // (1024 * 1024)} MB")
            os.set_blocking(fd, True)
            data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as err:
            raise refuse(source, f"the file cannot be read ({err.strerror})") from None
    if len(data) > MAX_FILE_BYTES:  # it grew while we read it
        raise refuse(source, f"the file is over {MAX_FILE_BYTES // (1024 * 1024)} MB; "
                             f"imports are limited to {MAX_FILE_BYTES // (1024 * 1024)} MB")
    return data


def decode_text(raw: bytes, source: str, warnings: list[str]) -> str:
    """Text of a data file: UTF-8 (BOM optional) or UTF-16 as they are, a legacy code page
    (Windows-1252, Shift-JIS, GBK, …; :mod:`app.interchange.charsets`) with a warning."""
    try:
        text, encoding = charsets.decode(raw)
    except charsets.NotText as err:
        raise refuse(source, str(err)) from None
    if encoding in charsets.LEGACY:
        line = _first_non_ascii_line(raw)
        warnings.append(f"{source} is not UTF-8 (first odd byte on line {line}); it was read "
                        f"as {charsets.LEGACY[encoding]}: check that its text reads as written")
    return text


def _first_non_ascii_line(raw: bytes) -> int:
    at = next((i for i, b in enumerate(raw) if b > 0x7F), 0)
    return raw[:at].count(b"\n") + 1


def write_atomic(path: Path, write: Callable[[Path], None], force: bool) -> None:
    """Write via ``write(temp_path)`` in the destination folder, then rename into place.

    An existing destination is refused unless ``force``; on any failure the
    destination is untouched and the temporary file removed.
    """
    path = Path(path)
    if path.exists() and not force:
        raise ExportError(f"'{path.name}' already exists (use --force to replace it)")
    if path.is_dir():
        raise ExportError(f"'{path.name}' is a folder")
    if not path.parent.is_dir():
        raise ExportError(f"the folder of '{path.name}' does not exist")
    tempfiles.sweep_siblings(path)  # what a killed export left (ours only)
    try:
        tmp = tempfiles.sibling(path)
    except OSError as err:
        raise ExportError(f"cannot write in the folder of '{path.name}' ({err.strerror})") from None
    try:
        write(tmp)
        give_mode(Path(tmp), path)  # mkstemp made it 0600: the old file's mode or the umask
        os.replace(tmp, path)
    except OSError as err:
        raise ExportError(f"could not write '{path.name}' ({err.strerror})") from None
    except MemoryError:
        raise ExportError(f"not enough memory to write '{path.name}'") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


# ---------------------------------------------------------------- formula escaping
def escape_formula(text: str) -> str:
    """Prefix an apostrophe to text a spreadsheet would run as a formula.

    Text that already starts with apostrophes before a formula character gets
    one more, so :func:`unescape_formula` restores every string exactly. The same is
    done after a ``;`` or a TAB inside the text: a spreadsheet set to that list separator
    splits the line there (quotes only count at the start of a field), and ``x;=1+1``
    would start a formula in the next cell.
    """
    if ";" in text or "\t" in text:
        text = _INNER_NEEDS_ESCAPE.sub(r"\1'\2", text)
    return "'" + text if _NEEDS_ESCAPE.match(text) else text


def unescape_formula(text: str) -> str:
    """Remove exactly the apostrophes :func:`escape_formula` added."""
    if "'" not in text:  # the common case, without the regex
        return text
    if text.startswith("'") and _ESCAPED.match(text):
        text = text[1:]
    if ";" in text or "\t" in text:
        text = _INNER_ESCAPED.sub(r"\1\2", text)
    return text


# ---------------------------------------------------------------- names
@lru_cache(maxsize=8192)
def clean_name(text: str) -> str:
    """A stage, lane, map or persona name as stored: cleaned (no NUL), each line
    single-spaced, blank lines dropped (a line break the author typed is kept).

    Memoised: an import cleans the same few names on every row.
    """
    text = clean_text(text)
    if "\n" not in text and "\r" not in text:
        return " ".join(text.split())
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


@lru_cache(maxsize=4096)
def cell_value_text(value: Any) -> str:
    """A spreadsheet cell's value as the spreadsheet shows it: None is empty, 3.0 is '3',
    a date '2026-03-01', a date and time '2026-03-01 09:30', a time '09:30'."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds" if value.second else "minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat(timespec="seconds" if value.second else "minutes")
    return str(value)


def fold_latin(text: str) -> str:
    """``text`` without the accents of Latin letters ('Categoría' -> 'Categoria'); other
    scripts stay as they are (a Japanese ジ keeps its mark)."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and out and out[-1] < "\u0250":
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def squash(text: str) -> str:
    """Lower case without spaces, hyphens or underscores: 'Pain-Point' -> 'painpoint'."""
    return re.sub(r"[\s_\-]+", "", text.strip().casefold())


_KIND_WORDS: dict[str, CardKind] = {}
for _kind in CardKind:
    _KIND_WORDS[squash(_kind.value)] = _kind
    _KIND_WORDS[squash(_kind.value) + "s"] = _kind
_KIND_WORDS.update({
    "pain": CardKind.PAIN_POINT, "pains": CardKind.PAIN_POINT, "problem": CardKind.PAIN_POINT,
    "idea": CardKind.OPPORTUNITY, "ideas": CardKind.OPPORTUNITY,
    "feeling": CardKind.EMOTION, "feelings": CardKind.EMOTION,
    "doing": CardKind.ACTION, "step": CardKind.ACTION, "backstage": CardKind.ACTION,
    "thinking": CardKind.THOUGHT, "need": CardKind.GOAL, "needs": CardKind.GOAL,
    "channel": CardKind.TOUCHPOINT, "contactpoint": CardKind.TOUCHPOINT,
    "sticky": CardKind.NOTE, "comment": CardKind.NOTE,
})


def parse_kind(text: str) -> CardKind | None:
    """A card kind from a user's spelling ('Pain point', 'pain-points'), or None."""
    return _KIND_WORDS.get(squash(text))


@lru_cache(maxsize=8192)
def parse_lane_kind(text: str) -> LaneKind | None:
    """A lane kind from its exact-ish name ('pain points', 'Touchpoints'), or None."""
    key = squash(text)
    for kind in LaneKind:
        if key in (squash(kind.value), squash(kind.value).rstrip("s")):
            return kind
    return None


#: Substrings of lane names that reveal the lane's kind (checked in this order).
_LANE_HINTS: tuple[tuple[str, LaneKind], ...] = (
    ("backstage", LaneKind.BACKSTAGE), ("behind", LaneKind.BACKSTAGE),
    ("support process", LaneKind.BACKSTAGE),
    ("pain", LaneKind.PAIN_POINTS), ("opportunit", LaneKind.OPPORTUNITIES),
    ("idea", LaneKind.OPPORTUNITIES), ("touchpoint", LaneKind.TOUCHPOINTS),
    ("touch point", LaneKind.TOUCHPOINTS), ("contact", LaneKind.TOUCHPOINTS),
    ("emotion", LaneKind.EMOTIONS), ("feeling", LaneKind.EMOTIONS),
    ("thought", LaneKind.THOUGHTS), ("thinking", LaneKind.THOUGHTS),
    ("goal", LaneKind.GOALS), ("need", LaneKind.GOALS), ("action", LaneKind.ACTIONS),
    ("doing", LaneKind.ACTIONS), ("channel", LaneKind.CHANNELS),
    # a few Spanish names (one of the real maps is Spanish)
    ("emoci", LaneKind.EMOTIONS), ("pensamiento", LaneKind.THOUGHTS),
    ("objetivo", LaneKind.GOALS), ("dolor", LaneKind.PAIN_POINTS),
    ("oportunidad", LaneKind.OPPORTUNITIES), ("accion", LaneKind.ACTIONS),
    ("acción", LaneKind.ACTIONS), ("canal", LaneKind.CHANNELS),
    # French, and the CJK names of the usual lanes
    ("émotion", LaneKind.EMOTIONS), ("ressenti", LaneKind.EMOTIONS),
    ("pensée", LaneKind.THOUGHTS), ("douleur", LaneKind.PAIN_POINTS),
    ("irritant", LaneKind.PAIN_POINTS), ("frustration", LaneKind.PAIN_POINTS),
    ("objectif", LaneKind.GOALS), ("besoin", LaneKind.GOALS),
    ("タッチポイント", LaneKind.TOUCHPOINTS), ("接点", LaneKind.TOUCHPOINTS),
    ("触点", LaneKind.TOUCHPOINTS), ("感情", LaneKind.EMOTIONS), ("情绪", LaneKind.EMOTIONS),
    ("ペインポイント", LaneKind.PAIN_POINTS), ("課題", LaneKind.PAIN_POINTS),
    ("痛点", LaneKind.PAIN_POINTS), ("機会", LaneKind.OPPORTUNITIES),
    ("机会", LaneKind.OPPORTUNITIES), ("行動", LaneKind.ACTIONS), ("行为", LaneKind.ACTIONS),
    ("思考", LaneKind.THOUGHTS), ("想法", LaneKind.THOUGHTS), ("目標", LaneKind.GOALS),
    ("目标", LaneKind.GOALS),
    # German
    ("hinter den kulissen", LaneKind.BACKSTAGE), ("berührungspunkt", LaneKind.TOUCHPOINTS),
    ("kontaktpunkt", LaneKind.TOUCHPOINTS), ("schmerzpunkt", LaneKind.PAIN_POINTS),
    ("problem", LaneKind.PAIN_POINTS), ("chance", LaneKind.OPPORTUNITIES),
    ("gefühl", LaneKind.EMOTIONS), ("gedanke", LaneKind.THOUGHTS),
    ("bedürfnis", LaneKind.GOALS), ("ziel", LaneKind.GOALS), ("handlung", LaneKind.ACTIONS),
    ("aktion", LaneKind.ACTIONS), ("kanal", LaneKind.CHANNELS),
    # more Spanish, Chinese and Japanese
    ("sentimiento", LaneKind.EMOTIONS), ("necesidad", LaneKind.GOALS),
    ("情感", LaneKind.EMOTIONS), ("渠道", LaneKind.CHANNELS), ("后台", LaneKind.BACKSTAGE),
    ("バックステージ", LaneKind.BACKSTAGE), ("チャネル", LaneKind.CHANNELS),
    # Arabic
    ("الكواليس", LaneKind.BACKSTAGE), ("الاتصال", LaneKind.TOUCHPOINTS),
    ("الألم", LaneKind.PAIN_POINTS), ("فرص", LaneKind.OPPORTUNITIES),
    ("فرصة", LaneKind.OPPORTUNITIES), ("مشاعر", LaneKind.EMOTIONS),
    ("شعور", LaneKind.EMOTIONS), ("أفكار", LaneKind.THOUGHTS), ("تفكير", LaneKind.THOUGHTS),
    ("هدف", LaneKind.GOALS), ("أهداف", LaneKind.GOALS), ("إجراء", LaneKind.ACTIONS),
    ("قناة", LaneKind.CHANNELS), ("قنوات", LaneKind.CHANNELS),
)


def lane_kind_from_name(name: str) -> LaneKind | None:
    """Guess a lane's kind from its name ('Customer actions' -> actions), or None."""
    low = " ".join(name.casefold().split())
    for hint, kind in _LANE_HINTS:
        if hint in low:
            return kind
    return None


_SOURCE_WORDS: dict[str, DataSource] = {squash(s.value): s for s in DataSource}
for _words, _source in (
    ("observation observations research interview interviews field fieldresearch usability "
     "qualitative ethnography analytics shadowing diary", DataSource.OBSERVED),
    ("nps csat ces questionnaire surveys quantitative poll", DataSource.SURVEY),
    ("feedback focusgroup workshop customerfeedback", DataSource.SOLICITED),
    ("review reviews social socialmedia complaint complaints ticket tickets supportticket "
     "supporttickets appstore", DataSource.UNSOLICITED),
    ("assumed assumptions hypothesis guess belief team opinion", DataSource.ASSUMPTION),
):
    for _w in _words.split():
        _SOURCE_WORDS[_w] = _source


def parse_source(text: str) -> DataSource | None:
    """An evidence source from a user's word ('Observed', 'NPS', 'reviews'), or None."""
    return _SOURCE_WORDS.get(squash(text))


_KNOWN_CHANNELS = {squash(c): c for c in (*CHANNELS, *DEVICES)}


@lru_cache(maxsize=8192)
def canonical_channel(text: str) -> str:
    """A known channel/device in its canonical spelling ('E-mail' -> 'email'), else as typed."""
    text = " ".join(text.split())
    return _KNOWN_CHANNELS.get(squash(text), text)


def source_name(path: Path) -> str:
    """How a file is named in messages."""
    return f"'{path.name}'"
