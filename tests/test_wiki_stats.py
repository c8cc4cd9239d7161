"""Statistics on the dev wiki: the data template expands to the figures, inline figures agree,
the chart is uploaded once, a second run changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, SHARED_DATA, run_pwb
from tests.wikiclient import Editor
from wikibot.wikitemplates import shipped_text

pytestmark = pytest.mark.wiki
SAMPLE = ROOT / "wikibot" / "data" / "sample_stop.csv"


def stats_settings(profile: Path) -> dict[str, str]:
    return dict(yaml.safe_load(profile.read_text("utf-8"))["stats"])


def expand(editor: Editor, text: str) -> str:
    return str(
        editor.get(action="expandtemplates", text=text, prop="wikitext")["expandtemplates"]["wikitext"]
    )


def test_two_hand_typed_coalition_figures_agree_after_one_run(
    devwiki: str, profile_for, tmp_path: Path
) -> None:
    profile = profile_for(SAMPLE)
    stats = stats_settings(profile)
    editor = Editor(devwiki)
    inline = f"Modèle:{stats['inline_template']}"
    editor.edit(inline, shipped_text("fr", "inline"))
    page = f"{stats['page']}/Wikimédia France rejoint la coalition"
    name = stats["inline_template"]
    editor.edit(
        page,
        f"La coalition rassemble {{{{{name}|membres|valeur=243}}}} organisations de "
        f"{{{{{name}|pays_membres|valeur=105}}}} pays.\n\n"
        f"Plus loin : plus de {{{{{name} | membres | valeur = 220 | note=chiffre de 2020 }}}} organisations.",
    )
    run = run_pwb("sync", f"-settings:{profile}", "-always", report=tmp_path / "r.json")
    assert run.code == 0, run.stderr[-3000:]
    text = editor.text(page)
    # "more than 300 organizations": the figure as published, unless the sentence says "plus de"
    assert f"{{{{{name}|membres|valeur=plus de 300}}}}" in text
    assert f"{{{{{name} | membres | valeur = 300 | note=chiffre de 2020 }}}}" in text
    html = editor.html(page)
    assert "rassemble plus de 300 organisations de 105 pays" in html and "plus de 300 organisations" in html
    assert "plus de plus de" not in html
    inline_report = {e["title"]: e for e in run.report["stats"]["inline"]}
    assert inline_report[page]["changed"] == 2
    template = stats["template"]
    assert (
        expand(editor, f"{{{{{template}|members}}}}/{{{{{template}|membres}}}}") == "plus de 300/plus de 300"
    )
    assert expand(editor, f"{{{{{template}|membres|2021}}}}") == "243"
    assert expand(editor, f"{{{{{template}|member_countries}}}}") == "105"
    assert expand(editor, f"{{{{{template}|date|membres}}}}") == "2026"
    assert expand(editor, f"{{{{{template}|coupures|2024}}}}") == "4"
    maps = run.report["stats"]["maps"]
    assert [m["action"] for m in maps] == ["uploaded"] * len(run.report["stats"]["by_year"])
    assert run.report["stats"]["chart"]["action"] == "uploaded" and run.report["uploads"] == 1 + len(maps)
    stats_html = editor.html(stats["page"])
    assert "<img" in stats_html and ".svg" in stats_html
    assert (
        stats_html.count('<tr id="stats-') == len(run.report["stats"]["by_year"]) + 6
    )  # 2016-2021 reported only
    second = run_pwb("sync", f"-settings:{profile}", "-always", report=tmp_path / "r2.json")
    assert second.code == 0 and (second.report["edits"], second.report["uploads"]) == (0, 0)


@pytest.mark.realdata
def test_the_2020_sheet_gives_155_and_29_as_in_the_2021_announcement(
    devwiki: str, shared_data: Path, profile_for, tmp_path: Path
) -> None:
    profile = profile_for(shared_data / "keepiton_stop/KeepItOn-STOP-Data-2020.csv")
    run = run_pwb("update_stats", f"-settings:{profile}", "-always", report=tmp_path / "r.json")
    assert run.code == 0, run.stderr[-3000:]
    template = stats_settings(profile)["template"]
    editor = Editor(devwiki)
    assert expand(editor, f"{{{{{template}|shutdowns|2020}}}}") == "155"
    assert expand(editor, f"{{{{{template}|countries|2020}}}}") == "29"
    assert expand(editor, f"{{{{{template}|pays|2020}}}}") == "29"
    assert run.report["stats"]["template"] == f"Modèle:{template}"
    assert run.report["stats"]["by_year"]["2020"]["shutdowns"] == {
        "computed": 155,
        "reported": 159,
        "difference": -4,
    }


@pytest.mark.realdata
def test_the_combined_sheet_figures_equal_the_counts(
    devwiki: str, shared_data: Path, profile_for, tmp_path: Path
) -> None:
    profile = profile_for(SHARED_DATA / "keepiton_stop/keepiton_stop_combined_2016-2025.derived.csv")
    run = run_pwb("update_stats", f"-settings:{profile}", "-always", report=tmp_path / "r.json")
    assert run.code == 0, run.stderr[-3000:]
    template = stats_settings(profile)["template"]
    editor = Editor(devwiki)
    text = "/".join(
        f"{{{{{template}|shutdowns|{y}}}}}:{{{{{template}|countries|{y}}}}}" for y in range(2016, 2026)
    )
    got = expand(editor, text)
    assert got == "80:28/113:23/205:29/224:37/171:35/197:40/206:41/289:41/304:55/313:52"
    again = run_pwb("update_stats", f"-settings:{profile}", "-always", report=tmp_path / "r2.json")
    assert (again.report["edits"], again.report["uploads"]) == (0, 0)


def test_reported_figures_can_live_on_a_wiki_page(devwiki: str, profile_for, tmp_path: Path) -> None:
    profile = profile_for(SAMPLE)
    data = yaml.safe_load(profile.read_text("utf-8"))
    page = data["stats"]["page"] + "/Chiffres publiés"
    data["stats"]["reported"] = f"wiki:{page}"
    profile.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    editor = Editor(devwiki)
    editor.edit(
        page,
        'Chiffres publiés :\n<syntaxhighlight lang="yaml">\nyearly:\n  2023:\n    first: '
        "{shutdowns: 283, countries: 39, as_of: '2024', source: 'Access Now 2023 report'}\n"
        "coalition:\n  - {as_of: '2027-01-01', members: 321, countries: 110, source: 'test figure'}\n"
        "</syntaxhighlight>",
    )
    run = run_pwb("update_stats", f"-settings:{profile}", "-always", report=tmp_path / "r.json")
    assert run.code == 0, run.stderr[-2000:]
    template = data["stats"]["template"]
    assert (
        expand(editor, f"{{{{{template}|membres}}}}/{{{{{template}|coupures_publiées|2023}}}}") == "321/283"
    )
    assert run.report["stats"]["coalition"]["members"] == 321
