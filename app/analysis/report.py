"""The whole analysis of one map as a JSON-ready dict, and as text for people.

:func:`build_report` gathers every finding (moments of truth, path gaps,
ranked pain points and opportunities, missing touchpoints and goals, evidence,
funnel, review status, optional persona comparison and version diff);
:func:`format_report` prints it. The GUI's Report panel and the CLI both use
these two functions.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from app.analysis.diff import diff_versions
from app.analysis.emotion import compare_maps, moments_of_truth
from app.analysis.findings import (
    aggregation_for,
    evidence,
    funnel,
    metric_names,
    missing_parts,
    ranked,
    review_status,
)
from app.analysis.path import path_gaps
from app.model.schema import CardKind, DocumentData
from app.wording import counted

#: Metric names preferred for the funnel, in this order, when none is chosen.
FUNNEL_METRICS = ("reach", "visitors", "sessions", "users", "conversion", "drop-off", "dropoff")


def _pick_funnel_metric(names: list[str]) -> str | None:
    low = {n.casefold(): n for n in names}
    for want in FUNNEL_METRICS:
        if want in low:
            return low[want]
    return names[0] if names else None


def asdict(obj: Any) -> Any:
    """``dataclasses.asdict`` without its deep copy of every leaf value.

    The findings hold only immutable leaves (str, numbers, dates, None) inside
    dataclasses, tuples, lists and dicts, so converting the containers is enough;
    the result is equal to ``dataclasses.asdict``'s.
    """
    cls = type(obj)
    if cls in _LEAVES:
        return obj
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = (tuple(f.name for f in dataclasses.fields(cls))
                                if dataclasses.is_dataclass(cls) else ())
    if names:
        return {n: asdict(getattr(obj, n)) for n in names}
    if cls is list or cls is tuple:
        return cls(asdict(v) for v in obj)
    if isinstance(obj, list | tuple):
        return cls(*(asdict(v) for v in obj)) if hasattr(obj, "_fields") else cls(
            asdict(v) for v in obj)
    if isinstance(obj, dict):
        return {asdict(k): asdict(v) for k, v in obj.items()}
    return obj


_LEAVES = frozenset({str, int, float, bool, type(None), dt.date, dt.datetime})
_FIELDS: dict[type, tuple[str, ...]] = {}


class _SortedOnce:
    """``data`` for the length of one report: each map's cards, stages and lanes are
    sorted once instead of once per analysis (callers get their own list copies)."""

    def __init__(self, data: DocumentData) -> None:
        self._data = data
        self._sorted: dict[tuple[str, int], list] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._data, name)

    def _once(self, what: str, map_id: int) -> list:
        key = (what, map_id)
        if key not in self._sorted:
            self._sorted[key] = getattr(self._data, what)(map_id)
        return list(self._sorted[key])

    def cards_of(self, map_id: int) -> list:
        return self._once("cards_of", map_id)

    def stages_of(self, map_id: int) -> list:
        return self._once("stages_of", map_id)

    def lanes_of(self, map_id: int) -> list:
        return self._once("lanes_of", map_id)


def build_report(data: DocumentData, map_id: int, *, today: dt.date | None = None,
                 metric: str | None = None, compare_with: int | None = None,
                 old: DocumentData | None = None, old_label: str = "") -> dict[str, Any]:
    """Every finding about map ``map_id`` as plain values (JSON-serialisable)."""
    data = _SortedOnce(data)  # type: ignore[assignment]
    m = data.maps[map_id]
    persona = data.personas[m.persona_id].name if m.persona_id else None
    mot = moments_of_truth(data, map_id)
    gaps = path_gaps(data, map_id)
    names = metric_names(data, map_id)
    chosen = metric if metric is not None else _pick_funnel_metric(names)
    ev = evidence(data, map_id)
    missing = missing_parts(data, map_id)
    review = review_status(data, map_id, today)
    warnings = [w for w in (e.warning for e in ev) if w]
    if review.overdue_days > 0:
        warnings.append(review.describe())
    if metric is not None and metric.casefold() not in {n.casefold() for n in names}:
        warnings.append(f"no card of this map has the metric {metric!r}")
    report: dict[str, Any] = {
        "map": {"id": m.id, "title": m.title, "persona": persona,
                "stages": len(data.stages_of(map_id)), "cards": len(data.cards_of(map_id))},
        "moments_of_truth": {
            "lowest": [asdict(s) for s in mot.lowest],
            "highest": [asdict(s) for s in mot.highest],
            "curve": [asdict(s) for s in mot.curve],
        },
        "gaps": [asdict(g) for g in gaps],
        "gap_counts": {k: sum(1 for g in gaps if g.kind == k)
                       for k in ("channel", "device", "owner")},
        "pain_points": [asdict(r) for r in ranked(data, map_id, CardKind.PAIN_POINT, chosen)],
        "opportunities": [asdict(r) for r in ranked(data, map_id, CardKind.OPPORTUNITY, chosen)],
        "missing": asdict(missing),
        "evidence": [{**asdict(e), "share": e.share} for e in ev],
        "funnel": ({"metric": chosen, "aggregate": aggregation_for(chosen),
                    "steps": [asdict(f) for f in funnel(data, map_id, chosen)]}
                   if chosen else None),
        "metrics": names,
        "review": {**asdict(review),
                   "last_reviewed": review.last_reviewed.isoformat() if review.last_reviewed
                   else None,
                   "due": review.due.isoformat() if review.due else None,
                   "text": review.describe()},
        "warnings": warnings,
    }
    if compare_with is not None:
        report["comparison"] = {
            "with": data.maps[compare_with].title,
            "stages": [{**asdict(c), "difference": c.difference}
                       for c in compare_maps(data, map_id, compare_with)],
        }
    if old is not None:
        d = diff_versions(old, data, map_id)
        report["changes"] = {"since": old_label, **asdict(d)}
    return report


def _emo(value: float | None) -> str:
    if value is None:
        return "n/a"
    return "0" if value == 0 else f"{value:+.2f}".rstrip("0").rstrip(".")


def format_report(report: dict[str, Any]) -> str:
    """The report as plain text, one finding per line."""
    m = report["map"]
    out = [f"Report for map {m['title']!r}" + (f" (persona {m['persona']})" if m["persona"]
                                                else "") + f": {counted(m['stages'], 'stage')}, "
           f"{counted(m['cards'], 'card')}", ""]
    mot = report["moments_of_truth"]
    out.append("Moments of truth")
    if mot["lowest"]:
        out.append("  lowest emotion:  " + ", ".join(
            f"{s['stage']} ({_emo(s['average'])})" for s in mot["lowest"]))
        if mot["highest"]:
            out.append("  highest emotion: " + ", ".join(
                f"{s['stage']} ({_emo(s['average'])})" for s in mot["highest"]))
        out.append("  curve: " + "  ".join(f"{s['stage']} {_emo(s['average'])}"
                                           for s in mot["curve"]))
    else:
        out.append("  no emotion scores on this map")
    out.append("")
    counts = report["gap_counts"]
    out.append(f"Gaps along the path: {counts['channel']} channel switches, "
               f"{counts['device']} device switches, {counts['owner']} owner handoffs")
    for kind, heading in (("channel", "Channel switches"), ("device", "Device switches"),
                          ("owner", "Owner handoffs")):
        items = [g for g in report["gaps"] if g["kind"] == kind]
        if items:
            out.append(f"  {heading}:")
            for g in items:
                out.append(f"    {g['from_value']} -> {g['to_value']}: {g['from_title']!r} "
                           f"({g['from_stage']}) -> {g['to_title']!r} ({g['to_stage']}); "
                           f"emotion {_emo(g['emotion_before'])} -> {_emo(g['emotion_after'])}")
    out.append("")
    for key, heading in (("pain_points", "Pain points"), ("opportunities", "Opportunities")):
        items = report[key]
        out.append(f"{heading} (by votes, then emotion): {len(items) or 'none'}")
        for r in items[:10]:
            metric = f", metric {r['metric']:g}" if r["metric"] is not None else ""
            out.append(f"  {r['votes']:>3} votes  {r['title']!r} ({r['stage']}, emotion "
                       f"{_emo(r['emotion'])}{metric})")
        if len(items) > 10:
            out.append(f"  ... and {len(items) - 10} more")
    miss = report["missing"]
    out.append("")
    out.append("Stages with no touchpoint: " + (", ".join(miss["no_touchpoint"]) or "none"))
    out.append("Stages with no goal: " + (", ".join(miss["no_goal"]) or "none"))
    out.append("")
    out.append("Evidence (cards backed by research, survey or feedback)")
    for e in report["evidence"]:
        share = "empty" if e["share"] is None else f"{e['share']:.0%}"
        out.append(f"  {e['stage']}: {share} ({e['backed']}/{e['cards']}; "
                   f"{e['assumptions']} assumptions, {e['unstated']} without a source)")
    if report["funnel"]:
        f = report["funnel"]
        out.append("")
        out.append(f"Funnel by {f['metric']} ({f['aggregate']} per stage)")
        for s in f["steps"]:
            value = "n/a" if s["value"] is None else f"{s['value']:g}"
            change = "" if s["change"] is None else f" ({s['change']:+.0%})"
            flag = "  <- loss meets a low moment" if s["coincides"] else ""
            out.append(f"  {s['stage']}: {value}{change}, emotion {_emo(s['emotion'])}{flag}")
    if "comparison" in report:
        c = report["comparison"]
        out.append("")
        out.append(f"Compared with {c['with']!r} (emotion here / there)")
        for s in c["stages"]:
            out.append(f"  {s['stage']}: {_emo(s['a'])} / {_emo(s['b'])}")
    if "changes" in report:
        ch = report["changes"]
        out.append("")
        out.append(f"Changes since {ch['since'] or 'the older version'}: "
                   f"{len(ch['added'])} added, {len(ch['removed'])} removed, "
                   f"{len(ch['moved'])} moved, {len(ch['edited'])} edited")
        for key in ("added", "removed", "moved", "edited"):
            for c in ch[key]:
                out.append(f"  {c['title']!r}: {c['detail']}")
        for e in ch["emotion"]:
            out.append(f"  emotion of {e['stage']}: {_emo(e['before'])} -> {_emo(e['after'])}")
    out.append("")
    out.append("Review: " + report["review"]["text"])
    if report["warnings"]:
        out.append("")
        out.append("Warnings")
        out += [f"  {w}" for w in report["warnings"]]
    return "\n".join(out) + "\n"
