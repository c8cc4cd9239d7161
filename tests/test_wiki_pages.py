"""The pages as the wiki renders them, with citation templates as heavy as Wikipedia's (the dev
wiki's Module:Biblio and Module:Citation/CS1): within half of every parser limit, every reference
kept even when the citation template grows far past the limits, and a first sync on an empty wiki
that leaves no red link to what the pages use, no error and no tracking category."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT, run_pwb, write_profile
from tests.wikiclient import Editor
from wikibot.sources import SourceSpec, read_source

pytestmark = pytest.mark.wiki
SAMPLE = ROOT / "wikibot" / "data" / "sample_stop.csv"
COMBINED = "keepiton_stop/keepiton_stop_combined_2016-2025.derived.csv"
CHECKED = (  # the limits every year page stays under half of
    "limitreport-postexpandincludesize",
    "limitreport-templateargumentsize",
    "scribunto-limitreport-timeusage",
    "limitreport-ppvisitednodes",
    "limitreport-expansiondepth",
    "limitreport-expensivefunctioncount",
)
WIKIS = {
    "fr": ("devwiki", ".devwiki"),
    "en": ("devwiki-en", ".devwiki-en"),
    "ar": ("devwiki-ar", ".devwiki-ar"),
}


def year_titles(profile: Path, years: list[int]) -> list[str]:
    page = yaml.safe_load(profile.read_text("utf-8"))["list"]["page"]
    return [page.replace("{year}", str(year)) for year in years]


def references(html: str) -> int:
    """The references a page lists (its <references /> list)."""
    return len(re.findall(r'<li id="cite(?:_|&#95;)note-', html))


def cited_links(incidents: list[Any]) -> int:
    return len({url for incident in incidents for url in incident.sources})


@pytest.mark.realdata
@pytest.mark.parametrize("lang", ["fr", "en", "ar"])
def test_every_year_page_of_the_combined_sheet_is_under_half_of_every_limit(
    request: pytest.FixtureRequest, shared_data: Path, tmp_path: Path, lang: str
) -> None:
    """With Lua citation templates shaped and sized like Wikipedia's: the figures the README gives."""
    api = request.getfixturevalue({"fr": "devwiki", "en": "devwiki_en", "ar": "devwiki_ar"}[lang])
    name, folder = WIKIS[lang]
    profile = write_profile(tmp_path, shared_data / COMBINED, profile=name)
    done = run_pwb("sync", f"-settings:{profile}", "-always", report=tmp_path / "report.json")
    assert done.code == 0, done.stderr[-3000:]
    source = read_source(SourceSpec(str(shared_data / COMBINED)))
    editor = Editor(api, folder)
    years = sorted(source.by_year())
    for year, title in zip(years, year_titles(profile, years), strict=True):
        html, limits, categories = editor.rendered(title)
        for key in CHECKED:
            used, limit = limits.get(key, (0.0, 1.0))
            assert used < limit / 2, f"{title}: {key} {used:,.0f} of {limit:,.0f}"
        assert not categories - {c for c in categories if "Censure" in c or "censorship" in c or "رقابة" in c}
        incidents = [i for i in source.incidents if year in i.years]
        # every link a reference (one a link), the data set's and the published figure's: none lost
        published = 1 if "keepiton-" + str(year) in html else 0
        assert references(html) == cited_links(incidents) + 1 + published, title
        assert html.count('<tr id="kio-') == len(incidents)


def heavy_citation(editor: Editor, prefix: str, lua: str) -> str:
    """A citation template of the test's own, calling a Lua module of the test's own."""
    editor.edit(f"Module:{prefix} Citation", lua)
    editor.edit(
        f"Modèle:{prefix} Lien web", f"<includeonly>{{{{#invoke:{prefix} Citation|f}}}}</includeonly>"
    )
    return f"{prefix} Lien web"


LIGHT = (  # a citation of the usual weight
    "return { f = function(frame) local a = frame:getParent().args "
    'return "[" .. a.url .. " " .. a.titre .. "]" end }'
)
HEAVY = 'return { f = function(frame) return string.rep("<span>x</span>", 200000) end }'  # 2.8 MB a call


def test_a_citation_template_grown_far_past_the_limits_never_leaves_a_bot_page_with_lost_references(
    devwiki: str, tmp_path: Path
) -> None:
    editor = Editor(devwiki)
    profile = write_profile(tmp_path, SAMPLE)
    data = yaml.safe_load(profile.read_text("utf-8"))
    prefix = data["list"]["page"].split("/")[0]
    data["list"]["templates"]["citation"] = heavy_citation(editor, prefix, LIGHT)
    profile.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    source = read_source(SourceSpec(str(SAMPLE)))
    years = sorted(source.by_year())
    titles = [*year_titles(profile, years), data["stats"]["page"]]
    report = tmp_path / "report.json"
    first = run_pwb("sync", f"-settings:{profile}", "-always", report=report)
    assert first.code == 0, first.stderr[-3000:]
    assert all(f"{{{{{prefix} Lien web" in editor.text(t) for t in titles[:1])  # light: cited with it
    # the per-country page and the tables cite reports with plain links: no template to outgrow
    tables = f"Modèle:{data['stats']['template']}/tableaux"
    for title in (data["stats"]["countries_page"], tables):
        assert "Lien web" not in editor.text(title) and "<ref" in editor.text(tables), title
    # the template grows far past the limits after the bot saved the pages: the wiki re-renders
    # them, loses their references and puts them in its tracking category
    editor.edit(f"Module:{prefix} Citation", HEAVY)
    for title in titles:  # as the wiki's job queue does once the module changed
        _, _, categories = editor.rendered(title)
        assert categories - {"Censure d'Internet"}, f"{title}: in no tracking category"
    second = run_pwb("sync", f"-settings:{profile}", "-always", report=report)
    assert second.code == 0, second.stderr[-3000:]
    for title in titles:
        html, limits, categories = editor.rendered(title)
        used, limit = limits["limitreport-postexpandincludesize"]
        assert used < limit and not categories - {"Censure d'Internet"}, (title, categories)
        assert f"{{{{{prefix} Lien web" not in editor.text(title)
        assert "mw-ext-cite-error" not in html and references(html) > 0
    for year, title in zip(years, titles, strict=False):
        incidents = [i for i in source.incidents if year in i.years]
        assert references(editor.rendered(title)[0]) == cited_links(incidents) + 1  # the data set's
    pages = {p["title"]: p for p in second.report["pages"]}
    assert all("limits" in pages[t] for t in titles[: len(years)])
    # nothing changes, nothing is parsed or saved: the pages hold their form without the template
    third = run_pwb("sync", f"-settings:{profile}", "-always", report=report)
    assert third.code == 0 and third.report["edits"] == 0


def test_one_sync_on_an_empty_wiki_leaves_no_red_link_and_no_error(devwiki: str, tmp_path: Path) -> None:
    """The data template is saved before the year pages, the per-country page before the
    statistics page, the files before the pages that show them.  (A country's name links to its
    article, which a real wiki has: the dev wiki has no articles, so those links are left out.)"""
    editor = Editor(devwiki)
    profile = write_profile(tmp_path, SAMPLE)
    done = run_pwb("sync", f"-settings:{profile}", "-always", report=tmp_path / "report.json")
    assert done.code == 0, done.stderr[-3000:]
    written = [p["title"] for p in done.report["pages"]]
    written += [done.report["stats"]["page"]["title"], done.report["stats"]["countries_page"]["title"]]
    for title in written:
        html, _, categories = editor.rendered(title)
        red = re.findall(r'<a href="[^"]*redlink=1" class="new" title="([^"]+)"', html)
        red = [t for t in red if ":" in t]  # templates, files, categories, modules: what the bot uses
        assert not red, (title, red)
        assert 'class="error"' not in html and "mw-ext-cite-error" not in html, title
        assert categories <= {"Censure d'Internet"}, (title, categories)
        assert "<caption" in html and 'scope="col"' in html, title  # MOS:DTAB
        assert "font-size:75%" not in html and "<small>" not in html, title


@pytest.mark.realdata
def test_the_statistics_pages_of_the_combined_sheet_give_the_reports_breakdowns(
    devwiki: str, shared_data: Path, tmp_path: Path
) -> None:
    """Computed beside published, no cause a bot inferred, no question; countries × years; the
    coalition ending on "more than 300"; every breakdown through the data template."""
    profile = write_profile(tmp_path, shared_data / COMBINED)
    done = run_pwb("sync", f"-settings:{profile}", "-always", report=tmp_path / "report.json")
    assert done.code == 0, done.stderr[-3000:]
    stats = done.report["stats"]
    assert stats["by_year"]["2023"]["by_trigger"]["conflict"] == {
        "computed": 75,
        "reported": 74,
        "difference": 1,
    }
    assert ("Military of the State of Israel", 30) not in stats["decision_makers"]["unknown"].items()
    editor = Editor(devwiki)
    html, limits, categories = editor.rendered(stats["page"]["title"])
    text = re.sub(r"<[^>]+>", " ", re.sub(r'href="[^"]*"', "", html)).replace("&#160;", " ")
    assert "75 (publié : 74" in " ".join(text.split())  # 2023, conflict: the data, then the report
    assert "?" not in text and "non expliqué" not in text and "robot" not in text.casefold()
    assert "plus de 300" in html.split('id="keepiton-coalition"')[1].split("</table>")[0].split("<tr>")[-1]
    for table in ("by_trigger", "kinds", "figures", "orders", "longest", "coalition"):
        assert f'id="keepiton-{table.replace("_", "-")}"' in html, table
    assert categories <= {"Censure d'Internet"}, categories
    assert 'class="error"' not in html and "mw-ext-cite-error" not in html
    for key in CHECKED:
        used, limit = limits.get(key, (0.0, 1.0))
        assert used < limit / 2, f"statistics page: {key} {used:,.0f} of {limit:,.0f}"
    countries, _, _ = editor.rendered(stats["countries_page"]["title"])
    table = countries.split('id="keepiton-countries"')[1].split("</table>")[0]
    source = read_source(SourceSpec(str(shared_data / COMBINED)))
    keys = {c.key for i in source.incidents for c in i.countries}
    assert table.count('<th scope="row"') == len(keys)  # one row per country
    assert countries.count("mw-gallery-packed") == 1
    assert countries.count('alt="Carte du monde de') == len(source.by_year())
    for call, shown in (
        ("{{T|by_trigger|2023|conflict}}", "75"),
        ("{{T|reported_by_trigger|2023|conflit}}", "74"),
        ("{{T|en_cours|2024}}", str(stats["by_year"]["2024"]["ongoing"]["computed"])),
        ("{{T|reported_ongoing|2024}}", "47"),
        ("{{T|membres}}", "plus de 300"),
        ("{{T|membres|2021}}", "243"),
    ):
        call = call.replace("{{T|", "{{" + stats["template"] + "|")  # the test's own data template
        expanded = editor.post(action="expandtemplates", text=call, prop="wikitext")["expandtemplates"]
        assert expanded["wikitext"] == shown, call
