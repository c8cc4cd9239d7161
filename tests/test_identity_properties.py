"""Incident identity as properties of the whole pure pipeline (rows → source → ids → pages).

Hypothesis draws a small combined sheet — shutdowns of one or several years, twins sharing
country, start date and area, areas reworded in later years — syncs it onto empty pages, then
changes the sheet as Access Now does and syncs again.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import replace
from random import Random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.puresync import Row, Synced, all_rows, source_of, sync

EXAMPLES = int(os.environ.get("IDENTITY_EXAMPLES", "150"))
COUNTRIES = ("Kazakhstan", "Senegal", "India", "Burundi; Kenya")
AREAS = ("Nationwide", "Almaty", "Dakar region", "Jammu and Kashmir", "Bujumbura")
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def shutdown(draw: st.DrawFn, n: int, twin_of: list[Row] | None = None) -> list[Row]:
    """The rows of one shutdown: one per year it is counted in (its area maybe reworded later)."""
    if twin_of:
        first = twin_of[0]
        country, area, start = first.country, first.area, dt.date.fromisoformat(first.start)
        span = 0
    else:
        country, area = draw(st.sampled_from(COUNTRIES)), draw(st.sampled_from(AREAS))
        start = dt.date(2020, draw(st.integers(1, 12)), draw(st.integers(2, 27)))
        span = draw(st.integers(0, 2))
    years = list(range(start.year, start.year + span + 1))
    ended = draw(st.booleans())
    end = ""
    if ended:
        end = dt.date(years[-1], 12, 28) if span else start + dt.timedelta(days=draw(st.integers(0, 3)))
        end = end.isoformat()
    later_area = "National" if area == "Nationwide" and draw(st.booleans()) else area
    return [
        Row(
            start.isoformat(),
            country,
            area if year == years[0] else later_area,
            f"https://example.org/{n}",
            "Ended" if ended else "Ongoing",
            end,
            f"Shutdown {n}",
            year,
        )
        for year in years
    ]


@st.composite
def sheet(draw: st.DrawFn) -> list[list[Row]]:
    """Shutdowns, some of them twins of an earlier one."""
    shutdowns: list[list[Row]] = []
    for n in range(draw(st.integers(1, 8))):
        twin = shutdowns and draw(st.booleans()) and draw(st.booleans())
        of = draw(st.sampled_from(shutdowns)) if twin else None
        shutdowns.append(draw(shutdown(n, of)))
    return shutdowns


def flat(shutdowns: list[list[Row]]) -> list[Row]:
    return [row for rows in shutdowns for row in rows]


def first_sync(shutdowns: list[list[Row]]) -> Synced:
    return sync(source_of(flat(shutdowns)), {})


def remembered(synced: Synced) -> dict[str, str]:
    return {k: v for k, v in synced.identity.ids.items() if k != v}


def ids_on(pages: dict[str, str]) -> set[str]:
    return {i for _, i in all_rows(pages)}


def id_of(synced: Synced, rows: list[Row]) -> str:
    """The wiki id of the shutdown whose rows these are (found by its source link)."""
    (link,) = source_of([rows[0]]).incidents[0].sources
    (wiki_id,) = {i for (_, i), text in all_rows(synced.pages).items() if link in text}
    return wiki_id


@SETTINGS
@given(sheet(), st.randoms(use_true_random=False), st.booleans())
def test_any_order_of_the_rows_gives_the_same_incidents_ids_and_no_edit(
    shutdowns: list[list[Row]], random: Random, use_memory: bool
) -> None:
    rows = flat(shutdowns)
    first = sync(source_of(rows), {})
    shuffled = list(rows)
    random.shuffle(shuffled)
    again = source_of(shuffled)
    assert sorted(again.incidents, key=lambda i: i.id) == sorted(
        source_of(rows).incidents, key=lambda i: i.id
    )
    second = sync(again, first.pages, remembered(first) if use_memory else {})
    assert second.edits == 0
    assert second.pages == first.pages
    assert not second.identity.new and not second.identity.ambiguous


@SETTINGS
@given(sheet(), st.data())
def test_a_corrected_key_field_keeps_the_id_and_changes_that_row_only(
    shutdowns: list[list[Row]], data: st.DataObject
) -> None:
    first = first_sync(shutdowns)
    j = data.draw(st.integers(0, len(shutdowns) - 1))
    target = shutdowns[j]
    old_id = id_of(first, target)
    kind = data.draw(st.sampled_from(("start", "area", "countries")))
    if kind == "start":
        start = dt.date.fromisoformat(target[0].start) + dt.timedelta(
            days=data.draw(st.sampled_from((-1, 1)))
        )
        fixed = [replace(r, start=start.isoformat()) for r in target]
    elif kind == "area":
        fixed = [replace(r, area=r.area[:2] + r.area[1:]) for r in target]  # a letter doubled
    else:
        fixed = [replace(r, country="; ".join(reversed(r.country.split("; ")))) for r in target]
    corrected = [*shutdowns[:j], fixed, *shutdowns[j + 1 :]]
    second = sync(source_of(flat(corrected)), first.pages, remembered(first))
    assert not second.identity.new and not second.identity.ambiguous
    assert ids_on(second.pages) == ids_on(first.pages)
    assert all(not r.missing for r in second.results.values())
    before, after = all_rows(first.pages), all_rows(second.pages)
    assert before.keys() == after.keys()
    changed = {key for key in before if before[key] != after[key]}
    others_changed = {key for key in changed if key[1] != old_id}
    assert not others_changed
    if kind != "countries" or ";" in target[0].country:
        assert changed  # the corrected row itself was rewritten in place


@SETTINGS
@given(sheet(), st.data())
def test_a_new_twin_anywhere_is_one_new_id_and_leaves_every_row_as_it_was(
    shutdowns: list[list[Row]], data: st.DataObject
) -> None:
    first = first_sync(shutdowns)
    rows = flat(shutdowns)
    twin_of = data.draw(st.sampled_from(shutdowns))
    twin = data.draw(shutdown(99, twin_of))
    position = data.draw(st.integers(0, len(rows)))
    second = sync(source_of([*rows[:position], *twin, *rows[position:]]), first.pages, remembered(first))
    assert len(second.identity.new) == 1 and not second.identity.ambiguous
    (new_id,) = second.identity.new
    assert new_id not in ids_on(first.pages)
    before, after = all_rows(first.pages), all_rows(second.pages)
    assert all(after[key] == text for key, text in before.items())
    assert {i for _, i in after.keys() - before.keys()} == {new_id}


@SETTINGS
@given(sheet(), st.data(), st.sampled_from(("keep", "mark", "remove")))
def test_a_removed_shutdown_follows_the_missing_policy(
    shutdowns: list[list[Row]], data: st.DataObject, policy: str
) -> None:
    first = first_sync(shutdowns)
    j = data.draw(st.integers(0, len(shutdowns) - 1))
    gone = id_of(first, shutdowns[j])
    second = sync(source_of(flat([*shutdowns[:j], *shutdowns[j + 1 :]])), first.pages, missing=policy)
    assert not second.identity.new and not second.identity.ambiguous
    before, after = all_rows(first.pages), all_rows(second.pages)
    for (title, ident), text in before.items():
        if ident != gone:
            assert after[(title, ident)] == text
        elif title in second.results:
            result = second.results[title]
            assert gone in result.missing
            if policy == "keep":
                assert after[(title, ident)] == text
            elif policy == "mark":
                assert gone in result.marked and "absente" in after[(title, ident)]
            else:
                assert gone in result.removed and (title, ident) not in after
