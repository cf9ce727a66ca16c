"""A poster composed for its paper: type sizes per role, card columns, fill and balance.

The canvas lays a map out at the screen's sizes; a poster is solved for the sheet
instead (issue 14). Given the paper, its margins and the distance each text role
is read from (:mod:`app.layout.legibility`):

1. Every role's size is its *need* times one factor ``k``: the title, stage
   headers, labels, bodies and footer keep the rule's proportions, and ``k`` is
   the margin by which every role passes (``k >= 1``) or fails. The layout is
   built at the needs (``k = 1``) and then scaled by ``k`` onto the page, which
   is exact: every width and spacing is a multiple of a role size.
2. Card width and card columns per stage are chosen so the map's shape matches
   the printable area (the largest ``k``): card columns by the engine's greedy
   rule against the page's aspect, and the card width from a model of how the
   map's width and height respond to it, checked by a second real layout (below
   :data:`LARGE_MAP` cards). The card width starts no narrower than a stage name's
   longest word needs (headers never break inside a word).
3. What is left over in the other direction is handed out, headings first: a
   taller emotion band (the hero of the poster, its height growing with the
   sheet), then the lanes; extra width widens every column. So the map fills the
   printable area instead of floating in it.
4. ``k`` is capped at :data:`MAX_SCALE` (no role printed at more than 3x its
   need): a small map on a big sheet is centred, and the preflight names a
   smaller sheet.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace

from app.layout import caches
from app.layout.boxes import MapLayout
from app.layout.engine import layout_map
from app.layout.legibility import RoleDistances, role_needs, style_sizes
from app.layout.paper import MM, Paper
from app.layout.style import Style
from app.layout.transform import fit_to_page, scale_factor
from app.model.schema import DocumentData

#: No role is printed at more than this multiple of its need.
MAX_SCALE = 3.0
#: Page margins are at least this (points), else 2 % of the sheet's short side.
MIN_MARGIN = 8 * MM
#: Card widths tried, in body sizes.
CARD_EM_RANGE = (16.0, 44.0)
START_CARD_EM = 22.0
#: The emotion band grows into the free height up to this share of the printable height.
HERO_MAX = 0.2
#: The emotion band (the focal point) is this share of the printable height, or as near as
#: costs the text no more than 3 % and never turns a passing map into a failing one.
HERO_MIN = 0.08
#: A passing map whose lanes would get more than this share of the printable height as
#: empty room sets its cards' text larger instead (the lanes' heights then follow their
#: content), by at most :data:`MAX_BOOST`; the size keys enlarged.
BOOST_FROM = 0.04
MAX_BOOST = 1.4
CARD_SIZES = ("card_title", "body")
#: From this many cards on, the card width is not refined by a second text layout (each
#: costs a full wrap of every card; such a map is far past any sheet's legibility anyway,
#: and its columns and rows are still fitted to the sheet).
LARGE_MAP = 2500
#: At most this many trial layouts choose the cards' text boost (a passing map only).
BOOST_LAYOUTS = 4


def default_margin(paper: Paper) -> float:
    """The page margin a poster gets unless asked: 2 % of the short side, at least 8 mm."""
    return max(MIN_MARGIN, min(paper.width, paper.height) * 0.02)


@dataclass(frozen=True)
class Composition:
    """A map composed for one sheet: what is drawn, and the numbers behind it."""

    layout: MapLayout  # on the page: what PDF, PNG and SVG draw
    paper: Paper
    margin: float
    distances: RoleDistances
    needs: dict[str, float]  # role -> the size (pt) the rule asks for
    scale: float  # k: every role prints at k times its need
    natural_fit: float  # the k the map would get without the cap
    card_em: float  # card width in body sizes
    style: Style  # the composed style (sizes at the needs)

    @property
    def capped(self) -> bool:
        """True when the map is small for the sheet (``k`` held at :data:`MAX_SCALE`)."""
        return self.natural_fit > MAX_SCALE + 1e-9

    @property
    def passes(self) -> bool:
        """Every role meets its need."""
        return self.scale >= 1.0 - 1e-6


def _content_size(lay: MapLayout) -> tuple[float, float]:
    return max(1.0, lay.width - 2 * lay.pad), max(1.0, lay.height - 2 * lay.pad)


def _fit(lay: MapLayout, avail_w: float, avail_h: float) -> float:
    w, h = _content_size(lay)
    return min(avail_w / w, avail_h / h)


def composed_style(base: Style, needs: dict[str, float], card_em: float, aspect: float,
                   hero: float = 0.0, stretch: tuple[float, float] = (0.0, 0.0),
                   boost: float = 1.0) -> Style:
    """``base`` with every size from the role needs and the poster's card width;
    ``boost`` enlarges the cards' text (titles, bodies, chips) alone, a title keeping as
    many words in its lines as at the need (more lines of larger type)."""
    sizes = style_sizes(needs)
    for key in CARD_SIZES:
        sizes[key] *= boost
    if boost > 1.0:  # larger titles in the same card width: as much of the title, more lines
        base = replace(base, max_title_lines=round(base.max_title_lines * boost))
    return replace(base, role_sizes=tuple(sizes.items()), body_pt=needs["body"],
                   card_width_em=card_em, target_aspect=aspect, max_slots=4,
                   slot_threshold=10**6, hero_band=hero, stretch=stretch,
                   lane_label_em=max(base.lane_label_em, 9.0))


def min_card_em(data: DocumentData, map_id: int, needs: dict[str, float],
                style: Style) -> float:
    """The narrowest card (body sizes) a designer would accept for this map: every stage
    name's longest word fits its header on one line (a one-card column), and half the
    card titles fit in their lines (``style.max_title_lines``) at the card-title size."""
    from app.layout.engine import header_pad
    from app.layout.fonts import text_width
    from app.layout.wrap import words

    em = needs["body"]
    gutter = style.gutter_em
    need = CARD_EM_RANGE[0]
    for st in data.stages_of(map_id):
        longest = max((text_width(w, "bold", needs["stage"]) for w in words(st.name)),
                      default=0.0)
        pad = header_pad(em, needs["stage"])
        need = max(need, (longest + 2 * pad) / em - 2 * gutter + 0.5)
    title_size = needs["label"]
    # title width beside the marker: card - 2 padding - marker - gap
    chrome = 2 * style.padding_em + 1.1 + 0.4
    lines = max(1, style.max_title_lines)
    widths = sorted(text_width(c.title, "bold", title_size) / lines * 1.25 / em + chrome
                    for c in data.cards.values() if c.map_id == map_id and c.title.strip())
    if widths:
        need = max(need, widths[len(widths) // 2])
    return min(CARD_EM_RANGE[1], need)


def _best_card_em(lay: MapLayout, card_em: float, slots: int, avail_w: float,
                  avail_h: float, low: float = CARD_EM_RANGE[0]) -> float:
    """The card width (body sizes) whose map best matches the printable area, from how
    width and height respond to it: the columns' width grows with it, the lanes' height
    shrinks roughly as its 0.7th power (text rewraps into fewer lines)."""
    em = lay.min_size
    w, h = _content_size(lay)
    cards_w = slots * card_em * em
    fixed_w = max(0.0, w - cards_w)
    lanes_h = max(0.0, lay.grid.bottom - (lay.stages[0].rect.bottom if lay.stages
                                          else lay.grid.y))
    fixed_h = max(1.0, h - lanes_h)
    best, best_k = card_em, -1.0
    c = low
    while c <= CARD_EM_RANGE[1] + 1e-9:
        mw = fixed_w + slots * c * em
        mh = fixed_h + lanes_h * (card_em / c) ** 0.7
        k = min(avail_w / mw, avail_h / mh)
        if k > best_k * 1.002:
            best, best_k = c, k
        c += 1.0
    here = min(avail_w / (fixed_w + slots * card_em * em),
               avail_h / (fixed_h + lanes_h))
    # a second layout must be worth it: the model promises at least 3 % more
    return best if best_k > here * 1.03 else card_em


def fit_bound(data: DocumentData, map_id: int, paper: Paper, distances: RoleDistances, *,
              margin: float | None = None, style: Style | None = None) -> float:
    """An upper bound of the scale ``k`` at which map ``map_id`` of ``data`` can fit the
    printable area of ``paper`` read from ``distances`` (page fit), from the cards'
    least heights (:func:`~app.layout.cardtext.least_height`), without laying it out.

    Every layout :func:`compose` tries (any card width, hero band, free room) holds each
    card in a box at least :data:`CARD_EM_RANGE` [0] body sizes wide and its least height
    tall, the boxes apart; each stage column is at least one card and two gutters wide,
    each lane two gutters and its tallest card (an empty one its minimum) tall. The map is
    then at least that wide, that tall and that large in area, so ``k`` is at most the
    printable width, height and area over those. One pass over the cards: the preflight
    rules out with it the sheets on which a map far too large cannot pass, instead of
    laying the map out for each (a map of 100,000 cards would take minutes per sheet).
    """
    from app.layout.cardtext import least_height

    base = style or Style()
    margin = default_margin(paper) if margin is None else margin
    avail_w = max(1.0, paper.width - 2 * margin)
    avail_h = max(1.0, paper.height - 2 * margin)
    st = composed_style(base, role_needs(distances), START_CARD_EM, avail_w / avail_h)
    card_w = st.em(CARD_EM_RANGE[0])
    gutter = st.em(st.gutter_em)
    stages = data.stages_of(map_id)
    tallest: dict[int, float] = {}
    area = 0.0
    for lane_id, kinds in _card_parts(data, map_id, stages).items():
        tallest[lane_id] = 0.0
        for parts, count in kinds.items():
            h = least_height(parts, st)
            area += card_w * h * count
            tallest[lane_id] = max(tallest[lane_id], h)
    empty = st.em(st.empty_cell_em)
    least_w = st.em(st.lane_label_em) + len(stages) * (card_w + 2 * gutter)
    least_h = sum(max(empty, 2 * gutter + h) if h else empty for h in tallest.values())
    bound = min(avail_w / max(1.0, least_w), avail_h / max(1.0, least_h))
    if area > 0:
        bound = min(bound, (avail_w * avail_h / area) ** 0.5)
    return bound


def _card_parts(data: DocumentData, map_id: int, stages: list) -> dict[int, Counter]:
    """Per visible lane of the map: how many of its cards have each
    :func:`~app.layout.cardtext.least_parts`. Kept in the bound layout cache while the
    very same rows are asked about (rows are never changed in place): the preflight asks
    for every sheet it tries."""
    from app.layout.cardtext import least_parts

    lanes = [ln for ln in data.lanes_of(map_id) if not ln.collapsed]
    cards = list(data.cards.values())
    cache = caches.current()
    memo = cache.memos.setdefault("compose.card_parts", {}) if cache is not None else {}
    kept = memo.get(map_id)
    if (kept is not None and len(kept[0]) == len(cards) and len(kept[1]) == len(lanes)
            and len(kept[2]) == len(stages) and all(map(operator.is_, kept[0], cards))
            and all(map(operator.is_, kept[1], lanes))
            and all(map(operator.is_, kept[2], stages))):
        return kept[3]
    stage_ids = {s.id for s in stages}
    out: dict[int, Counter] = {ln.id: Counter() for ln in lanes}
    for c in cards:
        if c.map_id == map_id and c.stage_id in stage_ids and c.lane_id in out:
            out[c.lane_id][least_parts(c)] += 1
    memo.clear()
    memo[map_id] = (cards, lanes, list(stages), out)
    return out


def compose(data: DocumentData, map_id: int, paper: Paper, distances: RoleDistances, *,
            margin: float | None = None, style: Style | None = None, version: str = "",
            exported: dt.date | None = None, fit: str = "page", trial: bool = False,
            cache: caches.LayoutCache | None = None) -> Composition:
    """Compose map ``map_id`` of ``data`` for ``paper`` read from ``distances``.

    ``fit``: "page" fills the sheet; "width" keeps the sheet's width and lets the height
    follow the map (a roll, a long poster), "height" the other way round. The
    composition's ``paper`` is then the sheet actually used.

    ``trial`` (the preflight trying a way out): only the verdict and the scale are
    wanted. A map that fails after its card width is chosen is answered at once (handing
    out the free room never raises the scale), and the layout is left unplaced (its
    ``scale`` is the one the page would get, computed without moving every box).

    ``cache``: the export job's :class:`~app.layout.caches.LayoutCache`, shared by the
    several layouts of one composition (None: the one bound for the job, or a fresh one).
    """
    cache = caches.owner(cache)
    with cache.measuring():
        return _compose(data, map_id, paper, distances, margin, style, version, exported,
                        fit, trial, cache)


def _compose(data: DocumentData, map_id: int, paper: Paper, distances: RoleDistances,
             margin: float | None, style: Style | None, version: str,
             exported: dt.date | None, fit: str, trial: bool, cache: caches.LayoutCache
             ) -> Composition:
    base = style or Style()
    margin = default_margin(paper) if margin is None else margin
    if fit in ("width", "height"):
        return _fit_one_side(data, map_id, paper, distances, margin, base, version, exported,
                             fit, cache)
    avail_w = max(1.0, paper.width - 2 * margin)
    avail_h = max(1.0, paper.height - 2 * margin)
    aspect = avail_w / avail_h
    needs = role_needs(distances)

    def lay_out(card_em: float, hero: float = 0.0, stretch: tuple[float, float] = (0.0, 0.0),
                boost: float = 1.0) -> tuple[MapLayout, Style]:
        st = composed_style(base, needs, card_em, aspect, hero, stretch, boost)
        return layout_map(data, map_id, None, st, version=version, exported=exported,
                          cache=cache), st

    # 1. a first layout, then the card width the shape model prefers (a second layout)
    low = min_card_em(data, map_id, needs, base)
    card_em = max(START_CARD_EM, low)
    lay, st = lay_out(card_em)
    k = _fit(lay, avail_w, avail_h)
    n_slots = _slot_count(lay)
    if n_slots and len(lay.cards) < LARGE_MAP:
        better = _best_card_em(lay, card_em, n_slots, avail_w, avail_h, low)
        if abs(better - card_em) >= 1.0:
            lay2, st2 = lay_out(better)
            k2 = _fit(lay2, avail_w, avail_h)
            if k2 > k * 1.005:
                lay, st, k, card_em = lay2, st2, k2, better
    natural_fit = k
    k = min(k, MAX_SCALE)
    if trial and natural_fit < 1.0 - 1e-6:  # fails: the free room only lowers k
        return Composition(lay, paper, margin, distances, needs, natural_fit, natural_fit,
                           card_em, st)

    # 2. the hero band and the free room, handed out at the chosen k (the same card
    # texts: only the columns and rows move)
    if lay.curve is not None or natural_fit <= MAX_SCALE:
        w, h = _content_size(lay)
        free_w = max(0.0, avail_w / k - w)
        free_h = max(0.0, avail_h / k - h)
        if natural_fit > MAX_SCALE:  # a small map: centred, not stretched
            free_w = free_h = 0.0
        hero = 0.0
        tries: list[tuple[float, float]] = []  # (hero band, free height for the lanes)
        if lay.curve is not None:  # the hero band takes the free height first
            band = lay.curve.band.h
            grow = min(free_h, max(0.0, HERO_MAX * avail_h / k - band))
            hero = band + grow
            # a passing map first tries the focal minimum, as far as the text can afford
            # it (the height that keeps k within 3 % and the map passing)
            afford = band + avail_h / (max(k * 0.97, 1.0) * 1.002) - h
            least = min(HERO_MIN * avail_h / k, afford)
            if least > hero + 0.5 and 1.0 <= natural_fit <= MAX_SCALE:
                tries.append((least, 0.0))
            tries.append((hero, free_h - grow))
        elif free_w > 0.5 or free_h > 0.5:
            tries.append((0.0, free_h))
        for hero, rest in tries:
            boost = 1.0
            if (not trial and 1.0 <= natural_fit <= MAX_SCALE
                    and rest > BOOST_FROM * avail_h / k):
                boost, rest = _card_boost(lambda f, hero=hero: lay_out(card_em, hero,
                                                                       (free_w, 0.0), f)[0],
                                          lay, rest, (avail_w, avail_h), k,
                                          _word_cap(data, lay, st))
            lay3, st3 = lay_out(card_em, hero, (free_w, rest), boost)
            k3 = min(_fit(lay3, avail_w, avail_h), MAX_SCALE)
            # the band may cost a little: never more than 3 %, never the pass
            if k3 >= k * 0.97 and not (k3 < 1.0 <= k):
                lay, st, k = lay3, st3, k3
                break
    if trial:
        scale = min(scale_factor(lay, paper.width, paper.height, margin), MAX_SCALE)
        return Composition(lay, paper, margin, distances, needs, scale, natural_fit, card_em,
                           st)
    page = fit_to_page(lay, paper.width, paper.height, margin, MAX_SCALE)
    return Composition(page, paper, margin, distances, needs, page.scale, natural_fit,
                       card_em, st)


def _word_cap(data: DocumentData, lay: MapLayout, style: Style) -> float:
    """The largest boost at which every word of the cards' titles and bodies still fits
    its line (no word newly cut); words already cut at the need do not count."""
    from app.layout.fonts import text_width
    from app.layout.wrap import words

    em = lay.min_size
    pad = style.padding_em * em
    cap = MAX_BOOST
    for box in lay.cards.values():
        card = data.cards.get(box.card_id)
        if card is None:
            continue
        for text, font, size, room in (
                (card.title, "bold", box.title_size, box.rect.w - 2 * pad - 1.5 * em),
                (card.body, "regular", box.body_size, box.rect.w - 2 * pad)):
            widest = max((text_width(w, font, size) for w in words(text)), default=0.0)
            if 0 < widest <= room:
                cap = min(cap, room / widest)
    return cap


def _card_boost(lay_out: Callable[[float], MapLayout], lay: MapLayout, rest: float,
                avail: tuple[float, float], k: float, word_cap: float) -> tuple[float, float]:
    """(boost, the free height left): the cards' text size factor that fills the lanes'
    ``rest`` of empty height while the map still fits ``avail`` at scale ``k`` (so the
    scale is kept). ``lay_out(f)`` lays the map out with boost ``f`` (hero band in, no
    stretch); at most :data:`BOOST_LAYOUTS` such layouts. Text height grows about as the
    1.6th power of its size (more lines, each taller). No card title may newly overflow
    into its body: past a boost that made one, the search bisects below it."""
    cap = min(MAX_BOOST, MAX_SCALE / k, word_cap)
    target_h = avail[1] / k
    lanes_h = max(1.0, lay.grid.bottom - (lay.stages[0].rect.bottom if lay.stages
                                          else lay.grid.y))
    h0 = target_h - rest
    overflowing = sum(c.shrunk for c in lay.cards.values())
    best, left = 1.0, rest
    over = cap + 1.0  # the smallest boost seen to make a title newly continue in its body
    f = min(cap, ((lanes_h + rest) / lanes_h) ** (1 / 1.6))
    for _ in range(BOOST_LAYOUTS):
        if f <= best + 0.01:
            break
        trial = lay_out(f)
        h = _content_size(trial)[1]
        if sum(c.shrunk for c in trial.cards.values()) > overflowing:
            over = f
            f = best + (f - best) * 0.5  # no title may newly continue in its body
        elif _fit(trial, *avail) >= k * (1 - 1e-6):
            best, left = f, max(0.0, target_h - h)
            if f >= cap - 1e-9 or left <= BOOST_FROM * target_h / 2:
                break
            grown = max(1.0, lanes_h + h - h0)
            f = min(cap, f * ((grown + left) / grown) ** (1 / 1.6))
            if f >= over:  # bisect towards the size at which a title overflows
                f = best + (over - best) * 0.5
        elif h > target_h:  # too far: back to where the growth would have just fitted
            below = h0 if best == 1.0 else target_h - left
            f = best + (f - best) * (target_h - below) / max(1e-6, h - below) * 0.97
        else:  # wider, not taller: the boost costs the scale
            break
    return best, left


def _slot_count(lay: MapLayout) -> int:
    """Card columns across the map (from the stage columns and the card width)."""
    if not lay.cards:
        return 0
    card_w = min(c.rect.w for c in lay.cards.values())
    total = 0
    for st in lay.stages:
        total += max(1, round(st.rect.w / (card_w * 1.05)))
    return total


def _fit_one_side(data: DocumentData, map_id: int, paper: Paper, distances: RoleDistances,
                  margin: float, base: Style, version: str, exported: dt.date | None,
                  fit: str, cache: caches.LayoutCache) -> Composition:
    """Compose at the sheet's width (or height) with the other side free, then cut the
    sheet to the map: the map keeps its shape at the largest size the fixed side allows."""
    needs = role_needs(distances)
    card_em = max(START_CARD_EM, min_card_em(data, map_id, needs, base))
    aspect = 1.414 if fit == "width" else 1 / 1.414  # the card columns' starting shape
    st = composed_style(base, needs, card_em, aspect)
    lay = layout_map(data, map_id, None, st, version=version, exported=exported, cache=cache)
    w, h = _content_size(lay)
    if fit == "width":
        k = min((paper.width - 2 * margin) / w, MAX_SCALE)
        sheet = Paper(paper.name, paper.width, min(14400.0, h * k + 2 * margin))
    else:
        k = min((paper.height - 2 * margin) / h, MAX_SCALE)
        sheet = Paper(paper.name, min(14400.0, w * k + 2 * margin), paper.height)
    page = fit_to_page(lay, sheet.width, sheet.height, margin, MAX_SCALE)
    return Composition(page, sheet, margin, distances, needs, page.scale, k, card_em, st)
