"""Seeded synthetic journey maps for the benchmarks: the same maps on every run.

``generate(cards, stages=12, lanes=8, seed=7)`` returns a validated
:class:`~app.model.schema.DocumentData` with one persona and one map whose text
has realistic lengths (titles 2-8 words, bodies 0-60 words), some very long
words and some non-Latin text (CJK, Arabic, accented Latin), one emotion card
per stage plus scored emotions elsewhere in the lane, links along the customer
path, votes, data sources and metrics. :func:`write_cjm` stores it as a real
``.cjm`` file through the Document API.
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path

from app.model.schema import (
    Card,
    CardKind,
    DataSource,
    DocumentData,
    JourneyMap,
    Lane,
    LaneKind,
    Link,
    Persona,
    Stage,
)

#: The sizes every full run measures, by name: (cards, stages).
SIZES: dict[str, tuple[int, int]] = {
    "100": (100, 12),
    "1000": (1_000, 12),
    "10000": (10_000, 12),
    "40stages": (1_000, 40),
}
QUICK_SIZES = ("100", "1000")

_WORDS = (
    "customer order delivery store bike account payment booking store staff price quote "
    "checkout basket email reminder survey support call chat wait confirm choose compare "
    "review test ride battery warranty invoice collect pickup slot receipt refund return "
    "size frame helmet insurance finance plan monthly deposit manager team week day late "
    "early clear confusing slow quick friendly helpful missing unexpected again first last "
    "online app phone page form field error message link button screen map route parcel"
).split()
_LONG_WORDS = (
    "internationalisation", "Kundenzufriedenheitsumfrage", "responsibilities",
    "Lieferterminbestätigung", "incomprehensibilities", "Rückerstattungsantrag",
)
_FOREIGN = (
    "配送が遅れました", "店舗で受け取り", "客服电话等了很久", "الطلب لم يصل بعد",
    "خدمة العملاء", "réservation confirmée", "livraison retardée", "señal débil en la tienda",
    "São Paulo entrega", "Ærø ø-færge", "配達状況を確認する", "결제 오류",
)
_LANES: tuple[tuple[str, LaneKind], ...] = (
    ("Touchpoints", LaneKind.TOUCHPOINTS),
    ("Actions", LaneKind.ACTIONS),
    ("Thoughts", LaneKind.THOUGHTS),
    ("Emotions", LaneKind.EMOTIONS),
    ("Goals", LaneKind.GOALS),
    ("Pain points", LaneKind.PAIN_POINTS),
    ("Opportunities", LaneKind.OPPORTUNITIES),
    ("Backstage", LaneKind.BACKSTAGE),
    ("Channels", LaneKind.CHANNELS),
    ("Notes", LaneKind.CUSTOM),
)
_CARD_KIND = {
    LaneKind.TOUCHPOINTS: CardKind.TOUCHPOINT, LaneKind.ACTIONS: CardKind.ACTION,
    LaneKind.THOUGHTS: CardKind.THOUGHT, LaneKind.EMOTIONS: CardKind.EMOTION,
    LaneKind.GOALS: CardKind.GOAL, LaneKind.PAIN_POINTS: CardKind.PAIN_POINT,
    LaneKind.OPPORTUNITIES: CardKind.OPPORTUNITY, LaneKind.BACKSTAGE: CardKind.ACTION,
    LaneKind.CHANNELS: CardKind.TOUCHPOINT, LaneKind.CUSTOM: CardKind.NOTE,
}
_PHASES = ("Pre-purchase", "Purchase", "Delivery", "Post-purchase")
_COLOURS = ("#dbeafe", "#dcfce7", "#fef9c3", "#fde2e4", "#ede9fe", "#e0f2fe")
_CHANNELS = ("web", "email", "phone", "store", "app", "chat", "social")
_DEVICES = ("desktop", "mobile", "tablet", "in person", "phone call")
_OWNERS = ("E-commerce", "Store ops", "Logistics", "Customer care", "Marketing", "Finance")
_SOURCES = tuple(DataSource)
_TAGS = ("quick-win", "research", "q3", "accessibility", "legal", "retention")


def _words(rng: random.Random, n: int) -> str:
    """``n`` words (a non-Latin phrase counts as its words), first letter capitalised."""
    out: list[str] = []
    while len(out) < n:
        roll = rng.random()
        if roll < 0.04:
            out.append(rng.choice(_LONG_WORDS))
        elif roll < 0.10:
            out.extend(rng.choice(_FOREIGN).split())
        else:
            out.append(rng.choice(_WORDS))
    text = " ".join(out[:n])
    return text[:1].upper() + text[1:]


def generate(cards: int, stages: int = 12, lanes: int = 8, seed: int = 7) -> DocumentData:
    """A validated document with one map of ``cards`` cards over ``stages`` x ``lanes``."""
    if cards < stages or lanes < 4 or lanes > len(_LANES):
        raise ValueError("need at least one card per stage and 4..10 lanes")
    rng = random.Random(f"waymark-bench-{cards}-{stages}-{lanes}-{seed}")
    persona = Persona(
        id=1, name="Priya Natarajan", role="Commuter buying her first e-bike",
        quote="I just want to know when it will be ready.",
        goals=["Ride to work by spring", "Pay monthly"],
        frustrations=["Vague delivery dates", "Repeating her order number"],
        motivations=["Save on train fares", "Get fitter"],
    )
    jm = JourneyMap(id=2, title=f"Synthetic journey, {cards} cards over {stages} stages",
                    description=_words(rng, 20), persona_id=1, owner="Benchmarks",
                    experience_goals=["Feel informed", "Feel in control"])
    next_id = 3
    stage_rows: dict[int, Stage] = {}
    for i in range(stages):
        phase = _PHASES[min(len(_PHASES) - 1, i * len(_PHASES) // stages)]
        stage_rows[next_id] = Stage(
            id=next_id, map_id=2, name=f"{i + 1}. {_words(rng, rng.randint(1, 3))}"[:60],
            description=_words(rng, rng.randint(0, 15)), position=i, phase=phase,
            colour=_COLOURS[i % len(_COLOURS)],
        )
        next_id += 1
    lane_rows: dict[int, Lane] = {}
    for i, (name, kind) in enumerate(_LANES[:lanes]):
        lane_rows[next_id] = Lane(id=next_id, map_id=2, name=name, kind=kind, position=i)
        next_id += 1
    stage_ids = list(stage_rows)
    lane_ids = list(lane_rows)
    emotion_lane = next((lid for lid, ln in lane_rows.items()
                         if ln.kind is LaneKind.EMOTIONS), None)
    # The emotion curve: a story with a low in the middle third (delivery).
    curve = [max(-2, min(2, round(1.5 - 3.5 * (1 - abs(2 * i / max(1, stages - 1) - 1.1)))))
             for i in range(stages)]
    # One emotion card per stage first, then the rest spread over random cells.
    cells: list[tuple[int, int]] = []
    if emotion_lane is not None:
        cells += [(sid, emotion_lane) for sid in stage_ids]
    while len(cells) < cards:
        cells.append((rng.choice(stage_ids), rng.choice(lane_ids)))
    positions: dict[tuple[int, int], int] = {}
    card_rows: dict[int, Card] = {}
    path: dict[int, list[int]] = {}
    for sid, lid in cells[:cards]:
        kind = lane_rows[lid].kind
        pos = positions.get((sid, lid), 0)
        positions[(sid, lid)] = pos + 1
        body_words = 0 if rng.random() < 0.2 else rng.randint(1, 60)
        fields: dict[str, object] = {
            "id": next_id, "map_id": 2, "stage_id": sid, "lane_id": lid, "position": pos,
            "kind": _CARD_KIND[kind], "title": _words(rng, rng.randint(2, 8))[:200],
            "body": _words(rng, body_words),
        }
        if kind is LaneKind.EMOTIONS:
            base = curve[stage_ids.index(sid)]
            fields["emotion"] = base if pos == 0 else max(-2, min(2, base + rng.randint(-1, 1)))
        if kind in (LaneKind.TOUCHPOINTS, LaneKind.CHANNELS):
            fields["channel"] = rng.choice(_CHANNELS)
            fields["device"] = rng.choice(_DEVICES)
            if rng.random() < 0.3:
                fields["metrics"] = {"NPS": float(rng.randint(-40, 70)),
                                     "CSAT": round(rng.uniform(2.5, 4.9), 1),
                                     "Drop-off %": float(rng.randint(2, 45))}
            path.setdefault(sid, []).append(next_id)
        if kind is LaneKind.BACKSTAGE or rng.random() < 0.2:
            fields["owner"] = rng.choice(_OWNERS)
        if rng.random() < 0.2:
            fields["votes"] = rng.randint(1, 12)
        if rng.random() < 0.7:
            fields["source"] = rng.choice(_SOURCES)
        if rng.random() < 0.25:
            fields["tags"] = rng.sample(_TAGS, rng.randint(1, 3))
        card_rows[next_id] = Card.model_validate(fields)
        next_id += 1
    # Links along the customer path: touchpoints stage to stage, about one card in ten.
    link_rows: dict[int, Link] = {}
    budget = max(1, cards // 10)
    ordered = [path[s] for s in stage_ids if s in path]
    for a, b in itertools.pairwise(ordered):
        for _ in range(max(1, budget // max(1, len(ordered) - 1))):
            link_rows[next_id] = Link(id=next_id, map_id=2, source_id=rng.choice(a),
                                      target_id=rng.choice(b), persona_id=1)
            next_id += 1
    return DocumentData(personas={1: persona}, maps={2: jm}, stages=stage_rows,
                        lanes=lane_rows, cards=card_rows, links=link_rows)


def generate_size(name: str, seed: int = 7) -> DocumentData:
    """The document for one named size of :data:`SIZES`."""
    cards, stages = SIZES[name]
    return generate(cards, stages=stages, seed=seed)


def write_cjm(data: DocumentData, path: str | Path) -> Path:
    """Store ``data`` as a new ``.cjm`` file (no undo history) and close it."""
    from app.model.document import Document

    path = Path(path)
    doc = Document.create_from(path, data, overwrite=True)
    doc.close()
    return path
