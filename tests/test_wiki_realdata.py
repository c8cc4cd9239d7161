"""The combined STOP sheet (2,102 rows, 2016-2025) synced onto the dev wiki and read back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_pwb
from tests.wikiclient import Editor
from wikibot.export import incident_record
from wikibot.sources import SourceSpec, read_source

pytestmark = [pytest.mark.wiki, pytest.mark.realdata]
EXPECTED = dict(zip(range(2016, 2026), [80, 113, 205, 224, 171, 197, 206, 289, 304, 313], strict=True))


def test_the_combined_sheet_makes_ten_year_pages_with_the_published_counts(
    devwiki: str, shared_data: Path, profile_for, tmp_path: Path
) -> None:
    path = shared_data / "keepiton_stop/keepiton_stop_combined_2016-2025.derived.csv"
    profile = profile_for(path)
    report = tmp_path / "report.json"
    first = run_pwb("sync_incidents", f"-settings:{profile}", "-always", report=report)
    assert first.code == 0, first.stderr[-3000:]
    pages = first.report["pages"]
    assert len(pages) == 11 and all(p["action"] == "created" for p in pages)
    editor = Editor(devwiki)
    for page, (year, count) in zip(pages[:10], EXPECTED.items(), strict=True):
        assert page["title"].endswith(f" en {year}") and page["added"] == count
        assert editor.html(page["title"]).count('<tr id="kio-') == count
    second = run_pwb("sync_incidents", f"-settings:{profile}", "-always", report=report)
    assert second.code == 0 and second.report["edits"] == 0
    out = tmp_path / "export.json"
    assert run_pwb("export_list", f"-settings:{profile}", f"-out:{out}").code == 0
    exported = json.loads(out.read_text("utf-8"))
    source = read_source(SourceSpec(str(path)))
    expected = sorted(
        (incident_record(i) for i in source.incidents), key=lambda r: (r["start"], r["country"], r["id"])
    )
    assert len(exported) == len(expected) == len(source.incidents)
    assert exported == expected
