"""Shared fixtures: the real data folder, the dev wiki, and running pwb scripts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

# Figures the safety tests measure; printed at the end of the run (pytest_terminal_summary).
FIGURES: Counter[str] = Counter()

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
PWB = Path(sys.executable).with_name("pwb")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data, or a skip saying why."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real STOP data not found at {SHARED_DATA} (the shared data folder is absent)")
    return SHARED_DATA


@dataclass
class Run:
    """The outcome of one pwb script."""

    code: int
    stdout: str
    stderr: str
    report: dict[str, Any]


def run_pwb(*args: str, report: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Run `pwb SCRIPT ARGS` from the repository root, as an admin would."""
    command = [str(PWB), *args]
    if report is not None:
        command.append(f"-report:{report}")
    done = subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
        timeout=900,
    )
    data = json.loads(report.read_text()) if report is not None and report.exists() else {}
    return Run(done.returncode, done.stdout, done.stderr, data)


@pytest.fixture(scope="session")
def devwiki() -> str:
    """The dev wiki, started (or reused) once per test session, with the templates installed."""
    done = subprocess.run(
        [sys.executable, "-m", "wikibot.dev.devwiki", "start"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"the dev wiki did not start: {done.stderr.strip()}")
    installed = run_pwb("install_templates", "-always")
    assert installed.code == 0, installed.stderr[-2000:]
    port = os.environ.get("DEVWIKI_PORT") or "8181"
    return f"http://127.0.0.1:{port}/api.php"


def write_profile(
    tmp_path: Path,
    source: str | Path,
    profile: str = "devwiki",
    language: str | None = None,
    **list_overrides: Any,
) -> Path:
    """A copy of a dev wiki profile whose pages are this test's own (a unique title prefix)."""
    base = yaml.safe_load((ROOT / "wikibot" / "profiles" / f"{profile}.yaml").read_text("utf-8"))
    if language:
        base["language"] = language
    prefix = f"Test {uuid.uuid4().hex[:8]}"
    base["source"] = {"location": str(source)}
    base["list"]["page"] = f"{prefix}/{base['list']['page']}"
    base["list"]["index"] = f"{prefix}/{base['list']['index']}"
    base["list"].update(list_overrides)
    stats = base["stats"]
    for key in ("template", "inline_template", "page"):
        stats[key] = f"{prefix}/{stats[key]}"
    stats["chart"] = f"{prefix} {stats['chart']}"
    if stats.get("map"):
        stats["map"] = f"{prefix} {stats['map']}"
    if stats.get("countries_page"):
        stats["countries_page"] = f"{prefix}/{stats['countries_page']}"
    stats["reported"] = str(ROOT / "wikibot" / "data" / "reported_figures.yaml")
    base["wiki_settings"] = f"{prefix}/Réglages"
    base["safety"] = {
        "stop_page": f"{prefix}/Stop",
        "report_page": f"{prefix}/Rapport",
        "decisions_page": f"User:{{bot}}/{prefix}/decisions.json",
        "lock_file": str(tmp_path / "run.lock"),
    }
    path = tmp_path / f"{profile}-{prefix[5:]}.yaml"
    path.write_text(yaml.safe_dump(base, allow_unicode=True), "utf-8")
    return path


@pytest.fixture(scope="session")
def devwiki_en(devwiki: str) -> str:
    """The second, English dev wiki (make devwiki-en), with its templates."""
    return start_other_wiki(".devwiki-en", "en", os.environ.get("DEVWIKI_EN_PORT") or "8182", "devwiki-en")


@pytest.fixture(scope="session")
def devwiki_ar(devwiki: str) -> str:
    """The Arabic dev wiki (make devwiki-ar), with its templates."""
    return start_other_wiki(".devwiki-ar", "ar", os.environ.get("DEVWIKI_AR_PORT") or "8183", "devwiki-ar")


def start_other_wiki(folder: str, lang: str, port: str, profile: str) -> str:
    """Start (or reuse) a second dev wiki and install its profile's templates."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "wikibot.dev.devwiki",
            "start",
            "--dir",
            folder,
            "--lang",
            lang,
            "--port",
            port,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"the {lang} dev wiki did not start: {done.stderr.strip()}")
    installed = run_pwb("install_templates", f"-settings:{profile}", "-always")
    assert installed.code == 0, installed.stderr[-2000:]
    return f"http://127.0.0.1:{port}/api.php"


@pytest.fixture
def profile_for(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Make a test profile for a source: profile_for(source, **list_overrides) -> Path."""

    def make(source: str | Path, **overrides: Any) -> Path:
        return write_profile(tmp_path, source, **overrides)

    return make


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print the figures the safety tests measured."""
    if FIGURES:
        terminalreporter.section("figures")
        for name, value in sorted(FIGURES.items()):
            terminalreporter.write_line(f"{name}: {value}")
