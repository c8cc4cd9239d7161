"""Readers in their own language, on the dev wikis: Arabic (right to left), French, and a language
the bot does not ship, with Access Now's English vocabulary nowhere in a table cell."""

from __future__ import annotations

import html.parser
import json
import re
from pathlib import Path

import pytest
import requests
import yaml

from tests.conftest import ROOT, Run, run_pwb
from tests.wikiclient import Editor
from wikibot.export import incident_record
from wikibot.sources import SourceSpec, read_source

pytestmark = pytest.mark.wiki
SAMPLE = ROOT / "wikibot" / "data" / "sample_stop.csv"
SHEET_2020 = "keepiton_stop/KeepItOn-STOP-Data-2020.csv"
ARABIC_DIGITS = re.compile("[٠-٩]")


def english_vocabulary() -> set[str]:
    """Access Now's own wordings of every controlled field, as the sheets write them."""
    data = yaml.safe_load((ROOT / "wikibot" / "data" / "vocabulary.yaml").read_text("utf-8"))
    words = {w for field in data.values() for wordings in field["terms"].values() for w in wordings}
    return words | {
        "Shutdown", "Throttle", "Throttling", "Full network", "Service-based", "Mobile", "Broadband",
        "Ended", "Ongoing", "Unknown", "Local", "Regional", "National",
    }  # fmt: skip


class Cells(html.parser.HTMLParser):
    """The text of every cell of the page's tables, one string per cell."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("td", "th"):
            self.cells.append("")
            self._depth += 1
        elif tag in ("br", "sup") and self._depth:
            self.cells[-1] += "\n"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.cells[-1] += data


def cell_texts(page_html: str) -> list[str]:
    """Every piece of text in the table cells (list items and lines apart)."""
    parser = Cells()
    parser.feed(page_html)
    return [p.strip() for cell in parser.cells for p in re.split(r"[\n;؛]", cell) if p.strip()]


def sync(profile: Path, tmp_path: Path, source: Path) -> Run:
    done = run_pwb("sync", f"-settings:{profile}", f"-source:{source}", "-always", report=tmp_path / "r.json")
    assert done.code == 0, done.stderr[-3000:]
    return done


def test_an_arabic_year_page_reads_right_to_left_in_arabic(
    devwiki_ar: str, profile_for, tmp_path: Path
) -> None:
    profile = profile_for(SAMPLE, profile="devwiki-ar")
    run = sync(profile, tmp_path, SAMPLE)
    title = next(p["title"] for p in run.report["pages"] if p["title"].endswith("2024"))
    page = requests.get(devwiki_ar.replace("api.php", "index.php"), params={"title": title}, timeout=60).text
    content = page[page.index('id="mw-content-text"') :][:300]
    assert 'dir="rtl"' in content and 'lang="ar"' in content  # MediaWiki lays the content right to left
    cells = cell_texts(page)
    # the wiki shows the date (ISO in the row) in its own words and digits: Western ones, as Arabic
    # Wikipedia does; one digit system on the page
    assert "15 يناير 2024" in cells
    assert not any(ARABIC_DIGITS.search(c) for c in cells)
    assert {"السنغال", "بنغلاديش", "تنزانيا"} <= set(cells)  # CLDR's country names
    assert "احتجاجات" in cells and "وطني" in cells  # the vocabulary translated
    assert not english_vocabulary() & set(cells)
    out = tmp_path / "export.json"
    assert run_pwb("export_list", f"-settings:{profile}", f"-out:{out}").code == 0
    source = read_source(SourceSpec(str(SAMPLE)))
    expected = sorted(
        (incident_record(i) for i in source.incidents), key=lambda r: (r["start"], r["country"], r["id"])
    )
    assert json.loads(out.read_text("utf-8")) == expected  # the data back exactly, digits and all
    again = sync(profile, tmp_path, SAMPLE)
    assert again.report["edits"] == 0


@pytest.mark.realdata
@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_2020_sheet_shows_no_english_vocabulary(
    language: str, devwiki: str, devwiki_ar: str, shared_data: Path, profile_for, tmp_path: Path
) -> None:
    profile = profile_for(shared_data / SHEET_2020, profile="devwiki" if language == "fr" else "devwiki-ar")
    run = sync(profile, tmp_path, shared_data / SHEET_2020)
    (page,) = [p for p in run.report["pages"] if p["title"].endswith("2020")]
    assert page["added"] == 155
    api, folder = (devwiki, ".devwiki") if language == "fr" else (devwiki_ar, ".devwiki-ar")
    cells = cell_texts(
        Editor(api, folder).get(action="parse", page=page["title"], prop="text")["parse"]["text"]
    )
    assert len(cells) > 155 * 8
    shown = english_vocabulary() & set(cells)
    assert not shown, f"English vocabulary in cells: {sorted(shown)}"
    if language == "ar":  # the dates in the wiki's own digits (Western, as on Arabic Wikipedia)
        assert not any(ARABIC_DIGITS.search(c) for c in cells)
        assert sum(1 for c in cells if re.search(r"\d+ \w+ 2020", c)) >= 155


def test_a_language_the_bot_does_not_ship_works_by_settings_alone(
    devwiki_en: str, profile_for, tmp_path: Path
) -> None:
    profile = profile_for(SAMPLE, profile="devwiki-en", language="de")
    run = sync(profile, tmp_path, SAMPLE)
    assert run.report["untranslated"] and "keepiton-intro" in run.report["untranslated"]
    assert "not translated into this wiki's language" in run.stdout
    title = next(p["title"] for p in run.report["pages"] if p["title"].endswith("2024"))
    cells = cell_texts(
        Editor(devwiki_en, ".devwiki-en").get(action="parse", page=title, prop="text")["parse"]["text"]
    )
    assert "15 January 2024" in cells  # dates in the wiki's own language (here, an English wiki)
    assert {"Senegal", "Bangladesch", "Tansania"} <= set(cells)  # CLDR German country names
    assert "protests" in cells  # no German messages: the English word of the vocabulary
    out = tmp_path / "export.json"
    assert run_pwb("export_list", f"-settings:{profile}", f"-out:{out}").code == 0
    assert len(json.loads(out.read_text("utf-8"))) == len(read_source(SourceSpec(str(SAMPLE))).incidents)
