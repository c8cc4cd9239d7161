"""Rendering: escaping round-trips and never makes markup; rows and localization."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import mwparserfromhell
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wikibot import l10n
from wikibot.model import Country, Incident
from wikibot.render import (
    ACCESS_HOLE,
    clean_text,
    country_links,
    escape,
    incident_row,
    link_label,
    read_row,
    references,
    row_text,
    split_items,
    unescape,
)
from wikibot.settings import load
from wikibot.text import safe_url

HOSTILE = [
    "a|b",
    "}}",
    "{{subst:Foo}}",
    "[[Page]]",
    "[http://x.example y]",
    "<ref>x</ref>",
    "~~~~",
    "__NOTOC__",
    "#REDIRECT [[X]]",
    "''italic'' '''bold'''",
    "see http://x.example/",
    "-- - |- |} {|",
    "* list",
    ": indent",
    "&amp; &lt;",
    "line\nbreak",
    " leading and trailing ",
    "[[Category:X]]",
    "<nowiki>",
    "{{{1}}}",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_escape_round_trips_and_makes_no_markup(value: str) -> None:
    escaped = escape(value)
    assert unescape(escaped) == value
    code = mwparserfromhell.parse(f"{{{{Row|x={escaped}}}}}")
    (template,) = code.filter_templates()
    assert [str(p.name) for p in template.params] == ["x"]
    inner = template.get("x").value
    assert not inner.filter_templates() and not inner.filter_wikilinks() and not inner.filter_tags()
    assert not inner.filter_external_links() and not inner.filter_arguments()
    for danger in ("~~~", "__", "''", "[[", "{{", "://"):
        assert danger not in escaped


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_round_trips(value: str) -> None:
    assert unescape(escape(value)) == clean_text(value)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://x.example/a|b", "https://x.example/a%7Cb"),
        ("https://x.example/{{x}}", "https://x.example/%7B%7Bx%7D%7D"),
        ("https://x.example/a b", "https://x.example/a%20b"),
        ("https://x.example/~~~~", "https://x.example/%7E%7E%7E%7E"),
        ("https://x.example/__NOTOC__", "https://x.example/_%5FNOTOC_%5F"),
        ("https://x.example/?a=1&b=2", "https://x.example/?a=1&b=2"),
    ],
)
def test_safe_url(url: str, expected: str) -> None:
    assert safe_url(url) == expected
    assert safe_url(expected) == expected  # idempotent: stored links stay as they are


@pytest.mark.parametrize(
    ("lang", "date", "text"),
    [
        ("fr", dt.date(2021, 2, 24), "24 février 2021"),
        ("en", dt.date(2021, 2, 24), "24 February 2021"),
        ("fr", dt.date(2020, 8, 1), "1 août 2020"),
    ],
)
def test_dates_localized_and_read_back(lang: str, date: dt.date, text: str) -> None:
    assert l10n.format_date(date, lang) == text
    assert l10n.parse_date(text, lang) == date
    assert l10n.parse_date(date.isoformat(), lang) == date


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("2025-02-24", "fr", "24 février 2025"),
        ("2025-02", "fr", "février 2025"),
        ("2025-02", "en", "February 2025"),
        ("2024", "ar", "٢٠٢٤"),
        ("2025-02-24", "ar", "٢٤ فبراير ٢٠٢٥"),
        ("2025-13-01", "fr", "2025-13-01"),  # not a date: shown as written
        ("printemps 2024", "fr", "printemps 2024"),
    ],
)
def test_a_figure_s_date_in_words(text: str, lang: str, expected: str) -> None:
    assert l10n.format_as_of(text, lang) == expected


def test_numbers_and_countries_localized() -> None:
    assert l10n.format_number(3411, "fr") == "3\u202f411"
    assert l10n.format_number(3411, "en") == "3,411"
    assert l10n.country_name(Country("IR", "Iran (Islamic Republic of)"), "fr") == "Iran"
    assert l10n.country_name(Country("DE", "Germany"), "fr") == "Allemagne"
    assert l10n.country_name(Country(None, "Somaliland"), "fr") == "Somaliland"
    assert l10n.country_from_name("Allemagne", "fr") == Country("DE", "Allemagne")


def test_messages_plural() -> None:
    assert l10n.message("fr", "summary-added", 1) == "+1 coupure"
    assert l10n.message("fr", "summary-added", 3) == "+3 coupures"
    assert l10n.message("en", "summary-updated", 2) == "2 updates"


INCIDENT = Incident(
    id="kio-0123456789",
    countries=(Country("IR", "Iran (Islamic Republic of)"), Country(None, "Somaliland")),
    start=dt.date(2021, 2, 24),
    end=dt.date(2021, 3, 1),
    status="ended",
    scope="national",
    types=("shutdown",),
    extents=("service-based",),
    networks=("mobile", "broadband"),
    services=("Facebook", "WhatsApp"),
    justification="[[Fake news]] | {{x}}",
    cause="Protests",
    ordered_by="Executive government",
    area="Tehran ~~~~",
    description="''Quoted'' __NOTOC__",
    sources=("https://a.example/1", "https://b.example/x|y"),
    years=(2021,),
)


@pytest.mark.parametrize("profile", ["devwiki", "devwiki-en"])
def test_a_row_reads_back_as_the_incident(profile: str) -> None:
    spec = load(profile).row_spec()
    row = incident_row(INCIDENT, spec)
    text = row_text(row, spec.row_template)
    (template,) = mwparserfromhell.parse(text).filter_templates(recursive=False)
    values = {str(p.name).strip(): str(p.value).strip() for p in template.params}
    record = read_row(values, spec)
    assert record["id"] == INCIDENT.id
    assert record["country"] == ["IR", "Somaliland"]
    assert (record["start"], record["end"]) == ("2021-02-24", "2021-03-01")
    assert (record["status"], record["scope"]) == ("ended", "national")
    assert (record["type"], record["extent"], record["network"]) == (
        ["shutdown"],
        ["service-based"],
        ["mobile", "broadband"],
    )
    assert record["services"] == ["Facebook", "WhatsApp"]
    assert (record["justification"], record["area"], record["description"]) == (
        INCIDENT.justification,
        INCIDENT.area,
        INCIDENT.description,
    )
    assert record["sources"] == ["https://a.example/1", "https://b.example/x%7Cy"]  # in safe_url form


def test_row_text_in_french() -> None:
    spec = load("devwiki").row_spec()
    text = row_text(incident_row(INCIDENT, spec), spec.row_template)
    # ISO dates and plain digits: the row template shows them in the wiki's language and digits
    assert text.startswith(
        "{{Coupure Internet\n|id=kio-0123456789\n|début=2021-02-24\n|fin=2021-03-01\n|durée=6\n"
    )
    assert "|pays=[[Iran]] ; [[Somaliland]]\n" in text
    assert "|statut=terminée\n" in text
    # each link a plain external link in a named <ref>: no citation template, no access date
    assert '|sources=<ref name="kio-' in text and "[https://a.example/1 a.example]</ref>" in text
    assert "Lien web" not in text and "consulté" not in text


@pytest.mark.parametrize(
    ("url", "label"),
    [
        ("https://www.example.com/", "example.com"),
        (
            "https://www.business-standard.com/article/news-ani/"
            "kulgam-encounter-mobile-internet-services-suspended-118041100183_1.html",
            "Kulgam encounter mobile internet services suspended (business-standard.com)",
        ),
        (
            "https://engagemedia.org/2024/myanmar-digital-coup-quarterly-may-2024-july-2024/",
            "Myanmar digital coup quarterly may 2024 july (engagemedia.org)",
        ),
        ("https://twitter.com/ethiotelecom_/status/1147033441550131200/photo/2", "twitter.com"),
        ("https://explorer.ooni.org/chart/mat?probe_cc=TR&since=2023-01-01", "explorer.ooni.org"),
        (
            "https://netblocks.org/reports/internet-disrupted-in-iraq-amid-exams-X8q9",
            "Internet disrupted in iraq amid exams (netblocks.org)",
        ),
        (
            "https://ar.example/%D9%82%D8%B7%D8%B9-%D8%A7%D9%84%D8%A5%D9%86%D8%AA%D8%B1%D9%86%D8%AA-%D9%81%D9%8A-%D8%BA%D8%B2%D8%A9",
            "قطع الإنترنت في غزة (ar.example)",
        ),
        ("not a link", "not a link"),
    ],
)
def test_a_link_is_labelled_by_its_address(url: str, label: str) -> None:
    assert link_label(url) == label


def test_references_are_named_by_their_link_and_never_make_other_markup() -> None:
    urls = ("https://a.example/x]y", "https://a.example/x]y", "https://b.example/p|q}}")
    text = references(urls)
    tags = [t for t in mwparserfromhell.parse(text).filter_tags() if str(t.tag) == "ref"]
    assert len(tags) == 3 and str(tags[0]) == str(tags[1])  # one link, one reference (same text)
    assert len({str(t.get("name").value) for t in tags}) == 2
    assert not mwparserfromhell.parse(text).filter_templates()


@pytest.mark.parametrize(
    ("profile", "countries", "links", "names"),
    [
        ("devwiki", (Country("IR", "Iran"),), "[[Iran]]", ["Iran"]),
        # the settings map a country to another article: the link shows the usual name
        ("devwiki", (Country("MM", "Myanmar"),), "[[Birmanie|Myanmar (Birmanie)]]", ["Myanmar (Birmanie)"]),
        (
            "devwiki-en",
            (Country("IR", "Iran"), Country("KE", "Kenya")),
            "[[Iran]]; [[Kenya]]",
            ["Iran", "Kenya"],
        ),
        # a name that cannot be a title is shown as text, escaped
        ("devwiki", (Country(None, "A|B [x]"),), "A&#124;B &#91;x&#93;", ["A|B [x]"]),
    ],
)
def test_countries_link_to_their_articles(
    profile: str, countries: tuple[Country, ...], links: str, names: list[str]
) -> None:
    spec = load(profile).row_spec()
    if profile == "devwiki":
        spec = replace(spec, country_links={"MM": "Birmanie"})
    assert country_links(countries, spec) == links
    assert split_items(links) == names


@pytest.mark.parametrize(
    ("profile", "location", "plain", "ref"),
    [
        (
            "devwiki",
            "https://docs.example/sheet.csv",
            False,
            '<ref name="keepiton-stop-data">{{Lien web |url=https://www.accessnow.org/keepiton-data-spreadsheet/'
            " |titre=&#35;KeepItOn STOP data |éditeur=Access Now |langue=en |consulté le=\x00}}</ref>",
        ),
        (  # a file: the bot did not access the data set on the web, no access date
            "devwiki-en",
            "/data/sheet.csv",
            False,
            '<ref name="keepiton-stop-data">{{cite web |url=https://www.accessnow.org/keepiton-data-spreadsheet/'
            " |title=&#35;KeepItOn STOP data |publisher=Access Now}}</ref>",
        ),
        (  # without the wiki's template (a page that would not fit the limits otherwise)
            "devwiki",
            "https://docs.example/sheet.csv",
            True,
            '<ref name="keepiton-stop-data">[https://www.accessnow.org/keepiton-data-spreadsheet/'
            " &#35;KeepItOn STOP data]"
            ", Access Now, consulté le {{#time:j F Y|\x00}}.</ref>",
        ),
    ],
)
def test_the_data_set_is_cited_with_an_access_date_only_when_the_bot_read_it_online(
    profile: str, location: str, plain: bool, ref: str
) -> None:
    config = load(profile)
    config = replace(config, source=replace(config.source, location=location))
    assert config.dataset_citation().ref(plain) == ref
    assert (ACCESS_HOLE in ref) is location.startswith("https://")


def test_same_data_same_bytes() -> None:
    spec = load("devwiki").row_spec()
    a = row_text(incident_row(INCIDENT, spec), spec.row_template)
    b = row_text(incident_row(INCIDENT, spec), spec.row_template)
    assert a == b
