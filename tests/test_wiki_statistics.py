"""Statistics a reader can trust, on the dev wiki with the combined sheet: gaps that add up, every
published figure cited once by name, per-country counts, a world map checked in a browser."""

from __future__ import annotations

import html as htmllib
import re
import shutil
from pathlib import Path

import pytest
import yaml

from tests.conftest import run_pwb
from tests.wikiclient import Editor
from wikibot import worldmap
from wikibot.sources import SourceSpec, read_source

pytestmark = [pytest.mark.wiki, pytest.mark.realdata]
COMBINED = "keepiton_stop/keepiton_stop_combined_2016-2025.derived.csv"


def rows_of(page_html: str) -> dict[str, list[str]]:
    """The text of each table row with an id, cell by cell (its row header cell first)."""
    found = {}
    for ident, body in re.findall(r'<tr id="([^"]+)">(.*?)</tr>', page_html, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", body, re.S)
        found[ident] = cells
    return found


def text(cell_html: str) -> str:
    return htmllib.unescape(re.sub(r"<[^>]+>", "", cell_html)).strip()


@pytest.fixture(scope="module")
def synced(devwiki: str, shared_data: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from tests.conftest import write_profile

    tmp = tmp_path_factory.mktemp("stats")
    profile = write_profile(tmp, shared_data / COMBINED)
    run = run_pwb("sync", f"-settings:{profile}", "-always", "-force", report=tmp / "r.json")
    assert run.code == 0, run.stderr[-3000:]
    return profile, run, read_source(SourceSpec(str(shared_data / COMBINED)))


def test_every_gap_adds_up_and_every_reason_accounts_for_its_count(synced) -> None:  # type: ignore[no-untyped-def]
    _, run, _ = synced
    by_year = run.report["stats"]["by_year"]
    compared = 0
    for year, figures in by_year.items():
        for gap in (figures if figures.get("reported") is not None else None, figures["countries_gap"]):
            if not gap:
                continue
            compared += 1
            counts = [e["count"] for e in gap["explained"]]
            assert gap["gap"] == gap["computed"] - gap["reported"], year
            assert gap["gap"] == sum(counts) + gap["unexplained"], year
            for count in counts:  # a reason never claims more than the gap, nor the other way
                assert count and (count > 0) == (gap["gap"] > 0) and abs(count) <= abs(gap["gap"]), year
    assert compared >= 15
    russia = run.report["stats"]["by_country"]["2024"]["RU"]
    assert russia["gap"] == sum(e["count"] for e in russia["explained"]) + russia["unexplained"]


def test_every_published_figure_is_cited_and_each_source_once(synced, devwiki: str) -> None:  # type: ignore[no-untyped-def]
    profile, _, _ = synced
    stats = yaml.safe_load(profile.read_text("utf-8"))["stats"]
    editor = Editor(devwiki)
    for title in (stats["page"], stats["countries_page"]):
        page = editor.html(title)
        rows = rows_of(page)
        published = [cells for cells in rows.values() if any("cite_note" in c for c in cells)]
        assert published, title
        for ident, cells in rows.items():
            has_figure = any(text(c) for c in cells[3:5]) if title == stats["page"] else bool(text(cells[3]))
            if has_figure:
                assert "cite_note" in cells[-1], (title, ident)  # a reference in the sources cell
        references = re.findall(r'<li id="cite(?:_|&#95;)note-[^"]+">', page)
        sources = set(re.findall(r'<span class="reference-text">(.*?)</span>', page, re.S))
        assert len(references) == len(sources), title  # a report cited for several rows is one note


def test_shutdowns_per_country_are_shown_india_2023_among_them(synced, devwiki: str) -> None:  # type: ignore[no-untyped-def]
    profile, _, source = synced
    stats = yaml.safe_load(profile.read_text("utf-8"))["stats"]
    rows = rows_of(Editor(devwiki).html(stats["countries_page"]))
    expected = sum(
        1 for i in source.incidents if 2023 in i.years and any(c.code == "IN" for c in i.countries)
    )
    india = [text(c) for c in rows["IN-2023"]]
    assert india[:3] == ["Inde", "2023", str(expected)] and expected > 100
    in_myanmar = sum(
        1 for i in source.incidents if 2024 in i.years and any(c.code == "MM" for c in i.countries)
    )
    myanmar = [text(c) for c in rows["MM-2024"]]
    assert myanmar[2:4] == [str(in_myanmar), "85"]  # the data beside Access Now's 2024 report
    assert len(rows) > 350


def test_the_world_map_renders_affected_countries_by_their_counts(synced, devwiki: str) -> None:  # type: ignore[no-untyped-def]
    if not shutil.which("chromium"):
        pytest.skip("Chromium is not installed (make test installs it: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    from tests.screenshot import CHROMIUM, FLAGS

    _, run, source = synced
    latest = max(int(y) for y in run.report["stats"]["by_year"])
    title = next(m["title"] for m in run.report["stats"]["maps"] if str(latest) in m["title"])
    info = Editor(devwiki).get(action="query", titles=title, prop="imageinfo", iiprop="url")
    url = info["query"]["pages"][0]["imageinfo"][0]["url"]
    counts: dict[str, int] = {}
    for incident in source.incidents:
        if latest in incident.years:
            for country in incident.countries:
                if country.code:
                    counts[country.code] = counts.get(country.code, 0) + 1
    counts = {code: n for code, n in counts.items() if code in worldmap.shapes()}
    breaks = worldmap.class_breaks(counts.values())
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        page = browser.new_page()
        page.goto(url, wait_until="load")
        fills = page.evaluate(
            "() => Object.fromEntries([...document.querySelectorAll('path[id]')]"
            ".map(p => [p.id, getComputedStyle(p).fill]))"
        )
        box = page.evaluate("() => document.querySelector('#IN').getBoundingClientRect().width")
        browser.close()

    def rgb(colour: str) -> str:
        return "rgb({}, {}, {})".format(*(int(colour[i : i + 2], 16) for i in (1, 3, 5)))

    assert box > 0
    for code, count in counts.items():
        if code in fills:
            assert fills[code] == rgb(worldmap.fill(count, breaks)), code
    unaffected = [c for c in fills if c not in counts]
    assert unaffected and all(fills[c] == rgb(worldmap.NO_SHUTDOWN) for c in unaffected)
