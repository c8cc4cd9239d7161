"""Safety on the dev wiki: refusals, the stop page, {{nobots}}, the lock, secrets, the report page."""

from __future__ import annotations

import os
from pathlib import Path

import filelock
import pytest
import yaml

from tests.conftest import ROOT, run_pwb
from tests.wikiclient import Editor

pytestmark = pytest.mark.wiki
SAMPLE = ROOT / "wikibot" / "data" / "sample_stop.csv"


def conf(profile: Path) -> dict[str, dict[str, str]]:
    return dict(yaml.safe_load(profile.read_text("utf-8")))


def year_page(profile: Path, year: int) -> str:
    return conf(profile)["list"]["page"].replace("{year}", str(year))


def sync(profile: Path, tmp_path: Path, *extra: str):  # type: ignore[no-untyped-def]
    return run_pwb(
        "sync_incidents", f"-settings:{profile}", "-always", *extra, report=tmp_path / "report.json"
    )


def revisions(editor: Editor, titles: list[str]) -> dict[str, int]:
    return {t: editor.latest(t)["revid"] for t in titles}


@pytest.fixture
def synced(devwiki: str, profile_for, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A profile whose pages were synced from the sample once."""
    profile = profile_for(SAMPLE)
    first = sync(profile, tmp_path)
    assert first.code == 0, first.stderr[-3000:]
    return profile, [p["title"] for p in first.report["pages"]]


def test_a_truncated_source_is_refused_with_no_edit_until_forced(
    synced, devwiki: str, tmp_path: Path
) -> None:
    profile, titles = synced
    editor = Editor(devwiki)
    before = revisions(editor, titles)
    truncated = tmp_path / "truncated.csv"
    data = SAMPLE.read_bytes()
    truncated.write_bytes(data[: len(data) // 3])  # cut mid-row, as a dropped download would
    run = sync(profile, tmp_path, f"-source:{truncated}")
    assert run.code == 3 and run.report["edits"] == 0
    assert any("moins de 90%" in r for r in run.report["refused"])
    assert revisions(editor, titles) == before
    assert "refused:" in run.stdout and "Traceback" not in run.stderr
    report_page = conf(profile)["safety"]["report_page"]
    assert "moins de 90%" in editor.text(report_page)  # the refusal is on the wiki too, in French
    forced = sync(profile, tmp_path, f"-source:{truncated}", "-force")
    assert forced.code == 0 and forced.report["forced"] and forced.report["edits"] >= 1


def test_the_stop_page_stops_the_bot_before_its_next_edit(synced, devwiki: str, tmp_path: Path) -> None:
    profile, titles = synced
    editor = Editor(devwiki)
    stop_page = conf(profile)["safety"]["stop_page"]
    editor.edit(stop_page, "stop")
    changed = tmp_path / "changed.csv"
    changed.write_text(SAMPLE.read_text("utf-8").replace("2024-02-06", "2024-02-09"), "utf-8")
    before = revisions(editor, titles)
    stopped = sync(profile, tmp_path, f"-source:{changed}")
    assert stopped.code == 0 and stopped.report["edits"] == 0
    assert stop_page in stopped.report["stopped"] and "stopped:" in stopped.stdout
    assert revisions(editor, titles) == before
    editor.edit(stop_page, "run")
    resumed = sync(profile, tmp_path, f"-source:{changed}")
    assert resumed.code == 0 and resumed.report["edits"] == 1 and "stopped" not in resumed.report


@pytest.mark.parametrize("exclusion", ["{{nobots}}", "{{bots|deny=KeepItOnBot}}"])
def test_excluded_pages_are_skipped(synced, devwiki: str, tmp_path: Path, exclusion: str) -> None:
    profile, _ = synced
    editor = Editor(devwiki)
    title = year_page(profile, 2024)
    editor.edit(title, exclusion + "\n" + editor.text(title))
    revid = editor.latest(title)["revid"]
    changed = tmp_path / "changed.csv"
    changed.write_text(SAMPLE.read_text("utf-8").replace("2024-02-06", "2024-02-09"), "utf-8")
    run = sync(profile, tmp_path, f"-source:{changed}")
    assert run.code == 0 and run.report["edits"] == 0
    page = next(p for p in run.report["pages"] if p["title"] == title)
    assert page["action"] == "skipped"
    assert editor.latest(title)["revid"] == revid


def test_an_overlapping_run_exits_at_once(synced, tmp_path: Path) -> None:
    profile, _ = synced
    with filelock.FileLock(conf(profile)["safety"]["lock_file"], timeout=0):
        run = run_pwb("sync", f"-settings:{profile}", "-always", report=tmp_path / "locked.json")
    assert run.code == 1 and not (tmp_path / "locked.json").exists()
    errors = [line for line in run.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "another run holds the lock" in errors[0]


def test_a_password_file_others_can_read_is_refused_by_every_script_that_logs_in(
    synced, tmp_path: Path
) -> None:
    profile, _ = synced
    password_file = ROOT / "user-password.py"
    os.chmod(password_file, 0o644)
    try:
        runs = [
            sync(profile, tmp_path),
            run_pwb("check_list", f"-settings:{profile}", "-nosource"),
            run_pwb("export_list", f"-settings:{profile}", f"-out:{tmp_path / 'x.json'}"),
            run_pwb("install_templates", f"-settings:{profile}", "-always"),
        ]
    finally:
        os.chmod(password_file, 0o600)
    for run in runs:
        assert run.code == 2 and "password file" in run.stderr and "chmod 600" in run.stderr
        assert "Traceback" not in run.stderr


def test_no_secret_in_output_reports_or_logs(synced, tmp_path: Path) -> None:
    profile, _ = synced
    import json

    accounts = json.loads((ROOT / ".devwiki" / "accounts.json").read_text())
    secrets = [
        accounts["bot"]["botpassword"]["password"],
        accounts["bot"]["password"],
        accounts["admin"]["password"],
    ]
    run = run_pwb(
        "sync", f"-settings:{profile}", "-always", "-log:wikibot-test.log", report=tmp_path / "r.json"
    )
    assert run.code == 0, run.stderr[-2000:]
    texts = [run.stdout, run.stderr, (tmp_path / "r.json").read_text()]
    texts += [p.read_text(errors="replace") for p in (ROOT / "logs").glob("*.log*")]
    for secret in secrets:
        assert all(secret not in text for text in texts)


def test_the_report_page_is_saved_only_when_its_content_changes(synced, devwiki: str, tmp_path: Path) -> None:
    profile, _ = synced
    editor = Editor(devwiki)
    report_page = conf(profile)["safety"]["report_page"]
    revid = editor.latest(report_page)["revid"]
    assert sync(profile, tmp_path).report["edits"] == 0
    assert editor.latest(report_page)["revid"] == revid
    changed = tmp_path / "changed.csv"
    changed.write_text(SAMPLE.read_text("utf-8") + "Actual,not-a-date,Chad" + "," * 44 + "2024\n", "utf-8")
    run = sync(profile, tmp_path, f"-source:{changed}")
    assert run.code == 0 and len(run.report["source"]["rejected"]) == 1
    text = editor.text(report_page)
    assert editor.latest(report_page)["revid"] != revid and "not-a-date" in text
