"""Every command the README's scripts table documents, run on its happy path on the dev wiki.

The table is read from README.md: a command added there and not here fails this test, and each
one runs as a newcomer would type it (on the sample, with a test profile), exits as documented
and prints no traceback.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_pwb, write_profile

pytestmark = pytest.mark.wiki
SAMPLE = ROOT / "wikibot" / "data" / "sample_stop.csv"


def documented() -> list[str]:
    """The commands of the README's scripts table, in its order."""
    text = (ROOT / "README.md").read_text("utf-8")
    table = text.split("## Scripts", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `pwb (\w+)", table, re.M)


def test_the_readme_documents_every_script_and_only_scripts_that_exist() -> None:
    scripts = {p.stem for p in (ROOT / "scripts").glob("*.py") if not p.stem.startswith("_")}
    assert set(documented()) == scripts


def test_every_documented_command_runs_on_its_happy_path(devwiki: str, tmp_path: Path) -> None:
    profile = write_profile(tmp_path, SAMPLE)
    settings = f"-settings:{profile}"
    out = tmp_path / "out"
    runs = {  # each as the table shows it; the sync first, so that the lists exist for the others
        "read_source": ["read_source", f"-source:{SAMPLE}"],
        "install_templates": ["install_templates", settings, "-always"],
        "sync": ["sync", settings, "-always"],
        "sync_incidents": ["sync_incidents", settings, "-always"],
        "update_stats": ["update_stats", settings, "-always"],
        "check_list": ["check_list", settings],
        "export_list": ["export_list", settings, "-format:csv", f"-out:{out}.csv"],
        "corrections": ["corrections", settings, f"-out:{out}.json"],
    }
    assert set(runs) == set(documented())
    for name, args in runs.items():
        report = tmp_path / f"{name}.json" if name not in ("export_list", "corrections") else None
        done = run_pwb(*args, report=report)
        assert done.code == 0, (name, done.stdout[-2000:], done.stderr[-2000:])
        assert "Traceback" not in done.stdout + done.stderr, name
        if report is not None:
            assert json.loads(report.read_text("utf-8")), name
    assert (tmp_path / "out.csv").read_text("utf-8").count("\n") > 5  # the sample's incidents
    assert json.loads((tmp_path / "out.json").read_text("utf-8")) == []  # nobody corrected anything
