"""Journey maps built as DocumentData for layout and export tests (no file needed)."""

from __future__ import annotations

import csv
import datetime as dt

from app.model.schema import (
    CARD_FOR_LANE,
    Card,
    DocumentData,
    JourneyMap,
    Lane,
    LaneKind,
    Link,
    Persona,
    Stage,
)
from tests.real_maps import REAL_MAPS

LANE_KINDS = {
    "touchpoints": LaneKind.TOUCHPOINTS, "actions": LaneKind.ACTIONS,
    "thoughts": LaneKind.THOUGHTS, "emotions": LaneKind.EMOTIONS, "goals": LaneKind.GOALS,
    "pain points": LaneKind.PAIN_POINTS, "opportunities": LaneKind.OPPORTUNITIES,
}


def build(stages: list[str], lanes: list[tuple[str, LaneKind]],
          cards: list[dict], *, title: str = "Buying a couch", phases: list[str] | None = None,
          links: list[tuple[int, int]] = (), collapsed: set[str] = frozenset()) -> DocumentData:
    """A one-map document; ``cards`` are dicts with 'stage' and 'lane' names plus Card fields."""
    persona = Persona(id=1, name="Sam Rivera", role="First-time buyer")
    jm = JourneyMap(id=1, title=title, persona_id=1, owner="CX team",
                    last_reviewed=dt.date(2026, 10, 1))
    st = {name: Stage(id=i + 1, map_id=1, name=name, position=i,
                      phase=(phases[i] if phases else ""))
          for i, name in enumerate(stages)}
    ln = {name: Lane(id=100 + i, map_id=1, name=name, kind=kind, position=i,
                     collapsed=name in collapsed)
          for i, (name, kind) in enumerate(lanes)}
    out: dict[int, Card] = {}
    for i, spec in enumerate(cards):
        spec = dict(spec)
        lane = ln[spec.pop("lane")]
        stage = st[spec.pop("stage")]
        spec.setdefault("kind", CARD_FOR_LANE[lane.kind])
        out[1000 + i] = Card(id=1000 + i, map_id=1, stage_id=stage.id, lane_id=lane.id,
                             position=i, **spec)
    lk = {k + 1: Link(id=k + 1, map_id=1, source_id=a, target_id=b)
          for k, (a, b) in enumerate(links)}
    return DocumentData(personas={1: persona}, maps={1: jm},
                        stages={s.id: s for s in st.values()},
                        lanes={x.id: x for x in ln.values()}, cards=out, links=lk)


def sample_data() -> DocumentData:
    """A moderate, realistic map: 5 stages in 3 phases, 6 lanes, emotions, channels, votes."""
    stages = ["Discover", "Research", "Visit store", "Purchase", "Assemble"]
    lanes = [("Actions", LaneKind.ACTIONS), ("Touchpoints", LaneKind.TOUCHPOINTS),
             ("Thoughts", LaneKind.THOUGHTS), ("Emotions", LaneKind.EMOTIONS),
             ("Pain points", LaneKind.PAIN_POINTS), ("Opportunities", LaneKind.OPPORTUNITIES)]
    c = [
        dict(stage="Discover", lane="Actions", title="Notices the old couch sagging"),
        dict(stage="Discover", lane="Touchpoints", title="Sees an ad on social media",
             channel="social"),
        dict(stage="Discover", lane="Thoughts", title="Is it time for a new one?"),
        dict(stage="Discover", lane="Emotions", title="Curious", emotion=1),
        dict(stage="Research", lane="Actions", title="Compares features and prices",
             body="Three tabs open, a spreadsheet of sizes."),
        dict(stage="Research", lane="Touchpoints", title="Reads reviews", channel="web"),
        dict(stage="Research", lane="Touchpoints", title="Uses the online planner",
             channel="web", votes=4),
        dict(stage="Research", lane="Emotions", title="Overwhelmed by choice", emotion=-1),
        dict(stage="Research", lane="Pain points", title="Sizes are hard to picture at home",
             votes=6, source="observed"),
        dict(stage="Visit store", lane="Actions", title="Drives to the store and parks"),
        dict(stage="Visit store", lane="Touchpoints", title="Talks with staff", channel="store"),
        dict(stage="Visit store", lane="Emotions", title="Enjoys trying the couches", emotion=2),
        dict(stage="Visit store", lane="Opportunities", title="Show room-size mock-ups",
             votes=3),
        dict(stage="Purchase", lane="Actions", title="Finds the couch in the warehouse"),
        dict(stage="Purchase", lane="Touchpoints", title="Pays at the till", channel="store",
             metrics={"NPS": 32}),
        dict(stage="Purchase", lane="Emotions", title="Relieved but tired", emotion=0),
        dict(stage="Purchase", lane="Pain points", title="Long queue at checkout",
             source="assumption"),
        dict(stage="Assemble", lane="Actions", title="Follows the assembly instructions"),
        dict(stage="Assemble", lane="Thoughts", title="Why are there spare screws?"),
        dict(stage="Assemble", lane="Emotions", title="Frustrated", emotion=-2),
        dict(stage="Assemble", lane="Pain points", title="Step 14 is ambiguous", votes=9),
        dict(stage="Assemble", lane="Opportunities", title="Video instructions in the app",
             channel="app"),
    ]
    phases = ["Before", "Before", "During", "During", "After"]
    return build(stages, lanes, c, phases=phases, links=[(1004, 1009), (1009, 1013)])


def csv_data(name: str) -> DocumentData:
    """A real map from tests/data/real-maps (stage, lane, kind, title, ... columns)."""
    path = REAL_MAPS / name
    text = path.read_text(encoding="utf-8-sig")
    delim = ";" if text.splitlines()[0].count(";") > text.splitlines()[0].count(",") else ","
    rows = [{k.lower(): (v or "") for k, v in r.items()}
            for r in csv.DictReader(text.splitlines(), delimiter=delim)]
    stages = list(dict.fromkeys(r["stage"] for r in rows))
    lane_names = list(dict.fromkeys(r["lane"] for r in rows))
    lanes = [(n, LANE_KINDS.get(n.lower(), LaneKind.CUSTOM)) for n in lane_names]
    cards = []
    for r in rows:
        spec = dict(stage=r["stage"], lane=r["lane"], title=r["title"].strip() or "?",
                    kind=r.get("kind") or "note", body=r.get("body", ""),
                    channel=r.get("channel", ""))
        if r.get("emotion", "").strip():
            spec["emotion"] = int(r["emotion"])
        cards.append(spec)
    return build(stages, lanes, cards, title=path.stem.replace("-", " ").title())


def scripts_data() -> DocumentData:
    """A map a multinational team would write: stage names, lane labels, card titles and
    bodies in Japanese, Simplified Chinese, Korean, Arabic, Hebrew, Hindi, Thai and emoji."""
    stages = ["発見 Discover", "比较 Compare", "가입 Sign up", "الدفع Pay", "שירות Support"]
    lanes = [("行動 Actions", LaneKind.ACTIONS), ("टचपॉइंट Touchpoints", LaneKind.TOUCHPOINTS),
             ("ความรู้สึก Emotions", LaneKind.EMOTIONS), ("痛点 Pain points", LaneKind.PAIN_POINTS),
             ("فرص Opportunities", LaneKind.OPPORTUNITIES)]
    c = [
        dict(stage="発見 Discover", lane="行動 Actions", title="友人のSNS投稿でアプリを知る",
             body="口コミを見て、まず無料プランを試してみようと思った。"),
        dict(stage="発見 Discover", lane="टचपॉइंट Touchpoints", title="यूट्यूब पर विज्ञापन देखा",
             body="विज्ञापन छोटा था, लेकिन क्षमा करें बटन समझ नहीं आया", channel="social"),
        dict(stage="発見 Discover", lane="ความรู้สึก Emotions", title="อยากลองใช้ดู 😀",
             body="ดูน่าสนใจและใช้งานง่าย", emotion=1),
        dict(stage="比较 Compare", lane="行動 Actions", title="对比三家的价格和功能",
             body="在表格里列出每月费用，发现年付更便宜。"),
        dict(stage="比较 Compare", lane="痛点 Pain points", title="价格页面看不懂 😕",
             body="“高级版”和“专业版”有什么区别？", votes=5),
        dict(stage="比较 Compare", lane="ความรู้สึก Emotions", title="Overwhelmed 😩 選択肢が多すぎる",
             emotion=-1),
        dict(stage="가입 Sign up", lane="行動 Actions",
             title="휴대폰 번호로 회원가입", body="인증 문자가 3분 뒤에 도착했어요."),
        dict(stage="가입 Sign up", lane="痛点 Pain points", title="인증번호 입력 시간 초과",
             body="다시 요청하니 처음부터 입력해야 했음 👎", votes=8, source="observed"),
        dict(stage="الدفع Pay", lane="行動 Actions", title="الدفع بالبطاقة الائتمانية",
             body="أدخل رقم البطاقة ثم رمز التحقق المرسل بالرسالة"),
        dict(stage="الدفع Pay", lane="ความรู้สึก Emotions", title="قلق من الرسوم الخفية",
             body="هل السعر يشمل الضريبة؟ 🤔", emotion=-2),
        dict(stage="الدفع Pay", lane="فرص Opportunities", title="عرض السعر النهائي قبل الدفع",
             body="Show the total (incl. VAT) before the card form", votes=6),
        dict(stage="שירות Support", lane="टचपॉइंट Touchpoints", title="פנייה לשירות לקוחות בצ׳אט",
             body="הנציג ענה תוך 5 דקות ופתר את הבעיה", channel="chat"),
        dict(stage="שירות Support", lane="ความรู้สึก Emotions", title="โล่งใจ ปัญหาได้รับการแก้ไข 👍",
             emotion=2),
        dict(stage="שירות Support", lane="فرص Opportunities", title="हिंदी में सहायता उपलब्ध कराएँ",
             body="ग्राहक अपनी भाषा में बात करना पसंद करते हैं 🙏"),
    ]
    return build(stages, lanes, c, title="多言語ジャーニー · رحلة العميل · Multilingual journey",
                 phases=["Before", "Before", "During", "During", "After"],
                 links=[(1000, 1003), (1003, 1006), (1006, 1008)])
