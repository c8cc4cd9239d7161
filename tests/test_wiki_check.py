"""pwb check_list: each kind of defect seeded on a page is found; a clean synced wiki has none."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, run_pwb
from tests.wikiclient import Editor
from wikibot.checks import KINDS

pytestmark = pytest.mark.wiki
SAMPLE = ROOT / "wikibot" / "data" / "sample_stop.csv"


def test_a_clean_synced_wiki_has_no_finding(devwiki: str, profile_for, tmp_path: Path) -> None:
    profile = profile_for(SAMPLE)
    assert run_pwb("sync_incidents", f"-settings:{profile}", "-always").code == 0
    run = run_pwb("check_list", f"-settings:{profile}", report=tmp_path / "c.json")
    assert run.code == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert run.report["findings"] == [] and len(run.report["pages"]) == 3


def test_every_kind_of_defect_is_found(devwiki: str, profile_for, tmp_path: Path) -> None:
    profile = profile_for(SAMPLE)
    assert run_pwb("sync_incidents", f"-settings:{profile}", "-always").code == 0
    data = yaml.safe_load(profile.read_text("utf-8"))
    page = data["list"]["page"]
    editor = Editor(devwiki)
    title = page.replace("{year}", "2024")
    text = editor.text(title)
    first_row = text[
        text.index("{{Coupure Internet\n|id=") : text.index("\n}}", text.index("{{Coupure Internet\n|id="))
        + 3
    ]
    seeded = [
        first_row,  # duplicate id
        "{{Coupure Internet|début=1 mars 2024|pays=Tchad|sources=[https://x.example s]}}",  # no id
        "{{Coupure Internet|id=kio-a|début=|pays=Tchad|sources=[https://x.example s]}}",  # empty start
        # a bad date; then an end before the start
        "{{Coupure Internet|id=kio-b|début=32 mars 2024|pays=Tchad|sources=[https://x.example s]}}",
        "{{Coupure Internet|id=kio-c|début=5 mars 2024|fin=1 mars 2024|pays=Tchad|sources=[https://x.example]}}",
        "{{Coupure Internet|id=kio-d|début=5 mars 2024|pays=Atlantide|sources=[https://x.example s]}}",
        "{{Coupure Internet|id=kio-e|début=5 mars 2024|pays=Tchad}}",  # no source
        # a cause in no vocabulary of the bot
        "{{Coupure Internet|id=kio-f|début=5 mars 2024|pays=Tchad|cause=Émeutes"
        "|sources=[https://x.example s]}}",
    ]
    editor.edit(
        title, text.replace("{{Coupure Internet/fin}}", "\n".join(seeded) + "\n{{Coupure Internet/fin}}")
    )
    broken = page.replace("{year}", "2023")
    editor.edit(broken, editor.text(broken).replace("{{Coupure Internet/fin}}", ""))
    maintenance = data["safety"]["report_page"] + "/Maintenance"
    run = run_pwb(
        "check_list", f"-settings:{profile}", f"-page:{maintenance}", "-always", report=tmp_path / "c.json"
    )
    assert run.code == 1
    kinds = {f["kind"] for f in run.report["findings"]}
    # not-in-source: kio-a … kio-f are in no source; ambiguous-match: tests/test_wiki_identity.py
    assert kinds == set(KINDS) - {"ambiguous-match"}
    assert "balises de zone cassées" in editor.text(maintenance)  # the kinds in the wiki's language
    revid = editor.latest(maintenance)["revid"]
    again = run_pwb("check_list", f"-settings:{profile}", f"-page:{maintenance}", "-always")
    assert again.code == 1 and editor.latest(maintenance)["revid"] == revid  # saved only when findings change
