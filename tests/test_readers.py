"""Source bytes → tables: what each reader accepts and how it refuses (tables of inputs)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from wikibot import settings
from wikibot.errors import SourceError
from wikibot.sources.readers import RawSource, _lines, kind_of, read_path, read_table
from wikibot.wikitemplates import shipped_text, templates_for


@pytest.mark.parametrize(
    ("location", "content_type", "data", "kind"),
    [
        ("s.csv", "", b"a,b\n1,2", "csv"),
        ("s.xlsx", "", b"", "xlsx"),
        ("download", "", b"PK\x03\x04rest", "xlsx"),
        ("https://x/export?format=xlsx", "", b"", "xlsx"),
        ("https://x/data", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"", "xlsx"),
        ("https://x/data", "application/json", b"", "json"),
        ("s.json", "", b"", "json"),
        ("https://x/data", "", b'\xef\xbb\xbf [{"a": 1}]', "json"),
        ("s.csv", "", b'[{"a": 1}]', "csv"),  # a .csv name wins over a bracket
        ("https://x/data", "text/csv", b"a;b", "csv"),
    ],
)
def test_the_kind_of_a_source_is_guessed_from_its_bytes_type_and_name(
    location: str, content_type: str, data: bytes, kind: str
) -> None:
    assert kind_of(location, content_type, data) == kind


def raw(data: bytes, kind: str, location: str = "s") -> RawSource:
    return RawSource(location, data, kind, "v")


@pytest.mark.parametrize(
    ("data", "table"),
    [
        (b'[{"a": 1, "b": 2}, {"b": 3, "c": 4}]', [["a", "b", "c"], [1, 2, None], [None, 3, 4]]),
        (b'{"rows": [{"a": 1}]}', [["a"], [1]]),
        (b'{"incidents": [{"a": 1}]}', [["a"], [1]]),
        (b'{"data": [{"a": 1}]}', [["a"], [1]]),
    ],
)
def test_json_lists_of_objects_become_a_table_whose_first_row_is_the_keys(data: bytes, table: list) -> None:  # type: ignore[type-arg]
    assert read_table(raw(data, "json")) == (table, "")


@pytest.mark.parametrize(
    ("data", "kind", "sheet", "error"),
    [
        (b'{"other": 1}', "json", None, "JSON must be a list of objects"),
        (b"[1, 2]", "json", None, "JSON must be a list of objects"),
        (b"{oops", "json", None, "invalid JSON at line 1"),
        (b"a,b\n", "csv", "Sheet1", "-sheet applies to XLSX workbooks only"),
        (b"\xff\xfea", "csv", None, "not UTF-8 text (byte 0)"),
        (b"a,b\x00c", "csv", None, "binary data, not CSV text"),
        (b"PK\x03\x04not a zip", "xlsx", None, "not a readable XLSX workbook"),
    ],
)
def test_unreadable_sources_are_one_line_errors(
    data: bytes, kind: str, sheet: str | None, error: str
) -> None:
    with pytest.raises(SourceError, match=re.escape(error)):
        read_table(raw(data, kind), sheet)


def test_an_xlsx_without_a_sheet_name_gives_its_first_sheet() -> None:
    book = openpyxl.Workbook()
    book.active.title = "2022 Data"
    book.active.append(["country", "start_date"])
    book.create_sheet("Notes").append(["n"])
    out = io.BytesIO()
    book.save(out)
    table, name = read_table(raw(out.getvalue(), "xlsx"))
    assert name == "2022 Data" and table == [["country", "start_date"]]


def test_a_folder_or_a_missing_file_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="is a folder, not a file"):
        read_path(tmp_path)
    with pytest.raises(SourceError, match="no such file"):
        read_path(tmp_path / "nope.csv")


def test_templates_a_profile_installs() -> None:
    config = settings.load("devwiki")
    roles = [t.role for t in templates_for(config)]
    assert roles[:7] == [
        "row",
        "header",
        "footer",
        "carried_over",
        "index_row",
        "index_header",
        "index_footer",
    ]
    assert {"stats_header", "stats_row", "stats_footer", "inline"} <= set(roles)
    assert ("citation" in roles) is config.install_helpers
    # the dev wiki's citation template calls a Lua module as heavy as Wikipedia's (namespace 828)
    (module,) = [t for t in templates_for(config) if t.role == "citation_module"]
    assert (module.title, module.namespace) == ("Biblio", 828) and "function p.lienWeb" in module.text
    assert shipped_text("de", "row") == shipped_text("en", "row")  # a language not shipped: English
    assert "صف" in shipped_text("ar", "header") or shipped_text("ar", "header") != shipped_text(
        "en", "header"
    )
    with pytest.raises(
        settings.SettingsError, match="no shipped 'nope' template; shipped languages: ar, en, fr"
    ):
        shipped_text("fr", "nope")


CSV_PIECES = st.lists(
    st.sampled_from(
        ["a", "é", ",", ";", '"', '""', "\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", " "]
    ),
    max_size=30,
).map("".join)


@given(CSV_PIECES)
def test_a_csv_text_is_read_as_from_a_file_opened_with_newline_empty(text: str) -> None:
    """Lines are split as a stream splits them (\\n, \\r\\n, \\r), quoted newlines kept, however
    the text is handed to the csv module; a malformed text fails alike."""

    def rows(lines: object) -> object:
        try:
            return list(csv.reader(lines))  # type: ignore[call-overload]
        except csv.Error as exc:
            return f"error: {exc}"

    assert rows(_lines(text)) == rows(io.StringIO(text, newline=""))
