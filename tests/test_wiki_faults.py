"""Faults from the wiki, injected by a proxy in front of the dev wiki: bounded retries, then one
line naming the cause; never a traceback, never a half-written page."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import FIGURES, ROOT, run_pwb
from tests.faultproxy import FaultProxy
from tests.wikiclient import Editor
from wikibot import plan, settings
from wikibot.sources import SourceSpec, read_source

pytestmark = pytest.mark.wiki
SAMPLE = ROOT / "wikibot" / "data" / "sample_stop.csv"
FAST_RETRIES = {"WIKIBOT_MAX_RETRIES": "2", "WIKIBOT_RETRY_WAIT": "0", "WIKIBOT_READ_TIMEOUT": "2"}


@pytest.fixture
def proxy(devwiki: str) -> Iterator[FaultProxy]:
    upstream = devwiki.rsplit("/", 1)[0]
    fault_proxy = FaultProxy(upstream)
    yield fault_proxy
    fault_proxy.close()


def through(proxy: FaultProxy) -> dict[str, str]:
    return {"DEVWIKI_PORT": str(proxy.port), **FAST_RETRIES}


def changed_source(tmp_path: Path) -> Path:
    changed = tmp_path / "changed.csv"
    text = SAMPLE.read_text("utf-8").replace("2024-02-06", "2024-02-08").replace("2022-01-10", "2022-01-12")
    changed.write_text(text + text.splitlines()[5].replace("2022-03-14", "2022-04-01") + "\n", "utf-8")
    return changed


def expected_texts(profile: Path, source: Path, old: dict[str, str]) -> dict[str, str]:
    """What each list page must hold after a complete lists-only sync (the pure core, no wiki): the
    statistics were never run on these pages, so the year pages do not name the data template."""
    config = dataclasses.replace(settings.load(str(profile)), stats=None)
    result = read_source(SourceSpec(str(source)))
    return {
        p.title: p.apply(old.get(p.title, "")).text
        for p in plan.plans(result, config, dt.datetime.now(dt.UTC).date())
    }


@pytest.mark.parametrize(
    ("fault", "times", "code", "message"),
    [
        ("503", 1, 0, None),
        ("reset", 1, 0, None),
        ("maxlag", 1, 0, None),
        ("503", None, 1, "the wiki failed"),
        ("timeout", None, 1, "the wiki failed"),
        ("readonly", None, 1, "the wiki failed"),
        ("maxlag", None, 1, "the wiki failed"),
    ],
)
def test_faults_are_retried_then_fail_in_one_line(
    proxy: FaultProxy,
    profile_for,
    tmp_path: Path,
    fault: str,
    times: int | None,
    code: int,
    message: str | None,
) -> None:
    profile = profile_for(SAMPLE)
    proxy.inject(fault, at=3, times=times)
    run = run_pwb(
        "sync_incidents", f"-settings:{profile}", "-always", report=tmp_path / "r.json", env=through(proxy)
    )
    assert run.code == code, run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    if message:
        errors = [line for line in run.stderr.splitlines() if line.startswith("error:")]
        assert len(errors) == 1 and message in errors[0], run.stderr[-2000:]
    FIGURES["faults injected: wiki faults, tracebacks 0"] += 1


@pytest.mark.parametrize("fault", ["protectedpage", "abusefilter-disallowed", "blocked"])
def test_a_refused_edit_fails_that_page_and_names_the_cause(
    proxy: FaultProxy, profile_for, tmp_path: Path, fault: str
) -> None:
    profile = profile_for(SAMPLE)
    proxy.inject(fault, at=1, times=1)
    run = run_pwb(
        "sync_incidents", f"-settings:{profile}", "-always", report=tmp_path / "r.json", env=through(proxy)
    )
    assert "Traceback" not in run.stderr
    assert run.code == 1, (run.code, run.report.get("pages"), run.stderr[-600:])
    failed = [p for p in run.report.get("pages", []) if p["action"] == "failed"]
    if failed:
        assert len(failed) == 1 and failed[0]["reason"]
    else:  # pywikibot ends the run on a block: one line that names it
        assert fault.split("-")[0] in run.stderr.lower()
    FIGURES["faults injected: refused edits, tracebacks 0"] += 1


def test_a_fault_at_every_request_leaves_each_page_fully_old_or_fully_new(
    proxy: FaultProxy, profile_for, tmp_path: Path, devwiki: str
) -> None:
    editor = Editor(devwiki)
    source = changed_source(tmp_path)
    # count the requests of one sync of the change
    probe = profile_for(SAMPLE)
    assert run_pwb("sync_incidents", f"-settings:{probe}", "-always").code == 0
    proxy.inject(None)
    assert (
        run_pwb(
            "sync_incidents", f"-settings:{probe}", "-always", f"-source:{source}", env=through(proxy)
        ).code
        == 0
    )
    positions = proxy.count
    assert positions > 5
    for position in range(1, positions + 1):
        profile = profile_for(SAMPLE)
        assert run_pwb("sync_incidents", f"-settings:{profile}", "-always").code == 0
        titles = list(expected_texts(profile, SAMPLE, {}).keys())
        old = {t: editor.text(t) for t in titles}
        new = expected_texts(profile, source, old)
        proxy.inject("503", at=position)  # the wiki goes down at this request and stays down
        run = run_pwb(
            "sync_incidents", f"-settings:{profile}", "-always", f"-source:{source}", env=through(proxy)
        )
        assert "Traceback" not in run.stderr
        for title in titles:
            assert editor.text(title) in (old[title], new[title]), (position, title)
        FIGURES["faults injected: request positions, half-written pages 0"] += 1


def test_an_edit_conflict_is_re_read_and_merged_and_the_human_edit_stays(
    proxy: FaultProxy, profile_for, tmp_path: Path, devwiki: str
) -> None:
    profile = profile_for(SAMPLE)
    assert run_pwb("sync_incidents", f"-settings:{profile}", "-always").code == 0
    editor = Editor(devwiki)

    def human_edit(title: str) -> None:
        text = editor.text(title)
        editor.edit(title, text.replace("|zone=nationale\n", "|zone=nationale\n|note=ajout humain\n", 1))

    proxy.inject(None)
    proxy.before_edit = human_edit
    source = tmp_path / "changed.csv"
    source.write_text(SAMPLE.read_text("utf-8").replace("2024-02-06", "2024-02-08"), "utf-8")
    run = run_pwb(
        "sync_incidents",
        f"-settings:{profile}",
        "-always",
        f"-source:{source}",
        report=tmp_path / "r.json",
        env=through(proxy),
    )
    assert run.code == 0, run.stderr[-3000:]
    title = next(p["title"] for p in run.report["pages"] if p["title"].endswith("2024"))
    text = editor.text(title)
    assert "|note=ajout humain" in text and "|fin=2024-02-08" in text
