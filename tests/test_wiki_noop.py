"""A cron no-op on the dev wiki: the same source and no new revision end the run after one
request; anything an editor does, a spoiled run record, a new page showing an inline figure
take the full path."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, run_pwb, write_profile
from tests.wikiclient import Editor

pytestmark = pytest.mark.wiki
SAMPLE = ROOT / "wikibot" / "data" / "sample_stop.csv"


def sync(profile: Path, tmp_path: Path, name: str) -> dict:  # type: ignore[type-arg]
    done = run_pwb("sync", f"-settings:{profile}", "-always", report=tmp_path / f"{name}.json")
    assert done.code == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stdout + done.stderr
    return dict(done.report, stderr=done.stderr)


def test_a_no_op_reads_no_page_and_any_new_revision_takes_the_full_path(devwiki: str, tmp_path: Path) -> None:
    profile = write_profile(tmp_path, SAMPLE)
    config = yaml.safe_load(profile.read_text("utf-8"))
    editor = Editor(devwiki)
    first = sync(profile, tmp_path, "first")
    assert first["edits"] > 0 and not first.get("noop")
    second = sync(profile, tmp_path, "second")
    assert second.get("noop") is True and second["edits"] == 0 and "pages" not in second
    # an editor's paragraph outside the bot's region: a new revision, so the full path; kept
    page = config["list"]["page"].replace("{year}", "2022")
    editor.edit(page, editor.text(page) + "\n\nUn paragraphe d'un contributeur.")
    third = sync(profile, tmp_path, "third")
    assert not third.get("noop") and third["edits"] == 0
    assert "Un paragraphe d'un contributeur." in editor.text(page)
    assert sync(profile, tmp_path, "fourth").get("noop") is True
    # a new article showing an inline figure: the full path fills it
    article = f"{config['stats']['page']}/Article"
    editor.edit(article, f"La coalition compte {{{{{config['stats']['inline_template']}|membres}}}} membres.")
    fifth = sync(profile, tmp_path, "fifth")
    assert not fifth.get("noop") and "valeur=plus de 300" in editor.text(article)
    assert sync(profile, tmp_path, "sixth").get("noop") is True
    # the stop page written by an admin: the full path reads it
    editor.edit(config["safety"]["stop_page"], "run")
    assert not sync(profile, tmp_path, "seventh").get("noop")
    # garbage in the run record: one line of warning, the full path, 0 edits, no traceback
    record = tmp_path / "run.run.json"
    assert record.exists()
    record.write_bytes(b"\x80\x04\x95garbage")
    spoiled = sync(profile, tmp_path, "spoiled")
    assert not spoiled.get("noop") and spoiled["edits"] == 0
    assert spoiled["stderr"].count("warning: run record") == 1
    assert sync(profile, tmp_path, "after").get("noop") is True
