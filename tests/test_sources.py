"""Reading sources: readers, layouts, normalization, identity, rejected rows (small fixtures)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from wikibot.countries import lookup
from wikibot.errors import SettingsError, SourceError
from wikibot.sources import SourceSpec, read_source
from wikibot.sources.layouts import layout_from_mapping
from wikibot.sources.normalize import parse_date, parse_scope, split_sources, year_of_name

COMBINED = (
    "start_date,country,geo_scope,area_name,shutdown_type,affected_network,shutdown_extent,ordered_by,"
    "actual_cause,info_source_link,shutdown_status,end_date,gov_justification,facebook_affected,other_affected,"
    "event,count_year"
)


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def combined(tmp_path: Path, *rows: str, name: str = "s.csv", bom: bool = False) -> Path:
    text = "\n".join([COMBINED, *rows]) + "\n"
    return write(tmp_path, name, ("\ufeff" if bom else "") + text)


ROW = (
    "2022-01-05,Kazakhstan,It affected locations in more than one state province or region,Nationwide,"
    'Shutdown,"Broadband, Mobile",Full network,Executive government,Protests,'
    "https://a.example/1; https://b.example/2,Ended,2022-01-10,Public safety,Yes,Signal,An event,2022"
)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2021-02-24", (dt.date(2021, 2, 24), "")),
        ("2/24/2021", (dt.date(2021, 2, 24), "")),
        ("2021-02-24 00:00:00", (dt.date(2021, 2, 24), "")),
        (44251, (dt.date(2021, 2, 24), "")),  # Excel serial
        ("44251", (dt.date(2021, 2, 24), "")),
        (dt.datetime(2021, 2, 24, 0, 0), (dt.date(2021, 2, 24), "")),
        ("Ongoing", (None, "ongoing")),
        ("Unknown", (None, "unknown")),
        ("Unkown", (None, "unknown")),
        ("", (None, "")),
        (None, (None, "")),
    ],
)
def test_parse_date(cell: object, expected: tuple[object, str]) -> None:
    assert parse_date(cell) == expected


@pytest.mark.parametrize("cell", ["24 Feb 2021 upon visit", "13/45/2021", "April/2017"])
def test_parse_date_rejects(cell: str) -> None:
    with pytest.raises(ValueError, match="not a date"):
        parse_date(cell)


@pytest.mark.parametrize(
    ("value", "scope"),
    [
        ("It only affected one city, county, or village", "local"),
        ("It affected more than one city in the same state, province, or region", "regional"),
        ("It affected locations in more than one state, province, or region", "national"),
        ("Level 1", "local"),
        ("Level 2", "regional"),
        ("Level 3", "national"),
        ("Local", "local"),
        ("Regional", "regional"),
        ("National", "national"),
        ("Multi-regional", "national"),
        ("Not sure", "unknown"),
        ("", "unknown"),
    ],
)
def test_scope_vocabularies(value: str, scope: str) -> None:
    assert parse_scope(value) == scope


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Iran (Islamic Republic of)", "IR"),
        ("Tanzania, United Republic of", "TZ"),
        ("Venezuela (Bolivarian Republic of)", "VE"),
        ("Congo (Democratic Republic of the)", "CD"),
        ("DemocraticRepublicCongo", "CD"),
        ("Russia", "RU"),
        ("Turkey", "TR"),
        ("SriLanka", "LK"),
        ("Palestine, State of", "PS"),
        ("New Caledonia", "NC"),
        ("Somaliland", None),
    ],
)
def test_country_names(name: str, code: str | None) -> None:
    country = lookup(name)
    assert country is not None and country.code == code


def test_links_split_on_semicolons_commas_and_spaces() -> None:
    cell = "https://a.example/x; https://b.example/y, https://c.example/z\n\nhttps://a.example/x;,%20http://d.example/é"
    assert split_sources(cell) == (
        "https://a.example/x",
        "https://b.example/y",
        "https://c.example/z",
        "http://d.example/%C3%A9",
    )


@pytest.mark.parametrize(
    ("name", "year"), [("2020 Data", 2020), ("KeepItOn-STOP-Data-2020", 2020), ("2016+2017", None)]
)
def test_year_in_sheet_name(name: str, year: int | None) -> None:
    assert year_of_name(name) == year


def test_combined_row_normalized(tmp_path: Path) -> None:
    result = read_source(SourceSpec(str(combined(tmp_path, ROW))))
    assert result.layout == "stop_combined"
    (incident,) = result.incidents
    assert [c.code for c in incident.countries] == ["KZ"]
    assert (incident.start, incident.end, incident.status) == (
        dt.date(2022, 1, 5),
        dt.date(2022, 1, 10),
        "ended",
    )
    assert incident.scope == "national"
    assert (incident.types, incident.extents, incident.networks) == (
        ("shutdown",),
        ("full-network",),
        ("mobile", "broadband"),
    )
    assert incident.services == ("Facebook", "Signal")
    assert incident.sources == ("https://a.example/1", "https://b.example/2")
    assert incident.years == (2022,)
    assert incident.duration_days == 6
    assert incident.id.startswith("kio-") and len(incident.id) == 14


@pytest.mark.parametrize("variant", ["bom", "semicolon", "tab", "notes", "spaces"])
def test_csv_variants_read_the_same(tmp_path: Path, variant: str) -> None:
    plain = read_source(SourceSpec(str(combined(tmp_path, ROW, name="plain.csv"))))
    if variant == "bom":
        path = combined(tmp_path, ROW, bom=True)
    elif variant == "semicolon":
        path = write(tmp_path, "s.csv", _delimited(";"))
    elif variant == "tab":
        path = write(tmp_path, "s.csv", _delimited("\t"))
    elif variant == "notes":
        path = write(
            tmp_path,
            "s.csv",
            '"A note above the header, as in the 2020 sheet",,\n,,\n' + COMBINED + "\n" + ROW + "\n",
        )
    else:
        path = write(tmp_path, "s.csv", ",".join(f" {h} " for h in COMBINED.split(",")) + "\n" + ROW + "\n")
    result = read_source(SourceSpec(str(path)))
    assert [i.id for i in result.incidents] == [i.id for i in plain.incidents]
    assert result.incidents == plain.incidents


def _delimited(delimiter: str) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    for line in csv.reader(io.StringIO(COMBINED + "\n" + ROW + "\n")):
        writer.writerow(line)
    return out.getvalue()


def test_xlsx_sheet_by_name_and_json_give_the_same_incidents(tmp_path: Path) -> None:
    import csv
    import io

    rows = list(csv.reader(io.StringIO(COMBINED + "\n" + ROW + "\n")))
    book = openpyxl.Workbook()
    book.active.title = "Other"
    sheet = book.create_sheet("Data 2022 ")
    for row in rows:
        sheet.append(row)
    book.save(tmp_path / "s.xlsx")
    from_xlsx = read_source(SourceSpec(str(tmp_path / "s.xlsx"), sheet="data 2022"))
    (tmp_path / "s.json").write_text(json.dumps([dict(zip(rows[0], r, strict=True)) for r in rows[1:]]))
    from_json = read_source(SourceSpec(str(tmp_path / "s.json")))
    from_csv = read_source(SourceSpec(str(combined(tmp_path, ROW))))
    assert from_xlsx.incidents == from_json.incidents == from_csv.incidents
    with pytest.raises(SourceError, match="no sheet named 'Nope'"):
        read_source(SourceSpec(str(tmp_path / "s.xlsx"), sheet="Nope"))


def test_rows_repeated_across_years_are_one_incident(tmp_path: Path) -> None:
    # a shutdown that began in late 2021 and ended in 2022: counted in both years
    carried = ROW.replace("2022-01-05,", "2021-12-30,")
    first = carried.replace(",2022", ",2021").replace("An event", "Old text")
    later = carried.replace("https://a.example/1; https://b.example/2", "https://c.example/3")
    result = read_source(SourceSpec(str(combined(tmp_path, first, later))))
    (incident,) = result.incidents
    assert incident.years == (2021, 2022)
    assert incident.sources == ("https://c.example/3",)  # described by its latest row
    assert {y: c.incidents for y, c in result.by_year().items()} == {2021: 1, 2022: 1}


def test_same_country_date_area_in_one_year_stay_distinct(tmp_path: Path) -> None:
    twin = ROW.replace("An event", "Another event")
    result = read_source(SourceSpec(str(combined(tmp_path, ROW, twin))))
    assert len(result.incidents) == 2
    assert result.by_year()[2022].incidents == 2


def test_ids_are_stable_across_runs_and_row_order(tmp_path: Path) -> None:
    other = ROW.replace("Kazakhstan", "Senegal")
    a = read_source(SourceSpec(str(combined(tmp_path, ROW, other, name="a.csv"))))
    b = read_source(SourceSpec(str(combined(tmp_path, other, ROW, name="b.csv"))))
    assert sorted(i.id for i in a.incidents) == sorted(i.id for i in b.incidents)


def test_multi_country_rows_count_each_country(tmp_path: Path) -> None:
    row = ROW.replace("Kazakhstan", '"Burundi; Kenya; Tanzania, United Republic of"')
    result = read_source(SourceSpec(str(combined(tmp_path, row, ROW))))
    assert result.by_year()[2022].incidents == 2
    assert result.by_year()[2022].countries == 4
    codes = sorted(c.code or "" for i in result.incidents for c in i.countries)
    assert codes == ["BI", "KE", "KZ", "TZ"]


@pytest.mark.parametrize(
    ("change", "column", "reason"),
    [
        (("2022-01-05,", "not-a-date,"), "start_date", "not a date"),
        (("2022-01-05,", ","), "start_date", "no start date"),
        (("Kazakhstan", "Atlantis"), "country", "unknown country 'Atlantis'"),
        (("Kazakhstan", ""), "country", "no country"),
        ((",2022", ",20x2"), "count_year", "four-digit year"),
    ],
)
def test_a_bad_row_is_rejected_and_the_rest_read(
    tmp_path: Path, change: tuple[str, str], column: str, reason: str
) -> None:
    bad = ROW.replace(*change, 1) if change[0] != ",2022" else ROW[: ROW.rindex(",")] + change[1]
    good = ROW.replace("Kazakhstan", "Senegal")
    result = read_source(SourceSpec(str(combined(tmp_path, bad, good))))
    assert [c.code for i in result.incidents for c in i.countries] == ["SN"]
    (rejected,) = result.rejected
    assert rejected.row == 2 and rejected.column == column and reason in rejected.reason


def test_end_before_start_keeps_the_incident_with_end_unknown(tmp_path: Path) -> None:
    row = ROW.replace("2022-01-10", "2021-12-31")
    result = read_source(SourceSpec(str(combined(tmp_path, row))))
    (incident,) = result.incidents
    assert incident.end is None
    (warning,) = result.warnings
    assert warning.column == "end_date" and "ends before it starts" in warning.reason


def test_somaliland_is_kept_without_code(tmp_path: Path) -> None:
    result = read_source(SourceSpec(str(combined(tmp_path, ROW.replace("Kazakhstan", "Somaliland")))))
    (incident,) = result.incidents
    assert incident.countries[0].code is None and incident.countries[0].name == "Somaliland"


def test_a_source_mapped_by_settings_alone(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "ioda.csv",
        "ID,Begin time,End time,Country,Scope,Cause\n"
        '61AE093F,"Wednesday, March 17, 2021, 4:40:00 PM",'
        '"Wednesday, March 17, 2021, 5:40:00 PM",South Sudan,Region,Unknown\n',
    )
    layout = layout_from_mapping(
        "ioda",
        {
            "columns": {
                "id": "ID",
                "start": "Begin time",
                "end": "End time",
                "country": "Country",
                "cause": "Cause",
            },
            "date_formats": ["%A, %B %d, %Y, %I:%M:%S %p"],
            "id_prefix": "ioda-",
        },
        "test",
    )
    result = read_source(SourceSpec(str(path), layout=layout))
    (incident,) = result.incidents
    assert incident.id == "ioda-61AE093F"
    assert incident.countries[0].code == "SS" and incident.start == dt.date(2021, 3, 17)
    assert incident.years == (2021,)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (COMBINED.encode(), ""),  # header only: no incident, no error
        (b"\x00\x01\x02binary", "binary"),
        ("caf\xe9".encode("latin-1"), "not UTF-8"),
        (b"a,b,c\n1,2,3\n", "no header row of a known layout"),
        ((COMBINED + ",country\n").encode(), "appears twice"),
    ],
)
def test_malformed_files_give_one_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    if not message:
        result = read_source(SourceSpec(str(path)))
        assert result.incidents == () and result.rows == 0
        return
    with pytest.raises(SourceError, match=message) as info:
        read_source(SourceSpec(str(path)))
    assert "\n" not in str(info.value) and str(path) in str(info.value)


def test_missing_file_and_bad_layout_settings(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        read_source(SourceSpec(str(tmp_path / "nope.csv")))
    with pytest.raises(SettingsError, match="must map start"):
        layout_from_mapping("x", {"columns": {"country": "c"}}, "test")
    with pytest.raises(SettingsError, match="unknown key 'colour'"):
        layout_from_mapping("x", {"columns": {"start": "s", "country": "c", "colour": "x"}}, "test")


def test_quoted_fields_with_newlines_and_quotes_stay_one_row(tmp_path: Path) -> None:
    # found by the hostile round trip: csv.Sniffer took ' for the quote character and split
    # quoted newlines into records of their own
    from tests.test_wiki_hostile import write_source

    values = ["'a'", "b\nc", "'d'"]
    write_source(tmp_path / "quotes.csv", values)
    result = read_source(SourceSpec(str(tmp_path / "quotes.csv")))
    assert result.rows == 3 and len(result.incidents) == 3 and result.rejected == ()


def test_each_row_of_a_repeated_bad_value_gets_its_own_warning(tmp_path: Path) -> None:
    """Normalization converts each distinct wording once per sheet; a value that fails still
    warns (or rejects) on every row that holds it, and a later good row is read."""
    bad_end = ROW.replace("2022-01-10", "sometime")
    rows = [bad_end, bad_end.replace("2022-01-05", "2022-02-05"), ROW.replace("Kazakhstan", "Atlantis")]
    rows.append(rows[-1].replace("2022-01-05", "2022-03-05"))
    good = ROW.replace("2022-01-05", "2022-04-05").replace("2022-01-10", "2022-04-10")
    result = read_source(SourceSpec(str(combined(tmp_path, *rows, good))))
    assert [(w.row, w.column) for w in result.warnings] == [(2, "end_date"), (3, "end_date")]
    assert [(r.row, r.column) for r in result.rejected] == [(4, "country"), (5, "country")]
    assert [i.end for i in result.incidents] == [None, None, dt.date(2022, 4, 10)]


def test_the_delimiter_is_found_past_long_quoted_first_records(tmp_path: Path) -> None:
    """Records longer than the sample the delimiter is guessed from are read whole first."""
    import csv
    import io

    header, row = next(csv.reader([COMBINED])), next(csv.reader([ROW]))
    long = [("x; y\n" * 30_000 if cell == "An event" else cell) for cell in row]
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows([header, long, row])
    assert len(out.getvalue()) > 2 * 65536  # past the first sample (64 KiB)
    result = read_source(SourceSpec(str(write(tmp_path, "s.csv", out.getvalue()))))
    assert len(result.incidents) == 2 and not result.rejected


def test_the_status_column_wins_from_the_first_row_on(tmp_path: Path) -> None:
    """A status cell says what the dates alone would not (ongoing with an end date given), on
    every row: the first row of a sheet included (each wording converted once per sheet)."""
    first = ROW.replace(",Ended,", ",Ongoing,")
    second = first.replace("Kazakhstan", "Chad")
    result = read_source(SourceSpec(str(combined(tmp_path, first, second))))
    assert [i.status for i in result.incidents] == ["ongoing", "ongoing"]


def test_wordings_in_no_vocabulary_are_listed_with_their_rows(tmp_path: Path) -> None:
    """Cause, justification and ordered-by values that no vocabulary key names are kept as
    written and listed once each with every row that has them (areas are place names: never)."""
    rows = [
        ROW.replace("Protests", "Solar eclipse"),  # row 2
        ROW.replace("Kazakhstan", "Chad").replace("Protests", "Solar eclipse"),  # row 3
        ROW.replace("Kazakhstan", "Mali").replace("Public safety", "Because"),  # row 4
        ROW.replace("Kazakhstan", "Iraq").replace("Nationwide", "Somewhere odd"),  # row 5
    ]
    result = read_source(SourceSpec(str(combined(tmp_path, *rows))))
    assert [(t.field, t.value, t.rows) for t in result.unknown_terms] == [
        ("cause", "Solar eclipse", (2, 3)),
        ("justification", "Because", (4,)),
    ]
    assert {i.cause for i in result.incidents} == {"Solar eclipse", "protests"}


def test_a_shutdown_of_several_years_under_the_sources_own_id_is_never_split_again(tmp_path: Path) -> None:
    """Rows joined by the source's id column carry no parts: ``identity.keep_apart`` re-links
    only what ``link_years`` joined, never what the source says is one shutdown."""
    path = tmp_path / "own-ids.csv"
    path.write_text(
        "ID,Year,Begin,Country\nX1,2021,2021-12-30,Kenya\nX1,2022,2021-12-30,Kenya\n", encoding="utf-8"
    )
    layout = layout_from_mapping(
        "own",
        {
            "columns": {"id": "ID", "start": "Begin", "country": "Country"},
            "year": {"column": "Year"},
            "id_prefix": "own-",
        },
        "test",
    )
    (incident,) = read_source(SourceSpec(str(path), layout=layout)).incidents
    assert (incident.id, incident.years, incident.parts) == ("own-X1", (2021, 2022), ())
