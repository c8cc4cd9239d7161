"""export_list: list pages read back into incident records (editors' changes included), as JSON or CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import pytest

from wikibot import export, plan, settings
from wikibot.model import Country, Incident, SourceResult
from wikibot.safety import WikiState

FR = settings.load("devwiki")
EN = settings.load("devwiki-en")
REF_A = "<ref>{{Lien web |url=https://example.org/a |titre=example.org}}</ref>"


def year_page(*rows: str) -> str:
    return "Intro.\n{{Coupure Internet/début}}\n" + "\n".join(rows) + "\n{{Coupure Internet/fin}}\n"


# "a" is counted in 2019 and 2020: the 2020 page (the later one) says it ended and where.
PAGES = {
    2019: (
        "Liste 2019",
        year_page(
            f"{{{{Coupure Internet|id=a|début=30 décembre 2019|statut=en cours|pays=Iran|zone=Téhéran"
            f"|sources={REF_A}}}}}"
        ),
    ),
    2020: (
        "Liste 2020",
        year_page(
            "{{Coupure Internet|id=b|début=1 mars 2020|fin=2 mars 2020|statut=terminée|pays=Kenya ; Burundi"
            "|type=coupure ; bridage|réseau=mobile|services=WhatsApp ; X&#59; Twitter"
            "|sources=[https://example.org/b b]|note=vu sur place}}",
            f"{{{{Coupure Internet|id=a|début=30 décembre 2019|fin=3 janvier 2020|statut=terminée|pays=Iran"
            f"|zone=Province de Téhéran|portée=régionale|sources={REF_A}}}}}",
            "{{Coupure Internet|début=1 avril 2020|pays=Kenya}}",  # a row added by hand, without id
            "{{Coupure Internet|id=c|début=le 3|pays=Atlantide|statut=peut-être}}",
        ),
    ),
    2021: ("Liste 2021", "A page an editor emptied."),
}


def exported() -> tuple[list[dict[str, Any]], list[str]]:
    return export.records(PAGES, FR)


def test_one_record_per_id_in_start_order_and_broken_pages_apart() -> None:
    items, problems = exported()
    assert [r["id"] for r in items] == ["a", "b", "c"]  # '2019-12-30' < '2020-03-01' < 'le 3'
    assert len(problems) == 1 and problems[0].startswith("Liste 2021: no bot region")


@pytest.mark.parametrize(
    ("ident", "field", "value"),
    [
        ("a", "year", [2019, 2020]),  # one record for the two pages
        ("a", "end", "2020-01-03"),  # the latest year describes the latest state
        ("a", "status", "ended"),
        ("a", "area", "Province de Téhéran"),
        ("a", "scope", "regional"),
        ("a", "start", "2019-12-30"),
        ("a", "country", ["IR"]),
        ("a", "sources", ["https://example.org/a"]),
        ("b", "year", [2020]),
        ("b", "country", ["KE", "BI"]),
        ("b", "type", ["shutdown", "throttling"]),
        ("b", "network", ["mobile"]),
        ("b", "services", ["WhatsApp", "X; Twitter"]),  # an escaped ';' is no separator
        ("b", "sources", ["https://example.org/b"]),
        ("b", "note", "vu sur place"),  # an editor's own parameter is kept
        ("b", "area", ""),
        ("b", "end", "2020-03-02"),
        ("c", "start", "le 3"),  # what is not a date is exported as written
        ("c", "end", None),
        ("c", "country", ["Atlantide"]),
        ("c", "status", "peut-être"),
        ("c", "sources", []),
    ],
)
def test_records(ident: str, field: str, value: object) -> None:
    items, _ = exported()
    record = next(r for r in items if r["id"] == ident)
    assert record[field] == value


def test_records_of_an_english_page() -> None:
    text = (
        "{{Internet shutdown row/header}}\n"
        "{{Internet shutdown row|id=z|start=24 February 2021|countries=Myanmar|status=ongoing|scope=national"
        "|type=shutdown|sources=<ref>{{cite web |url=https://example.org/z |title=x}}</ref>}}\n"
        "{{Internet shutdown row/footer}}"
    )
    (record,), problems = export.records({2021: ("List 2021", text)}, EN)
    assert problems == []
    assert {
        k: record[k] for k in ("id", "country", "start", "status", "scope", "type", "sources", "year")
    } == {
        "id": "z",
        "country": ["MM"],
        "start": "2021-02-24",
        "status": "ongoing",
        "scope": "national",
        "type": ["shutdown"],
        "sources": ["https://example.org/z"],
        "year": [2021],
    }


# ---------------------------------------------------------------- the inverse of the sync

IR, KE = Country("IR", "Iran"), Country("KE", "Kenya")
INCIDENTS = (
    Incident(
        "kio-1",
        (IR,),
        dt.date(2019, 12, 30),
        dt.date(2020, 1, 3),
        "ended",
        "regional",
        ("shutdown",),
        ("full-network",),
        ("mobile", "broadband"),
        ("WhatsApp",),
        "Protests",
        "protests",  # a vocabulary key, as normalization keeps it
        "Government",
        "Tehran | Karaj",
        "A [[note]] with {{markup}}",
        ("https://example.org/1",),
        (2019, 2020),
    ),
    Incident("kio-2", (KE, Country(None, "Somaliland")), dt.date(2020, 3, 1), years=(2020,)),
)


@pytest.mark.parametrize("config", [FR, EN])
def test_records_read_back_what_the_sync_wrote(config: settings.Settings) -> None:
    source = SourceResult("sheet.csv", "combined", 2, INCIDENTS, ())
    pages = {
        int(p.title[-4:]): (p.title, p.new_text())
        for p in plan.plans(source, config, dt.date(2026, 1, 1))
        if p.kind == "year"
    }
    items, problems = export.records(pages, config)
    assert problems == []
    assert items == [export.incident_record(i) for i in INCIDENTS]


@pytest.mark.parametrize(
    ("incident", "record"),
    [
        (
            INCIDENTS[1],
            {
                "id": "kio-2",
                "country": ["KE", "Somaliland"],
                "start": "2020-03-01",
                "end": None,
                "status": "unknown",
                "scope": "unknown",
                "type": [],
                "extent": [],
                "network": [],
                "services": [],
                "area": "",
                "justification": "",
                "cause": "",
                "ordered_by": "",
                "description": "",
                "sources": [],
                "year": [2020],
            },
        ),
    ],
)
def test_incident_record(incident: Incident, record: dict[str, Any]) -> None:
    assert export.incident_record(incident) == record


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("end", "2020-01-03"),
        ("extent", ["full-network"]),
        ("network", ["mobile", "broadband"]),
        ("ordered_by", "Government"),
        ("year", [2019, 2020]),
    ],
)
def test_incident_record_fields(field: str, value: object) -> None:
    assert export.incident_record(INCIDENTS[0])[field] == value


# ---------------------------------------------------------------------------- JSON and CSV


def test_to_json_is_a_utf8_list_that_reads_back() -> None:
    items, _ = exported()
    text = export.to_json(items)
    assert text.startswith("[\n  {") and text.endswith("]\n")
    assert "Téhéran" in text  # not \u00e9
    assert json.loads(text) == items


@pytest.mark.parametrize(
    ("items", "text"),
    [
        ([], "\n"),
        ([{"id": "a", "country": ["KE", "BI"], "end": None}], "id,country,end\na,KE; BI,\n"),
        ([{"id": "a", "year": [2019, 2020]}], "id,year\na,2019; 2020\n"),
        ([{"id": "a", "type": []}], "id,type\na,\n"),
        (  # a column only some records have is added once, at the end
            [{"id": "a"}, {"id": "b", "note": "x"}, {"id": "c", "note": "y"}],
            "id,note\na,\nb,x\nc,y\n",
        ),
        ([{"id": "a", "area": 'Nord, "Sud"'}], 'id,area\na,"Nord, ""Sud"""\n'),
    ],
)
def test_to_csv(items: list[dict[str, Any]], text: str) -> None:
    assert export.to_csv(items) == text


def test_to_csv_of_the_pages_reads_back() -> None:
    items, _ = exported()
    rows = list(csv.DictReader(io.StringIO(export.to_csv(items))))
    assert [r["id"] for r in rows] == ["a", "b", "c"]
    assert rows[1]["country"] == "KE; BI" and rows[1]["note"] == "vu sur place" and rows[0]["note"] == ""
    assert rows[1]["services"] == "WhatsApp; X; Twitter"  # joined: the escaped ';' is lost in CSV


# ---------------------------------------------------------------------------- the index page

INDEX_FR = (
    "Intro.\n{{Coupure Internet/années début|date des données=2025-12-31}}\n"
    "{{Coupure Internet/année|année=2019|page=Liste 2019|coupures=213|pays=33}}\n"
    "{{Coupure Internet/année|année=2020|page=|coupures=1\u202f234|pays=29}}\n"
    "{{Coupure Internet/année|année=2021|page=Coupures de l&#39;an 2021|coupures=beaucoup|pays=1}}\n"
    "{{Coupure Internet/année|année=Total|page=x|coupures=9|pays=1}}\n"
    "{{Coupure Internet/années fin}}\n"
)
INDEX_EN = (
    "{{Internet shutdown row/years header|data_date=2026-01-02}}\n"
    "{{Internet shutdown row/year|year=2022|page=List 2022|shutdowns=1,234|countries=40}}\n"
    "{{Internet shutdown row/years footer}}"
)


@pytest.mark.parametrize(
    ("config", "text", "years"),
    [
        (
            FR,
            INDEX_FR,
            {
                2019: "Liste 2019",
                2020: "Liste des coupures d'Internet en 2020",  # no page given: the settings' title
                2021: "Coupures de l'an 2021",
            },
        ),
        (EN, INDEX_EN, {2022: "List 2022"}),
        (FR, "{{Coupure Internet/années début}}\n{{Coupure Internet/années fin}}", {}),
    ],
)
def test_index_years(config: settings.Settings, text: str, years: dict[int, str]) -> None:
    assert export.index_years(text, config) == years


@pytest.mark.parametrize(
    ("config", "text", "state"),
    [
        (FR, INDEX_FR, WikiState({2019: 213, 2020: 1234}, "2025-12-31")),  # 2021: no number; Total: no year
        (EN, INDEX_EN, WikiState({2022: 1234}, "2026-01-02")),
        (FR, "{{Coupure Internet/années début}}\n{{Coupure Internet/années fin}}", WikiState({}, "")),
    ],
)
def test_index_state(config: settings.Settings, text: str, state: WikiState) -> None:
    assert export.index_state(text, config) == state


def test_index_state_of_the_index_the_sync_writes() -> None:
    source = SourceResult("s", "x", 2, INCIDENTS, (), as_of="2025-12-31")
    index = plan.plans(source, FR, dt.date(2026, 1, 1))[-1].new_text()
    assert export.index_state(index, FR) == WikiState({2019: 1, 2020: 2}, "2025-12-31")
    assert export.index_years(index, FR) == {
        2019: "Liste des coupures d'Internet en 2019",
        2020: "Liste des coupures d'Internet en 2020",
    }


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("No region.", "Liste 2022: no bot region"),
        (year_page("{{Coupure Internet|id=a|début=1 mars 2022}}") * 2, "Liste 2022: 2 header and 2 footer"),
        (
            year_page(
                "{{Coupure Internet|id=a|début=1 mars 2022}}", "{{Coupure Internet|id=a|début=2 mars 2022}}"
            ),
            "Liste 2022: two rows with id=a",
        ),
    ],
)
def test_a_page_that_cannot_be_read_is_a_problem_and_the_others_are_exported(text: str, problem: str) -> None:
    items, problems = export.records({**PAGES, 2022: ("Liste 2022", text)}, FR)
    assert [r["id"] for r in items] == ["a", "b", "c"]
    assert len(problems) == 2
    assert problems[0].startswith("Liste 2021: no bot region") and problems[1].startswith(problem)
