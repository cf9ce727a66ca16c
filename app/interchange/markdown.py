"""Markdown in and out: Mermaid journey fences and tables, the way notes and READMEs hold them.

Reading (markdown-it-py, CommonMark + GitHub tables, so the line of everything is known):

- each ```` ```mermaid ```` fence holding a journey becomes a map, read as Mermaid reads
  it (:mod:`app.interchange.mermaid`); fences of other diagrams are skipped with a warning;
- each table is read like a CSV in any layout (long, grid, stage rows), ``<br>`` in a cell
  being a line break; the heading above a table names its map, a ``Persona: Maya`` line
  under the heading its persona, and the paragraphs between them its description;
- a journey that only repeats the table above it (same heading, same stages: what
  Waymark's own export writes) is read once, from the table;
- YAML front matter is skipped (its ``title:`` names a lone map without a heading).

Writing (``waymark export F.cjm -o map.md``): per map a heading, the persona and
description, the grid table (stages across, lanes down, one card per line) and the map
as a Mermaid journey, readable on any code host.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from app.interchange.builder import DocBuilder
from app.interchange.common import (
    ImportResult,
    Problems,
    decode_text,
    read_bytes,
    refuse,
    source_name,
    write_atomic,
)
from app.interchange.csv_io import map_title
from app.interchange.grid import grid_rows
from app.interchange.mermaid import MAX_MERMAID_CHARS, add_journey, finish, to_mermaid
from app.interchange.mermaid_syntax import FRONT_MATTER, parse_journey
from app.interchange.tablelayout import HINT, Table, split_persona
from app.interchange.tabular import ImportOptions, import_plans, plan_tables
from app.model.schema import MAX_TEXT, DocumentData

_PERSONA_LINE = re.compile(r"^\s*(?:persona|personaje|persona name)\s*[:：]\s*(.+)$", re.I)
_BR_TAG = re.compile(r"^<br\s*/?>$", re.I)


def _inline_text(token: Any, *, urls: bool = True) -> str:
    """An inline token as the text a reader sees: markup dropped, ``<br>`` a line break, a
    link's address kept after its text (``Captcha (https://…)``) unless ``urls`` is False
    or the text is the address."""
    out: list[str] = []
    links: list[tuple[str, int]] = []  # (address, where its text starts in out)
    for child in token.children or []:
        kind = child.type
        if kind in ("text", "code_inline"):
            out.append(child.content)
        elif kind in ("softbreak", "hardbreak"):
            out.append("\n")
        elif kind == "html_inline":
            if _BR_TAG.match(child.content.strip()):
                out.append("\n")
        elif kind == "image":
            out.append(child.content)
        elif kind == "link_open":
            links.append((str(child.attrs.get("href") or ""), len(out)))
        elif kind == "link_close" and links:
            href, start = links.pop()
            shown = "".join(out[start:]).strip()
            if urls and href and shown != href and href.removeprefix("mailto:") != shown:
                out.append(f" ({href})")
    return "".join(out)


class _Section:
    """What one heading holds: its paragraphs, persona line, tables and fences."""

    def __init__(self, heading: str, line: int) -> None:
        self.heading = heading
        self.line = line
        self.persona: str | None = None
        self.paragraphs: list[str] = []
        self.tables: list[Table] = []
        self.fences: list[tuple[int, str]] = []  # (first content line, text)


def _blank_front_matter(text: str) -> tuple[str, str]:
    """The text with its front matter lines blanked (line numbers kept), and its title."""
    m = FRONT_MATTER.match(text)
    if not m:
        return text, ""
    title = ""
    import yaml

    try:
        meta = yaml.load(m.group(1), Loader=yaml.BaseLoader)  # BaseLoader: safe, strings only
    except yaml.YAMLError:
        meta = None
    if isinstance(meta, dict) and isinstance(meta.get("title"), str):
        title = meta["title"]
    return "\n" * m.group().count("\n") + text[m.end():], title


def read_sections(text: str) -> tuple[list[_Section], str]:
    """The headings of a Markdown text with what each holds, and the front matter's title."""
    from markdown_it import MarkdownIt

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text, front_title = _blank_front_matter(text)
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    tokens = md.parse(text)
    sections = [_Section("", 0)]
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "heading_open":
            title = " ".join(_inline_text(tokens[i + 1], urls=False).split())
            sections.append(_Section(title, (tok.map or [0])[0] + 1))
            i += 3
            continue
        section = sections[-1]
        if tok.type == "paragraph_open" and not section.tables and not section.fences:
            para = _inline_text(tokens[i + 1]).strip()
            m = _PERSONA_LINE.match(para)
            if m and section.persona is None:
                section.persona = " ".join(m.group(1).split())
            elif para:
                section.paragraphs.append(para)
        elif tok.type == "fence" and tok.info.strip().casefold().split()[:1] == ["mermaid"]:
            section.fences.append(((tok.map or [0])[0] + 2, tok.content))
        elif tok.type == "table_open":
            rows: list[list[str]] = []
            lines: list[int] = []
            j = i + 1
            while tokens[j].type != "table_close":
                if tokens[j].type == "tr_open":
                    lines.append((tokens[j].map or [0])[0] + 1)
                    rows.append([])
                elif tokens[j].type == "inline":
                    rows[-1].append(_inline_text(tokens[j]))
                j += 1
            first = (tok.map or [0])[0] + 1
            section.tables.append(Table(f"table on line {first}", rows, kind="markdown",
                                        lines=lines, heading=section.heading))
            i = j
        i += 1
    return sections, front_title


def read_markdown_tables(path: str | Path) -> list[Table]:
    """The tables of a Markdown file, unparsed."""
    path = Path(path)
    source = source_name(path)
    text = decode_text(read_bytes(path, source), source, [])
    sections, _title = read_sections(text)
    return [t for s in sections for t in s.tables]


def import_markdown(path: str | Path, options: ImportOptions | None = None) -> ImportResult:
    """Import a Markdown file's journey fences and tables, in the order the file has them
    (ImportProblem lists every problem of every one)."""
    from app.errors import ImportProblem
    from app.interchange.tabular import merge

    path = Path(path)
    source = source_name(path)
    warnings: list[str] = []
    text = decode_text(read_bytes(path, source), source, warnings)
    if len(text) > MAX_MERMAID_CHARS * 4:
        raise refuse(source, f"the file has {len(text):,} characters; at most "
                             f"{MAX_MERMAID_CHARS * 4:,} are read")
    sections, front_title = read_sections(text)
    default_title = map_title(path)
    tables = [t for s in sections for t in s.tables]
    if not tables and options is not None and not options.is_default():
        raise refuse(source, "--layout, --header-row, --column and --sheet read tables, and "
                             "this file holds none")
    lone = len(tables) + sum(len(s.fences) for s in sections) == 1
    for section in sections:
        for table in section.tables:
            table.heading = section.heading or (front_title if lone else "")
    plans = plan_tables(tables, options, source) if tables else []
    plan_of = {id(p.table): p for p in plans}
    parts: list[tuple[int, DocumentData]] = []
    details: list[tuple[int, list[str]]] = []
    notes: list[str] = []
    count = 0
    untitled = 0
    for section in sections:
        read_here: list[DocumentData] = []  # the tables' maps under this heading
        items = sorted([((t.lines or [0])[0], "table", t) for t in section.tables]
                       + [(line, "fence", body) for line, body in section.fences],
                       key=lambda item: item[0])
        for line, what, item in items:
            if what == "table":
                plan = plan_of[id(item)]
                title = default_title
                if not item.heading and not plan.title:
                    untitled += 1
                    title = default_title if untitled == 1 else f"{default_title} {untitled}"
                try:
                    result = import_plans([plan], source, default_title=title)
                except ImportProblem as err:
                    count += len(err.details) if err.details else 1
                    details.append((line, err.details))
                    notes.extend(n for n in err.notes if n not in notes and n != HINT)
                    continue
                warnings.extend(result.warnings)
                notes.extend(result.notes)
                _apply_section(result.data, section)
                read_here.append(result.data)
                parts.append((line, result.data))
                continue
            journey = parse_journey(item)
            if journey.problems and journey.diagram != "journey":
                what = f"a Mermaid {journey.diagram} diagram" if journey.diagram else \
                    "a Mermaid diagram"
                warnings.append(f"line {line - 1}: {what}, not a journey; skipped")
                continue
            twin = _same_stages(journey, read_here)
            if twin is not None and not journey.problems:
                data, map_id = twin
                if not _only_these_tasks(data, map_id, journey):
                    warnings.append(f"line {line - 1}: the Mermaid journey repeats the table "
                                    "above it (same stages); read once, from the table")
                    continue
                # the table only lists the journey's tasks: the journey also has their scores
                # and actors, so it is read instead of the table
                index = next(n for n, (_l, d) in enumerate(parts) if d is data)
                del parts[index]
                read_here.remove(data)
                warnings.append(f"line {line - 1}: the Mermaid journey repeats the table above "
                                "it with scores and actors; read once, from the journey")
            problems = Problems(source)
            builder = DocBuilder()
            add_journey(builder, journey,
                        default_title=section.heading or (front_title if lone else "")
                        or default_title,
                        problems=problems, warnings=warnings, line_offset=line - 1)
            if problems:
                count += problems.count
                details.append((line, problems.lines))
                continue
            data = finish(builder, problems, []).data
            _apply_section(data, section, description=False)
            parts.append((line, data))
    if count:
        noun = "problem" if count == 1 else "problems"
        details.sort(key=lambda item: item[0])
        raise ImportProblem(f"{count} {noun} in {source}",
                            details=[d for _line, lines in details for d in lines],
                            notes=[*notes, HINT] if notes else [])
    if not parts:
        raise refuse(source, "the file holds no Mermaid journey and no table")
    parts.sort(key=lambda part: part[0])
    result = ImportResult(data=merge([d for _line, d in parts]), warnings=warnings)
    result.plans = plans
    result.notes = notes
    return result


def _same_stages(journey: Any, maps: list[DocumentData]) -> tuple[DocumentData, int] | None:
    """The table map (and its id) whose stages a journey repeats, or None."""
    stages = [" ".join(st.name.split()).casefold() for st in journey.sections]
    if not stages:
        return None
    for data in maps:
        for m in data.ordered_maps():
            if [" ".join(st.name.split()).casefold() for st in data.stages_of(m.id)] == stages:
                return data, m.id
    return None


def _only_these_tasks(data: DocumentData, map_id: int, journey: Any) -> bool:
    """Whether a table's map is one lane holding exactly the journey's tasks, in order."""
    if len(data.lanes_of(map_id)) != 1 or len(data.maps) != 1 or any(
            t.section is None for t in journey.tasks):
        return False
    stages = data.stages_of(map_id)
    mine = [(stages.index(data.stages[c.stage_id]), " ".join(c.title.split()).casefold())
            for c in data.cards_of(map_id)]
    theirs = [(t.section, " ".join(t.name.split()).casefold()) for t in journey.tasks]
    return sorted(mine) == sorted(theirs)


def _apply_section(data: DocumentData, section: _Section, *, description: bool = True) -> None:
    """The persona line and paragraphs under a heading go onto the maps read below it."""
    from app.model.schema import Persona

    for m in list(data.maps.values()):
        update: dict[str, Any] = {}
        if description and section.heading and section.paragraphs and not m.description:
            update["description"] = "\n\n".join(section.paragraphs)[:MAX_TEXT]
        if section.persona and not m.persona_id:
            name, role = split_persona(section.persona)
            pid = next((p.id for p in data.personas.values()
                        if p.name.casefold() == name.casefold()), None)
            if pid is None:
                pid = max(data.personas, default=0) + 1
                data.personas[pid] = Persona(id=pid, name=name, role=role)
            update["persona_id"] = pid
        if update:
            data.maps[m.id] = m.model_copy(update=update)


# ---------------------------------------------------------------- writing
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~#])")


def md_escape(text: str) -> str:
    """Text for a Markdown table cell or heading: its markup characters escaped."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def to_markdown(data: DocumentData, map_ids: list[int]) -> str:
    """Maps as Markdown: per map a heading, persona, description, grid table, journey."""
    out: list[str] = []
    for map_id in map_ids:
        m = data.maps[map_id]
        out.append(f"## {md_escape(m.title)}")
        out.append("")
        if m.persona_id:
            out.append(f"Persona: {md_escape(data.personas[m.persona_id].name)}")
            out.append("")
        for para in re.split(r"\n\s*\n", m.description.strip()):
            if para.strip():
                out.append(md_escape(para))
                out.append("")
        rows = grid_rows(data, map_id)
        if len(rows[0]) > 1:
            for n, row in enumerate(rows):
                cells = ["<br>".join(md_escape(line) for line in cell.split("\n") if line.strip())
                         for cell in row]
                out.append("| " + " | ".join(cells) + " |")
                if n == 0:
                    out.append("|" + "---|" * len(row))
            out.append("")
        out.append("```mermaid")
        out.append(to_mermaid(data, map_id).rstrip("\n"))
        out.append("```")
        out.append("")
    return "\n".join(out)


def export_markdown(data: DocumentData, map_ids: list[int], path: str | Path, *,
                    force: bool = False) -> None:
    """Write the maps as Markdown atomically."""
    text = to_markdown(data, map_ids)
    write_atomic(Path(path), lambda tmp: tmp.write_text(text, encoding="utf-8"), force)
