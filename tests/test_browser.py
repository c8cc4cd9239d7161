"""The list and statistics pages looked at in a real browser (headless Chromium)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, run_pwb
from tests.screenshot import url
from wikibot.sources import SourceSpec, read_source

pytestmark = pytest.mark.wiki
SAMPLE = ROOT / "wikibot" / "data" / "sample_stop.csv"


def test_the_rendered_table_has_a_row_per_incident_and_the_chart_loads(devwiki: str, profile_for) -> None:
    if not shutil.which("chromium"):
        pytest.skip("Chromium is not installed (make test installs it: apt-get install chromium)")
    from tests.screenshot import look

    profile = profile_for(SAMPLE)
    assert run_pwb("sync", f"-settings:{profile}", "-always").code == 0
    data = yaml.safe_load(profile.read_text("utf-8"))
    page_2024 = data["list"]["page"].replace("{year}", "2024")
    stats_page = data["stats"]["page"]
    port = devwiki.split(":")[2].split("/")[0]
    listed, stats = look([page_2024, stats_page], port)
    assert listed.rows == read_source(SourceSpec(str(SAMPLE))).by_year()[2024].incidents
    assert stats.images >= 1 and stats.images_loaded == stats.images
    for seen in (listed, stats):
        assert seen.png.stat().st_size > 10_000
        assert Path(seen.png).read_bytes().startswith(b"\x89PNG")


def test_an_arabic_list_reads_right_to_left_in_the_browser(devwiki_ar: str, profile_for) -> None:
    if not shutil.which("chromium"):
        pytest.skip("Chromium is not installed (make test installs it: apt-get install chromium)")
    from tests.screenshot import look

    profile = profile_for(SAMPLE, profile="devwiki-ar")
    assert run_pwb("sync", f"-settings:{profile}", "-always").code == 0
    page_2024 = yaml.safe_load(profile.read_text("utf-8"))["list"]["page"].replace("{year}", "2024")
    port = devwiki_ar.split(":")[2].split("/")[0]
    (seen,) = look([page_2024], port)
    assert seen.rows == read_source(SourceSpec(str(SAMPLE))).by_year()[2024].incidents
    assert seen.direction == "rtl" and seen.first_column_on_the_right
    assert (
        sorted_by_start(url(page_2024, port), descending=True) == sorted_by_start(url(page_2024, port))[::-1]
    )


def sorted_by_start(address: str, descending: bool = False) -> list[str]:
    """The ISO start dates of the first table's rows after clicking its first header (twice to
    sort descending): the table sorts by date in every language, on the rows' ISO sort keys."""
    from playwright.sync_api import sync_playwright

    from tests.screenshot import CHROMIUM, FLAGS

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        page = browser.new_page()
        page.goto(address, wait_until="load")
        header = page.locator("table.wikitable").first.locator("th").first
        for _ in range(2 if descending else 1):
            header.click()
        keys = page.evaluate(
            "() => [...document.querySelector('table.wikitable').querySelectorAll('tbody tr[id]')]"
            ".map(r => r.querySelector('th').getAttribute('data-sort-value'))"
        )
        browser.close()
    assert keys == sorted(keys, reverse=descending) and len(keys) > 1
    return [str(k) for k in keys]
