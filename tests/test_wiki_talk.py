"""Talking to editors on the dev wiki: a kept correction is noted on the talk page once, the index
follows the same rule as the year pages, and `pwb corrections` lists what editors corrected."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, Run, run_pwb
from tests.wikiclient import Editor

pytestmark = pytest.mark.wiki
SAMPLE = ROOT / "wikibot" / "data" / "sample_stop.csv"


def sync(profile: Path, tmp_path: Path, source: Path = SAMPLE, *extra: str) -> Run:
    done = run_pwb(
        "sync", f"-settings:{profile}", f"-source:{source}", "-always", *extra, report=tmp_path / "r.json"
    )
    assert done.code == 0, done.stderr[-3000:]
    return done


def with_area(tmp_path: Path, country: str, area: str) -> Path:
    """The sample with one shutdown's area changed by the source."""
    header, *rows = list(csv.reader(io.StringIO(SAMPLE.read_text("utf-8"))))
    col = header.index("area_name")
    for row in rows:
        if row[header.index("country")] == country:
            row[col] = area
    path = tmp_path / "changed.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([header, *rows])
    return path


def test_a_kept_correction_is_noted_once_on_the_talk_page(devwiki: str, profile_for, tmp_path: Path) -> None:
    profile = profile_for(SAMPLE)
    sync(profile, tmp_path)
    data = yaml.safe_load(profile.read_text("utf-8"))
    title = data["list"]["page"].replace("{year}", "2022")
    talk = f"Discussion:{title}"
    editor = Editor(devwiki)
    text = editor.text(title)
    start = text.index("|pays=[[Kazakhstan]]")
    row_end = text.index("\n}}", start)
    row = text[start:row_end].replace("|zone=nationale", "|zone=Tout le Kazakhstan<ref>Presse locale</ref>")
    editor.edit(title, text[:start] + row + text[row_end:], "zone précisée")

    first = sync(profile, tmp_path)
    page = next(p for p in first.report["pages"] if p["title"] == title)
    assert [c["param"] for c in page["conflicts"]] == ["zone"] and page["talk"]["action"] == "created"
    assert "Tout le Kazakhstan" in editor.text(title)  # kept
    note = editor.text(talk)
    assert note.count("== Corrections conservées") == 1
    assert "Kazakhstan" in note and "« zone »" in note and "« nationale »" in note
    assert (
        "[[User:Admin|Admin]]" in note and "[[Special:Diff/" in note and "avec une référence ajoutée" in note
    )
    assert editor.latest(talk)["user"] == "KeepItOnBot"

    (tmp_path / "run.run.json").unlink(missing_ok=True)  # the full path, not the no-op
    second = sync(profile, tmp_path)
    assert "talk" not in next(p for p in second.report["pages"] if p["title"] == title)
    assert editor.text(talk) == note  # nothing added

    changed = with_area(tmp_path, "Kazakhstan", "Almaty and Astana")
    third = sync(profile, tmp_path, changed, "-force")
    assert next(p for p in third.report["pages"] if p["title"] == title)["talk"]["action"] == "updated"
    again = editor.text(talk)
    assert again.count("== Corrections conservées") == 2 and "« Almaty and Astana »" in again

    out = tmp_path / "corrections.json"
    listed = run_pwb("corrections", f"-settings:{profile}", f"-source:{changed}", f"-out:{out}")
    assert listed.code == 0, listed.stderr[-2000:]
    (found,) = json.loads(out.read_text("utf-8"))
    assert found["page"] == title and found["field"] == "zone" and found["editor"] == "Admin"
    assert found["source_value"] == "Almaty and Astana" and found["wiki_value"].startswith(
        "Tout le Kazakhstan"
    )
    assert found["id"].startswith("kio-") and "diff=" in found["diff_url"] and found["refs"]
    csv_out = run_pwb("corrections", f"-settings:{profile}", f"-source:{changed}", "-format:csv")
    assert csv_out.code == 0 and csv_out.stdout.startswith("id,page,field,source_value,wiki_value,editor")


def test_an_editors_figure_on_the_index_page_survives_the_next_sync(
    devwiki: str, profile_for, tmp_path: Path
) -> None:
    profile = profile_for(SAMPLE)
    sync(profile, tmp_path)
    index = yaml.safe_load(profile.read_text("utf-8"))["list"]["index"]
    editor = Editor(devwiki)
    text = editor.text(index)
    assert "|coupures=5\n" in text
    editor.edit(index, text.replace("|coupures=5\n", "|coupures=6\n", 1), "un chiffre corrigé")
    run = sync(profile, tmp_path, with_area(tmp_path, "Kazakhstan", "Almaty"), "-force")
    outcome = next(p for p in run.report["pages"] if p["title"] == index)
    assert "|coupures=6\n" in editor.text(index)
    assert [c["param"] for c in outcome["conflicts"]] == ["coupures"] and outcome["talk"][
        "action"
    ] == "created"
