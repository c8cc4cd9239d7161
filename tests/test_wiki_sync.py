"""The list sync on the dev wiki, through real pywikibot (`pwb sync_incidents`)."""

from __future__ import annotations

import csv
import difflib
import io
import json
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, run_pwb
from tests.wikiclient import Editor
from wikibot.export import incident_record
from wikibot.sources import SourceSpec, read_source

pytestmark = pytest.mark.wiki
SAMPLE = ROOT / "wikibot" / "data" / "sample_stop.csv"
HAND_ROW = "{{Coupure Internet|début=1 janvier 2022|pays=Tchad|zone=ajoutée à la main}}"


def titles(profile: Path) -> tuple[str, str]:
    data = yaml.safe_load(profile.read_text("utf-8"))
    return data["list"]["page"], data["list"]["index"]


def sync(profile: Path, tmp_path: Path, *extra: str) -> object:
    return run_pwb(
        "sync_incidents", f"-settings:{profile}", "-always", *extra, report=tmp_path / "report.json"
    )


def test_sync_creates_a_page_per_year_and_an_index_then_makes_no_edit(
    devwiki: str, profile_for, tmp_path: Path
) -> None:
    profile = profile_for(SAMPLE)
    first = sync(profile, tmp_path)
    assert first.code == 0, first.stderr[-3000:]
    source = read_source(SourceSpec(str(SAMPLE)))
    pattern, index = titles(profile)
    expected = {pattern.replace("{year}", str(y)): c.incidents for y, c in source.by_year().items()}
    pages = {p["title"]: p for p in first.report["pages"]}
    assert set(pages) == {*expected, index}
    assert all(p["action"] == "created" for p in pages.values())
    assert first.report["edits"] == len(expected) + 1
    editor = Editor(devwiki)
    for title, count in expected.items():
        assert pages[title]["added"] == count
        html = editor.html(title)
        assert 'class="wikitable sortable' in html
        assert html.count('<tr id="kio-') == count
    index_html = editor.html(index)
    for year, counts in source.by_year().items():
        cells = index_html.split(f'id="année-{year}"')[1].split("</tr>")[0]
        assert f"<td>{counts.incidents}\n</td>" in cells and f"<td>{counts.countries}\n</td>" in cells
    second = sync(profile, tmp_path)  # the same bytes, no new revision: the run record answers
    assert second.code == 0 and second.report["edits"] == 0 and second.report["noop"] is True
    (tmp_path / "run.run.json").unlink()  # without the record: the full path, every page unchanged
    third = sync(profile, tmp_path)
    assert third.code == 0 and third.report["edits"] == 0
    assert {p["action"] for p in third.report["pages"]} == {"unchanged"}


def test_editors_work_survives_and_a_changed_bot_value_is_a_conflict(
    devwiki: str, profile_for, tmp_path: Path
) -> None:
    profile = profile_for(SAMPLE)
    assert sync(profile, tmp_path).code == 0
    pattern, _ = titles(profile)
    title = pattern.replace("{year}", "2022")
    editor = Editor(devwiki)
    text = editor.text(title)
    kazakhstan = next(
        i for i in read_source(SourceSpec(str(SAMPLE))).incidents if i.countries[0].code == "KZ"
    )
    start = text.index(f"|id={kazakhstan.id}")
    # an extra parameter, an editor's value for a bot field, a row by hand, a paragraph outside
    head, row = text[:start], text[start:]
    row = row.replace(f"|id={kazakhstan.id}", f"|id={kazakhstan.id}\n|note=Vérifié par un contributeur", 1)
    edited = head + row.replace("|zone=nationale\n", "|zone=Tout le pays (corrigé)\n", 1)
    edited = edited.replace(
        "{{Coupure Internet/fin}}",
        HAND_ROW + "\n{{Coupure Internet/fin}}",
    )
    edited = "Un paragraphe écrit par un contributeur.\n\n" + edited
    editor.edit(title, edited)
    edit = editor.latest(title)
    # the source changes the same incident (new end date), so the bot must merge into the row
    changed = tmp_path / "changed.csv"
    changed.write_text(
        SAMPLE.read_text("utf-8").replace(",Ended,2022-01-10,", ",Ended,2022-01-11,", 1), "utf-8"
    )
    run = sync(profile, tmp_path, f"-source:{changed}")
    assert run.code == 0, run.stderr[-3000:]
    after = editor.text(title)
    assert "|note=Vérifié par un contributeur" in after
    assert "|zone=Tout le pays (corrigé)" in after
    assert HAND_ROW in after
    assert after.startswith("Un paragraphe écrit par un contributeur.\n\n")
    assert "|fin=2022-01-11" in after  # the source's change arrived
    page = next(p for p in run.report["pages"] if p["title"] == title)
    assert page["action"] == "updated" and page["updated"] == 1
    (conflict,) = page["conflicts"]
    assert {k: conflict[k] for k in ("id", "param", "wiki", "source", "editor", "revid", "refs")} == {
        "id": kazakhstan.id,
        "param": "zone",
        "wiki": "Tout le pays (corrigé)",
        "source": "nationale",
        "editor": edit["user"],  # who changed the value, and in which revision
        "revid": edit["revid"],
        "refs": [],
    }
    assert sync(profile, tmp_path, f"-source:{changed}").report["edits"] == 0


def test_one_changed_incident_edits_exactly_one_page_and_only_its_row(
    devwiki: str, profile_for, tmp_path: Path
) -> None:
    profile = profile_for(SAMPLE)
    assert sync(profile, tmp_path).code == 0
    editor = Editor(devwiki)
    pattern, _ = titles(profile)
    title = pattern.replace("{year}", "2024")
    before = editor.text(title)
    changed = tmp_path / "changed.csv"
    changed.write_text(SAMPLE.read_text("utf-8").replace("2024-02-06", "2024-02-07"), "utf-8")
    run = sync(profile, tmp_path, f"-source:{changed}")
    assert run.code == 0 and run.report["edits"] == 1
    (edited,) = [p for p in run.report["pages"] if p["action"] == "updated"]
    assert edited["title"] == title and edited["updated"] == 1 and edited["revid"]
    after = editor.text(title)
    diff = [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]
    assert diff == ["-|fin=2024-02-06", "-|durée=23", "+|fin=2024-02-07", "+|durée=24"]
    assert editor.latest(title)["user"] == "KeepItOnBot"


def test_export_after_sync_equals_the_normalized_source(devwiki: str, profile_for, tmp_path: Path) -> None:
    profile = profile_for(SAMPLE)
    assert sync(profile, tmp_path).code == 0
    out = tmp_path / "export.json"
    run = run_pwb("export_list", f"-settings:{profile}", f"-out:{out}")
    assert run.code == 0, run.stderr[-2000:]
    exported = json.loads(out.read_text("utf-8"))
    source = read_source(SourceSpec(str(SAMPLE)))
    assert exported == sorted(
        (incident_record(i) for i in source.incidents), key=lambda r: (r["start"], r["country"], r["id"])
    )
    csv_out = tmp_path / "export.csv"
    assert run_pwb("export_list", f"-settings:{profile}", "-format:csv", f"-out:{csv_out}").code == 0
    rows = list(csv.DictReader(io.StringIO(csv_out.read_text("utf-8"))))
    assert len(rows) == len(source.incidents)


def test_an_editors_correction_shows_up_in_the_export(devwiki: str, profile_for, tmp_path: Path) -> None:
    profile = profile_for(SAMPLE)
    assert sync(profile, tmp_path).code == 0
    pattern, _ = titles(profile)
    title = pattern.replace("{year}", "2023")
    editor = Editor(devwiki)
    editor.edit(title, editor.text(title).replace("|zone=Las Anod\n", "|zone=Las Anod (Sool)\n|note=ajout\n"))
    out = tmp_path / "export.json"
    assert run_pwb("export_list", f"-settings:{profile}", f"-out:{out}").code == 0
    record = next(r for r in json.loads(out.read_text("utf-8")) if r["country"] == ["Somaliland"])
    assert record["area"] == "Las Anod (Sool)" and record["note"] == "ajout"


def test_a_page_with_broken_markers_is_refused_and_left_alone(
    devwiki: str, profile_for, tmp_path: Path
) -> None:
    profile = profile_for(SAMPLE)
    assert sync(profile, tmp_path).code == 0
    pattern, _ = titles(profile)
    title = pattern.replace("{year}", "2023")
    editor = Editor(devwiki)
    broken = editor.text(title).replace("{{Coupure Internet/fin}}", "")
    editor.edit(title, broken)
    changed = tmp_path / "changed.csv"
    changed.write_text(SAMPLE.read_text("utf-8").replace("Las Anod", "Las Anod district"), "utf-8")
    run = sync(profile, tmp_path, f"-source:{changed}")
    assert run.code == 3
    page = next(p for p in run.report["pages"] if p["title"] == title)
    assert page["action"] == "refused" and "footer" in page["reason"]
    assert editor.text(title) == broken
    assert editor.latest(title)["user"] != "KeepItOnBot"


def test_simulate_shows_the_diff_and_saves_nothing(devwiki: str, profile_for, tmp_path: Path) -> None:
    profile = profile_for(SAMPLE)
    run = sync(profile, tmp_path, "-simulate")
    assert run.code == 0, run.stderr[-2000:]
    assert run.report["edits"] == 0 and run.report["simulate"] is True
    pattern, _ = titles(profile)
    assert Editor(devwiki).text(pattern.replace("{year}", "2022")) == ""


def test_bad_settings_and_sources_are_one_line_errors(devwiki: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("list: [oops\n")
    cases = [
        (("-settings:" + str(bad),), 2, "invalid YAML"),
        (("-settings:nosuchprofile",), 2, "no profile 'nosuchprofile'"),
        (("-source:" + str(tmp_path / "nope.csv"),), 1, "no such file"),
        (("-frobnicate",), 2, "unknown option"),
    ]
    for args, code, message in cases:
        run = run_pwb("sync_incidents", "-always", *args)
        assert run.code == code, (args, run.stderr[-1000:])
        errors = [line for line in run.stderr.splitlines() if line.startswith("error:")]
        assert len(errors) == 1 and message in errors[0], run.stderr[-1000:]
        assert "Traceback" not in run.stderr
