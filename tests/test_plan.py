"""Plans: which rows each page must hold, how a plan is merged, edit summaries and the ids on the wiki."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

import pytest

from wikibot import plan, settings
from wikibot.identity import Key
from wikibot.listpage import MergeResult
from wikibot.model import Country, Incident, SourceResult
from wikibot.render import ROW_FIELDS
from wikibot.stats import load_reported

FR = settings.load("devwiki")
EN = settings.load("devwiki-en")
# a wiki fed from the sheet's web address: the bot accessed the data set, its citation is dated
FR_WEB = replace(FR, source=replace(FR.source, location="https://example.org/sheet.csv"))
TODAY = dt.date(2026, 1, 1)
IR, KE, BI = Country("IR", "Iran"), Country("KE", "Kenya"), Country("BI", "Burundi")

# kio-a: counted in 2019 and 2020 (a carry-over); kio-c starts before kio-b in 2020.
A = Incident(
    "kio-a",
    (IR,),
    dt.date(2019, 12, 30),
    None,
    "ongoing",
    sources=("https://example.org/a",),
    years=(2019, 2020),
)
B = Incident(
    "kio-b",
    (KE,),
    dt.date(2020, 3, 1),
    dt.date(2020, 3, 2),
    "ended",
    "national",
    ("shutdown",),
    area="Nationwide",
    sources=("https://example.org/b",),
    years=(2020,),
)
C = Incident(
    "kio-c",
    (KE, BI),
    dt.date(2020, 1, 5),
    dt.date(2020, 1, 5),
    "ended",
    sources=("https://example.org/c",),
    years=(2020,),
)
SOURCE = SourceResult("sheet.csv", "combined", 4, (B, A, C), (), version="v1", as_of="2025-12-31")
Y2019, Y2020 = "Liste des coupures d'Internet en 2019", "Liste des coupures d'Internet en 2020"
INDEX = "Liste des coupures d'Internet"


def years_only(config: settings.Settings, years: tuple[int, ...]) -> settings.Settings:
    return replace(config, list=replace(config.list, years=years))


def with_incidents(*incidents: Incident) -> SourceResult:
    return replace(SOURCE, incidents=incidents)


def synced_pages(source: SourceResult = SOURCE, config: settings.Settings = FR) -> dict[str, str]:
    """Every page as a first run writes it."""
    return {p.title: p.apply("").text for p in plan.plans(source, config, TODAY)}


# ------------------------------------------------------------------------------------ plans


@pytest.mark.parametrize(
    ("config", "pages"),
    [
        (
            FR,
            [
                (Y2019, "year"),
                (Y2020, "year"),
                (INDEX, "index"),
            ],
        ),
        (
            EN,
            [
                ("List of Internet shutdowns in 2019", "year"),
                ("List of Internet shutdowns in 2020", "year"),
                ("List of Internet shutdowns", "index"),
            ],
        ),
        (years_only(FR, (2020,)), [(Y2020, "year"), (INDEX, "index")]),
        (years_only(FR, (2019, 2021)), [(Y2019, "year"), (INDEX, "index")]),
        (years_only(FR, (2018,)), [(INDEX, "index")]),
    ],
)
def test_one_plan_per_year_page_oldest_first_then_the_index(
    config: settings.Settings, pages: list[tuple[str, str]]
) -> None:
    assert [(p.title, p.kind) for p in plan.plans(SOURCE, config, TODAY)] == pages


@pytest.mark.parametrize(
    ("incidents", "year", "ids"),
    [
        ((B, A, C), 2019, ["kio-a"]),
        # by start date, whatever the source order; kio-a started in 2019: last, in the second table
        ((B, A, C), 2020, ["kio-c", "kio-b", "kio-a"]),
        ((C, B, A), 2020, ["kio-c", "kio-b", "kio-a"]),
        # same start: by country key (BI before KE), then by id
        ((replace(B, id="kio-z", countries=(BI,)), B), 2020, ["kio-z", "kio-b"]),
        ((replace(B, id="kio-z"), B), 2020, ["kio-b", "kio-z"]),
    ],
)
def test_year_rows_are_sorted_by_start_then_country(
    incidents: tuple[Incident, ...], year: int, ids: list[str]
) -> None:
    (page,) = [p for p in plan.plans(with_incidents(*incidents), FR, TODAY) if p.title.endswith(str(year))]
    assert [r.id for r in page.rows] == ids
    assert [r.group for r in page.rows] == [int(r.id == "kio-a" and year == 2020) for r in page.rows]


@pytest.mark.parametrize(
    ("config", "years", "rows"),
    [
        (
            FR,
            (),
            [
                (("année", "2019"), ("page", Y2019), ("coupures", "1"), ("pays", "1")),
                (("année", "2020"), ("page", Y2020), ("coupures", "3"), ("pays", "3")),
            ],
        ),
        (
            EN,
            (),
            [
                (
                    ("year", "2019"),
                    ("page", "List of Internet shutdowns in 2019"),
                    ("shutdowns", "1"),
                    ("countries", "1"),
                ),
                (
                    ("year", "2020"),
                    ("page", "List of Internet shutdowns in 2020"),
                    ("shutdowns", "3"),
                    ("countries", "3"),
                ),
            ],
        ),
        (FR, (2020,), [(("année", "2020"), ("page", Y2020), ("coupures", "3"), ("pays", "3"))]),
    ],
)
def test_index_rows_hold_each_year_its_page_and_counts(
    config: settings.Settings, years: tuple[int, ...], rows: list[tuple[tuple[str, str], ...]]
) -> None:
    index = plan.plans(SOURCE, years_only(config, years), TODAY)[-1]
    assert [r.params for r in index.rows] == rows
    assert [r.id for r in index.rows] == [r[0][1] for r in rows]


@pytest.mark.parametrize(
    ("config", "count_param", "shown"),
    [(FR, "coupures", "1234"), (EN, "shutdowns", "1234")],
)
def test_index_counts_are_plain_digits(config: settings.Settings, count_param: str, shown: str) -> None:
    """The index row template shows them with {{formatnum:}}: in the wiki's own digits."""
    many = tuple(
        replace(B, id=f"kio-{n}", start=dt.date(2021, 1, 1) + dt.timedelta(days=n % 365), years=(2021,))
        for n in range(1234)
    )
    (row,) = plan.plans(with_incidents(*many), config, TODAY)[-1].rows
    assert row.get(count_param) == shown


@pytest.mark.parametrize(
    ("config", "as_of", "header"),
    [
        (FR, "2025-12-31", "{{Coupure Internet/années début|date des données=2025-12-31}}"),
        (EN, "2025-12-31", "{{Internet shutdown row/years header|data_date=2025-12-31}}"),
        (FR, "", "{{Coupure Internet/années début}}"),
    ],
)
def test_the_index_header_holds_the_date_of_the_data(
    config: settings.Settings, as_of: str, header: str
) -> None:
    index = plan.plans(replace(SOURCE, as_of=as_of), config, TODAY)[-1]
    assert index.spec.header_text() == header
    assert plan.index_spec(config, as_of).header_text() == header
    assert index.new_text().split("-->")[-1].count(header) == 1  # in the region (not the hidden note)


@pytest.mark.parametrize(
    ("config", "row", "header", "footer", "id_param", "sources", "missing", "missing_value"),
    [
        (
            FR,
            "Coupure Internet",
            "Coupure Internet/début",
            "Coupure Internet/fin",
            "id",
            "sources",
            "absente",
            "oui",
        ),
        (
            EN,
            "Internet shutdown row",
            "Internet shutdown row/header",
            "Internet shutdown row/footer",
            "id",
            "sources",
            "missing",
            "yes",
        ),
    ],
)
def test_year_spec(
    config: settings.Settings,
    row: str,
    header: str,
    footer: str,
    id_param: str,
    sources: str,
    missing: str,
    missing_value: str,
) -> None:
    spec = plan.year_spec(config)
    assert (spec.row_template, spec.header_template, spec.footer_template) == (row, header, footer)
    assert (spec.id_param, spec.missing_param) == (id_param, missing)
    assert (spec.missing_value, spec.missing_policy, spec.header_params) == (missing_value, "keep", ())


@pytest.mark.parametrize(
    ("config", "templates", "id_param"),
    [
        (
            FR,
            ("Coupure Internet/année", "Coupure Internet/années début", "Coupure Internet/années fin"),
            "année",
        ),
        (
            EN,
            (
                "Internet shutdown row/year",
                "Internet shutdown row/years header",
                "Internet shutdown row/years footer",
            ),
            "year",
        ),
    ],
)
def test_index_spec(config: settings.Settings, templates: tuple[str, str, str], id_param: str) -> None:
    spec = plan.index_spec(config)
    assert (spec.row_template, spec.header_template, spec.footer_template) == templates
    assert (spec.id_param, spec.header_params) == (id_param, ())


# ------------------------------------------------------------------- new_text, apply, holds


@pytest.mark.parametrize(
    ("config", "kind", "starts", "ends"),
    [
        (
            FR,
            "year",
            "Cette liste recense les coupures d'Internet comptées en 2019 dans les données STOP",
            "}}\n\n== Références ==\n<references />\n\n[[Catégorie:Censure d'Internet]]\n",
        ),
        (
            EN,
            "year",
            "This list covers the Internet shutdowns counted in 2019 in the STOP data",
            "}}\n\n== References ==\n<references />\n\n[[Category:Internet censorship]]\n",
        ),
        (
            FR,
            "index",
            "Listes annuelles des coupures d'Internet",
            "\n{{Coupure Internet/années fin}}\n\n[[Catégorie:Censure d'Internet]]\n",
        ),
        (
            EN,
            "index",
            "Yearly lists of the Internet shutdowns",
            "\n{{Internet shutdown row/years footer}}\n\n[[Category:Internet censorship]]\n",
        ),
    ],
)
def test_a_new_page_is_the_intro_the_region_and_the_references(
    config: settings.Settings, kind: str, starts: str, ends: str
) -> None:
    page = next(p for p in plan.plans(SOURCE, config, TODAY) if p.kind == kind)
    text = page.new_text()
    assert text.startswith(starts) and text.endswith(ends)
    assert ("<references />" in text) is (kind == "year")
    # what editors must know about the bot is a hidden comment, never reader text
    note = text.index("<!-- ")
    assert text.index("-->", note) < text.index("{{" + page.spec.header_template + "|")
    reader_text = text[:note] + text[text.index("-->", note) :]
    assert not any(word in reader_text.lower() for word in ("robot", "bot ", "bot,", "bot.", "automati"))
    region = text.index("{{" + page.spec.header_template)
    assert [text.index(f"|{page.spec.id_param}={r.id}\n", region) for r in page.rows] == sorted(
        text.index(f"|{page.spec.id_param}={r.id}\n", region) for r in page.rows
    )


def _drop_row(ident: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        start = text.index(f"{{{{Coupure Internet\n|id={ident}\n")
        return text[:start] + text[text.index("}}\n", text.index("|sources=", start)) + 3 :]

    return edit


APPLY_CASES = [
    # (what the page holds now, added, updated, unchanged, text expected to contain)
    (lambda text: "", ("kio-c", "kio-b", "kio-a"), (), 0, "== Références =="),
    (lambda text: " \n", ("kio-c", "kio-b", "kio-a"), (), 0, "== Références =="),
    (lambda text: text, (), (), 3, "|zone=Nationwide\n"),
    (_drop_row("kio-c"), ("kio-c",), (), 2, "|id=kio-c\n"),
    (lambda text: text.replace("|zone=Nationwide", "|zone=Partout"), (), ("kio-b",), 2, "|zone=Nationwide\n"),
    (
        lambda text: text.replace("|zone=Nationwide", "|zone=Nationwide\n|note=vu sur place"),
        (),
        (),
        3,
        "|note=vu sur place",
    ),
    (lambda text: "Un paragraphe.\n\n" + text, (), (), 3, "Un paragraphe.\n\n"),
]


@pytest.mark.parametrize(("edit", "added", "updated", "unchanged", "kept"), APPLY_CASES)
def test_apply_merges_the_plan_into_the_current_page(
    edit: Callable[[str], str],
    added: tuple[str, ...],
    updated: tuple[str, ...],
    unchanged: int,
    kept: str,
) -> None:
    page = plan.plans(SOURCE, FR, TODAY)[1]
    result = page.apply(edit(synced_pages()[Y2020]))
    assert (result.added, result.updated, result.unchanged) == (added, updated, unchanged)
    assert kept in result.text


@pytest.mark.parametrize(
    ("edit", "holds"),
    [
        (lambda text: text, True),
        (lambda text: text.replace("=2026-01-01}}", "=2024-05-05}}"), True),  # only the access date differs
        (lambda text: text.replace("=2026-01-01}}", "=hier}}", 1), False),  # an access date that is no date
        (lambda text: text + "\n== Notes ==\nUn ajout d'un éditeur.\n", True),
        (lambda text: text.replace("|zone=Nationwide", "|zone=Partout"), False),
        (lambda text: text.replace("|zone=Nationwide", "|zone=Nationwide\n|note=x"), False),
        (lambda text: "", False),
        (lambda text: text + text, False),  # the region twice
    ],
)
def test_holds_is_true_only_for_exactly_the_planned_region(edit: Callable[[str], str], holds: bool) -> None:
    page = plan.plans(SOURCE, FR_WEB, TODAY)[1]
    text = synced_pages(config=FR_WEB)[Y2020]
    assert "|consulté le=2026-01-01}}</ref>" in text  # the data set's citation: accessed on the run's day
    assert page.holds(edit(text)) is holds


@pytest.mark.parametrize(
    ("edit", "params", "removed"),
    [
        (lambda text: text.replace("|zone=Nationwide", "|zone=Partout"), {("kio-b", "zone")}, set()),
        (_drop_row("kio-c"), set(), {"kio-c"}),
        (lambda text: text, set(), set()),
        (lambda text: "no region any more", set(), set()),
    ],
)
def test_editors_reads_what_editors_changed_in_bot_rows(
    edit: Callable[[str], str], params: set[tuple[str, str]], removed: set[str]
) -> None:
    page = plan.plans(SOURCE, FR, TODAY)[1]
    before = synced_pages()[Y2020]
    changes = page.editors([(before, edit(before))])
    assert (set(changes.params), set(changes.removed_rows)) == (params, removed)


# ------------------------------------------------------------------------------- summaries

YEAR_FR, INDEX_FR = plan.plans(SOURCE, FR, TODAY)[1], plan.plans(SOURCE, FR, TODAY)[-1]
YEAR_EN, INDEX_EN = plan.plans(SOURCE, EN, TODAY)[1], plan.plans(SOURCE, EN, TODAY)[-1]
STATS_FR, STATS_EN = replace(YEAR_FR, kind="stats"), replace(YEAR_EN, kind="stats")
ONE, TWO = ("x",), ("x", "y")
SUMMARIES = [
    (YEAR_FR, MergeResult("", added=ONE), "Bot : +1 coupure (source : Access Now, 2025-12-31)"),
    (YEAR_FR, MergeResult("", added=TWO), "Bot : +2 coupures (source : Access Now, 2025-12-31)"),
    (YEAR_FR, MergeResult("", updated=ONE), "Bot : 1 mise à jour (source : Access Now, 2025-12-31)"),
    (
        YEAR_FR,
        MergeResult("", added=TWO, updated=ONE),
        "Bot : +2 coupures, 1 mise à jour (source : Access Now, 2025-12-31)",
    ),
    (
        YEAR_FR,
        MergeResult("", marked=TWO),
        "Bot : 2 coupures absentes de la source (source : Access Now, 2025-12-31)",
    ),
    (
        YEAR_FR,
        MergeResult("", marked=ONE),
        "Bot : 1 coupure absente de la source (source : Access Now, 2025-12-31)",
    ),
    (
        YEAR_FR,
        MergeResult("", removed=TWO),
        "Bot : -2 coupures absentes de la source (source : Access Now, 2025-12-31)",
    ),
    pytest.param(
        YEAR_FR,
        MergeResult("", removed=ONE),
        "Bot : -1 coupure absente de la source (source : Access Now, 2025-12-31)",
    ),
    (
        YEAR_FR,
        MergeResult("", added=ONE, updated=TWO, marked=ONE, removed=TWO),
        "Bot : +1 coupure, 2 mises à jour, 1 coupure absente de la source, "
        "-2 coupures absentes de la source (source : Access Now, 2025-12-31)",
    ),
    (INDEX_FR, MergeResult("", updated=ONE), "Bot : index des années (source : Access Now, 2025-12-31)"),
    (
        INDEX_FR,
        MergeResult("", header_changed=True),
        "Bot : index des années (source : Access Now, 2025-12-31)",
    ),
    (
        STATS_FR,
        MergeResult("", added=ONE),
        "Bot : statistiques des coupures d'Internet (source : Access Now, 2025-12-31)",
    ),
    (YEAR_EN, MergeResult("", added=ONE), "Bot: +1 shutdown (source: Access Now, 2025-12-31)"),
    (
        YEAR_EN,
        MergeResult("", added=TWO, updated=ONE),
        "Bot: +2 shutdowns, 1 update (source: Access Now, 2025-12-31)",
    ),
    (YEAR_EN, MergeResult("", updated=TWO), "Bot: 2 updates (source: Access Now, 2025-12-31)"),
    (
        YEAR_EN,
        MergeResult("", marked=ONE),
        "Bot: 1 shutdown no longer in the source (source: Access Now, 2025-12-31)",
    ),
    (
        YEAR_EN,
        MergeResult("", removed=TWO),
        "Bot: -2 shutdowns no longer in the source (source: Access Now, 2025-12-31)",
    ),
    (INDEX_EN, MergeResult("", added=ONE), "Bot: year index (source: Access Now, 2025-12-31)"),
    (STATS_EN, MergeResult(""), "Bot: Internet shutdown statistics (source: Access Now, 2025-12-31)"),
]


@pytest.mark.parametrize(("page", "result", "text"), SUMMARIES)
def test_summary(page: plan.PagePlan, result: MergeResult, text: str) -> None:
    assert plan.summary(page, result, "Access Now", "2025-12-31") == text


# -------------------------------------------------------------------------- fields and keys


@pytest.mark.parametrize(
    ("params", "shown"),
    [
        (None, ROW_FIELDS),
        ({"id": "id", "start": "début", "countries": "pays"}, ("id", "start", "countries")),
        (
            {"countries": "pays", "sources": "s", "id": "id", "area": "z"},
            ("id", "countries", "area", "sources"),
        ),
    ],
)
def test_shown_fields_are_the_row_fields_the_wiki_shows_in_row_order(
    params: dict[str, str] | None, shown: tuple[str, ...]
) -> None:
    config = FR if params is None else replace(FR, list=replace(FR.list, params=params))
    assert plan.shown_fields(config) == shown


ROW_KEY_CASES = [
    (
        lambda text: text,
        "kio-b",
        Key(
            frozenset({"KE"}),
            dt.date(2020, 3, 1),
            dt.date(2020, 3, 2),
            "Nationwide",
            frozenset({"shutdown"}),
            status="ended",
            sources=frozenset({"https://example.org/b"}),
        ),
    ),
    (
        lambda text: text,
        "kio-c",
        Key(
            frozenset({"KE", "BI"}),
            dt.date(2020, 1, 5),
            dt.date(2020, 1, 5),
            status="ended",
            sources=frozenset({"https://example.org/c"}),
        ),
    ),
    (
        lambda text: text,
        "kio-a",
        Key(
            frozenset({"IR"}),
            dt.date(2019, 12, 30),
            status="ongoing",
            sources=frozenset({"https://example.org/a"}),
        ),
    ),
    (  # an editor's date that is no date: no start in the key
        lambda text: text.replace("|début=2020-03-01", "|début=début mars"),
        "kio-b",
        Key(
            frozenset({"KE"}),
            None,
            dt.date(2020, 3, 2),
            "Nationwide",
            frozenset({"shutdown"}),
            status="ended",
            sources=frozenset({"https://example.org/b"}),
        ),
    ),
    (  # a date in words written by hand reads as the date
        lambda text: text.replace("|fin=2020-03-02", "|fin=4 mars 2020"),
        "kio-b",
        Key(
            frozenset({"KE"}),
            dt.date(2020, 3, 1),
            dt.date(2020, 3, 4),
            "Nationwide",
            frozenset({"shutdown"}),
            status="ended",
            sources=frozenset({"https://example.org/b"}),
        ),
    ),
]


@pytest.mark.parametrize(("edit", "ident", "key"), ROW_KEY_CASES)
def test_row_keys_read_each_bot_row_back_as_its_match_key(
    edit: Callable[[str], str], ident: str, key: Key
) -> None:
    keys = plan.row_keys(edit(synced_pages()[Y2020]), FR, Y2020)
    assert set(keys) == {"kio-a", "kio-b", "kio-c"}
    assert keys[ident] == key


# -------------------------------------------------------------------------------- identify


def wiki_ids(text: str) -> str:
    """The pages as a wiki that knows kio-a as wiki-a (an id from an older run)."""
    return text.replace("|id=kio-a\n", "|id=wiki-a\n")


IDENTIFY_CASES = [
    # (source, pages as they are, remembered ids, pages parsed, kio-a's and kio-b's ids, matched)
    pytest.param(
        SOURCE, lambda t: t, {}, [], ("kio-a", "kio-b"), False, id="every page holds: nothing parsed"
    ),
    pytest.param(SOURCE, lambda t: "", {}, [], ("kio-a", "kio-b"), False, id="no page yet: nothing parsed"),
    pytest.param(
        SOURCE, wiki_ids, {}, [Y2019, Y2020], ("wiki-a", "kio-b"), True, id="the wiki's id wins over content"
    ),
    pytest.param(
        SOURCE,
        wiki_ids,
        {"kio-a": "wiki-a"},
        [],
        ("wiki-a", "kio-b"),
        False,
        id="a remembered id spares the parse",
    ),
    pytest.param(
        with_incidents(A, replace(B, start=dt.date(2020, 3, 2)), C),
        lambda t: t,
        {},
        [Y2020],
        ("kio-a", "kio-b"),
        True,
        id="a corrected start: only its page is parsed, the id kept",
    ),
    pytest.param(
        SOURCE,
        lambda t: t,
        {"kio-a": "same", "kio-b": "same"},
        [Y2019, Y2020],
        ("kio-a", "kio-b"),
        True,
        id="two incidents under one remembered id: nothing trusted",
    ),
    pytest.param(
        SOURCE,
        lambda t: t.replace("{{Coupure Internet/fin}}", "") if "comptées en 2019" in t else wiki_ids(t),
        {},
        [Y2020],
        ("wiki-a", "kio-b"),
        True,
        id="a broken page is skipped, the others matched",
    ),
]


@pytest.mark.parametrize(("source", "edit", "remembered", "parsed", "ids", "checked"), IDENTIFY_CASES)
def test_identify(
    source: SourceResult,
    edit: Callable[[str], str],
    remembered: dict[str, str],
    parsed: list[str],
    ids: tuple[str, str],
    checked: bool,
) -> None:
    pages = {title: edit(text) for title, text in synced_pages().items()}
    asked: list[str] = []

    def bot_text(title: str) -> str:
        asked.append(title)
        return pages[title]

    identity, plans = plan.identify(source, FR, TODAY, pages, remembered, bot_text)
    assert asked == parsed
    assert (identity.ids["kio-a"], identity.ids["kio-b"]) == ids
    assert identity.checked is checked
    year_2020 = next(p for p in plans if p.title == Y2020)
    assert sorted(r.id for r in year_2020.rows) == sorted([ids[0], ids[1], "kio-c"])


def test_identify_reports_a_relinked_incident_with_the_fields_that_changed() -> None:
    moved = with_incidents(A, replace(B, start=dt.date(2020, 3, 2)), C)
    pages = synced_pages()
    identity, _ = plan.identify(moved, FR, TODAY, pages, {}, pages.__getitem__)
    assert [(r.id, r.fields) for r in identity.relinked] == [("kio-b", ("start",))]
    assert identity.new == ()


# ----------------------------------------------------------------------------- statistics

REPORTED = load_reported(
    """
yearly:
  2020:
    first: {shutdowns: 155, countries: 29, as_of: "2021", source: "Report 2020", url: "https://example.org/r"}
  2018:
    first: {shutdowns: 196, as_of: "2019", source: "Report 2018"}
coalition:
  - {as_of: "2026", members: 300, countries: 105, source: "Campaign page"}
""",
    "figures.yaml",
)


@pytest.mark.parametrize(
    ("config", "title", "chart", "years", "references"),
    [
        (
            FR,
            "Statistiques des coupures d'Internet",
            "[[File:KeepItOn coupures par année.svg|thumb|",
            ["2018", "2019", "2020"],
            "Références",
        ),
        (
            EN,
            "Internet shutdown statistics",
            "[[File:KeepItOn shutdowns per year.svg|thumb|",
            ["2018", "2019", "2020"],
            "References",
        ),
    ],
)
def test_stats_plan_is_one_row_per_computed_or_reported_year(
    config: settings.Settings, title: str, chart: str, years: list[str], references: str
) -> None:
    page = plan.stats_plan(plan.stats_data(SOURCE, config, REPORTED), config)
    assert (page.title, page.kind, page.references_heading) == (title, "stats", references)
    assert page.intro.startswith(chart)
    assert [r.id for r in page.rows] == years
    assert config.stats is not None
    assert page.spec.row_template == config.stats.templates["row"]


@pytest.mark.parametrize(
    ("config", "year", "param", "value"),
    [
        (FR, "2020", "coupures", "3"),
        (FR, "2020", "coupures publiées", "155"),
        (FR, "2018", "coupures", ""),  # reported, not in the source
        (FR, "2019", "coupures publiées", ""),  # in the source, not reported
        (EN, "2020", "reported_countries", "29"),
        (EN, "2019", "shutdowns", "1"),
    ],
)
def test_stats_rows(config: settings.Settings, year: str, param: str, value: str) -> None:
    page = plan.stats_plan(plan.stats_data(SOURCE, config, REPORTED), config)
    assert next(r for r in page.rows if r.id == year).get(param) == value


@pytest.mark.parametrize(
    ("config", "template", "present"),
    [
        (FR, "Statistiques KeepItOn", ["| 2020 = 3\n", "| 2026 = 300 | = 300 |", "shutdowns / coupures"]),
        (
            EN,
            "KeepItOn statistics",
            ["| 2020 = 3\n", "| members = {{#switch:{{{2|}}} | 2026 = 300 | = 300 |", "shutdowns, countries"],
        ),
    ],
)
def test_data_template_serves_the_figures_and_documents_its_keys(
    config: settings.Settings, template: str, present: list[str]
) -> None:
    data = plan.stats_data(SOURCE, config, REPORTED)
    text = plan.data_template(data, config)
    assert text.startswith("<includeonly>{{#switch:{{{1|}}}") and text.endswith("</noinclude>\n")
    doc = text[text.index("<noinclude>") :]
    assert template in doc
    for piece in present:
        assert piece in text


def test_the_countries_page_shows_the_tables_template_and_takes_off_the_old_rows() -> None:
    page = plan.countries_plan(plan.stats_data(SOURCE, FR, REPORTED), FR)
    assert page is not None and page.kind == "countries" and page.rows == ()
    text = page.new_text()
    assert "{{Statistiques KeepItOn/pays début|tableaux=Statistiques KeepItOn/tableaux}}" in text
    # a page of the earlier layout: one bot row per country and year, an editor's paragraph
    old = (
        "Intro.\n{{Statistiques KeepItOn/pays début}}\n"
        "{{Statistiques KeepItOn/pays|id=KE-2020|pays=Kenya|coupures=2}}\n"
        "{{Statistiques KeepItOn/pays|id=IR-2020|pays=Iran|coupures=1}}\n"
        "{{Statistiques KeepItOn/pays fin}}\nUn paragraphe d'un contributeur.\n"
    )
    result = page.apply(old)
    assert sorted(result.removed) == ["IR-2020", "KE-2020"]
    assert result.text == (
        "Intro.\n{{Statistiques KeepItOn/pays début|tableaux=Statistiques KeepItOn/tableaux}}\n"
        "{{Statistiques KeepItOn/pays fin}}\nUn paragraphe d'un contributeur.\n"
    )
