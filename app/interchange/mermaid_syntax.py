"""Mermaid 11's ``journey`` grammar, read the way Mermaid reads it (Qt-free, no Waymark model).

A port of what ``mermaid.parse`` does to a journey, in order:

1. its preprocessing: CR/LF to LF, YAML front matter (``---`` ... ``---``, whose ``title``
   names the diagram), ``%%{init: ...}%%`` directives (also over several lines) and
   ``%%`` comment lines removed;
2. the diagram type: the text must start with ``journey`` (Mermaid itself only knows it in
   lower case; ``Journey`` is read with a warning);
3. entity codes (``#35;`` for ``#``, ``#quot;``) as Mermaid decodes them when it draws;
4. the lexer of ``parser/journey.jison`` rule by rule (as compiled into Mermaid's bundle),
   first match wins, keywords in any case (``Title``, ``SECTION``): comments from ``#``,
   from a '%' that starts a token and from ``%%`` after a token's first character,
   ``title`` to the end of the line, ``accTitle:``, ``accDescr:`` and the multi-line
   ``accDescr { ... }``, ``section NAME``, and tasks ``NAME: SCORE: ACTOR, ACTOR``;
5. the grammar and ``journeyDb``: the score is JavaScript's ``Number()`` of the text
   after the first colon (``NaN`` when it is not a number), the actors the comma-separated
   list after the second colon (anything after a third colon is dropped).

Where Mermaid would refuse the diagram, every bad line is reported with its line and
column (the original file's, front matter and comments included) and what Mermaid made
of it; :func:`parse_journey` never raises for bad text.
"""

from __future__ import annotations

import bisect
import html
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

# ---------------------------------------------------------------- the result


@dataclass
class Task:
    """One task as Mermaid's journeyDb holds it (text decoded, not yet cleaned)."""

    section: int | None  # index in Journey.sections; None: before the first section
    name: str
    score: float  # JavaScript Number() of the score text: may be NaN or infinite
    score_text: str
    actors: list[str]
    dropped: str  # text after a third colon, which Mermaid ignores
    line: int
    column: int
    actors_column: int


@dataclass
class Section:
    """A ``section`` line; repeated names stay separate sections, in order."""

    name: str
    line: int
    column: int


@dataclass
class Problem:
    """Something Mermaid refuses: where (1-based, in the original text) and why."""

    line: int
    column: int
    message: str


@dataclass
class Journey:
    """What a journey diagram holds, as Mermaid reads it."""

    title: str = ""
    front_title: str = ""
    acc_title: str = ""
    acc_descr: str = ""
    sections: list[Section] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: Lines on which a ``title`` statement appeared (a later one replaces the earlier).
    title_lines: list[int] = field(default_factory=list)
    #: 'journey', or the diagram the text is instead ('flowchart'), or '' when unknown.
    diagram: str = "journey"

    def diagram_title(self) -> str:
        """The title Mermaid draws: the last ``title`` statement, else the front matter's."""
        return self.title or self.front_title


# ---------------------------------------------------------------- positions


class _Text:
    """Text being preprocessed, with a map from its offsets back to the original's."""

    def __init__(self, text: str, anchors: list[tuple[int, int]] | None = None) -> None:
        self.text = text
        self.anchors = anchors if anchors is not None else [(0, 0)]  # (here, original)

    def origin(self, offset: int) -> int:
        """The original offset of ``offset`` in this text."""
        i = bisect.bisect_right(self.anchors, (offset, math.inf)) - 1
        here, orig = self.anchors[max(i, 0)]
        return orig + (offset - here)

    def replace(self, pattern: re.Pattern[str] | _FrontMatter | _CommentLines,
                repl: str | None = None) -> _Text:
        """Each match replaced by ``repl`` (removed when None), offsets kept mappable."""
        pieces: list[str] = []
        anchors: list[tuple[int, int]] = []
        pos = out = 0
        for m in pattern.finditer(self.text):
            if m.end() == m.start():
                continue
            pieces.append(self.text[pos:m.start()])
            anchors.append((out, self.origin(pos)))
            out += m.start() - pos
            if repl:
                pieces.append(repl)
                anchors.append((out, self.origin(m.start())))
                out += len(repl)
            pos = m.end()
        if not anchors:
            return self
        pieces.append(self.text[pos:])
        anchors.append((out, self.origin(pos)))
        return _Text("".join(pieces), _squash(anchors))


def _squash(anchors: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for here, orig in anchors:
        if out and out[-1][0] == here:
            out[-1] = (here, orig)
        elif not out or orig - out[-1][1] != here - out[-1][0]:
            out.append((here, orig))
    return out or [(0, 0)]


class _Lines:
    """Line and column (1-based) of offsets in the original text."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def at(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.starts, offset) - 1
        return i + 1, offset - self.starts[i] + 1


# ---------------------------------------------------------------- preprocessing
# Mermaid's own expressions (diagram-api/regexes.ts, comments.ts), in Python syntax.
FRONT_MATTER_RE = re.compile(r"^-{3}\s*[\n\r](.*?)[\n\r]-{3}\s*[\n\r]+", re.S)
DIRECTIVE = re.compile(
    r"%{2}\{\s*(?:(\w+)\s*:|(\w+))\s*(?:(\w+)|((?:(?!\}%{2}).|\r?\n)*))?\s*(?:\}%{2})?",
    re.I)
_COMMENT_LINE_RE = re.compile(r"^\s*%%(?!\{)[^\n]+\n?", re.M)


class _Span:
    """A match as :meth:`_Text.replace` reads it: where it starts and ends."""

    def __init__(self, start: int, end: int) -> None:
        self._start, self._end = start, end

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end


class _FrontMatter:
    """``FRONT_MATTER_RE`` in linear time (for text whose line breaks are all ``\\n``).

    The expression's ``\\s*[\\n\\r]`` after the opening ``---`` backs off through every
    line break of a run of blank lines, and the lazy body is searched to the end of the
    text from each: quadratic on a file of blank lines. Only the last two breaks of that
    run can start a match (the last, or the one before it when the run ends at the
    closing ``---``), so these two expressions give exactly its matches.
    """

    _LAST = re.compile(r"^-{3}\s*\n(?=[^\S\n]*(?:\S|\Z))(.*?)\n-{3}\s*\n+", re.S)
    _BEFORE_LAST = re.compile(r"^-{3}\s*\n([^\S\n]*)\n-{3}\s*\n+")

    def match(self, text: str) -> re.Match[str] | None:
        return self._LAST.match(text) or self._BEFORE_LAST.match(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        m = self.match(text)
        if m:
            yield m


class _CommentLines:
    """``_COMMENT_LINE_RE`` (Mermaid's comment lines) found in linear time.

    From a line start the expression takes all the whitespace that follows, blank lines
    included, and needs ``%%`` right after it; tried again at each line start inside a
    run of blank lines, it was quadratic. Those starts end where the first did, so one
    attempt per run gives the same matches.
    """

    _WHITE = re.compile(r"\s*")
    _COMMENT = re.compile(r"%%(?!\{)[^\n]+\n?")

    def finditer(self, text: str) -> Iterator[_Span]:
        pos, end = 0, len(text)
        while pos < end:
            white = self._WHITE.match(text, pos)
            assert white is not None
            m = self._COMMENT.match(text, white.end())
            if m:
                yield _Span(pos, m.end())
                pos = m.end()
                continue
            nl = text.find("\n", white.end())
            if nl < 0:
                return
            pos = nl + 1


FRONT_MATTER = _FrontMatter()
_COMMENT_LINE = _CommentLines()
_ENTITY = re.compile(r"#(\w+);", re.A)
#: Placeholders for decoded entity codes: one character each, from a private-use plane.
_PLACEHOLDER_BASE = 0xF0000
_PRIVATE = re.compile("[\U000f0000-\U0010ffff]")
#: Diagram keywords that are not a journey (the first word tells which diagram it is).
OTHER_DIAGRAMS = (
    "flowchart", "graph", "sequenceDiagram", "classDiagram", "stateDiagram", "erDiagram",
    "gantt", "pie", "gitGraph", "mindmap", "timeline", "quadrantChart", "requirementDiagram",
    "C4Context", "sankey", "xychart", "block", "kanban", "architecture", "packet", "radar",
    "treemap", "zenuml",
)


def js_number(text: str) -> float:
    """JavaScript's ``Number(text)`` for a string: '' is 0, '0x1A' is 26, 'X' is NaN."""
    s = text.strip(" \t\n\r\v\f\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
                   "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff")
    if not s:
        return 0.0
    for prefix, base in (("0x", 16), ("0o", 8), ("0b", 2)):
        if s[:2].lower() == prefix:
            try:
                return float(int(s[2:], base)) if s[2:].isalnum() else math.nan
            except ValueError:
                return math.nan
    if s in ("Infinity", "+Infinity"):
        return math.inf
    if s == "-Infinity":
        return -math.inf
    if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", s):
        return math.nan
    return float(s)


def _decode_entity(name: str) -> str:
    if re.fullmatch(r"\+?\d+", name):
        code = int(name)
        if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
            return chr(code)
        return "\ufffd"
    decoded = html.unescape(f"&{name};")
    return f"#{name};" if decoded == f"&{name};" else decoded


# ---------------------------------------------------------------- the lexer
_I = re.I
#: The INITIAL-state rules of journey.jison, in order (first match wins), as jison compiles
#: them into Mermaid's bundle: its first rule, written ``\%%(?!\{)``, becomes a single '%'
#: (so a token that starts with '%' is a comment), and ``"journey"`` gets a word boundary.
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("", re.compile(r"%(?!\{)[^\n]*", _I)),
    ("", re.compile(r"[^}]%%[^\n]*", _I)),
    ("NEWLINE", re.compile(r"\n+")),
    ("", re.compile(r"\s+")),
    ("", re.compile(r"#[^\n]*")),
    ("journey", re.compile(r"journey\b", _I | re.A)),
    ("title", re.compile(r"title\s[^#\n;]+", _I)),
    ("acc_title", re.compile(r"accTitle\s*:\s*", _I)),
    ("acc_descr", re.compile(r"accDescr\s*:\s*", _I)),
    ("acc_descr_multiline", re.compile(r"accDescr\s*\{\s*", _I)),
    ("section", re.compile(r"section\s[^#:\n;]+", _I)),
    ("taskName", re.compile(r"[^#:\n;]+")),
    ("taskData", re.compile(r":[^#\n;]+")),
    (":", re.compile(r":")),
    ("INVALID", re.compile(r".", re.S)),
)
_TO_EOL = re.compile(r"[^\n]*")
_NOT_BRACE = re.compile(r"[^}]*")


@dataclass
class _Token:
    kind: str
    text: str
    start: int  # offset in the preprocessed text


def _tokens(text: str) -> list[_Token]:
    """journey.jison's lexer over the preprocessed text."""
    out: list[_Token] = []
    pos, end = 0, len(text)
    state = ""
    while pos < end:
        if state in ("acc_title", "acc_descr"):
            m = _TO_EOL.match(text, pos)
            assert m is not None
            out.append(_Token(f"{state}_value", m.group(), pos))
            state, pos = "", m.end()
            continue
        if state == "acc_descr_multiline":
            if text[pos] == "}":
                state, pos = "", pos + 1
                continue
            m = _NOT_BRACE.match(text, pos)
            assert m is not None
            out.append(_Token("acc_descr_multiline_value", m.group(), pos))
            pos = m.end()
            continue
        for kind, rule in _RULES:
            m = rule.match(text, pos)
            if m is None:
                continue
            if kind in ("acc_title", "acc_descr", "acc_descr_multiline"):
                state = kind
            if kind and kind != "acc_descr_multiline":
                out.append(_Token(kind, m.group(), pos))
            pos = m.end()
            break
    if state == "acc_descr_multiline":
        out.append(_Token("unclosed", "", pos))
    out.append(_Token("EOF", "", end))
    return out


# ---------------------------------------------------------------- parsing


def parse_journey(source: str) -> Journey:
    """Read a Mermaid journey as Mermaid does; problems and warnings are in the result."""
    journey = Journey()
    original = source.replace("\r\n", "\n").replace("\r", "\n")
    lines = _Lines(original)
    text = _Text(original)

    # front matter
    m = FRONT_MATTER.match(text.text)
    if m:
        journey.front_title = _front_title(m.group(1), lines.at(m.start(1))[0], journey)
        text = text.replace(FRONT_MATTER)
    elif text.text.startswith("---"):
        journey.problems.append(Problem(1, 1, "the front matter that starts on line 1 is "
                                              "never closed by a '---' line"))
        return journey
    text = text.replace(DIRECTIVE)
    text = text.replace(_COMMENT_LINE)
    lead = len(text.text) - len(text.text.lstrip())
    if lead:
        text = text.replace(re.compile(r"\A\s+"))
    if not text.text.startswith("journey"):
        word = (text.text.split(None, 1) or [""])[0]
        line, col = lines.at(text.origin(0)) if text.text else (1, 1)
        if word.casefold().startswith("journey"):
            journey.warnings.append(
                f"line {line}: Mermaid itself only knows 'journey' in lower case "
                f"(found {word[:20]!r}); read as a journey")
            text = _Text("journey" + text.text[len("journey"):], text.anchors)
        elif not word:
            journey.diagram = ""
            journey.problems.append(Problem(1, 1, "the file holds no Mermaid diagram"))
            return journey
        else:
            kind = next((k for k in OTHER_DIAGRAMS if word.casefold().startswith(k.casefold())),
                        None)
            journey.diagram = kind or ""
            what = (f"this is a Mermaid {kind} diagram, not a journey" if kind else
                    f"a Mermaid journey starts with 'journey' (found {word[:40]!r})")
            if not kind and word.startswith(("```", "~~~")):
                what += ("; that is a Markdown code fence: a .mmd file holds the diagram "
                         "alone (remove the fence lines, or import the file as .md)")
            journey.problems.append(Problem(line, col, what))
            return journey

    # entity codes, each replaced by one placeholder character (decoded in the values)
    table: list[str] = []

    def placeholder(value: str) -> str:
        table.append(value)
        return chr(_PLACEHOLDER_BASE + len(table) - 1)

    pieces: list[str] = []
    anchors: list[tuple[int, int]] = []
    pos = out = 0
    for m in re.finditer(r"#\w+;|[\U000f0000-\U0010ffff]", text.text, re.A):
        pieces.append(text.text[pos:m.start()])
        anchors.append((out, text.origin(pos)))
        out += m.start() - pos
        raw = m.group()
        pieces.append(placeholder(_decode_entity(raw[1:-1]) if raw.startswith("#") else raw))
        anchors.append((out, text.origin(m.start())))
        out += 1
        pos = m.end()
    if anchors:
        pieces.append(text.text[pos:])
        anchors.append((out, text.origin(pos)))
        text = _Text("".join(pieces), _squash(anchors))

    def decode(value: str) -> str:
        if not table:
            return value
        return _PRIVATE.sub(lambda c: table[ord(c.group()) - _PLACEHOLDER_BASE]
                            if ord(c.group()) - _PLACEHOLDER_BASE < len(table) else c.group(),
                            value)

    def where(offset: int) -> tuple[int, int]:
        return lines.at(text.origin(min(offset, max(len(text.text) - 1, 0))))

    _parse_tokens(_tokens(text.text + "\n"), journey, decode, where, original)
    return journey


#: What to do about the YAML mistakes people make in a front matter.
_YAML_HINT = {"mapping values are not allowed here":
              "; a value with ': ' in it needs quotes: title: \"Día: mañana\""}


def _front_title(yaml_text: str, first_line: int, journey: Journey) -> str:
    import yaml

    try:
        # BaseLoader: every scalar stays the text it was ('title: yes' is "yes", as Mermaid
        # reads it with js-yaml's JSON schema).
        meta = yaml.load(yaml_text, Loader=yaml.BaseLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = first_line + (mark.line if mark is not None else 0)
        journey.problems.append(Problem(line, (mark.column + 1) if mark else 1,
                                        f"the front matter is not valid YAML "
                                        f"({getattr(err, 'problem', None) or err})"
                                        + _YAML_HINT.get(getattr(err, "problem", ""), "")))
        return ""
    if isinstance(meta, dict) and isinstance(meta.get("title"), str):
        return meta["title"]
    return ""


def _parse_tokens(tokens: list[_Token], journey: Journey, decode, where, original: str) -> None:
    """journey.jison's grammar and journeyDb's actions, with every bad line reported."""
    i = 0
    assert tokens[0].kind == "journey"
    i = 1
    section: int | None = None
    n = len(tokens)

    def fail(tok: _Token, message: str) -> int:
        line, col = where(tok.start)
        if journey.problems and journey.problems[-1].line == line:
            return _next_line(i)
        journey.problems.append(Problem(line, col, message))
        return _next_line(i)

    def _next_line(j: int) -> int:
        while j < n and tokens[j].kind not in ("NEWLINE", "EOF"):
            j += 1
        return j

    while i < n:
        tok = tokens[i]
        kind = tok.kind
        if kind in ("NEWLINE", "EOF"):
            i += 1
        elif kind == "title":
            journey.title = decode(tok.text[6:]).lstrip()
            journey.title_lines.append(where(tok.start)[0])
            i += 1
        elif kind in ("acc_title", "acc_descr"):
            value = tokens[i + 1]
            text = decode(value.text).strip()
            if kind == "acc_title":
                journey.acc_title = text
            else:
                journey.acc_descr = re.sub(r"\n\s+", "\n", text)
            i += 2
        elif kind == "acc_descr_multiline_value":
            journey.acc_descr = re.sub(r"\n\s+", "\n", decode(tok.text).strip())
            i += 1
        elif kind == "unclosed":
            opening = next(t for t in reversed(tokens[:i]) if t.kind ==
                           "acc_descr_multiline_value") if i else tok
            i = fail(opening, "'accDescr {' is never closed with '}' (Mermaid refuses the "
                              "diagram)")
        elif kind == "section":
            line, col = where(tok.start)
            name = decode(_breaks(tok.text[8:]))
            journey.sections.append(Section(name, line, col))
            section = len(journey.sections) - 1
            i += 1
        elif kind == "taskName":
            nxt = tokens[i + 1]
            if nxt.kind != "taskData":
                i = fail(tok, _no_data_message(tok, nxt, decode, where, original))
                continue
            line, col = where(tok.start)
            pieces = nxt.text[1:].split(":")
            actors = [decode(a).strip() for a in pieces[1].split(",")] if len(pieces) > 1 else []
            actors_at = nxt.start + 1 + len(pieces[0]) + 1
            journey.tasks.append(Task(
                section=section, name=decode(_breaks(tok.text)), score=js_number(decode(pieces[0])),
                score_text=decode(pieces[0]).strip(), actors=actors,
                dropped=decode(":".join(pieces[2:])).strip(), line=line, column=col,
                actors_column=where(actors_at)[1]))
            i += 2
        else:
            prev = tokens[i - 1]
            at = prev if prev.kind in ("section", "title") and tok.kind == "taskData" else tok
            i = fail(at, _unexpected_message(tok, prev, decode))


_BR = re.compile(r"<br\s*/?>", re.I)


def _breaks(label: str) -> str:
    """Mermaid's line breaks in a section or task label (its renderer splits on ``<br>``)
    as '\n'; an entity-coded '#60;br>' stays text."""
    return _BR.sub("\n", label)


def _shown(text: str, decode, most: int = 50) -> str:
    text = " ".join(decode(text).split())
    return repr(text if len(text) <= most else text[:most - 1] + "…")


def _no_data_message(tok: _Token, nxt: _Token, decode, where, original: str) -> str:
    """Why a task name is not followed by ': score': the most likely cause first."""
    name = _shown(tok.text, decode)
    if nxt.kind == ":":
        return f"the task {name} has no score after its ':' (a task reads 'name: score: actors')"
    line, col = where(nxt.start)
    rest = original.split("\n")[line - 1][col - 1:] if nxt.kind == "NEWLINE" else ""
    if nxt.kind == "INVALID" and nxt.text == ";":
        return (f"Mermaid does not allow ';' in a task ({name}); write it as #59; "
                "(Waymark reads it back as ';')")
    if "#" in original.split("\n")[where(tok.start)[0] - 1][where(tok.start)[1] - 1:] and not rest:
        return (f"Mermaid reads '#' as the start of a comment, so the task {name} lost its "
                "score; write '#' as #35;")
    return f"a task reads 'name: score: actors', not {name}"


def _unexpected_message(tok: _Token, prev: _Token, decode) -> str:
    """What Mermaid made of a token it then refused, in a user's words."""
    text = _shown(tok.text, decode)
    if tok.kind == "journey":
        return ("Mermaid reads a word starting with 'journey' at the start of a line as its "
                "'journey' keyword (keywords ignore case), so this line is not a task; reword "
                "it, or write its first letter as an entity code (#74; for 'J')")
    if tok.kind == "taskData" and prev.kind == "section":
        return (f"Mermaid reads {_shown(prev.text, decode)} as a section (a line starting with "
                "'section ', in any case), and a section name cannot hold ':'; if it is a task, "
                "reword its start or write its first letter as an entity code (#83; for 'S')")
    if tok.kind == "taskData" and prev.kind == "title":
        return (f"Mermaid read {_shown(prev.text, decode)} as the title; a title ends at ';'")
    if tok.kind in ("taskData", ":"):
        return f"{text} has no task name before its ':'"
    if tok.kind == "INVALID" and tok.text == ";":
        return "Mermaid does not allow ';' here; write it as #59;"
    return f"Mermaid cannot read {text} here"
