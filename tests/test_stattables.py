"""The statistics tables template: every table a reader's table, each figure beside the published one."""

from __future__ import annotations

import re

import mwparserfromhell
import pytest

from tests.test_stats import BI, IR, KE, incident
from wikibot.model import Country
from wikibot.stats import StatsData, compute, load_reported
from wikibot.stattables import ALL_TABLES, TABLES, tables_text

REPORTED = load_reported(
    """
yearly:
  2020:
    first: {shutdowns: 155, countries: 29, as_of: "2021", source: "Access Now, 2020 report", url: "https://example.org/20"}
    breakdowns:
      by_trigger: {elections: 2}
      ongoing: {value: 3, note: "still active"}
    by_country:
      KE: {shutdowns: 5}
coalition:
  - {as_of: "2021-03-03", members: 243, countries: 105, source: "Access Now, 2020 report", url: "https://example.org/20"}
  - {as_of: "2026", members: 300, countries: 105, approximate: true, source: "Campaign page", url: "https://example.org/c"}
""",
    "figures.yaml",
)
INCIDENTS = [
    incident("a", (IR,), "2019-05-24", None, (2019, 2020), status="ongoing", cause="information-control"),
    incident("b", (KE, BI), "2020-03-01", "2020-03-10", (2020,), cause="elections", types=("throttling",)),
    incident(
        "c",
        (KE,),
        "2020-06-01",
        "2020-06-02",
        (2020,),
        cause="protests",
        decision_maker="Military of the Russian Federation",
    ),
]


def data(lang: str = "en") -> StatsData:
    return StatsData(
        years=compute(INCIDENTS),
        reported=REPORTED,
        as_of="2026-05-20",
        lang=lang,
        citation_template="cite web",
        citation_params={},
        source_name="STOP",
    )


def branches(text: str) -> dict[str, str]:
    """Each #switch branch of the template: its first name → its wikitext."""
    (include,) = mwparserfromhell.parse(text).filter_tags(matches=lambda t: str(t.tag) == "includeonly")
    (switch,) = include.contents.filter_templates(recursive=False)
    found, pending = {}, []
    for param in switch.params:  # "| a | b = v": a falls through to b's value
        if not param.showkey:
            pending.append(str(param.value).strip())
            continue
        found[(pending or [str(param.name).strip()])[0]] = str(param.value).strip()
        pending = []
    return found


def test_one_branch_per_table_and_every_statistics_table_without_a_name() -> None:
    text = tables_text(data("fr"), {}, "Doc")
    found = branches(text)
    assert set(ALL_TABLES) | {"", "#default"} == set(found)
    assert "| by_trigger | déclencheurs = " in text  # a table by its name in the wiki's language
    for name in TABLES:
        assert f'id="keepiton-{name.replace("_", "-")}"' in found[""] or (
            name == "orders" and not found["orders"]
        )
    assert 'id="keepiton-countries"' not in found[""]  # the countries table only when asked for


@pytest.mark.parametrize("name", ALL_TABLES)
def test_each_table_is_a_sortable_captioned_table_that_cites_what_it_shows(name: str) -> None:
    table = branches(tables_text(data(), {}, "Doc"))[name]
    if not table:
        return
    assert table.count("<table") == table.count("</table>") == 1
    assert table.count("<tr>") == table.count("</tr>")
    assert 'class="wikitable sortable"' in table and re.search(r"<caption[^>]*>[^<]+</caption>", table)
    assert 'scope="col"' in table and "|" not in re.sub(
        r"\[\[[^\]]*\]\]|<gallery.*?</gallery>", "", table, flags=re.S
    )
    defined = set(re.findall(r'<ref name="([^"]+)">', table))
    used = set(re.findall(r'<ref name="([^"]+)" />', table))
    assert used <= defined  # a table shown alone defines every reference it uses
    assert "?" not in re.sub(r"https?://\S+", "", table)


def test_computed_beside_published_and_dashes_for_what_the_data_does_not_record() -> None:
    found = branches(tables_text(data(), {}, "Doc"))
    row_2020 = next(
        r for r in found["by_trigger"].split("<tr>") if r.startswith('<th scope="row" data-sort-value="2020"')
    )
    assert '<td data-sort-value="1">1 (published: 2<ref name="keepiton-' in row_2020  # elections
    figures_2020 = next(r for r in found["figures"].split("<tr>") if 'data-sort-value="2020"' in r)
    assert (
        '<td data-sort-value="1">1 (published: 3 (still active)<ref name="keepiton-' in figures_2020
    )  # ongoing
    assert '<td data-sort-value="-1">—</td>' in figures_2020  # violence: not recorded that year
    assert "<td>[[Kenya]]</td><td>[[Russia]]</td>" in found["orders"]


def test_the_coalition_ends_on_more_than_300() -> None:
    for lang, words in (("en", "more than 300"), ("fr", "plus de 300"), ("ar", "أكثر من")):
        table = branches(tables_text(data(lang), {}, "Doc"))["coalition"]
        last = table.split("<tr>")[-1]
        assert words in last and "243" in table.split("<tr>")[-2]


def test_countries_by_years_one_row_per_country_a_column_per_year_and_a_total() -> None:
    table = branches(
        tables_text(data(), {"KE": "Kenya (country)"}, "Doc", {2019: "M 2019.svg", 2020: "M 2020.svg"})
    )["countries"]
    rows = [r for r in table.split("<tr>") if r.startswith('<th scope="row"')]
    assert len(rows) == 3  # Burundi, Iran, Kenya
    kenya = next(r for r in rows if "Kenya" in r)
    assert kenya.startswith('<th scope="row" data-sort-value="Kenya">[[Kenya (country)|Kenya]]</th>')
    cells = re.findall(r'<td data-sort-value="(-?\d+)">', kenya)
    assert cells == ["0", "2", "2"]  # 2019, 2020, total
    assert "2 (published: 5<ref" in kenya
    assert "File:M 2019.svg|2019|alt=" in table and "File:M 2020.svg|2020|alt=" in table
    assert Country("KE", "Kenya") in INCIDENTS[1].countries


def test_each_published_figure_cites_its_own_report() -> None:
    found = branches(tables_text(data(), {}, "Doc"))
    row_2020 = next(r for r in found["by_trigger"].split("<tr>") if 'data-sort-value="2020"' in r)
    (ref,) = re.findall(r'<ref name="[^"]+">([^<]+)</ref>', row_2020)
    assert ref == "[https://example.org/20 Access Now, 2020 report]"
    coalition = found["coalition"].split("<tr>")
    assert "[https://example.org/c Campaign page]" in coalition[-1]
    assert "[https://example.org/20 Access Now, 2020 report]" in coalition[-2]
