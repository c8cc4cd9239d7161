"""Statistics: figures per year, reported figures, the data template, inline figures, explanations."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import mwparserfromhell
import pytest

from wikibot.errors import SettingsError
from wikibot.model import Country, Incident
from wikibot.stats import (
    ReportedFigures,
    StatsData,
    compute,
    data_template_text,
    explanation,
    load_reported,
    load_reported_file,
    resolve_key,
    update_inline,
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
        cause="Information control",
    ),
    incident("b", (KE, BI), "2020-03-01", "2020-03-10", (2020,), types=("throttling",), cause="Elections"),
    incident(
        "c",
        (IR,),
        "2020-11-15",
        "2021-01-04",
        (2020, 2021),
        types=("shutdown",),
        cause="Protests",
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
        ("members", "", 300),
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
    assert "| shutdowns | coupures = {{#switch:{{{2|}}}" in text
    assert "   | 2020 = 4\n" in text
    assert "| members | membres = 300" in text


@pytest.mark.parametrize(
    ("before", "after", "changed"),
    [
        (
            "Soutenu par {{Chiffre KeepItOn|membres|valeur=243}} organisations, puis plus de "
            "{{Chiffre KeepItOn | membres | valeur = 220 }} organisations.",
            "Soutenu par {{Chiffre KeepItOn|membres|valeur=300}} organisations, puis plus de "
            "{{Chiffre KeepItOn | membres | valeur = 300 }} organisations.",
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


def test_explanations() -> None:
    stats = data(lang="en")
    assert explanation(2020, stats.years[2020], stats).startswith("revised by Access Now: 155, then 159")
    assert "1 shutdown started before 2020 and still ongoing is counted in 2020 too" in explanation(
        2020, stats.years[2020], stats
    )
    assert explanation(2016, None, stats) == ""


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
