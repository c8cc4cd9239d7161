"""Incident ids on the dev wiki: a shuffled, corrected or twinned source keeps every row's id.

Each test syncs a source with `pwb sync_incidents`, changes the source the way Access Now
changes its sheet, syncs again and reads the pages back.
"""

from __future__ import annotations

import csv
import io
import os
import random
from pathlib import Path

import pytest

from tests.conftest import ROOT, Run, run_pwb
from tests.puresync import rows_by_id
from tests.wikiclient import Editor

pytestmark = pytest.mark.wiki
SAMPLE = ROOT / "wikibot" / "data" / "sample_stop.csv"
COMBINED = "keepiton_stop/keepiton_stop_combined_2016-2025.derived.csv"


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    header, *rows = list(csv.reader(io.StringIO(path.read_text("utf-8"))))
    return header, rows


def write_rows(path: Path, header: list[str], rows: list[list[str]], dated_as: Path | None = None) -> Path:
    """Rows as a CSV file; ``dated_as``: with that file's date (a file's date is its data's date)."""
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([header, *rows])
    if dated_as is not None:
        stat = dated_as.stat()
        os.utime(path, (stat.st_atime, stat.st_mtime))
    return path


def sync(profile: Path, tmp_path: Path, source: Path, *extra: str) -> Run:
    done = run_pwb(
        "sync_incidents",
        f"-settings:{profile}",
        f"-source:{source}",
        "-always",
        *extra,
        report=tmp_path / "r.json",
    )
    assert done.code == 0, done.stderr[-3000:]
    return done


def wiki_rows(editor: Editor, titles: list[str]) -> dict[tuple[str, str], str]:
    return {(t, i): row for t in titles for i, row in rows_by_id(editor.text(t)).items()}


def test_shuffled_corrected_and_twinned_sources_keep_every_id(
    devwiki: str, profile_for, tmp_path: Path
) -> None:
    header, rows = read_rows(SAMPLE)
    col = {name: n for n, name in enumerate(header)}
    profile = profile_for(SAMPLE)
    first = sync(profile, tmp_path, SAMPLE)
    titles = [p["title"] for p in first.report["pages"] if p["title"].split()[-1].isdigit()]
    editor = Editor(devwiki)
    before = wiki_rows(editor, titles)
    kazakhstan = next(i for (_, i), row in before.items() if "Kazakhstan" in row)
    tanzania = next(i for (_, i), row in before.items() if "Tanzanie" in row)
    cable = next(i for (_, i), row in before.items() if "Burundi" in row)

    shuffled = list(rows)
    random.Random(7).shuffle(shuffled)
    again = sync(profile, tmp_path, write_rows(tmp_path / "shuffled.csv", header, shuffled, SAMPLE))
    assert again.report["edits"] == 0 and again.report["identity"]["new"] == []

    corrected = [list(r) for r in rows]
    for r in corrected:
        if r[col["country"]] == "Kazakhstan":
            r[col["start_date"]] = "2022-01-04"  # a start date corrected by a day
        if r[col["area_name"]] == "Ngorongoro":
            r[col["area_name"]] = "Ngorongorro"  # an area's spelling
        if r[col["country"]] == "Burundi; Kenya; Rwanda":
            r[col["country"]] = "Rwanda; Burundi; Kenya"  # the same countries, in another order
    second = sync(profile, tmp_path, write_rows(tmp_path / "corrected.csv", header, corrected))
    identity = second.report["identity"]
    assert identity["new"] == [] and identity["ambiguous"] == []
    assert {r["id"]: r["fields"] for r in identity["relinked"]} == {kazakhstan: ["start"], tanzania: ["area"]}
    assert all(p["missing"] == [] for p in second.report["pages"])
    after = wiki_rows(editor, titles)
    assert after.keys() == before.keys()  # the same rows under the same ids
    changed = {i for key, row in after.items() if row != before[key] for i in [key[1]]}
    assert changed == {kazakhstan, tanzania, cable}
    assert "|début=2022-01-04" in next(r for (_, i), r in after.items() if i == kazakhstan)

    twin = list(next(r for r in corrected if r[col["country"]] == "Kazakhstan"))
    twin[col["info_source_link"]] = "https://example.org/sample/kazakhstan-second"
    twin[col["end_date"]] = "2022-01-06"
    third = sync(profile, tmp_path, write_rows(tmp_path / "twin.csv", header, [twin, *corrected]))
    (new,) = third.report["identity"]["new"]
    assert new not in {i for _, i in after}
    final = wiki_rows(editor, titles)
    assert all(final[key] == row for key, row in after.items())  # every row as it was, to the byte
    assert set(final) - set(after) == {(titles[0], new)}


def test_an_ambiguous_match_is_left_alone_and_listed_by_check_list(
    devwiki: str, profile_for, tmp_path: Path
) -> None:
    header, rows = read_rows(SAMPLE)
    col = {name: n for n, name in enumerate(header)}
    profile = profile_for(SAMPLE)
    first = sync(profile, tmp_path, SAMPLE)
    page_2022 = next(p["title"] for p in first.report["pages"] if p["title"].endswith("2022"))
    editor = Editor(devwiki)
    before = editor.text(page_2022)
    # the two Srinagar shutdowns (same country, start and area) are gone; one alike both comes
    india = [r for r in rows if r[col["country"]] == "India"]
    alike = list(india[0])
    alike[col["info_source_link"]] = "https://example.org/sample/india-srinagar-3"
    alike[col["end_date"]] = "2022-03-17"
    others = [r for r in rows if r[col["country"]] != "India"]
    # (-force: one incident fewer in 2022 is more than the gate's 10 %)
    second = sync(profile, tmp_path, write_rows(tmp_path / "alike.csv", header, [*others, alike]), "-force")
    (case,) = second.report["identity"]["ambiguous"]
    assert len(case["candidates"]) == 2 and case["countries"] == ["IN"]
    assert editor.text(page_2022) == before  # neither row is written over, none is added
    report = {p["title"]: p for p in second.report["pages"]}
    assert report[page_2022]["missing"] == []
    checked = run_pwb(
        "check_list",
        f"-settings:{profile}",
        f"-source:{tmp_path / 'alike.csv'}",
        report=tmp_path / "check.json",
    )
    kinds = [f["kind"] for f in checked.report["findings"]]
    assert checked.code == 1 and kinds.count("ambiguous-match") == 1
    assert "not-in-source" not in kinds  # the two rows may be this shutdown: not reported gone


@pytest.mark.realdata
def test_the_combined_sheet_reworded_shuffled_corrected_and_twinned(
    devwiki: str, shared_data: Path, profile_for, tmp_path: Path
) -> None:
    path = shared_data / COMBINED
    header, rows = read_rows(path)
    col = {name: n for n, name in enumerate(header)}
    profile = profile_for(path)
    first = sync(profile, tmp_path, path)
    years = {p["title"]: int(p["title"].split()[-1]) for p in first.report["pages"][:10]}
    expected = [80, 113, 205, 224, 171, 197, 206, 289, 304, 313]
    assert [p["added"] for p in first.report["pages"][:10]] == expected
    editor = Editor(devwiki)
    before = wiki_rows(editor, list(years))
    # reworded ongoing shutdowns are one row each, on the page of every year they span
    uganda = {t for (t, _), row in before.items() if "Ouganda" in row and "2021-01-12" in row}
    assert sorted(years[t] for t in uganda) == [2021, 2022, 2023, 2024, 2025]
    assert len({i for (t, i), row in before.items() if "Ouganda" in row and "2021-01-12" in row}) == 1

    shuffled = list(rows)
    random.Random(3).shuffle(shuffled)
    again = sync(profile, tmp_path, write_rows(tmp_path / "shuffled.csv", header, shuffled, path))
    assert again.report["edits"] == 0

    corrected = [list(r) for r in shuffled]
    changed_rows = 0
    for r in corrected:
        if r[col["country"]] == "Uganda" and r[col["start_date"]] == "2021-01-12":
            r[col["start_date"]] = "2021-01-13"
            changed_rows += 1
        if r[col["country"]] == "Oman" and r[col["start_date"]] == "2021-03-14":
            r[col["area_name"]] = "Entire country (corrected)"
    assert changed_rows == 5
    second = sync(profile, tmp_path, write_rows(tmp_path / "corrected.csv", header, corrected))
    identity = second.report["identity"]
    assert identity["new"] == [] and identity["ambiguous"] == []
    assert sorted(r["fields"] for r in identity["relinked"]) == [["area"], ["start"]]
    assert all(p["missing"] == [] for p in second.report["pages"])
    assert [p["added"] for p in second.report["pages"][:10]] == [0] * 10
    after = wiki_rows(editor, list(years))
    assert after.keys() == before.keys()
    assert len({i for key, row in after.items() if row != before[key] for i in [key[1]]}) == 2

    twin = list(next(r for r in corrected if r[col["country"]] == "Kazakhstan"))
    twin[col["info_source_link"]] = "https://example.org/a-second-shutdown"
    twin[col["event"]] = "A second shutdown, same country, start and area"
    third = sync(profile, tmp_path, write_rows(tmp_path / "twin.csv", header, [*corrected, twin]))
    (new,) = third.report["identity"]["new"]
    final = wiki_rows(editor, list(years))
    assert all(final[key] == row for key, row in after.items())
    assert [i for _, i in set(final) - set(after)] == [new]
    counts = third.report["source"]["by_year"]
    year = int(twin[col["count_year"]])
    assert [counts[str(y)]["incidents"] for y in range(2016, 2026)] == [
        n + (1 if y == year else 0) for y, n in zip(range(2016, 2026), expected, strict=True)
    ]
