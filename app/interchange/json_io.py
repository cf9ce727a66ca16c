"""Waymark's own JSON format: DocumentData inside a format/version envelope.

    {"format": "waymark", "version": 1, "data": {...DocumentData...},
     "blobs": {"<sha256>": {"mime": "image/png", "data": "<base64>"}}}

Ids are renumbered from 1 per table on export and on import, so
export -> import -> export gives the same bytes. A file from a newer
Waymark (higher version) is refused. The JSON Schema of this format, made
from the pydantic models, is published as docs/waymark.schema.json
(:func:`json_schema`, regenerate with ``python -m app.interchange.json_io``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.interchange.common import (
    ImportResult,
    Problems,
    read_bytes,
    refuse,
    source_name,
    write_atomic,
)
from app.model import limits
from app.model.schema import MAX_IMAGE_BYTES, Blob, DocumentData

FORMAT = "waymark"
#: Version 2 adds the workshop tables (clusters, voters, dots) and ``cluster_id`` on cards;
#: content without them is still written as version 1, which older Waymarks read.
VERSION = 2
WORKSHOP_TABLES = ("clusters", "voters", "dots")
SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "waymark.schema.json"


class BlobEntry(BaseModel):
    """An image carried in a JSON file, keyed by its SHA-256."""

    model_config = ConfigDict(extra="forbid")
    mime: Literal["image/png", "image/jpeg"]
    data: str = Field(description="the image bytes, base64-encoded",
                      max_length=MAX_IMAGE_BYTES * 4 // 3 + 4)


class WaymarkFile(BaseModel):
    """A Waymark JSON file: journey maps, personas and their images."""

    model_config = ConfigDict(extra="forbid", title="Waymark journey maps")
    format: Literal["waymark"] = Field(description="always 'waymark'")
    version: Literal[1, 2] = Field(description="format version; readers refuse newer versions")
    data: DocumentData
    blobs: dict[str, BlobEntry] = Field(default_factory=dict)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of Waymark's JSON format, generated from the pydantic models."""
    schema = WaymarkFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://waymark.invalid/waymark.schema.json"
    return schema


def schema_text() -> str:
    """The schema as the text committed in docs/."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------- ids
def subset(data: DocumentData, map_ids: Iterable[int]) -> DocumentData:
    """Only the given maps, with their stages, lanes, cards, links and personas."""
    keep = set(map_ids)
    links = {k: v for k, v in data.links.items() if v.map_id in keep}
    persona_ids = {m.persona_id for i, m in data.maps.items() if i in keep and m.persona_id}
    persona_ids |= {k.persona_id for k in links.values() if k.persona_id}
    return DocumentData(
        personas={k: v for k, v in data.personas.items() if k in persona_ids},
        maps={k: v for k, v in data.maps.items() if k in keep},
        stages={k: v for k, v in data.stages.items() if v.map_id in keep},
        lanes={k: v for k, v in data.lanes.items() if v.map_id in keep},
        cards={k: v for k, v in data.cards.items() if v.map_id in keep},
        links=links,
        **{t: {k: v for k, v in getattr(data, t).items() if v.map_id in keep}
           for t in WORKSHOP_TABLES},
    )


_REFS = {"persona_id": "personas", "map_id": "maps", "stage_id": "stages", "lane_id": "lanes",
         "source_id": "cards", "target_id": "cards", "cluster_id": "clusters",
         "voter_id": "voters", "card_id": "cards"}
_TABLES = ("personas", "maps", "stages", "lanes", "clusters", "cards", "links", "voters", "dots")


def renumber(data: DocumentData) -> DocumentData:
    """The same content with ids 1..n per table (in the old id order)."""
    new: dict[str, dict[int, int]] = {
        t: {old: i + 1 for i, old in enumerate(sorted(getattr(data, t)))} for t in _TABLES}
    out: dict[str, dict[int, Any]] = {}
    for table in _TABLES:
        rows = {}
        for old_id in sorted(getattr(data, table)):
            values = getattr(data, table)[old_id].model_dump()
            values["id"] = new[table][old_id]
            for col, target in _REFS.items():
                if values.get(col) is not None:
                    values[col] = new[target][values[col]]
            rows[values["id"]] = values
        out[table] = rows
    return DocumentData.model_validate(out)


def referenced_blobs(data: DocumentData) -> set[str]:
    """Hashes of every image the content refers to."""
    refs = {p.photo for p in data.personas.values() if p.photo}
    refs |= {c.image for c in data.cards.values() if c.image}
    return refs


# ---------------------------------------------------------------- import
def _where(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc) or "top level"


def import_json(path: str | Path) -> ImportResult:
    """Import a Waymark JSON file (or bare DocumentData JSON, as in the templates)."""
    path = Path(path)
    source = source_name(path)
    raw = read_bytes(path, source)
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise refuse(source, "the file is not UTF-8 text") from None
    except (ValueError, RecursionError) as err:
        # JSONDecodeError names the place; a ValueError is a number of more than 4,300
        # digits (Python's guard against slow conversions); RecursionError deep nesting.
        detail = f"line {err.lineno}, column {err.colno}: {err.msg}" if isinstance(
            err, json.JSONDecodeError) else "nested too deeply" if isinstance(
            err, RecursionError) else "a number with too many digits"
        raise refuse(source, f"this is not valid JSON ({detail})") from None
    warnings: list[str] = []
    if not isinstance(doc, dict):
        raise refuse(source, "the file does not hold a Waymark document (expected an object)")
    if "format" not in doc and "maps" in doc:
        doc = {"format": FORMAT, "version": VERSION, "data": doc}
        warnings.append(f"{source} has no format envelope; read as plain Waymark content")
    if doc.get("format") != FORMAT:
        raise refuse(source, "this is not a Waymark JSON file ('format' is not 'waymark')")
    version = doc.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
        raise refuse(source, f"the file was written by a newer Waymark (format version "
                             f"{version}; this Waymark reads version {VERSION}); update Waymark")
    content = doc.get("data")
    if isinstance(content, dict):  # sizes first: validating a million stages takes minutes
        too_many = limits.problems({k: v for k, v in content.items() if isinstance(v, dict)})
        if too_many:
            raise refuse(source, too_many)
    problems = Problems(source)
    try:
        envelope = WaymarkFile.model_validate(doc)
    except ValidationError as err:
        for item in err.errors():
            problems.add(_where(item["loc"]), item["msg"].removeprefix("Value error, "))
        problems.raise_if_any()
        raise  # unreachable: a ValidationError always has errors
    blobs: dict[str, Blob] = {}
    for digest, entry in envelope.blobs.items():
        try:
            raw = base64.b64decode(entry.data, validate=True)
            if hashlib.sha256(raw).hexdigest() != digest:
                raise ValueError("the image bytes do not match their SHA-256 name")
            blobs[digest] = Blob(hash=digest, mime=entry.mime, data=raw)
        except (binascii.Error, ValueError) as err:
            problems.add(f"blobs.{digest[:12]}", str(err).splitlines()[0][:200])
    data = envelope.data
    for ref in sorted(referenced_blobs(data) - set(blobs)):
        warnings.append(f"image {ref[:12]}... is referred to but not in the file")
    problems.raise_if_any()
    if not data.maps:
        raise refuse(source, "the file holds no map")
    return ImportResult(data=renumber(data), blobs=blobs, warnings=warnings)


# ---------------------------------------------------------------- export
def to_json(data: DocumentData, map_ids: Iterable[int] | None = None,
            blob_lookup: Callable[[str], Blob | None] | None = None) -> str:
    """The JSON text of the given maps (all when None), ids renumbered from 1."""
    part = renumber(subset(data, map_ids) if map_ids is not None else data)
    blobs: dict[str, dict[str, str]] = {}
    if blob_lookup is not None:
        for digest in sorted(referenced_blobs(part)):
            blob = blob_lookup(digest)
            if blob is not None:
                blobs[digest] = {"mime": blob.mime,
                                 "data": base64.b64encode(blob.data).decode("ascii")}
    content = part.model_dump(mode="json")
    version = VERSION
    if not any(content[t] for t in WORKSHOP_TABLES):
        version = 1  # nothing only version 2 can say: readable by older Waymarks
        for t in WORKSHOP_TABLES:
            del content[t]
        for card in content["cards"].values():
            del card["cluster_id"]
    body = {"format": FORMAT, "version": version, "data": content, "blobs": blobs}
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def export_json(data: DocumentData, map_ids: Iterable[int] | None, path: str | Path, *,
                force: bool = False,
                blob_lookup: Callable[[str], Blob | None] | None = None) -> None:
    """Write Waymark JSON atomically."""
    text = to_json(data, map_ids, blob_lookup)
    write_atomic(Path(path), lambda tmp: tmp.write_text(text, encoding="utf-8"), force)


if __name__ == "__main__":  # regenerate docs/waymark.schema.json
    SCHEMA_PATH.write_text(schema_text(), encoding="utf-8")
    sys.stdout.write(f"wrote {SCHEMA_PATH}\n")
