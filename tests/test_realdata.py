"""The real STOP data in ../shared/data: every layout reads, and the counts are Access Now's."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pytest
import yaml

from wikibot.sources import SourceSpec, read_source

pytestmark = pytest.mark.realdata

COMBINED_INCIDENTS = [80, 113, 205, 224, 171, 197, 206, 289, 304, 313]
COMBINED_COUNTRIES = [28, 23, 29, 37, 35, 40, 41, 41, 55, 52]


def test_the_2020_sheet_gives_155_shutdowns_in_29_countries(shared_data: Path) -> None:
    result = read_source(SourceSpec(str(shared_data / "keepiton_stop/KeepItOn-STOP-Data-2020.csv")))
    assert result.rows == 155 and result.rejected == ()
    counts = result.by_year()
    assert list(counts) == [2020]
    assert (counts[2020].incidents, counts[2020].countries) == (155, 29)


def test_the_combined_sheet_gives_the_published_counts_per_year(shared_data: Path) -> None:
    result = read_source(
        SourceSpec(str(shared_data / "keepiton_stop/keepiton_stop_combined_2016-2025.derived.csv"))
    )
    assert result.layout == "stop_combined"
    assert result.rows == 2102 and result.rejected == ()
    counts = result.by_year()
    assert list(counts) == list(range(2016, 2026))
    assert [c.incidents for c in counts.values()] == COMBINED_INCIDENTS
    assert [c.countries for c in counts.values()] == COMBINED_COUNTRIES
    assert len(result.incidents) < result.rows  # shutdowns lasting several years are one incident
    iran = [i for i in result.incidents if i.start.isoformat() == "2009-05-24"]
    assert len(iran) == 1 and iran[0].years == tuple(range(2016, 2026))
    assert len({i.id for i in result.incidents}) == len(result.incidents)


def test_the_combined_sheet_in_any_order_gives_the_same_incidents_and_ids(
    shared_data: Path, tmp_path: Path
) -> None:
    path = shared_data / "keepiton_stop/keepiton_stop_combined_2016-2025.derived.csv"
    header, *rows = list(csv.reader(io.StringIO(path.read_text("utf-8"))))
    expected = sorted(read_source(SourceSpec(str(path))).incidents, key=lambda i: i.id)
    for seed in (1, 2):
        random.Random(seed).shuffle(rows)
        shuffled = tmp_path / f"shuffled-{seed}.csv"
        with shuffled.open("w", encoding="utf-8", newline="") as out:
            csv.writer(out).writerows([header, *rows])
        assert sorted(read_source(SourceSpec(str(shuffled))).incidents, key=lambda i: i.id) == expected


# Shutdowns whose later-year rows Access Now reworded: (country, start, counted years, the wordings).
REWORDED = [
    ("TD", "2018-03-28", (2018, 2019), {"Nationwide", "National"}),
    ("SD", "2018-12-21", (2018, 2019), {"Nationwide", "National"}),
    ("CD", "2018-12-31", (2018, 2019), {"Nationwide", "National"}),
    (
        "MM",
        "2019-06-22",
        (2019, 2020, 2021),
        {
            "Rakhine",
            "Buthidaung, Rathedaung, Myabon, Paletwa, "
            "Ponnagyun, Myauk-U, Kyauktaw and Minbya Townships in Rakhine State",
        },
    ),
    (
        "BD",
        "2019-09-10",
        (2019, 2020),
        {
            "Refugee Camps in Cox Bazar district and peninsula adjoining the Naf River",
            "Cox's Bazar refugee camp",
        },
    ),
    ("UG", "2021-01-12", (2021, 2022, 2023, 2024, 2025), {"National", "Nationwide"}),
    ("IR", "2021-01-25", (2021, 2022, 2023, 2024, 2025), {"National", "Nationwide"}),
    ("RU", "2021-03-10", (2021, 2022, 2023, 2024, 2025), {"National", "Nationwide"}),
    ("OM", "2021-03-14", (2021, 2022, 2023, 2024, 2025), {"Entire country", "Nationwide"}),
    ("JO", "2021-03-15", (2021, 2022, 2023, 2024, 2025), {"Entire country", "Nationwide"}),
    ("NG", "2021-06-04", (2021, 2022), {"Entire country", "Nationwide"}),
    ("TM", "2021-10-20", (2021, 2022, 2023, 2024, 2025), {"Entire country", "Nationwide"}),
    ("UZ", "2021-11-03", (2021, 2022), {"Entire country", "Nationwide"}),
    ("IN", "2023-05-01", (2023, 2024, 2025), {"Nationwide", "Jammu & Kashmir"}),
]


def test_every_reworded_shutdown_of_the_combined_sheet_is_one_incident(shared_data: Path) -> None:
    result = read_source(
        SourceSpec(str(shared_data / "keepiton_stop/keepiton_stop_combined_2016-2025.derived.csv"))
    )
    linked = {group.id: group for group in result.linked}
    assert len(linked) == len(REWORDED)
    for code, start, years, wordings in REWORDED:
        spanning = [
            i
            for i in result.incidents
            if i.countries[0].code == code and i.start.isoformat() == start and len(i.years) > 1
        ]
        assert [i.years for i in spanning] == [years], (code, start)
        assert set(dict(linked[spanning[0].id].differences)["area"]) == wordings
    # and each of them is counted in every year it spans: the per-year counts are the rows'
    assert [c.incidents for c in result.by_year().values()] == COMBINED_INCIDENTS


@pytest.mark.parametrize(
    ("sheet", "layout", "counts"),
    [
        ("2022 Data", "stop_2020_2022", {2022: (187, 35)}),
        ("2021 Data", "stop_2020_2022", {2021: (182, 34)}),
        ("2020 Data", "stop_2020_2022", {2020: (159, 29)}),
        ("2019", "stop_2019", {2019: (213, 33)}),
        ("2016+2017+2018", "stop_2016_2018", {2016: (75, 25), 2017: (106, 19), 2018: (196, 25)}),
    ],
)
def test_every_sheet_of_the_xlsx_reads_in_its_own_layout(
    shared_data: Path, sheet: str, layout: str, counts: dict[int, tuple[int, int]]
) -> None:
    result = read_source(
        SourceSpec(str(shared_data / "keepiton_stop/Keepiton_raw_dataset_2016-2022.xlsx"), sheet=sheet)
    )
    assert result.layout == layout
    assert result.rejected == ()
    assert {y: (c.incidents, c.countries) for y, c in result.by_year().items()} == counts


def test_the_ioda_outages_are_read_through_settings_alone(shared_data: Path, tmp_path: Path) -> None:
    from wikibot.settings import load

    profile = yaml.safe_load(
        (Path(__file__).resolve().parents[1] / "wikibot/profiles/devwiki.yaml").read_text()
    )
    profile["source"] = {
        "location": str(shared_data / "ioda/ioda_investigated_outages_cleaned_phase1+2.csv"),
        "layout": {
            "detect": ["ID", "Begin time", "Country"],
            "columns": {
                "id": "ID",
                "start": "Begin time",
                "end": "End time",
                "country": "Country",
                "cause": "Cause",
                "area": "Region",
            },
            "date_formats": ["%A, %B %d, %Y, %I:%M:%S %p"],
            "id_prefix": "ioda-",
        },
    }
    path = tmp_path / "ioda.yaml"
    path.write_text(yaml.safe_dump(profile))
    settings = load(str(path))
    result = read_source(settings.source)
    assert result.layout == "custom" and result.rows == 1704
    assert len(result.incidents) + len(result.rejected) <= result.rows
    assert len(result.incidents) > 1500
    assert all(i.id.startswith("ioda-") for i in result.incidents)
