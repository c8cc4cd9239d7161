"""The list and statistics pages looked at in a real browser (headless Chromium)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, run_pwb
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
    (seen,) = look([page_2024], devwiki_ar.split(":")[2].split("/")[0])
    assert seen.rows == read_source(SourceSpec(str(SAMPLE))).by_year()[2024].incidents
    assert seen.direction == "rtl" and seen.first_column_on_the_right
