"""The scheduling files load: the Toolforge jobs file through the Toolforge jobs CLI's own parser."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "wikibot" / "deploy"


def test_the_jobs_file_passes_the_toolforge_jobs_parser() -> None:
    jobs_cli = pytest.importorskip("jobs_cli.cli", reason="toolforge-jobs-cli is in the test extras")
    jobs = yaml.safe_load((DEPLOY / "jobs.yaml").read_text())
    payloads = []
    for job in jobs:
        args = jobs_cli.arg_parser(["run", *jobs_cli._job_to_arg_parser_args(job=dict(job))])
        payloads.append(jobs_cli.get_api_payload(args))
    assert [p["name"] for p in payloads] == [
        "keepiton-sync-frwiki",
        "keepiton-sync-enwiki",
        "keepiton-check-frwiki",
    ]
    for payload in payloads:
        assert payload["job_type"] == "scheduled" and payload["imagename"] == "python3.11"
        assert "-always" in payload["cmd"] and "./.venv/bin/pwb " in payload["cmd"]
    for payload, profile in zip(payloads[:2], ("frwiki", "enwiki"), strict=True):
        assert f"pwb sync -settings:{profile} -always -log:" in payload["cmd"]
        assert (ROOT / "wikibot" / "profiles" / f"{profile}.yaml").is_file()


def test_the_crontab_example_runs_the_sync_with_a_lock_safe_command() -> None:
    lines = [
        line for line in (DEPLOY / "crontab.example").read_text().splitlines() if line and line[0].isdigit()
    ]
    assert len(lines) == 3
    for line in lines:
        fields = line.split(None, 5)
        assert len(fields) == 6
        command = shlex.split(fields[5])
        assert "-always" in command and "./.venv/bin/pwb" in command
