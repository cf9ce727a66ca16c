"""The long layout (one row per card), shared by CSV and XLSX, in both directions.

Columns: ``map, persona, stage, lane, lane_kind, kind, title, body, channel,
device, emotion, owner, source, votes, tags, colour``, then every other plain-text card
field by its name (``author``), and any ``metric:NAME``.
Headers are matched without regard to case, spaces, hyphens or underscores,
and accept synonyms (Phase -> stage, Swimlane -> lane, Department -> owner).
Only ``stage`` and ``title`` are required. Exports add ``card_id`` (the card's
id in the exporting document, for metrics files); imports ignore it.

A row whose title and card columns are all empty but which names a stage
and/or a lane declares that stage or lane (so empty stages and the lane order
survive a round trip); a row with card data and no title is an error.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import ValidationError

from app.interchange.builder import DocBuilder
from app.interchange.common import (
    MAX_CELL_CHARS,
    MAX_ROWS,
    Problems,
    canonical_channel,
    cell_value_text,
    clean_name,
    column_name,
    escape_formula,
    fold_latin,
    parse_kind,
    parse_lane_kind,
    parse_source,
    pydantic_messages,
    unescape_formula,
    where,
)
from app.model.schema import MAX_NAME, MAX_VOTES, Card, CardKind, DocumentData

_COLUMNS = ("map", "persona", "stage", "lane", "lane_kind", "kind", "title", "body", "channel",
            "device", "emotion", "owner", "source", "votes", "tags", "colour")
#: The card's other plain-text fields (``author``): a column each, named as the field,
#: read and written as they are (trimmed on import), so a new text field needs no code here.
TEXT_FIELDS = tuple(f for f in Card.CONTENT_FIELDS
                    if f not in _COLUMNS and Card.model_fields[f].annotation is str)
FIELDS = (*_COLUMNS, *TEXT_FIELDS, "card_id")
#: Columns written for reference only and ignored on import: the card's id in the
#: exporting document, which a metrics CSV can use to name the card.
IGNORED = ("card_id",)
REQUIRED = ("stage", "title")
_CARD_FIELDS = ("kind", "body", "channel", "device", "emotion", "owner", "source", "votes",
                "tags", "colour", *TEXT_FIELDS)
_NUMERIC = {"emotion", "votes"}

_SYNONYMS: dict[str, str] = {name.replace("_", " "): name for name in FIELDS}
for _field, _words in {
    "map": "journey, journey map, map title, map name, scenario, mapa, viaje, recorrido, "
           "parcours, reise, kundenreise, マップ, ジャーニー, 旅程, الرحلة",
    "persona": "segment, customer, persona name, user, cliente, usuario, utilisateur, "
               "kunde, nutzer, ペルソナ, 用户画像, الشخصية",
    "stage": "phase, step, journey stage, stage name, etapa, fase, stages, phases, steps, "
             "journey step, journey phase, étape, etape, étapes, etapas, phase du parcours, "
             "schritt, etappe, ステージ, 段階, フェーズ, 阶段, 階段, المرحلة, مرحلة",
    "lane": "layer, swimlane, swim lane, row, lane name, category, carril, fila, capa, "
            "categoría, couloir, ligne, catégorie, ebene, bahn, kategorie, zeile, "
            "レーン, 泳道, المسار",
    "lane_kind": "lane type, layer kind, layer type, swimlane kind, swimlane type, "
                 "tipo de carril, type de couloir, ebenentyp",
    "kind": "type, card type, card kind, tipo, typ, 種類, タイプ, 类型, النوع",
    "title": "text, card, card title, note, content, label, summary, titulo, tarjeta, "
             "texto, titre, texte, carte, libellé, titel, karte, タイトル, 标题, العنوان",
    "body": "details, detail, description, notes, comment, comments, descripción, detalle, "
            "detalles, notas, comentario, détails, commentaire, beschreibung, notizen, "
            "kommentar, 説明, 詳細, 描述, 详情, الوصف",
    "channel": "channels, medium, canal, kanal, チャネル, 渠道, القناة",
    "device": "devices, platform, dispositivo, appareil, gerät, デバイス, 设备, الجهاز",
    "emotion": "emotions, score, sentiment, feeling, emotion score, mood, emoción, "
               "sentimiento, puntuación, émotion, ressenti, gefühl, stimmung, 感情, 情绪, "
               "情感, الشعور, المشاعر",
    "owner": "department, dept, responsible, team, accountable, owned by, responsable, "
             "equipo, departamento, équipe, verantwortlich, abteilung, 担当, "
             "担当者, 负责人, المسؤول",
    "source": "evidence, data source, evidence source, fuente, evidencia, quelle, 出典, "
              "来源, المصدر",
    "votes": "vote, dots, dot votes, votos, stimmen, 投票, 票数, الأصوات",
    "tags": "tag, labels, keywords, etiquetas, étiquettes, mots clés, schlagwörter, "
            "タグ, 标签, الوسوم",
    "colour": "color, colour hex, color hex, couleur, farbe, 色, 颜色, اللون",
    "author": "contributor, contributed by, participant, written by, added by, submitted by, "
              "autor, participante, auteur, teilnehmer, 作成者, 作者, الكاتب",
    "card_id": "card id, id",
}.items():
    for _w in _words.split(","):
        _SYNONYMS[_w.strip()] = _field
#: The same without the accents of Latin letters ('Descripcion', 'Etiquetas', 'Categorie').
_FOLDED_SYNONYMS = {fold_latin(k): v for k, v in _SYNONYMS.items()}


def normalise_header(text: str) -> str:
    """'Lane_Kind ' -> 'lane kind'."""
    return " ".join(re.sub(r"[_\-]+", " ", text.strip().casefold()).split())


def header_field(text: str) -> str | None:
    """The field a header names ('Phase' -> 'stage', 'metric:NPS' -> 'metric:NPS'), or None."""
    stripped = text.strip()
    if stripped.casefold().startswith("metric:"):
        name = stripped[len("metric:"):].strip()
        return f"metric:{name}" if name else None
    key = normalise_header(stripped)
    return _SYNONYMS.get(key) or _FOLDED_SYNONYMS.get(fold_latin(key))


#: Header words for a phase (a group of stages): 'phase' names the stage column unless
#: another column names the stages, then it gives each stage's phase.
PHASE_WORDS = {"phase", "phases", "journey phase", "fase", "fases", "phase du parcours",
               "フェーズ", "段階", "階段"}


#: What a phase cell holds for a stage in no phase: a blank cell continues the phase above
#: (a merged cell), so the export writes a dash, and a dash (- – —) reads as "none".
NO_PHASE = "-"


def is_no_phase(text: str) -> bool:
    """'-', '–', '—': the stage is in no phase (and the phase above does not continue)."""
    return bool(text) and not text.strip("-–— ")


def is_phase_header(text: str) -> bool:
    """'Phase', 'Fase', 'フェーズ': a header that may name the stages' phases."""
    return fold_latin(normalise_header(text)) in PHASE_WORDS


def phase_column(header: Sequence[Any]) -> int | None:
    """The column of a header row that gives each stage's phase: a phase-word column when
    another column names the stages (Phase | Étape | …), else None."""
    texts = ["" if h is None else str(h) for h in header]
    stages = [i for i, t in enumerate(texts) if t.strip() and header_field(t) == "stage"]
    phases = [i for i in stages if is_phase_header(texts[i])]
    if len(stages) >= 2 and len(phases) == 1:
        return phases[0]
    return None


def looks_long(header: Sequence[str]) -> bool:
    """True when a header row is the long layout (it names at least two known fields)."""
    return sum(1 for h in header if isinstance(h, str) and header_field(h)) >= 2


def _number(text: str) -> float:
    text = text.strip().replace("\u2212", "-").replace(" ", "")
    if text.endswith("%"):
        text = text[:-1]
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    value = float(text)
    if not math.isfinite(value):
        raise ValueError
    return value


def _integer(text: str) -> int:
    value = _number(text)
    if value != int(value):
        raise ValueError
    return int(value)


def split_tags(text: str) -> list[str]:
    """Tags from a cell: separated by ';' when there is one, else by ','."""
    sep = ";" if ";" in text else ","
    return [t.strip() for t in text.split(sep) if t.strip()]


def parse_long(header: Sequence[str], rows: Iterable[tuple[int, Sequence[Any]]], *,
               problems: Problems, warnings: list[str], default_map: str,
               unescape: bool, header_row: int = 1,
               fields: Sequence[str | None] | None = None) -> DocumentData | None:
    """Parse a long table into document content; None when problems were recorded.

    ``rows`` yields (row number as the user sees it, cells). ``unescape``
    strips the formula-protection apostrophe that the CSV exporter adds. ``fields``,
    when given, is the field of each column (None: ignored) instead of the header's.
    """
    columns: dict[str, int] = {}
    phase_col = phase_column(header) if fields is None else None
    for col, raw in enumerate(header):
        text = "" if raw is None else str(raw)
        if col == phase_col:
            columns["phase"] = col
            continue
        if fields is not None:
            fld = fields[col] if col < len(fields) else None
            if fld is None or fld in IGNORED:
                continue
            text = text.strip() or fld
        elif not text.strip():
            continue
        else:
            fld = header_field(text)
        if fld is None:
            warnings.append(f"column {column_name(col)} '{text.strip()[:40]}' "
                            "is not a Waymark field and was ignored")
            continue
        if fld in IGNORED:
            continue
        if fld in columns:
            problems.add(where(header_row, col, text.strip()[:40]),
                         f"a second '{fld}' column (the first is column "
                         f"{column_name(columns[fld])})")
            continue
        columns[fld] = col
    missing = [f for f in REQUIRED if f not in columns]
    for fld in missing:
        problems.add(where(header_row), f"the required column '{fld}' is missing "
                     f"(the header row is: {', '.join(str(h) for h in header)[:200]})")
    if problems:
        return None

    builder = DocBuilder()
    count = 0
    phase = [""]  # the phase of the rows so far: a blank cell continues it (a merged cell)
    for rownum, cells in rows:
        count += 1
        if count > MAX_ROWS:
            problems.add(where(rownum), f"more than {MAX_ROWS:,} rows; split the file")
            break
        _parse_row(rownum, cells, columns, builder, problems, default_map, unescape, phase)
    if problems:
        return None
    if not builder.maps:
        problems.add("", "the file holds no cards")
        return None
    try:
        return builder.build()
    except ValidationError as err:  # a rule the row checks did not foresee
        problems.add("", "; ".join(m for _f, m in pydantic_messages(err)[:3]))
        return None


def _parse_row(rownum: int, cells: Sequence[Any], columns: dict[str, int], builder: DocBuilder,
               problems: Problems, default_map: str, unescape: bool,
               phase: list[str]) -> None:
    values: dict[str, str] = {}
    ok = True
    n_cells = len(cells)
    for fld, col in columns.items():
        raw = cells[col] if col < n_cells else None
        text = raw if type(raw) is str else cell_value_text(raw)  # CSV cells: no conversion
        if len(text) > MAX_CELL_CHARS:
            problems.add(where(rownum, col, fld), f"the cell holds {len(text):,} characters "
                         f"(at most {MAX_CELL_CHARS:,})")
            ok = False
            continue
        if unescape and "'" in text and fld not in _NUMERIC and not fld.startswith(
                "metric:"):
            text = unescape_formula(text)
        values[fld] = text
    if not ok:
        return
    if not any(v.strip() for v in values.values()):
        return  # a blank line

    def bad(fld: str, message: str) -> None:
        nonlocal ok
        ok = False
        problems.add(where(rownum, columns[fld], fld), message)

    get = values.get
    if (get("phase") or "").strip():
        given = " ".join((get("phase") or "").split())
        phase[0] = "" if is_no_phase(given) else given
    names: dict[str, str] = {}
    for fld in ("map", "persona", "stage", "lane"):
        text = clean_name(get(fld) or "")
        if len(text) > MAX_NAME:
            bad(fld, f"a {fld} name has at most {MAX_NAME} characters, not {len(text)}")
        names[fld] = text
    lane_kind = None
    if (get("lane_kind") or "").strip():
        lane_kind = parse_lane_kind(get("lane_kind") or "")
        if lane_kind is None:
            bad("lane_kind", f"unknown lane kind '{get('lane_kind', '')[:40]}'")

    title = get("title") or ""
    is_card = bool(title.strip()) or any(
        (get(f) or "").strip() for f in _CARD_FIELDS) or any(
        v.strip() for f, v in values.items() if f.startswith("metric:"))

    fields: dict[str, Any] = {"title": title}
    if is_card:
        if not title.strip():
            bad("title", "the title is empty")
        if not names["stage"]:
            bad("stage", "the stage is empty")
        _card_fields(values, fields, bad)
    if not ok:
        return
    mb = builder.map(names["map"] or default_map, names["persona"] or None)
    if names["lane"]:
        key = mb.lane(names["lane"], lane_kind)
        declared = mb.declared_kind(key)
        if lane_kind is not None and declared is not None and declared != lane_kind:
            bad("lane_kind", f"lane '{names['lane']}' was declared {declared.value} "
                             f"above, here {lane_kind.value}")
            return
    if names["stage"]:
        mb.stage(names["stage"], **({"phase": phase[0][:MAX_NAME]} if phase[0] else {}))
    if not is_card:
        return
    try:
        card = Card.model_validate({"id": 1, "map_id": 1, "stage_id": 1, "lane_id": 1, **fields})
    except ValidationError as err:
        for fld, message in pydantic_messages(err):
            target = fld if fld in columns else ("metric:" + fld if fld == "metrics" else "title")
            col = columns.get(target, columns["title"])
            problems.add(where(rownum, col, fld), message)
        return
    mb.add_card(names["stage"], names["lane"] or None, fields, card)


def _card_fields(values: dict[str, str], fields: dict[str, Any], bad: Any) -> None:
    """Parse the card columns of one row into ``fields``, reporting each bad cell."""
    text = (values.get("kind") or "").strip()
    if text:
        kind = parse_kind(text)
        if kind is None:
            bad("kind", f"unknown kind '{text[:40]}' (use one of "
                        f"{', '.join(k.value.replace('_', ' ') for k in CardKind)})")
        fields["kind"] = kind
    for fld in ("body", "owner", *TEXT_FIELDS):
        if fld in values:
            fields[fld] = values[fld] if fld == "body" else values[fld].strip()
    for fld in ("channel", "device"):
        if fld in values:
            fields[fld] = canonical_channel(values[fld])
    text = (values.get("emotion") or "").strip()
    if text:
        try:
            emotion = _integer(text)
        except ValueError:
            bad("emotion", f"emotion '{text[:20]}' is not a whole number from -2 to +2")
        else:
            if -2 <= emotion <= 2:
                fields["emotion"] = emotion
            else:
                bad("emotion", f"emotion {emotion} is outside -2..+2")
    text = (values.get("votes") or "").strip()
    if text:
        try:
            votes = _integer(text)
            if not 0 <= votes <= MAX_VOTES:
                raise ValueError
            fields["votes"] = votes
        except ValueError:
            bad("votes", f"votes '{text[:20]}' is not a whole number from 0 to {MAX_VOTES}")
    text = (values.get("source") or "").strip()
    if text:
        source = parse_source(text)
        if source is None:
            bad("source", f"unknown source '{text[:40]}' (use observed, survey, solicited, "
                          "unsolicited or assumption)")
        fields["source"] = source
    if (values.get("tags") or "").strip():
        fields["tags"] = split_tags(values["tags"])
    text = (values.get("colour") or "").strip()
    if text:
        fields["colour"] = text
    metrics: dict[str, float] = {}
    for fld, text in values.items():
        if fld.startswith("metric:") and text.strip():
            try:
                metrics[fld[7:]] = _number(text)
            except ValueError:
                bad(fld, f"'{text[:20]}' is not a number")
    if metrics:
        fields["metrics"] = metrics


# ---------------------------------------------------------------- export
def _fmt_number(value: float) -> str:
    return str(int(value)) if value == int(value) and abs(value) < 1e15 else repr(value)


def long_rows(data: DocumentData, map_ids: Sequence[int], *,
              escape: bool) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the long layout for the given maps (text cells formula-escaped)."""
    metric_names: list[str] = []
    for map_id in map_ids:
        for card in data.cards_of(map_id):
            for name in card.metrics:
                if name not in metric_names:
                    metric_names.append(name)
    header = [*FIELDS, *(f"metric:{n}" for n in metric_names)]
    rows: list[list[str]] = []

    def text(value: str) -> str:
        return escape_formula(value) if escape else value

    for map_id in map_ids:
        m = data.maps[map_id]
        persona = data.personas[m.persona_id].name if m.persona_id else ""
        lanes = data.lanes_of(map_id)
        stages = data.stages_of(map_id)
        cards = data.cards_of(map_id)
        lane_by_id = {lane.id: lane for lane in lanes}
        base = [text(m.title), text(persona)]
        # Lanes appear in order of first appearance; declare them all first when
        # the cards alone would give another order or miss an empty lane.
        seen: list[int] = []
        for c in cards:
            if c.lane_id not in seen:
                seen.append(c.lane_id)
        lane_rows = seen != [lane.id for lane in lanes]
        if lane_rows:
            for lane in lanes:
                rows.append([*base, "", text(lane.name), lane.kind.value]
                            + [""] * (len(header) - 5))
        by_stage: dict[int, list[Any]] = {s.id: [] for s in stages}
        for c in cards:
            by_stage[c.stage_id].append(c)
        for stage in stages:
            if not by_stage[stage.id]:
                rows.append([*base, text(stage.name)] + [""] * (len(header) - 3))
            for c in by_stage[stage.id]:
                lane = lane_by_id[c.lane_id]
                rows.append([
                    *base, text(stage.name), text(lane.name), lane.kind.value, c.kind.value,
                    text(c.title), text(c.body), text(c.channel), text(c.device),
                    "" if c.emotion is None else str(c.emotion), text(c.owner),
                    c.source.value if c.source else "", str(c.votes) if c.votes else "",
                    text("; ".join(c.tags) + (";" if len(c.tags) == 1 and "," in c.tags[0]
                                              else "")),
                    c.colour or "", *(text(getattr(c, f)) for f in TEXT_FIELDS), str(c.id),
                    *(_fmt_number(c.metrics[n]) if n in c.metrics else "" for n in metric_names),
                ])
    _add_phases(data, map_ids, header, rows, text)
    return header, rows


def _add_phases(data: DocumentData, map_ids: Sequence[int], header: list[str],
                rows: list[list[str]], text: Any) -> None:
    """A ``phase`` column after ``stage`` when a stage has a phase (read back by
    :func:`phase_column`); exports of maps without phases stay as they were. A stage in
    no phase gets :data:`NO_PHASE`, so a reader does not continue the phase above."""
    phase_of: dict[tuple[str, str], str] = {}
    for map_id in map_ids:
        title = text(data.maps[map_id].title)
        for stage in data.stages_of(map_id):
            phase_of.setdefault((title, text(stage.name)), text(stage.phase))
    if not any(phase_of.values()):
        return
    at = header.index("stage") + 1
    header.insert(at, "phase")
    for row in rows:
        row.insert(at, (phase_of.get((row[0], row[at - 1])) or NO_PHASE) if row[at - 1] else "")
