"""Rows read column by column are the rows read one at a time (properties, pure).

``normalize`` converts each column of a sheet in one pass and assembles the rows from the
columns; a row whose start, end, countries or counted year does not convert cleanly is read
again on its own.  Whatever the cells, both ways must give the same incidents (every field,
in the same order), the same rejected rows and the same warnings.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wikibot.model import Rejected
from wikibot.sources.layouts import Layout, header_key, layout_from_mapping, shipped
from wikibot.sources.normalize import _Cells, _Reader, _Row, _row_alone, _rows

HEADER = [
    "start_date",
    "country",
    "geo_scope",
    "area_name",
    "shutdown_type",
    "affected_network",
    "shutdown_extent",
    "ordered_by",
    "decision_maker",
    "actual_cause",
    "info_source_link",
    "shutdown_status",
    "end_date",
    "gov_justification",
    "facebook_affected",
    "twitter_affected",
    "other_affected",
    "event",
    "count_year",
]
# Cells a sheet may hold in each column: clean ones, and ones that warn or reject the row.
TEXTS: dict[str, list[Any]] = {
    "start_date": ["2021-03-04", "2021-03-05", "3/4/2021", "", "garbage", "Ongoing", "2020-02-30", "44000"],
    "country": ["India", "India; Pakistan", "Pakistan; India", "Atlantis", "", "Somaliland", "  India  "],
    "geo_scope": ["Level 3", "It affected locations in one city", "", "weird"],
    "area_name": ["Nationwide", "Entire country", " Rakhine  State ", "", "Jammu and Kashmir"],
    "shutdown_type": ["Shutdown", "Throttling", "Full network shutdown", ""],
    "affected_network": ["Broadband, Mobile", "Mobile", ""],
    "shutdown_extent": ["Full network", "Service-based", ""],
    "ordered_by": ["Executive government", "Unknown", "A ministry", ""],
    "decision_maker": ["Ministry of Interior", "", " Police\n"],
    "actual_cause": ["Protests", "Exams", "Elections", "Something new", ""],
    "info_source_link": [
        "https://a.example/1; https://b.example/2",
        "http://x.org/a__b",
        "see https://é.org",
        "",
    ],
    "shutdown_status": ["Ended", "Ongoing", "", "yes", "Unknown"],
    "end_date": ["2021-03-10", "2021-03-01", "Unknown", "n/a", "bad", "", "ongoing"],
    "gov_justification": ["Public safety", "", "Exams"],
    "facebook_affected": ["Yes", "No", "TRUE", "1", " yes ", ""],
    "twitter_affected": ["Yes", "No", ""],
    "other_affected": ["None", "Signal; Viber", "Other, Signal", ""],
    "event": ["An event", "", "Two  spaces", "Tab\there"],
    "count_year": ["2021", "2022", "20x1", "", "2021.0"],
}
# The same kinds of cells as a workbook or JSON gives them: not only text.
CELLS: dict[str, list[Any]] = {
    **TEXTS,
    "start_date": [
        *TEXTS["start_date"],
        dt.date(2021, 3, 4),
        dt.datetime(2021, 3, 4, 0, 0),
        44259,
        44259.0,
        None,
    ],
    "end_date": [*TEXTS["end_date"], dt.datetime(2021, 3, 10, 12, 0), 44265.5, None, True],
    "country": [*TEXTS["country"], None, 12],
    "facebook_affected": [*TEXTS["facebook_affected"], True, False, 1, 0.0, None],
    "count_year": [*TEXTS["count_year"], 2021, 2022.0, None],
    "event": [*TEXTS["event"], 3.5, None, dt.date(2020, 1, 1)],
}


def table(pools: dict[str, list[Any]]) -> st.SearchStrategy[list[list[Any]]]:
    """Rows of cells drawn from the pools, some shorter than the header, some longer."""
    row = st.tuples(*(st.sampled_from(pools[name]) for name in HEADER)).map(list)
    cut = st.one_of(st.just(len(HEADER)), st.integers(1, len(HEADER)), st.just(len(HEADER) + 2))
    return st.lists(
        st.tuples(row, cut).map(lambda rc: (rc[0] + ["extra", "x"])[: rc[1]]), min_size=1, max_size=30
    )


# A layout mapped by settings: an id column, no status, type or year column (the sheet's year).
MAPPED = layout_from_mapping(
    "mapped",
    {
        "columns": {
            "id": "decision_maker",
            "start": "start_date",
            "end": "end_date",
            "country": "country",
            "extent": "shutdown_type",
            "sources": "info_source_link",
            "area": "area_name",
        },
        "date_formats": ["%d.%m.%Y"],
    },
    "test",
)


def both_ways(
    lines: list[list[Any]], text_only: bool, layout: Layout | None = None, year: int | None = None
) -> None:
    layout = layout or shipped()["stop_combined"]
    index = {header_key(name): position for position, name in enumerate(HEADER)}
    numbers = list(range(2, len(lines) + 2))

    def reader() -> _Reader:  # each way its own memos
        return _Reader(layout, index, year, frozenset(), text_only)

    by_columns = _rows(numbers, lines, reader())
    alone: tuple[list[_Row], list[Rejected], list[Rejected]] = ([], [], [])
    one_at_a_time = reader()
    for number, cells in zip(numbers, lines, strict=True):
        _row_alone(_Cells(cells, number, one_at_a_time), *alone)
    assert by_columns == alone
    # Incident equality leaves out the row numbers: every field, in its order, compared too
    assert [list(vars(r.incident).items()) for r in by_columns[0]] == [
        list(vars(r.incident).items()) for r in alone[0]
    ]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table(TEXTS))
def test_text_cells_read_by_columns_as_row_by_row(lines: list[list[Any]]) -> None:
    both_ways(lines, text_only=True)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table(CELLS))
def test_workbook_cells_read_by_columns_as_row_by_row(lines: list[list[Any]]) -> None:
    both_ways(lines, text_only=False)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table(CELLS), st.sampled_from([None, 2021]))
def test_a_mapped_layout_read_by_columns_as_row_by_row(lines: list[list[Any]], year: int | None) -> None:
    both_ways(lines, text_only=False, layout=MAPPED, year=year)
