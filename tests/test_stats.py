"""Statistics: figures per year and their breakdowns, reported figures, the data template, inline figures."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import mwparserfromhell
import pytest

from wikibot.errors import SettingsError
from wikibot.model import Country, Incident, Rejected
from wikibot.settings import STATS_PARAMS
from wikibot.stats import (
    ReportedFigures,
    StatsData,
    compute,
    data_template_text,
    load_reported,
    load_reported_file,
    resolve_key,
    table_rows,
    update_inline,
    year_report,
)

ROOT = Path(__file__).resolve().parents[1]
IR, KE, BI = Country("IR", "Iran"), Country("KE", "Kenya"), Country("BI", "Burundi")


def incident(
    ident: str,
    countries: tuple[Country, ...],
    start: str,
    end: str | None,
    years: tuple[int, ...],
    status: str = "ended",
    **kw: object,
) -> Incident:
    return Incident(
        id=ident,
        countries=countries,
        start=dt.date.fromisoformat(start),
        end=dt.date.fromisoformat(end) if end else None,
        status=status,
        years=years,
        **kw,  # type: ignore[arg-type]
    )


INCIDENTS = [
    incident(
        "a",
        (IR,),
        "2009-05-24",
        None,
        (2019, 2020),
        status="ongoing",
        types=("shutdown",),
        cause="information-control",
    ),
    incident("b", (KE, BI), "2020-03-01", "2020-03-10", (2020,), types=("throttling",), cause="elections"),
    incident(
        "c",
        (IR,),
        "2020-11-15",
        "2021-01-04",
        (2020, 2021),
        types=("shutdown",),
        cause="protests",
        justification="school-exams",  # vocabulary keys, as normalization keeps them
    ),
    incident("d", (KE,), "2020-06-01", "2020-06-01", (2020,), justification="school-exams"),
]


def test_figures_per_year() -> None:
    years = compute(INCIDENTS)
    y2020 = years[2020]
    assert (y2020.shutdowns, y2020.countries) == (4, 3)  # Iran, Kenya, Burundi
    assert y2020.ongoing_at_end == 2  # a (ongoing), c (ends in 2021)
    assert y2020.longest_days == 51  # c: 15 Nov 2020 - 4 Jan 2021, both days included
    assert y2020.carried_over == 1 and y2020.multi_country == 1
    assert dict(y2020.by_type) == {"shutdown": 2, "throttling": 1, "unknown": 1}
    assert dict(y2020.by_justification)["school-exams"] == 2
    assert y2020.top_countries[:2] == (("IR", 2), ("KE", 2))
    assert years[2019].shutdowns == 1 and years[2021].shutdowns == 1


# Reported figures written for these tests (the shipped file changes with Access Now's reports).
# The coalition is listed out of date order on purpose: the latest figure is the one by as_of.
REPORTED_YAML = """
yearly:
  2019:
    first: {shutdowns: 213, countries: 33, as_of: "2020", source: "Access Now, 2019 report"}
    revised:
      shutdowns: 221
      as_of: "2024"
      source: "Access Now, KeepItOn report on 2023"
      url: "https://www.accessnow.org/internet-shutdowns-2023/"
  2020:
    first:
      {shutdowns: 155, countries: 29, as_of: "2021-03-03", source: "Access Now, 2020 report", url: "https://example.org/20"}
    revised:
      {shutdowns: 159, countries: 29, as_of: "2022", source: "Access Now, 2021 report", url: "https://example.org/21"}
coalition:
  - as_of: "2026"
    members: 300
    countries: 105
    approximate: true
    source: "Access Now, #KeepItOn campaign page"
    url: "https://www.accessnow.org/campaign/keepiton/"
  - {as_of: "2021-03-03", members: 243, countries: 105, source: "Access Now, 2020 report"}
  - {as_of: "2018", members: 191, countries: 68, source: "Access Now, 2018 report"}
"""
REPORTED = load_reported(REPORTED_YAML, "figures.yaml")


def data(reported: ReportedFigures | None = None, lang: str = "fr") -> StatsData:
    return StatsData(
        years=compute(INCIDENTS),
        reported=reported or REPORTED,
        as_of="2026-05-20",
        lang=lang,
        citation_template="Lien web",
        citation_params={"url": "url", "title": "titre"},
        source_name="Access Now",
    )


@pytest.mark.parametrize(
    ("key", "qualifier", "value"),
    [
        ("shutdowns", "2020", 4),
        ("countries", "2020", 3),
        ("shutdowns", "1999", None),
        ("reported_shutdowns", "2020", 159),  # the revision
        ("first_reported_shutdowns", "2020", 155),
        ("first_reported_countries", "2020", 29),
        ("members", "", "plus de 300"),  # published as "more than 300 organizations"
        ("members", "2021", 243),  # the size published that year
        ("members", "2019", None),
        ("member_countries", "", 105),
        ("as_of", "members", "2026"),
        ("as_of", "", "2026-05-20"),
        ("ongoing", "2020", 2),
    ],
)
def test_values(key: str, qualifier: str, value: object) -> None:
    assert data().value(key, qualifier) == value


def test_the_coalition_as_of_2021_was_243_in_105_countries() -> None:
    march_2021 = next(c for c in REPORTED.coalition if c.as_of == "2021-03-03")
    assert (march_2021.shutdowns, march_2021.countries) == (243, 105)
    assert [c.as_of for c in REPORTED.coalition] == ["2018", "2021-03-03", "2026"]  # sorted by date
    assert REPORTED.members == REPORTED.coalition[-1]


def test_the_shipped_reported_figures_load_and_are_well_formed() -> None:
    """The shipped data file only: it loads and every entry is complete (no figure is asserted)."""
    reported = load_reported_file(ROOT / "wikibot/data/reported_figures.yaml")
    assert reported.first and reported.coalition
    assert set(reported.revised) <= set(reported.first)
    for figure in [*reported.first.values(), *reported.revised.values(), *reported.coalition]:
        assert figure.as_of and figure.source
        assert figure.shutdowns is not None or figure.countries is not None
        assert not figure.url or figure.url.startswith("https://")
    assert [c.as_of for c in reported.coalition] == sorted(c.as_of for c in reported.coalition)


@pytest.mark.parametrize(
    ("name", "lang", "key"),
    [
        ("coupures", "fr", "shutdowns"),
        ("membres", "fr", "members"),
        ("pays membres", "fr", "member_countries"),
        ("members", "fr", "members"),
        ("Members", "en", "members"),
        ("nope", "fr", None),
    ],
)
def test_keys_and_aliases(name: str, lang: str, key: str | None) -> None:
    assert resolve_key(name, lang) == key


def test_citations_are_named_refs() -> None:
    stats = data()
    assert stats.citation("members").startswith(
        '<ref name="keepiton-coalition">{{Lien web |url=https://www.accessnow.org'
    )
    assert stats.citation("2019") == (
        '<ref name="keepiton-2019">{{Lien web |url=https://www.accessnow.org/internet-shutdowns-2023/ '
        "|titre=Access Now, KeepItOn report on 2023}}</ref>"
    )


def test_the_data_template_is_one_balanced_switch() -> None:
    text = data_template_text(data(), "Doc")
    (include,) = mwparserfromhell.parse(text).filter_tags(matches=lambda t: str(t.tag) == "includeonly")
    (switch,) = include.contents.filter_templates(recursive=False)
    assert str(switch.name).startswith("#switch:")
    assert "| shutdowns | coupures = {{#switch:{{{pays|}}}" in text  # a country's figure, or
    assert "   | #default = {{#switch:{{{2|}}}" in text  # the year's
    assert "   | 2020 = 4\n" in text
    assert "   | KE = {{#switch:{{{2|}}} | 2019 = 0 | 2020 = 2 | 2021 = 0" in text
    members = "| members | membres = {{#switch:{{{2|}}} | 2018 = 191 | 2021 = 243 | 2026 = plus de 300"
    assert members + " | = plus de 300 |" in text  # each year's size, and the latest
    assert "{{{default|<strong" in text  # an unknown figure shows the caller's default, if any


@pytest.mark.parametrize(
    ("key", "year", "country", "value"),
    [
        ("shutdowns", "2020", "KE", 2),
        ("shutdowns", "2020", "ke", 2),
        ("shutdowns", "2021", "BI", 0),
        ("shutdowns", "2030", "KE", None),
        ("reported_shutdowns", "2024", "RU", 19),
        ("reported_shutdowns", "2024", "SO", None),
        ("countries", "2024", "RU", None),  # per country: shutdowns only
    ],
)
def test_per_country_values(key: str, year: str, country: str, value: int | None) -> None:
    source = y24() if year == "2024" else data()
    assert source.value(key, year, country) == value


@pytest.mark.parametrize(
    ("before", "after", "changed"),
    [
        (
            "Soutenu par {{Chiffre KeepItOn|membres|valeur=243}} organisations, puis par plus de "
            "{{Chiffre KeepItOn | membres | valeur = 220 }} organisations.",
            "Soutenu par {{Chiffre KeepItOn|membres|valeur=plus de 300}} organisations, puis par plus de "
            "{{Chiffre KeepItOn | membres | valeur = 300 }} organisations.",  # "plus de" written already
            2,
        ),
        (
            "{{Chiffre KeepItOn|coupures|2020}} en 2020",
            "{{Chiffre KeepItOn|coupures|2020|valeur=4}} en 2020",
            1,
        ),
        (
            "{{chiffre KeepItOn|pays|2020|valeur=3|note=x}}",
            "{{chiffre KeepItOn|pays|2020|valeur=3|note=x}}",
            0,
        ),
        ("{{Autre|membres|valeur=1}}", "{{Autre|membres|valeur=1}}", 0),
    ],
)
def test_inline_values(before: str, after: str, changed: int) -> None:
    text, count, unknown = update_inline(before, "Chiffre KeepItOn", data(), "valeur")
    assert (text, count, unknown) == (after, changed, [])


def test_inline_unknown_keys_are_reported_and_left_alone() -> None:
    text, count, unknown = update_inline(
        "{{Chiffre KeepItOn|nope|valeur=1}}", "Chiffre KeepItOn", data(), "valeur"
    )
    assert (text, count, unknown) == ("{{Chiffre KeepItOn|nope|valeur=1}}", 0, ["nope"])


RU, UA, SO = Country("RU", "Russia"), Country("UA", "Ukraine"), Country(None, "Somaliland")
Y24 = [
    # Russia 2024 as the STOP data has it: shutdowns in Russia, one "ordered" by Ukrainian hackers,
    # and shutdowns in Ukraine ordered by Russia's military
    *[
        incident(f"ru{n}", (RU,), "2024-03-01", "2024-03-02", (2024,), decision_maker="Roskomnadzor")
        for n in range(12)
    ],
    incident("ruh", (RU,), "2024-05-01", "2024-05-01", (2024,), decision_maker="Ukrainian hackers"),
    *[
        incident(
            f"ua{n}",
            (UA,),
            "2024-04-01",
            "2024-04-02",
            (2024,),
            decision_maker="Military of the Russian Federation",
        )
        for n in range(7)
    ],
    incident("ua7", (UA,), "2024-06-01", "2024-06-01", (2024,)),
    incident("so", (SO,), "2024-07-01", "2024-07-01", (2024,)),
    incident("som", (Country("SO", "Somalia"),), "2024-07-01", "2024-07-02", (2024,)),
]
Y24_REPORTED = load_reported(
    """
yearly:
  2024:
    first: {shutdowns: 22, countries: 3, as_of: "2025", source: "Access Now, 2024 report", url: "https://x.example/24"}
    by_country:
      RU: {shutdowns: 19, note: "including 7 in Ukraine"}
      UA: {shutdowns: 8}
""",
    "y24.yaml",
)


def y24(lang: str = "en") -> StatsData:
    return StatsData(
        years=compute(Y24, [Rejected(9, "country", "Atlantis", "unknown country", 2024)]),
        reported=Y24_REPORTED,
        as_of="2026-05-20",
        lang=lang,
        citation_template="cite web",
        citation_params={"url": "url", "title": "title"},
        source_name="Access Now, #KeepItOn STOP data",
    )


def test_orders_from_another_country_come_from_the_vocabulary_never_from_words_in_the_name() -> None:
    stats = y24().years[2024]
    assert (stats.shutdowns, stats.countries, stats.rejected) == (23, 4, 1)
    # Russia's military in Ukraine: 7; Roskomnadzor in Russia: its own country; "Ukrainian hackers":
    # no state's authority (the words name Ukraine, the vocabulary says hackers)
    assert stats.orders == (("UA", "RU", 7),)
    assert (stats.foreign_orders, stats.count("foreign_states"), stats.count("foreign_countries")) == (
        7,
        1,
        1,
    )


def test_the_run_report_compares_without_explaining() -> None:
    report = year_report(y24(), 2024)
    assert report["shutdowns"] == {"computed": 23, "reported": 22, "difference": 1}
    assert report["countries"] == {"computed": 4, "reported": 3, "difference": 1}
    assert report["foreign_orders"] == {"computed": 7, "reported": None, "difference": None}
    assert report["by_trigger"]["unknown"] == {"computed": 23, "reported": None, "difference": None}
    assert not any("explained" in str(v) for v in report.values())


def test_a_year_that_differs_gets_the_one_neutral_note_and_no_reason() -> None:
    rows = {r.id: dict(r.params) for r in table_rows(y24(), {k: k for k in STATS_PARAMS})}
    sources = rows["2024"]["sources"]
    assert '<ref name="keepiton-revisions">Access Now revises its data after publishing' in sources
    assert "as of 20 May 2026" in sources
    assert "explanation" not in rows["2024"] and "?" not in sources
    same = dataclasses.replace(
        y24(), years={2024: dataclasses.replace(y24().years[2024], shutdowns=22, countries=3)}
    )
    assert (
        "keepiton-revisions" not in dict(table_rows(same, {k: k for k in STATS_PARAMS})[0].params)["sources"]
    )


def test_each_source_is_one_named_reference_reused() -> None:
    rows = table_rows(data(lang="en"), {k: k for k in STATS_PARAMS})
    sources = "".join(dict(r.params)["sources"] for r in rows)
    full = sources.count("</ref>")
    names = set(re.findall(r'<ref name="([^"]+)"', sources))
    assert full == len(names)  # each source in full once, by its name after
    assert sources.count('" />') == sources.count("<ref") - full


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("yearly: [1, 2]", "must hold 'yearly'"),
        ("yearly:\n  2020: {revised: {}}", "must be a year holding 'first'"),
        (
            "yearly:\n  2020:\n    first: {shutdowns: many, as_of: '2021', source: x}",
            "must be a whole number",
        ),
        ("yearly:\n  2020:\n    first: {shutdowns: 1, source: x}", "'as_of' is missing"),
        ("coalition: {a: 1}", "'coalition' must be a list"),
        ("yearly: [", "invalid YAML"),
    ],
)
def test_bad_reported_figures_are_clear_errors(text: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        load_reported(text, "figures.yaml")


def test_breakdowns_of_a_year() -> None:
    end_2023 = dt.date(2023, 12, 31)
    rows = [
        incident(
            "old", (IR,), "2021-06-01", None, (2023,), status="ongoing", cause="conflict", scope="national"
        ),
        incident("young", (IR,), "2023-06-01", "2024-02-01", (2023,), cause="conflict", flags=("violence",)),
        incident(
            "vote",
            (KE,),
            "2023-08-01",
            "2023-08-03",
            (2023,),
            cause="elections",
            extents=("full-network",),
            flags=("election", "violence"),
        ),
        incident("lost", (BI,), "2023-09-01", None, (2023,), status="unknown", cause="protests"),
    ]
    answered = [dataclasses.replace(i, recorded=("election", "violence")) for i in rows]
    y2023 = compute(
        [*answered, incident("past", (IR,), "2022-01-01", "2022-01-02", (2022,))], until=end_2023
    )[2023]
    assert dict(y2023.by_cause) == {"conflict": 2, "elections": 1, "protests": 1}
    assert (y2023.count("elections"), y2023.count("violence")) == (1, 2)
    assert y2023.count("hr_abuse") is None  # no row answers it: not recorded, not zero
    assert (y2023.ongoing_at_end, y2023.over_a_year) == (2, 1)  # "old" for more than a year
    assert y2023.new_countries == ("BI", "KE") and y2023.count("new_countries") == 2
    longest = [(i.id, i.end, i.days) for i in y2023.longest]
    # to their end, or to 31 December while going on; "lost" (no end, not said ongoing) is left out
    assert longest == [
        ("old", None, (end_2023 - dt.date(2021, 6, 1)).days + 1),
        ("young", None, (end_2023 - dt.date(2023, 6, 1)).days + 1),
        ("vote", dt.date(2023, 8, 3), 3),
    ]
    assert compute(rows)[2023].new_countries is None  # the data's first year: nothing to be new to


BREAKDOWNS_YAML = """
yearly:
  2020:
    first: {shutdowns: 155, countries: 29, as_of: "2021", source: "Access Now, 2020 report", url: "https://example.org/20"}
    breakdowns:
      by_trigger: {elections: 1, protests: {value: 2, note: "in 1 country"}}
      ongoing: 2
"""


def test_published_breakdowns_stand_beside_the_computed_ones() -> None:
    stats = data(load_reported(BREAKDOWNS_YAML, "b.yaml"))
    assert stats.value("by_trigger", "2020", category="elections") == 1
    assert stats.value("reported_by_trigger", "2020", category="protests") == 2
    assert stats.value("by_trigger", "2020", category="exam-cheating") == 0  # a category the year lacks
    assert stats.value("by_trigger", "2020", category="nope") is None
    assert stats.value("reported_ongoing", "2020") == 2 and stats.value("reported_ongoing", "2019") is None
    figure = stats.reported.breakdown(2020, "by_trigger", "protests")
    assert figure is not None and figure.note == "in 1 country" and figure.url == "https://example.org/20"
    report = year_report(stats, 2020)
    assert report["by_trigger"]["elections"] == {"computed": 1, "reported": 1, "difference": 0}
    assert report["ongoing"] == {"computed": 2, "reported": 2, "difference": 0}
    text = data_template_text(stats, "Doc")
    line = next(x for x in text.splitlines() if x.startswith("   | 2020 = {{#switch:{{{3|}}} | protests"))
    assert "| protests | manifestations = 1 |" in line and "| elections | élections = 1 |" in line
    inline, changed, unknown = update_inline(
        "{{Chiffre KeepItOn|par déclencheur|2020|manifestations}}", "Chiffre KeepItOn", stats, "valeur"
    )
    assert (inline, changed, unknown) == (
        "{{Chiffre KeepItOn|par déclencheur|2020|manifestations|valeur=1}}",
        1,
        [],
    )


@pytest.mark.parametrize(
    ("figures", "message"),
    [
        ("{by_trigger: {riots: 3}}", "unknown category 'riots'"),
        ("{reasons: 3}", "unknown figure 'reasons'"),
        ("{ongoing: {note: x}}", "'value' is missing"),
        ("{ongoing: {value: 3, why: x}}", "unknown key 'why'"),
        ("{ongoing: -3}", "must be a whole number"),
        ("[1]", "must map counts"),
    ],
)
def test_bad_published_breakdowns_are_clear_errors(figures: str, message: str) -> None:
    first = "{shutdowns: 1, as_of: '2021', source: x}"
    text = f"yearly:\n  2020:\n    first: {first}\n    breakdowns: {figures}\n"
    with pytest.raises(SettingsError, match=message):
        load_reported(text, "figures.yaml")


COMBINED = ROOT.parent / "shared/data/keepiton_stop/keepiton_stop_combined_2016-2025.derived.csv"


@pytest.mark.skipif(not COMBINED.exists(), reason="the shared STOP data is not on this machine")
def test_the_combined_sheet_beside_the_2023_and_2024_reports() -> None:
    from wikibot.settings import SourceSpec
    from wikibot.sources import read_source

    source = read_source(SourceSpec(location=str(COMBINED)))
    stats = StatsData(
        years=compute(source.incidents, source.rejected),
        reported=load_reported_file(ROOT / "wikibot/data/reported_figures.yaml"),
        as_of="2026-05-20",
        lang="en",
        citation_template="cite web",
        citation_params={},
        source_name="STOP",
    )
    report = year_report(stats, 2023)["by_trigger"]
    # the 2023 report: conflict 74, protests 63, exams 12, elections 5; the data as read today
    assert report["conflict"] == {"computed": 75, "reported": 74, "difference": 1}
    assert report["protests"] == {"computed": 61, "reported": 63, "difference": -2}
    assert report["exam-cheating"]["computed"] == 12 and report["elections"]["computed"] == 5
    y2024 = stats.years[2024]
    assert ("UA", "RU", 7) in y2024.orders  # "the data lists 7 shutdowns in Ukraine ordered by Russia"
    assert y2024.count("elections") == 12 and y2024.count("violence") == 151
    assert stats.years[2016].count("elections") is None  # 4 of 80 rows answer: not recorded
    assert len(y2024.longest) == 10 and y2024.longest[0].days >= y2024.longest[-1].days
