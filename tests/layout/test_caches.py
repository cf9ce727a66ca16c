"""The layout's caches have an owner: a scene or an export job each keeps its own.

Two documents whose cards have the same ids, laid out one after the other, must neither
see nor empty each other's entries; an export running on a worker thread beside a canvas
must not touch the canvas's cache; and any layout is the same with a fresh cache (or
none) as with a warm one.
"""

from __future__ import annotations

import dataclasses as dc
import threading
from pathlib import Path

from layout_maps import csv_data, sample_data

from app.layout import caches, layout_map
from app.layout.caches import LayoutCache
from app.layout.cardtext import measure_ahead
from app.layout.style import Style
from app.model.schema import DocumentData


def _entries(cache: LayoutCache) -> dict[str, dict]:
    """A shallow copy of every kind of entry (objects kept by identity)."""
    out = {"card_texts": dict(cache.card_texts), "placed": dict(cache.placed),
           "links": dict(cache.links)}
    out.update({f"words {k}": dict(v) for k, v in cache.word_sums.items()})
    out.update({f"memo {k}": dict(v) for k, v in cache.memos.items()})
    return out


def _same_entries(a: dict[str, dict], b: dict[str, dict]) -> bool:
    return a.keys() == b.keys() and all(
        a[k].keys() == b[k].keys() and all(a[k][x] is b[k][x] for x in a[k]) for k in a)


def _edited(data: DocumentData, card_id: int, title: str) -> DocumentData:
    cards = dict(data.cards)
    cards[card_id] = cards[card_id].model_copy(update={"title": title})
    return data.model_copy(update={"cards": cards})


def test_two_documents_neither_share_nor_empty_each_others_caches() -> None:
    one, two = sample_data(), csv_data("ikea-couch.csv")
    shared_ids = set(one.cards) & set(two.cards)
    assert shared_ids  # both number their cards from 1000: the old global cache mixed them
    cache_one, cache_two = LayoutCache("one"), LayoutCache("two")
    first = layout_map(one, 1, cache=cache_one)
    held = _entries(cache_one)
    assert set(cache_one.placed) == set(first.cards)
    assert cache_one.sizes()["word_sums"] > 0
    assert any(k.startswith("memo app.layout.wrap") for k in held)

    other = layout_map(two, 1, cache=cache_two)
    edited = _edited(two, min(shared_ids), "a title only the second document has, überlang")
    layout_map(edited, 1, cache=cache_two)
    assert _same_entries(_entries(cache_one), held)  # untouched by the other document
    assert set(cache_two.placed) == set(other.cards)
    assert not any(cache_two.placed[i][4] is first.cards[i] for i in shared_ids)

    again = layout_map(one, 1, cache=cache_one)
    assert all(again.cards[i] is first.cards[i] for i in first.cards)  # every box reused
    assert all(a is b for a, b in zip(again.links, first.links, strict=True))

    # clearing one owner's cache leaves the other's as it was
    kept = _entries(cache_two)
    cache_one.clear()
    assert cache_one.sizes() == {"card_texts": 0, "placed": 0, "links": 0, "word_sums": 0}
    assert _same_entries(_entries(cache_two), kept)


def test_a_layout_is_the_same_with_a_fresh_cache_or_none() -> None:
    data = csv_data("ikea-couch.csv")
    warm = LayoutCache()
    for style in (Style(), dc.replace(Style(), card_tint=0.2), Style()):
        cached = layout_map(data, 1, style=style, cache=warm)
        assert cached == layout_map(data, 1, style=style, cache=LayoutCache())
        assert cached == layout_map(data, 1, style=style)
    # an edit through the warm cache is what a first layout of the edited map gives
    edited = _edited(data, next(iter(data.cards)), "gewährleistung — 保証 — ضمان")
    assert layout_map(edited, 1, cache=warm) == layout_map(edited, 1, cache=LayoutCache())
    assert caches.current() is None  # nothing stays bound after a layout


def test_an_export_job_on_a_worker_thread_keeps_its_own_cache(tmp_path: Path,
                                                               monkeypatch) -> None:
    from app.export import service
    from app.export.prepare import compose_for

    made: list[tuple[LayoutCache, int]] = []

    class Recorded(LayoutCache):
        def __init__(self, name: str = "", fonts: object | None = None) -> None:
            super().__init__(name, fonts)
            made.append((self, threading.get_ident()))

    monkeypatch.setattr(service, "LayoutCache", Recorded)
    data = sample_data()
    canvas = LayoutCache("canvas")
    first = layout_map(data, 1, cache=canvas)  # the same document's canvas
    held = _entries(canvas)
    seen: dict[str, object] = {}
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            seen["before"] = caches.current()
            job = service.ExportJob("pdf", 1, tmp_path / "poster.pdf", overwrite=True)
            seen["summary"] = service.run_job(data, job, {}, lambda *a: None, lambda: False)
            seen["after"] = caches.current()
            seen["composed"] = compose_for(data, 1, job.options).layout
        except BaseException as err:  # reported on the main thread
            errors.append(err)

    thread = threading.Thread(target=worker)
    thread.start()
    # meanwhile another document's canvas keeps laying out, an edit each time
    two, busy = csv_data("ikea-couch.csv"), LayoutCache("busy")
    n = 0
    while thread.is_alive() or n < 3:
        edited = _edited(two, 1000 + n % 20, f"edit {n} while exporting")
        assert layout_map(edited, 1, cache=busy) == layout_map(edited, 1, cache=LayoutCache())
        n += 1
    thread.join()
    assert not errors, errors
    assert seen["before"] is None and seen["after"] is None  # a thread starts with none
    assert str(seen["summary"]).startswith("Exported poster.pdf")
    assert (tmp_path / "poster.pdf").read_bytes().startswith(b"%PDF")
    assert len(made) == 1
    job_cache, made_on = made[0]
    assert made_on == thread.ident and job_cache not in (canvas, busy)
    assert job_cache.sizes()["placed"] > 0 and job_cache.sizes()["word_sums"] > 0
    assert not set(map(id, job_cache.card_texts.values())) & set(
        map(id, canvas.card_texts.values()))
    # the export's composition is the one a fresh cache gives here
    assert seen["composed"] == compose_for(data, 1, service.ExportJob("pdf", 1, tmp_path).options
                                           ).layout
    # the canvas of the exported document was neither filled nor emptied by the export
    assert _same_entries(_entries(canvas), held)
    again = layout_map(data, 1, cache=canvas)
    assert all(again.cards[i] is first.cards[i] for i in first.cards)


def test_a_font_change_empties_every_cache_on_its_next_use() -> None:
    data = sample_data()
    cache = LayoutCache()
    first = layout_map(data, 1, cache=cache)
    assert cache.sizes()["card_texts"] > 0
    caches.fonts_changed()  # what fonts.configure does when the primary face changes
    assert cache.card_texts  # nothing is reached into: the owner's cache empties itself...
    again = layout_map(data, 1, cache=cache)
    assert again == first and not any(again.cards[i] is first.cards[i] for i in first.cards)


def test_no_layout_module_keeps_a_process_wide_memo() -> None:
    """A memo of measured or laid-out text goes in the owner's cache (caches.memoised).
    Only these stay per process, as they depend on no document and no layout: shaped runs
    of a text in a font (the painters need them at paint time, outside any layout), loaded
    resources (pyphen dictionaries, the ICU library, the system font indexes), and pure
    colour arithmetic on '#rrggbb' strings."""
    import functools
    import importlib
    import pkgutil

    import app.layout

    fonts = {"shaping._shaped"}
    resources = {"wrap._hyphenator", "linebreak._icu", "sysfonts._folder_index",
                 "sysfonts._fontconfig_index"}
    colours = {"rules.luminance", "rules.contrast_ratio", "rules.mix", "rules.fix_contrast",
               "rules.best_text_colour", "heat.legible_text", "heat._marker_fill"}
    allowed = {f"app.layout.{n}" for n in fonts | resources | colours}
    found = set()
    for info in pkgutil.iter_modules(app.layout.__path__):
        module = importlib.import_module(f"app.layout.{info.name}")
        for name, value in vars(module).items():
            if isinstance(value, functools._lru_cache_wrapper) and (
                    value.__module__ == module.__name__):
                found.add(f"{module.__name__}.{name}")
    assert found <= allowed, (f"process-wide memo(s) {sorted(found - allowed)}: keep "
                              "layout memos in the owner's cache with caches.memoised")
    assert "app.layout.wrap.wrap_text" not in found and found & allowed


def _added(data: DocumentData, titles: list[str]) -> tuple[DocumentData, list[int]]:
    """``data`` with new cards (as a room's participants add them) in several cells."""
    cards = dict(data.cards)
    first = next(iter(cards.values()))
    stage_ids = sorted({c.stage_id for c in cards.values()})
    lane_ids = sorted({c.lane_id for c in cards.values()})
    new = []
    for i, title in enumerate(titles):
        cid = 10_000 + i
        cards[cid] = first.model_copy(update={
            "id": cid, "title": title, "body": "", "channel": "", "position": 900 + i,
            "stage_id": stage_ids[i % len(stage_ids)], "lane_id": lane_ids[i % len(lane_ids)]})
        new.append(cid)
    return data.model_copy(update={"cards": cards}), new


def test_a_copy_goes_on_on_another_thread_and_its_owner_takes_what_it_learnt() -> None:
    data = csv_data("ikea-couch.csv")
    scene = LayoutCache("scene")
    before = layout_map(data, 1, cache=scene)
    mine = _entries(scene)
    copy = scene.copy()
    assert _same_entries(_entries(copy), mine)  # the same entries...
    assert copy.card_texts is not scene.card_texts  # ...in dicts of its own
    assert all(copy.word_sums[k] is not v for k, v in scene.word_sums.items())
    edited, new = _added(data, ["陈列区找不到沙发", "لا يوجد مكان لتجربة الأريكة",
                                "delivery slot 7-11 only"])
    box: dict[str, object] = {}
    worker = threading.Thread(target=lambda: box.update(lay=layout_map(edited, 1, cache=copy)))
    worker.start()
    worker.join()
    assert _same_entries(_entries(scene), mine)  # the worker never touched the owner's
    assert box["lay"] == layout_map(edited, 1, cache=LayoutCache())
    assert scene.adopt(copy)
    assert all(cid in scene.text_of_card for cid in new)  # measured on the worker
    assert layout_map(edited, 1, cache=scene) == box["lay"]
    assert layout_map(data, 1, cache=scene) == before
    other_fonts = scene.copy()
    other_fonts._font_set = object()  # a copy made for another poster font is refused
    assert not scene.adopt(other_fonts)


def test_cards_measured_ahead_are_what_the_next_layout_measures() -> None:
    data = csv_data("ikea-couch.csv")
    style = Style()
    cache = LayoutCache()
    layout_map(data, 1, style=style, cache=cache)
    titles = ["收银台排队太久了", "התור לקופה ארוך מדי", "पार्किंग में जगह नहीं मिली",
              "Donaudampfschifffahrtsgesellschaftskapitän", "app crashed 😡 <b>x</b>"]
    edited, new = _added(data, titles)
    assert not measure_ahead(edited.cards.values(), style, cache, until=0.0)  # no time
    assert not any(cid in cache.text_of_card for cid in new)
    assert measure_ahead(edited.cards.values(), style, cache)
    measured = {cid: cache.text_of_card[cid][4] for cid in new}
    lay = layout_map(edited, 1, style=style, cache=cache)
    assert lay == layout_map(edited, 1, style=style, cache=LayoutCache())
    for cid in new:  # the layout used the very texts measured ahead, measuring none again
        assert cache.text_of_card[cid][4] is measured[cid]
