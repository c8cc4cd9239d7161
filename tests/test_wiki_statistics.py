"""Statistics a reader can trust, on the dev wiki with the combined sheet: every figure equal to a
count made here from the incidents, every published figure cited once by name, per-country
counts, a world map checked in a browser."""

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


def test_every_figure_equals_a_count_made_here_and_differences_are_plain_subtractions(synced) -> None:  # type: ignore[no-untyped-def]
    _, run, source = synced
    by_year = run.report["stats"]["by_year"]
    for year, figures in by_year.items():
        items = [i for i in source.incidents if int(year) in i.years]
        assert figures["shutdowns"]["computed"] == len(items), year
        assert figures["countries"]["computed"] == len({c.key for i in items for c in i.countries}), year
        for cause, compared in figures["by_trigger"].items():
            assert compared["computed"] == sum(1 for i in items if (i.cause or "unknown") == cause), (
                year,
                cause,
            )
            if compared["reported"] is not None:
                assert compared["difference"] == compared["computed"] - compared["reported"]
        violence = sum(1 for i in items if "violence" in i.flags)
        assert figures["violence"]["computed"] in (violence, None), year
    assert by_year["2023"]["by_trigger"]["conflict"] == {"computed": 75, "reported": 74, "difference": 1}
    assert by_year["2024"]["ongoing"]["reported"] == 47 and by_year["2024"]["new_countries"]["reported"] == 7


def test_every_published_figure_is_cited_and_each_source_once(synced, devwiki: str) -> None:  # type: ignore[no-untyped-def]
    profile, _, _ = synced
    stats = yaml.safe_load(profile.read_text("utf-8"))["stats"]
    editor = Editor(devwiki)
    page = editor.html(stats["page"])
    rows = rows_of(page)
    assert [cells for cells in rows.values() if any("cite_note" in c for c in cells)]
    for ident, cells in rows.items():
        if any(text(c) for c in cells[3:5]):  # a published figure: a reference in the sources cell
            assert "cite_note" in cells[-1], ident
    for title in (stats["page"], stats["countries_page"]):
        page = editor.html(title)
        beside = [cell.split("</td>")[0] for cell in page.split("(publié")[1:]]
        assert beside and all('class="reference"' in cell for cell in beside), title  # each with its note
        references = re.findall(r'<li id="cite(?:_|&#95;)note-[^"]+">', page)
        sources = set(re.findall(r'<span class="reference-text">(.*?)</span>', page, re.S))
        assert len(references) == len(sources), title  # a report cited for several rows is one note


def test_shutdowns_per_country_are_shown_india_2023_among_them(synced, devwiki: str) -> None:  # type: ignore[no-untyped-def]
    profile, _, source = synced
    stats = yaml.safe_load(profile.read_text("utf-8"))["stats"]
    page = Editor(devwiki).html(stats["countries_page"])
    table = page.split('id="keepiton-countries"')[1].split("</table>")[0]
    years = sorted(source.by_year())
    rows = {
        text(cells[0]): [text(c) for c in cells[1:]]
        for cells in (re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S) for r in table.split("<tr>")[2:])
    }

    def counted(code: str, year: int) -> int:
        return sum(
            1 for i in source.incidents if year in i.years and any(c.code == code for c in i.countries)
        )

    india = rows["Inde"]
    assert india[years.index(2023)] == str(counted("IN", 2023)) and counted("IN", 2023) > 100
    assert india[-1] == f"{sum(counted('IN', y) for y in years):,}".replace(",", "\u202f")  # the total
    assert rows["Myanmar (Birmanie)"][years.index(2024)].startswith(f"{counted('MM', 2024)} (publié")
    assert "85" in rows["Myanmar (Birmanie)"][years.index(2024)]  # beside Access Now's 2024 figure
    assert len(rows) == len({c.key for i in source.incidents for c in i.countries})


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
