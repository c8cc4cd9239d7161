"""Incident identity, as tables: which rows are one shutdown, which wiki row is which incident."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from wikibot.identity import (
    Key,
    area_similarity,
    content_ids,
    free_id,
    is_national,
    joined,
    keep_apart,
    link_years,
    match,
    same_area,
)
from wikibot.model import Country, Incident

KZ, SN = Country("KZ", "Kazakhstan"), Country("SN", "Senegal")
BI, KE = Country("BI", "Burundi"), Country("KE", "Kenya")


def row(year: int, start: str = "2021-12-30", area: str = "Nationwide", **fields: object) -> Incident:
    """One source row as the normalizer gives it: an incident of one counted year."""
    base = Incident(
        id="",
        countries=(KZ,),
        start=dt.date.fromisoformat(start),
        area=area,
        sources=("https://example.org/a",),
        years=(year,),
        rows=(year,),
    )
    return replace(base, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("area", "national"),
    [
        ("Nationwide", True),
        ("National", True),
        ("Entire country", True),
        ("nation wide", True),
        ("Countrywide", True),
        ("Nationwide except for HK SAR", False),
        ("Almaty", False),
        ("", False),
    ],
)
def test_national_wordings(area: str, national: bool) -> None:
    assert is_national(area) is national


@pytest.mark.parametrize(
    ("a", "b", "same", "similar"),
    [
        ("Nationwide", "National", True, True),
        ("Entire country", "Nationwide", True, True),
        ("Almaty", "almaty", True, True),
        ("Rakhine", "Townships in Rakhine State", False, True),
        ("Refugee Camps in Cox Bazar district", "Cox's Bazar refugee camp", False, True),
        ("Nationwide", "Jammu & Kashmir", False, False),
        ("Almaty", "Dakar region", False, False),
    ],
)
def test_areas_compared(a: str, b: str, same: bool, similar: bool) -> None:
    assert same_area(a, b) is same
    assert (area_similarity(a, b) >= 0.8) is similar


def years_of(groups: list[tuple[Incident, ...]]) -> list[tuple[int, ...]]:
    return sorted(tuple(r.years[0] for r in g) for g in groups)


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # the same shutdown counted in two years, its area reworded
        ([row(2021), row(2022, area="National")], [(2021, 2022)]),
        # countries in another order
        (
            [row(2021, countries=(BI, KE)), row(2022, countries=(KE, BI))],
            [(2021, 2022)],
        ),
        # a longer place description of the same place
        ([row(2021, area="Rakhine"), row(2022, area="Townships in Rakhine State")], [(2021, 2022)]),
        # a start corrected by a day
        ([row(2021), row(2022, start="2021-12-29")], [(2021, 2022)]),
        # start corrected and area reworded at once: too little to go on
        (
            [row(2021, area="Sopore town"), row(2022, start="2021-12-28", area="Jammu", sources=())],
            [(2021,), (2022,)],
        ),
        # two rows of one year are never joined
        ([row(2021), row(2021)], [(2021,), (2021,)]),
        # a later row that started in its own year is not a carry-over
        ([row(2021, start="2021-01-02"), row(2022, start="2021-01-02")], [(2021, 2022)]),
        ([row(2021, start="2022-01-02"), row(2022, start="2022-01-02")], [(2021,), (2022,)]),
        # other countries, or dates too far apart
        ([row(2021), row(2022, countries=(SN,))], [(2021,), (2022,)]),
        ([row(2021), row(2022, start="2021-12-20")], [(2021,), (2022,)]),
        # an area that is another place, with nothing else in common
        ([row(2021), row(2022, area="Almaty", sources=())], [(2021,), (2022,)]),
        # ... but the same source link says it is the same shutdown (India's 14 apps, 2023)
        ([row(2021), row(2022, area="Almaty")], [(2021, 2022)]),
        # the earlier row ended before the later year: joined only with evidence (a revised end)
        ([row(2021, end=dt.date(2021, 12, 31)), row(2022)], [(2021, 2022)]),
        (
            [row(2021, end=dt.date(2021, 12, 31)), row(2022, sources=("https://example.org/b",))],
            [(2021,), (2022,)],
        ),
    ],
)
def test_rows_linked_across_years(rows: list[Incident], expected: list[tuple[int, ...]]) -> None:
    assert years_of(link_years(rows)) == expected
    assert years_of(link_years(list(reversed(rows)))) == expected


def test_twins_are_linked_to_their_own_next_year_whatever_the_order() -> None:
    # Iran, 21 Sep 2022: a curfew that ended in 2022 and a platform block still going on
    block = row(2022, start="2022-09-21", description="WhatsApp blocked", sources=("https://a.example/1",))
    curfew = row(
        2022,
        start="2022-09-21",
        description="Curfews",
        sources=("https://a.example/2",),
        end=dt.date(2022, 10, 3),
    )
    later = replace(block, years=(2023,), rows=(2023,))
    for order in ([block, curfew, later], [later, curfew, block], [curfew, later, block]):
        groups = {tuple(r.description for r in g): g for g in link_years(order)}
        assert set(groups) == {("WhatsApp blocked", "WhatsApp blocked"), ("Curfews",)}


def test_content_ids_tell_twins_apart_by_content_not_by_order() -> None:
    a = (row(2021, description="A"),)
    b = (row(2021, description="B"),)
    assert content_ids([a, b], "kio-") == list(reversed(content_ids([b, a], "kio-")))
    assert len(set(content_ids([a, b], "kio-"))) == 2


def test_a_free_id_is_the_wanted_one_or_a_derivation_no_one_uses() -> None:
    assert free_id("kio-0123456789", lambda _: False) == "kio-0123456789"
    used = {"kio-0123456789"}
    derived = free_id("kio-0123456789", used.__contains__)
    assert derived.startswith("kio-") and len(derived) == 14 and derived not in used


def key(**fields: object) -> Key:
    base = Key(
        frozenset({"KZ"}),
        dt.date(2022, 1, 5),
        dt.date(2022, 1, 10),
        "Nationwide",
        frozenset({"shutdown"}),
        frozenset({"mobile"}),
        frozenset(),
        "ended",
        frozenset({"https://example.org/a"}),
    )
    return replace(base, **fields)  # type: ignore[arg-type]


def incident(ident: str, **fields: object) -> Incident:
    base = Incident(
        id=ident,
        countries=(KZ,),
        start=dt.date(2022, 1, 5),
        end=dt.date(2022, 1, 10),
        status="ended",
        area="Nationwide",
        types=("shutdown",),
        networks=("mobile",),
        sources=("https://example.org/a",),
        years=(2022,),
    )
    return replace(base, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("wiki", "incidents", "ids", "new", "relinked", "ambiguous"),
    [
        # the wiki's id wins, whatever the content id
        ({"w1": key()}, [incident("c1")], {"c1": "w1"}, [], [], 0),
        # a corrected start date: same row, fields reported
        (
            {"w1": key()},
            [incident("c1", start=dt.date(2022, 1, 4))],
            {"c1": "w1"},
            [],
            [("w1", ("start",))],
            0,
        ),
        # another country entirely: a new row, under its content id
        ({"w1": key()}, [incident("c1", countries=(SN,))], {"c1": "c1"}, ["c1"], [], 0),
        # a content id the wiki uses for another row: a new id, never the used one
        (
            {"c1": key()},
            [incident("c1"), incident("c2", countries=(SN,))],
            {"c1": "c1", "c2": "c2"},
            ["c2"],
            [],
            0,
        ),
        # two rows that the incident resembles equally: nothing is written
        (
            {
                "w1": key(sources=frozenset({"https://example.org/b"})),
                "w2": key(sources=frozenset({"https://example.org/c"})),
            },
            [incident("c1")],
            {},
            [],
            [],
            1,
        ),
    ],
)
def test_incidents_matched_to_wiki_rows(
    wiki: dict[str, Key],
    incidents: list[Incident],
    ids: dict[str, str],
    new: list[str],
    relinked: list[tuple[str, tuple[str, ...]]],
    ambiguous: int,
) -> None:
    result = match(incidents, wiki, used=wiki)
    assert {k: v for k, v in result.ids.items() if k not in result.withheld} == ids
    assert list(result.new) == new
    assert [(r.id, r.fields) for r in result.relinked] == relinked
    assert len(result.ambiguous) == ambiguous
    if ambiguous:
        assert result.held == {"w1", "w2"} and result.withheld == {"c1"}
        assert result.apply(incidents) == ()
        assert [c for c, _ in result.ambiguous[0].candidates] == ["w1", "w2"]


def test_a_new_incident_never_takes_an_id_the_wiki_used() -> None:
    result = match([incident("kio-0123456789", countries=(SN,))], {}, used={"kio-0123456789"})
    (new,) = result.new
    assert new != "kio-0123456789" and result.ids["kio-0123456789"] == new


def test_confirmed_incidents_keep_their_rows_out_of_the_matching() -> None:
    result = match([incident("c1"), incident("c2")], {"w1": key()}, used={"w1"}, confirmed={"c1": "w1"})
    assert result.ids == {"c1": "w1", "c2": "c2"} and result.new == ("c2",)


def test_a_row_that_differs_is_taken_only_by_a_shutdown_of_a_year_it_is_shown_in() -> None:
    """The soak machine: a twin of 2024 gone from the source, a new one of 2023 (same start
    and area, its own end and source) took its id by score; a shutdown of another year is
    another shutdown.  The same row equal in every field is still found wherever it is."""
    corrected = incident("c1", start=dt.date(2022, 1, 4))
    assert match([corrected], {"w1": key()}, on={"w1": {2022}}).ids == {"c1": "w1"}
    moved = replace(corrected, years=(2023,))
    assert match([moved], {"w1": key()}, on={"w1": {2022}}).new == ("c1",)
    assert match([moved], {"w1": key()}, on={}).ids == {"c1": "w1"}  # a row of no page read
    assert match([incident("c1", years=(2023,))], {"w1": key()}, on={"w1": {2022}}).ids == {"c1": "w1"}


def test_rows_the_wiki_shows_as_two_shutdowns_are_kept_apart_the_others_stay_joined() -> None:
    """A 2021 shutdown and a later row of 2022 that looks like its carry-over (start a day off,
    its own sources): joined by the sheet alone; kept apart when the wiki shows them under two
    ids, or shows one and the other is new, unless their own sources say they are one."""
    early = row(2021, "2021-12-30", sources=("https://example.org/a",))
    late = row(2022, "2021-12-29", sources=("https://example.org/twin",))
    (group,) = link_years([early, late])
    incident = joined(group, "kio-0123456789")
    assert incident.years == (2021, 2022) and incident.parts == (early, late)

    def kept(shown: dict[int, str | None]) -> tuple[Incident, ...]:
        return keep_apart([incident], lambda r: shown[id(r)])

    apart = kept({id(early): "kio-a", id(late): "kio-b"})
    assert [(i.id, i.years) for i in apart] == [("kio-0123456789", (2021,)), (apart[1].id, (2022,))]
    assert apart[1].id.startswith("kio-") and apart[1].id != incident.id
    # one shown, the other new: apart, whichever is new
    assert len(kept({id(early): "kio-a", id(late): ""})) == 2
    assert len(kept({id(early): "", id(late): "kio-b"})) == 2
    # shown as one shutdown, both new, or unknown (a page not read, a match too close to call)
    for shown in ("kio-a", "kio-a"), ("", ""), (None, "kio-b"), ("kio-a", None):
        assert kept({id(early): shown[0], id(late): shown[1]}) == (incident,)
    # a carry-over row that copies its shutdown's source: joined to the row the wiki shows
    copy = replace(late, sources=early.sources)
    (group,) = link_years([early, copy])
    carried = joined(group, "kio-0123456789")
    assert keep_apart([carried], lambda r: "kio-a" if r is early else "") == (carried,)
