"""Editors' decisions on the dev wiki (#24), through real pywikibot: a removed row and a corrected
value stay as the editor left them after more editor revisions than the bot used to look at, also
when the source later corrects the removed shutdown's start date; the record is a user JSON page
only the bot writes; a lost run record loses nothing; a record the bot did not write refuses."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import mwparserfromhell
import pytest
import yaml

from tests.conftest import ROOT, Run, run_pwb
from tests.wikiclient import Editor
from wikibot import decisions

pytestmark = pytest.mark.wiki
SAMPLE = ROOT / "wikibot" / "data" / "sample_stop.csv"


def sync(profile: Path, tmp_path: Path, source: Path = SAMPLE, code: int = 0) -> Run:
    done = run_pwb(
        "sync", f"-settings:{profile}", f"-source:{source}", "-always", "-force", report=tmp_path / "r.json"
    )
    assert done.code == code, done.stderr[-3000:]
    assert "Traceback" not in done.stdout + done.stderr
    return done


def rows(text: str) -> dict[str, mwparserfromhell.nodes.Template]:
    code = mwparserfromhell.parse(text, skip_style_tags=True)
    return {str(t.get("id").value).strip(): t for t in code.filter_templates(recursive=False) if t.has("id")}


def moved(tmp_path: Path, country: str) -> Path:
    """The sample with one shutdown's start date moved by a day (Access Now correcting it)."""
    header, *lines = list(csv.reader(io.StringIO(SAMPLE.read_text("utf-8"))))
    col = header.index("start_date")
    for line in lines:
        if line[header.index("country")] == country:
            line[col] = line[col][:-2] + f"{int(line[col][-2:]) + 1:02d}"
    path = tmp_path / "moved.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([header, *lines])
    return path


def test_decisions_outlive_busy_pages_a_corrected_key_and_a_lost_run_record(
    devwiki: str, profile_for, tmp_path: Path
) -> None:
    profile = profile_for(SAMPLE)
    sync(profile, tmp_path)
    data = yaml.safe_load(profile.read_text("utf-8"))
    title = data["list"]["page"].replace("{year}", "2022")
    record = data["safety"]["decisions_page"].replace("{bot}", "KeepItOnBot")
    editor = Editor(devwiki)
    text = editor.text(title)
    by_id = rows(text)
    kazakhstan = next(i for i, t in by_id.items() if "Kazakhstan" in str(t.get("pays").value))
    syria = next(i for i, t in by_id.items() if "Syrie" in str(t.get("pays").value))
    code = mwparserfromhell.parse(text, skip_style_tags=True)
    templates = {
        str(t.get("id").value).strip(): t for t in code.filter_templates(recursive=False) if t.has("id")
    }
    code.remove(templates[kazakhstan])
    templates[syria].get("zone").value = "Tout le territoire\n"
    editor.edit(title, str(code).replace("\n\n{{", "\n{{"), "ligne retirée, zone corrigée")
    for n in range(12):  # more editor revisions than the bot ever looked at (10)
        editor.edit(title, editor.text(title) + f"\nParagraphe {n}.\n", f"paragraphe {n}")

    first = sync(profile, tmp_path, moved(tmp_path, "Kazakhstan"))
    assert first.report["decisions_page"]["action"] == "created"
    assert first.report["identity"]["new"] == []
    now = editor.text(title)
    assert kazakhstan not in rows(now) and "|zone=Tout le territoire\n" in now
    info = editor.get(action="query", prop="info", titles=record)["query"]["pages"][0]
    assert info["contentmodel"] == "json" and editor.latest(record)["user"] == "KeepItOnBot"
    stored = editor.text(record)
    assert decisions.read(stored, record).text() == stored  # as MediaWiki stores it: a diff is the change
    saved = json.loads(stored)["pages"][title]
    assert kazakhstan in saved["removed"] and saved["kept"][syria]["zone"]["value"] == "Tout le territoire"

    (tmp_path / "run.run.json").unlink()  # the run record lost: the decisions are on the wiki
    again = sync(profile, tmp_path, moved(tmp_path, "Kazakhstan"))  # the full path
    assert again.report["edits"] == 0 and again.report["identity"]["new"] == []
    assert sync(profile, tmp_path, moved(tmp_path, "Kazakhstan")).report["noop"] is True
    assert editor.text(title) == now

    out = tmp_path / "corrections.json"
    listed = run_pwb("corrections", f"-settings:{profile}", f"-source:{SAMPLE}", f"-out:{out}")
    assert listed.code == 0, listed.stderr[-2000:]
    (found,) = json.loads(out.read_text("utf-8"))
    assert (found["id"], found["wiki_value"], found["editor"]) == (syria, "Tout le territoire", "Admin")


def test_a_record_the_bot_did_not_write_refuses_the_run_in_one_line(
    devwiki: str, profile_for, tmp_path: Path
) -> None:
    profile = profile_for(SAMPLE)
    sync(profile, tmp_path)
    data = yaml.safe_load(profile.read_text("utf-8"))
    record = data["safety"]["decisions_page"].replace("{bot}", "KeepItOnBot")
    Editor(devwiki).edit(record, json.dumps({"version": 1, "pages": {"X": {"kept": []}}}), "à la main")
    (tmp_path / "run.run.json").unlink()
    refused = sync(profile, tmp_path, code=3)
    assert refused.report["edits"] == 0
    (reason,) = refused.report["refused"]
    assert record in reason and "delete it" in reason
