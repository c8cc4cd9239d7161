"""Which source rows are one shutdown, and which wiki row is which incident (pure).

**Source side** (``link_years``).  The combined STOP sheet repeats a shutdown once per year it
is counted in, and Access Now rewords the repeats: "Nationwide" one year, "National" or
"Entire country" the next; "Rakhine" becomes a list of townships in Rakhine State; a
multi-country cell lists the same countries in another order.  Two rows of *different*
counted years are one shutdown when all of these hold:

* the same countries, in any order;
* the same start date, give or take ``START_TOLERANCE`` days (a correction);
* the later row is a carry-over: it started before the year it is counted in;
* the earlier row did not end before that year — unless the two rows share a source link or
  their description (Access Now revising an end date when a block went on);
* a compatible area — both national (``vocabulary.is_national``), similar place descriptions
  (rapidfuzz's token-set ratio ≥ ``AREA_SIMILAR``; the same area when the start dates differ),
  one of them blank — or, failing that, a source link or the same description in common.

Candidate links are taken best first (score, then the rows' content: never the file order), and
a link that would put two rows of one year in an incident is skipped: two rows of the same year
are never joined, so the per-year counts are the rows' counts.  Once the wiki shows the rows,
``keep_apart`` splits again what the pages show as two shutdowns.

**Wiki side** (``match``).  The ids on the wiki are the memory and they win.  Each source
incident is matched one-to-one to the rows the bot last wrote (``Key`` of each row): first
exactly (every key field equal), then by a score over countries, start and end dates, area,
type, network, services, status and shared source links, among rows sharing a country (and,
when the pages' years are known, shown on a page of a year the incident is counted in).  A
matched incident keeps the wiki's id whatever changed; an unmatched one gets its content id,
or a derivation of it that no id seen on the wiki uses.  When an incident's two best
candidates score within ``MARGIN`` of each other (and differ), the match is *ambiguous*: the
rows stay as they are, the incident is not written, and the case is reported for a person.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field, replace
from typing import Any

from wikibot.model import Incident
from wikibot.text import squash
from wikibot.vocabulary import is_national

START_TOLERANCE = 3  # days: a start date corrected by up to this much is the same shutdown
AREA_SIMILAR = 80  # rapidfuzz token-set ratio from which two place descriptions are one area
MIN_SCORE = 0.6  # a wiki row scoring less than this is no candidate
MARGIN = 0.05  # best two candidates closer than this: ambiguous


def same_area(a: str, b: str) -> bool:
    """True when two areas are worded alike (letters and digits) or both mean the whole country."""
    return squash(a) == squash(b) or (is_national(a) and is_national(b))


def area_similarity(a: str, b: str) -> float:
    """How alike two areas are, 0 to 1: national synonyms are alike, place names fuzzily."""
    if squash(a) == squash(b):
        return 1.0
    if is_national(a) or is_national(b):
        return 1.0 if is_national(a) and is_national(b) else 0.0
    from rapidfuzz import fuzz, utils  # loaded only when two place descriptions are compared

    return float(fuzz.token_set_ratio(a, b, processor=utils.default_process)) / 100


def content(incident: Incident) -> str:
    """Everything an incident says but its id and row numbers: a sort key that is not file order."""
    return repr(tuple(v for k, v in vars(incident).items() if k not in ("id", "rows", "parts")))


# ---------------------------------------------------------------------------- source side


def _link_score(a: Incident, b: Incident) -> float | None:
    """How surely two rows of the same countries (``link_years`` pairs no others) and of
    different counted years are one shutdown; None when they cannot be."""
    if a.years[0] == b.years[0]:
        return None
    early, late = (a, b) if a.years[0] < b.years[0] else (b, a)
    late_year = late.years[0]
    gap = abs((a.start - b.start).days)
    if gap > START_TOLERANCE or late.start.year >= late_year:
        return None
    blank = not a.area or not b.area
    area = 0.5 if blank else area_similarity(a.area, b.area)
    shared_links, same_text = _says_one(a, b)
    said = shared_links or same_text
    # a corrected start and a reworded area at once is too little to go on: one at a time
    similar = same_area(a.area, b.area) if gap else area * 100 >= AREA_SIMILAR
    if not blank and not similar and not said:
        return None
    # the earlier row says it ended before the later year: only a revision backed by the rows'
    # own sources or text joins them (Access Now moves an end date when a block goes on)
    ended_before = early.end is not None and early.end.year < late_year
    if ended_before and not said:
        return None
    return (
        area
        + (1 - gap / (START_TOLERANCE + 1))
        + (0.5 if early.end == late.end else 0)
        + (0.5 if shared_links else 0)
        + (0.5 if same_text else 0)
        - (1.0 if ended_before else 0)
        - 0.1 * (abs(late_year - early.years[0]) - 1)
    )


def link_years(
    rows: Sequence[Incident], apart: Callable[[Incident, Incident], bool] | None = None
) -> list[tuple[Incident, ...]]:
    """Rows (each an incident of one counted year) grouped into shutdowns, oldest year first.

    Groups come in the order of their first row; a row no candidate link touches is a group
    of its own (most rows: only those are worth the union-find below).
    """
    blocks: dict[frozenset[str], list[int]] = defaultdict(list)
    for n, countries in enumerate(_country_sets(rows)):
        blocks[countries].append(n)
    keys: dict[int, str] = {}  # content keys, for the rows that have a candidate link only
    edges: list[tuple[float, str, str, int, int]] = []
    for members in blocks.values():
        if len(members) > 1:
            _block_edges(rows, members, keys, edges)
    edges.sort(key=lambda e: e[:3])
    parent = {n: n for n in keys}  # the rows some candidate link touches
    years = {n: {rows[n].years[0]} for n in keys}

    def root(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    joined = {n: [n] for n in keys}  # each root's rows, for ``apart``

    for *_, a, b in edges:
        ra, rb = root(a), root(b)
        if ra == rb or years[ra] & years[rb]:
            continue
        if apart is not None and any(apart(rows[x], rows[y]) for x in joined[ra] for y in joined[rb]):
            continue
        parent[rb] = ra
        years[ra] |= years[rb]
        joined[ra] += joined.pop(rb)
    groups: dict[int, list[int]] = {}
    for n in range(len(rows)):
        groups.setdefault(root(n) if n in parent else n, []).append(n)
    return [
        (rows[members[0]],)
        if len(members) == 1
        else tuple(rows[n] for n in sorted(members, key=lambda n: rows[n].years[0]))  # one row a year
        for members in groups.values()
    ]


def joined(members: Sequence[Incident], ident: str) -> Incident:
    """The incident of rows of several counted years (oldest first): the latest row's fields,
    every year and row number, and the rows themselves (``parts``); one row is itself."""
    latest = members[-1]
    if len(members) == 1:
        return replace(latest, id=ident)
    years = tuple(r.years[0] for r in members)
    numbers = tuple(sorted(r.rows[0] for r in members))
    return replace(latest, id=ident, years=years, rows=numbers, parts=tuple(members))


def _says_one(a: Incident, b: Incident) -> tuple[bool, bool]:
    """What two rows say themselves of being one shutdown: a source link in common, the same
    description."""
    return bool(set(a.sources) & set(b.sources)), bool(a.description) and a.description == b.description


def evidence(a: Incident, b: Incident) -> bool:
    """Whether two rows say themselves they are one shutdown (a shared link or the same text)."""
    return any(_says_one(a, b))


def keep_apart(
    incidents: Sequence[Incident], shown: Callable[[Incident], str | None]
) -> tuple[Incident, ...]:
    """The incidents with rows the wiki shows as two shutdowns split again.

    Which rows are one incident is read from the sheet alone (``link_years``), so a change of
    the sheet can join a row to another shutdown's: a twin's row in a later year, once the
    carry-over row of the shutdown it is a twin of is gone; a new twin in an earlier year and a
    twin of a later one.  Joining two rows the wiki shows under two ids would show one of the
    shutdowns twice on a page (its row kept as gone from the source, the joined id added).
    ``shown(row)``: the id of the row its year page shows for a source row, ``""`` when no row
    of that page stands for it (a new row), None when unknown (a page not read, or a match too
    close to call).  Two rows of different years are kept apart when they are shown under two
    ids, or when one is shown and the other is new and neither row says they are one shutdown
    (``evidence``, with any of the rows shown under that id): a carry-over row copies its
    shutdown's sources, a twin has its own."""
    result: list[Incident] = []
    taken = {i.id for i in incidents}
    for incident in incidents:
        ids = {id(part): shown(part) for part in incident.parts}

        def apart(
            a: Incident,
            b: Incident,
            ids: dict[int, str | None] = ids,
            parts: tuple[Incident, ...] = incident.parts,
        ) -> bool:
            x, y = ids[id(a)], ids[id(b)]
            if x is None or y is None or x == y:
                return False
            if x and y:
                return True
            listed, new = (a, b) if x else (b, a)
            as_listed = ids[id(listed)]
            return not any(evidence(new, p) for p in parts if ids[id(p)] == as_listed)

        if not incident.parts or not any(
            apart(a, b) for a in incident.parts for b in incident.parts if a is not b
        ):
            result.append(incident)
            continue
        groups = link_years(incident.parts, apart)
        prefix = incident.id[:-10]  # content ids: the layout's prefix and ten hex digits
        for group, wanted in zip(groups, content_ids(groups, prefix), strict=True):
            first = any(part is incident.parts[0] for part in group)
            ident = incident.id if first else free_id(wanted, taken.__contains__)
            taken.add(ident)
            result.append(joined(group, ident))
    return tuple(result)


def _country_sets(rows: Sequence[Incident]) -> list[frozenset[str]]:
    """Each row's country keys as a set (rows read from one cell share its tuple: one set each)."""
    sets: dict[int, frozenset[str]] = {}
    found = []
    for row in rows:
        countries = sets.get(id(row.countries))
        if countries is None:
            countries = sets[id(row.countries)] = frozenset(c.key for c in row.countries)
        found.append(countries)
    return found


def _block_edges(
    rows: Sequence[Incident],
    members: list[int],
    keys: dict[int, str],
    edges: list[tuple[float, str, str, int, int]],
) -> None:
    """The candidate links between rows of the same countries (each with its score and content keys)."""
    members.sort(key=lambda n: rows[n].start)
    days = [rows[n].start.toordinal() for n in members]
    years = [rows[n].years[0] for n in members]
    carried = [rows[n].start.year < year for n, year in zip(members, years, strict=True)]
    for i, a in enumerate(members):
        for j in range(i + 1, len(members)):
            if days[j] - days[i] > START_TOLERANCE:
                break
            # _link_score's first tests, on numbers: most pairs are of one year, or the row of
            # the later year started in that year (no carry-over)
            if years[i] == years[j] or not (carried[j] if years[j] > years[i] else carried[i]):
                continue
            b = members[j]
            score = _link_score(rows[a], rows[b])
            if score is not None:
                for n in (a, b):
                    if n not in keys:
                        keys[n] = content(rows[n])
                low, high = sorted((keys[a], keys[b]))
                edges.append((-score, low, high, a, b))


def base_key(rows: Sequence[Incident], countries_memo: dict[int, str] | None = None) -> str:
    """What a content id hashes: the countries (sorted), start and area of the incident's first row.

    ``countries_memo``: the countries part by the tuple's identity, for many groups at once."""
    first = rows[0]
    countries = None if countries_memo is None else countries_memo.get(id(first.countries))
    if countries is None:
        countries = "+".join(sorted(c.key for c in first.countries))
        if countries_memo is not None:
            countries_memo[id(first.countries)] = countries
    return f"{countries}|{first.start.isoformat()}|{squash(first.area)}"


def content_ids(groups: Sequence[Sequence[Incident]], prefix: str) -> list[str]:
    """Ids derived from the data alone: two fresh wikis synced from the same data agree.

    Groups sharing a base key (twins: same countries, start and area) are told apart by the
    order of their content, not by their order in the file.
    """
    memo: dict[int, str] = {}
    bases = [base_key(g, memo) for g in groups]
    twins: dict[str, list[int]] = defaultdict(list)
    for n, base in enumerate(bases):
        twins[base].append(n)
    ids = [""] * len(groups)
    for base, members in twins.items():
        if len(members) > 1:
            members.sort(key=lambda n: [content(r) for r in groups[n]])
        for k, n in enumerate(members):
            ids[n] = prefix + hashlib.sha1(f"{base}|{k}".encode()).hexdigest()[:10]
    return ids


def free_id(wanted: str, used: Callable[[str], bool]) -> str:
    """The wanted id, or the first of its derivations ``wanted|1``, ``wanted|2``… not used yet."""
    if not used(wanted):
        return wanted
    prefix = wanted[: len(wanted) - 10] if len(wanted) > 10 else ""
    n = 1
    while True:
        candidate = prefix + hashlib.sha1(f"{wanted}|{n}".encode()).hexdigest()[:10]
        if not used(candidate):
            return candidate
        n += 1


# ------------------------------------------------------------------------------ wiki side

KEY_FIELDS = ("countries", "start", "end", "area", "type", "network", "services", "status", "sources")


@dataclass(frozen=True)
class Key:
    """What tells one shutdown from another on a list page: the fields a match is scored on."""

    countries: frozenset[str]
    start: dt.date | None
    end: dt.date | None = None
    area: str = ""
    type: frozenset[str] = frozenset()
    network: frozenset[str] = frozenset()
    services: frozenset[str] = frozenset()
    status: str = ""
    sources: frozenset[str] = frozenset()

    @classmethod
    def of(cls, incident: Incident, fields: Iterable[str] = KEY_FIELDS) -> Key:
        """An incident's key, with only the fields the wiki's rows show (others left empty)."""
        shown = set(fields)
        return cls(
            frozenset(c.key for c in incident.countries),
            incident.start,
            incident.end if "end" in shown else None,
            incident.area if "area" in shown else "",
            frozenset(incident.types) if "type" in shown else frozenset(),
            frozenset(incident.networks) if "network" in shown else frozenset(),
            frozenset(incident.services) if "services" in shown else frozenset(),
            incident.status if "status" in shown else "",
            frozenset(incident.sources) if "sources" in shown else frozenset(),
        )

    def differences(self, other: Key) -> tuple[str, ...]:
        """The key fields whose values differ."""
        return tuple(f for f in KEY_FIELDS if getattr(self, f) != getattr(other, f))


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def _days(a: dt.date | None, b: dt.date | None) -> float:
    if a is None or b is None:
        return 1.0 if a is b else 0.5
    gap = abs((a - b).days)
    return (
        1.0 if gap == 0 else 0.8 if gap <= 1 else 0.6 if gap <= START_TOLERANCE else 0.3 if gap <= 31 else 0.0
    )


WEIGHTS = {
    "countries": 1.0,
    "start": 3.0,
    "end": 1.0,
    "area": 2.0,
    "type": 0.5,
    "network": 0.5,
    "services": 0.5,
    "status": 0.5,
    "sources": 2.0,
}


def score(a: Key, b: Key) -> float:
    """How alike two keys are, 0 to 1 (1: every field equal)."""
    parts = {
        "countries": _jaccard(a.countries, b.countries),
        "start": _days(a.start, b.start),
        "end": _days(a.end, b.end),
        "area": area_similarity(a.area, b.area) if a.area or b.area else 1.0,
        "type": _jaccard(a.type, b.type),
        "network": _jaccard(a.network, b.network),
        "services": _jaccard(a.services, b.services),
        "status": 1.0 if a.status == b.status else 0.0,
        "sources": _jaccard(a.sources, b.sources),
    }
    return sum(WEIGHTS[f] * v for f, v in parts.items()) / sum(WEIGHTS.values())


@dataclass(frozen=True)
class Relinked:
    """A source incident that kept its wiki id although key fields changed."""

    id: str
    content_id: str
    fields: tuple[str, ...]
    score: float

    def report(self) -> dict[str, Any]:
        """As a run report entry."""
        return {
            "id": self.id,
            "content_id": self.content_id,
            "fields": list(self.fields),
            "score": self.score,
        }


@dataclass(frozen=True)
class Ambiguous:
    """A source incident whose best wiki rows score too close to tell: nothing is written."""

    content_id: str
    countries: tuple[str, ...]
    start: str
    candidates: tuple[tuple[str, float], ...]  # (wiki id, score), best first

    def report(self) -> dict[str, Any]:
        """As a run report entry."""
        return {
            "incident": self.content_id,
            "countries": list(self.countries),
            "start": self.start,
            "candidates": [{"id": i, "score": s} for i, s in self.candidates],
        }


@dataclass(frozen=True)
class Identity:
    """Each source incident's id on the wiki, and what the matching found."""

    ids: Mapping[str, str]  # content id → the id the wiki knows it by
    matched: int = 0
    new: tuple[str, ...] = ()
    relinked: tuple[Relinked, ...] = ()
    ambiguous: tuple[Ambiguous, ...] = ()
    held: frozenset[str] = frozenset()  # wiki ids left as they are (ambiguous candidates)
    withheld: frozenset[str] = frozenset()  # content ids not written (ambiguous)
    checked: bool = field(default=False)  # False: ids taken on trust (content or cache), not matched
    holding: frozenset[str] = frozenset()  # pages found holding exactly their plan (nothing to merge)

    def apply(self, incidents: Iterable[Incident]) -> tuple[Incident, ...]:
        """The incidents under their wiki ids, the ambiguous ones left out."""
        return tuple(replace(i, id=self.ids.get(i.id, i.id)) for i in incidents if i.id not in self.withheld)

    def report(self) -> dict[str, Any]:
        """The run report's ``identity`` object."""
        return {
            "matched": self.matched,
            "new": list(self.new),
            "relinked": [r.report() for r in self.relinked],
            "ambiguous": [a.report() for a in self.ambiguous],
        }


def trusted(incidents: Iterable[Incident], known: Mapping[str, str]) -> Identity:
    """Ids taken on trust: the remembered wiki id of each incident, else its content id."""
    return Identity({i.id: known.get(i.id, i.id) for i in incidents})


def match(
    incidents: Sequence[Incident],
    wiki: Mapping[str, Key],
    used: Iterable[str] = (),
    confirmed: Mapping[str, str] | None = None,
    fields: Iterable[str] = KEY_FIELDS,
    on: Mapping[str, Set[int]] | None = None,
) -> Identity:
    """Match source incidents one-to-one to the wiki's rows (see the module docstring).

    ``wiki`` holds the rows the bot last wrote, by id; ``used`` every id seen on the wiki;
    ``confirmed`` incidents already known to be a wiki id (a page holding them unchanged);
    ``on`` the years of the pages each row is on, when known: a row that differs is taken only
    by an incident counted in one of them (a shutdown of another year is another shutdown).
    """
    shown = tuple(fields)
    confirmed = dict(confirmed or {})
    ids: dict[str, str] = dict(confirmed)
    taken = set(confirmed.values())
    keys = {i.id: Key.of(i, shown) for i in incidents}
    order = sorted((i for i in incidents if i.id not in ids), key=lambda i: (content(i), i.id))
    # 1. exact: every key field equal (the wiki id equal to the content id first)
    by_key: dict[Key, list[str]] = defaultdict(list)
    for wiki_id in sorted(wiki):
        if wiki_id not in taken:
            by_key[wiki[wiki_id]].append(wiki_id)
    rest: list[Incident] = []
    for incident in order:
        free = [w for w in by_key.get(keys[incident.id], []) if w not in taken]
        if not free:
            rest.append(incident)
            continue
        chosen = incident.id if incident.id in free else free[0]
        ids[incident.id] = chosen
        taken.add(chosen)
    # 2. scored, among rows sharing a country, best pairs first; too close to call: ambiguous
    by_country: dict[str, set[str]] = defaultdict(set)
    for wiki_id, key in wiki.items():
        if wiki_id not in taken:
            for country in key.countries:
                by_country[country].add(wiki_id)
    scores: dict[str, list[tuple[float, str]]] = {}
    for incident in rest:
        near = set().union(*(by_country.get(c.key, set()) for c in incident.countries))
        if on is not None:
            near = {w for w in near if w not in on or not on[w].isdisjoint(incident.years)}
        ranked = [(score(keys[incident.id], wiki[w]), w) for w in near]
        scores[incident.id] = sorted(
            ((s, w) for s, w in ranked if s >= MIN_SCORE), key=lambda p: (-p[0], p[1])
        )
    pairs = sorted(
        ((s, content(i), i.id, w) for i in rest for s, w in scores[i.id]), key=lambda p: (-p[0], p[1], p[3])
    )
    by_incident = {i.id: i for i in rest}
    suitors: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for s, _, content_id, wiki_id in pairs:
        suitors[wiki_id].append((s, content_id))
    relinked: list[Relinked] = []
    ambiguous: list[Ambiguous] = []
    held: set[str] = set()
    withheld: set[str] = set()
    for s, _, content_id, wiki_id in pairs:
        if content_id in ids or content_id in withheld or wiki_id in taken or wiki_id in held:
            continue
        rivals = [
            (t, w)
            for t, w in scores[content_id]
            if w != wiki_id
            and w not in taken
            and w not in held
            and t >= s - MARGIN
            and wiki[w] != wiki[wiki_id]
        ]
        others = [
            c
            for t, c in suitors[wiki_id]
            if c != content_id
            and c not in ids
            and c not in withheld
            and t >= s - MARGIN
            and keys[c] != keys[content_id]
        ]
        if rivals or others:
            candidates = ((s, wiki_id), *rivals)
            incident = by_incident[content_id]
            ambiguous.append(
                Ambiguous(
                    content_id,
                    tuple(c.key for c in incident.countries),
                    incident.start.isoformat(),
                    tuple((w, round(t, 3)) for t, w in candidates),
                )
            )
            held.update(w for _, w in candidates)
            withheld.add(content_id)
            withheld.update(others)
            continue
        ids[content_id] = wiki_id
        taken.add(wiki_id)
        relinked.append(
            Relinked(wiki_id, content_id, keys[content_id].differences(wiki[wiki_id]), round(s, 3))
        )
    # 3. new: the content id unless the wiki has used it
    seen = set(used) | set(wiki) | taken
    new: list[str] = []
    for incident in order:
        if incident.id in ids or incident.id in withheld:
            continue
        chosen = free_id(incident.id, lambda c: c in seen)
        seen.add(chosen)
        ids[incident.id] = chosen
        new.append(chosen)
    for incident in incidents:
        ids.setdefault(incident.id, incident.id)
    matched = len(incidents) - len(new) - len(withheld)
    return Identity(
        ids,
        matched,
        tuple(new),
        tuple(sorted(relinked, key=lambda r: r.id)),
        tuple(ambiguous),
        frozenset(held),
        frozenset(withheld),
        checked=True,
    )
