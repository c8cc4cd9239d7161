"""Settings admins edit on the wiki: a change takes effect on the next run; a broken one is refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, run_pwb
from tests.wikiclient import Editor

pytestmark = pytest.mark.wiki
SAMPLE = ROOT / "wikibot" / "data" / "sample_stop.csv"


def test_on_wiki_settings_apply_on_the_next_run_and_broken_ones_are_refused(
    devwiki: str, profile_for, tmp_path: Path
) -> None:
    profile = profile_for(SAMPLE)
    data = yaml.safe_load(profile.read_text("utf-8"))
    editor = Editor(devwiki)
    assert run_pwb("sync_incidents", f"-settings:{profile}", "-always").code == 0
    settings_page = data["wiki_settings"]
    smaller = tmp_path / "smaller.csv"
    smaller.write_text("\n".join(SAMPLE.read_text("utf-8").splitlines()[:6]) + "\n", "utf-8")
    refused = run_pwb("sync_incidents", f"-settings:{profile}", "-always", f"-source:{smaller}")
    assert refused.code == 3  # the file's thresholds refuse a source this much smaller
    renamed = data["list"]["index"] + " (renommé)"
    editor.edit(
        settings_page,
        'Réglages du robot :\n<syntaxhighlight lang="json">\n'
        + json.dumps({"safety": {"min_fraction": 0.1, "max_year_drop": 0.95}, "list": {"index": renamed}})
        + "\n</syntaxhighlight>",
    )
    run = run_pwb(
        "sync_incidents", f"-settings:{profile}", "-always", f"-source:{smaller}", report=tmp_path / "r.json"
    )
    assert run.code == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert renamed in {p["title"] for p in run.report["pages"]}
    assert editor.text(renamed)
    editor.edit(settings_page, "<pre>\nsafety: {min_fraction: beaucoup}\n</pre>")
    broken = run_pwb("sync_incidents", f"-settings:{profile}", "-always", report=tmp_path / "b.json")
    assert broken.code == 2 and broken.report["edits"] == 0
    assert "min_fraction" in broken.report["refused"][0]
    assert "min_fraction" in editor.text(data["safety"]["report_page"])
    editor.edit(settings_page, "<pre>\nsource: {location: /etc/passwd}\n</pre>")
    outside = run_pwb("sync_incidents", f"-settings:{profile}", "-always", report=tmp_path / "o.json")
    assert outside.code == 2 and "cannot be set on the wiki" in outside.report["refused"][0]
