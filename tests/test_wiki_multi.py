"""Several wikis in one run: the same data onto the French and the English dev wikis."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, run_pwb, write_profile
from tests.wikiclient import Editor

pytestmark = pytest.mark.wiki
SAMPLE = ROOT / "wikibot" / "data" / "sample_stop.csv"


def several(tmp_path: Path) -> tuple[Path, Path, Path]:
    fr = write_profile(tmp_path, SAMPLE, "devwiki")
    en = write_profile(tmp_path, SAMPLE, "devwiki-en")
    multi = tmp_path / "several.yaml"
    multi.write_text(
        yaml.safe_dump(
            {
                "source": {"location": str(SAMPLE)},
                "targets": [{"name": "fr", "profile": str(fr)}, {"name": "en", "profile": str(en)}],
                "safety": {"lock_file": str(tmp_path / "run.lock")},
            }
        )
    )
    return multi, fr, en


def titles(profile: Path) -> tuple[str, str]:
    data = yaml.safe_load(profile.read_text("utf-8"))
    return data["list"]["page"].replace("{year}", "2024"), data["list"]["index"]


def test_one_sync_updates_the_french_and_the_english_wiki(
    devwiki: str, devwiki_en: str, tmp_path: Path
) -> None:
    multi, fr, en = several(tmp_path)
    run = run_pwb("sync", f"-settings:{multi}", "-always", report=tmp_path / "r.json")
    assert run.code == 0, run.stderr[-3000:]
    assert set(run.report["wikis"]) == {"fr", "en"}
    assert run.report["source"]["incidents"] == 11
    fr_page, _ = titles(fr)
    en_page, _ = titles(en)
    assert "|début=2024-01-15" in Editor(devwiki).text(fr_page)
    en_text = Editor(devwiki_en, ".devwiki-en").text(en_page)
    assert "|start=2024-01-15" in en_text and "{{cite web |url=" in en_text
    again = run_pwb("sync", f"-settings:{multi}", "-always", report=tmp_path / "r2.json")
    assert again.code == 0 and again.report["edits"] == 0


def test_a_failure_on_one_wiki_leaves_the_other_updated(
    devwiki: str, devwiki_en: str, tmp_path: Path
) -> None:
    multi, fr, _ = several(tmp_path)
    env = {
        "DEVWIKI_EN_PORT": "9",
        "WIKIBOT_MAX_RETRIES": "1",
        "WIKIBOT_RETRY_WAIT": "0",
    }  # nothing listens on 9
    run = run_pwb("sync", f"-settings:{multi}", "-always", report=tmp_path / "r.json", env=env)
    assert run.code == 1
    assert "Traceback" not in run.stderr
    wikis = run.report["wikis"]
    assert wikis["fr"]["exit_code"] == 0 and wikis["fr"]["edits"] >= 4
    assert wikis["en"]["exit_code"] == 1 and "the wiki failed" in wikis["en"]["error"]
    fr_page, _ = titles(fr)
    assert "|début=2024-01-15" in Editor(devwiki).text(fr_page)
