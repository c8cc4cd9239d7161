"""The run report: typed outcomes → the JSON report, exit codes and the run report page."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest

from wikibot.errors import EXIT_ERROR, EXIT_OK, EXIT_REFUSED, EXIT_USAGE
from wikibot.identity import Ambiguous, Identity, Relinked
from wikibot.listpage import Conflict, MergeResult
from wikibot.model import Country, Incident, Rejected, SourceResult
from wikibot.runreport import (
    MAX_ROWS,
    InlineOutcome,
    ManyReport,
    PageOutcome,
    RunReport,
    StatsOutcome,
    TargetReport,
    TitledAction,
    body_of,
    page_text,
)
from wikibot.stats import StatsData, compute, load_reported
from wikibot.wikiport import Saved

KE = Country("KE", "Kenya")
INCIDENTS = (
    Incident("kio-1", (KE,), dt.date(2020, 3, 1), years=(2020,)),
    Incident("kio-2", (KE, Country("BI", "Burundi")), dt.date(2021, 5, 1), years=(2021,)),
)
SOURCE = SourceResult("sheet.csv", "combined", 3, INCIDENTS, (), version="etag-1", as_of="2025-12-31")
CONFLICT = Conflict("kio-1", "zone", "Nairobi", "Mombasa")
NOW = dt.datetime(2026, 1, 1, 12, 30)


# ------------------------------------------------------------------------------ PageOutcome


@pytest.mark.parametrize(
    ("result", "created", "outcome"),
    [
        (
            MergeResult("", added=("a", "b")),
            True,
            PageOutcome("P", "created", added=2),
        ),
        (
            MergeResult(
                "", added=("a",), updated=("b", "c"), unchanged=4, missing=("d",), conflicts=(CONFLICT,)
            ),
            False,
            PageOutcome("P", "updated", 1, 2, 4, ("d",), (CONFLICT,)),
        ),
        (MergeResult("", unchanged=7), False, PageOutcome("P", "updated", kept=7)),
    ],
)
def test_page_outcome_of_a_merge(result: MergeResult, created: bool, outcome: PageOutcome) -> None:
    assert PageOutcome.of("P", result, created) == outcome


BEFORE = PageOutcome("P", "updated", 1, 2, 3)


@pytest.mark.parametrize(
    ("saved", "action", "revid", "reason"),
    [
        (Saved("saved", revid=42), "updated", 42, ""),
        (Saved("simulated"), "updated", None, ""),
        (Saved("declined"), "unchanged", None, ""),  # the framework found nothing to save
        (Saved("declined", reason="{{nobots}}"), "skipped", None, "{{nobots}}"),
        (Saved("failed", reason="protected page"), "failed", None, "protected page"),
        (Saved("conflict", revid=7), "updated", 7, ""),
    ],
)
def test_page_outcome_after_the_save(saved: Saved, action: str, revid: int | None, reason: str) -> None:
    after = BEFORE.after(saved)
    assert (after.action, after.revid, after.reason) == (action, revid, reason)
    assert (after.added, after.updated, after.kept) == (1, 2, 3)


@pytest.mark.parametrize(
    ("outcome", "data"),
    [
        (
            PageOutcome("P", "updated", 1, 2, 3, ("m",), (CONFLICT,), 9),
            {
                "title": "P",
                "action": "updated",
                "added": 1,
                "updated": 2,
                "kept": 3,
                "missing": ["m"],
                "conflicts": [{"id": "kio-1", "param": "zone", "wiki": "Nairobi", "source": "Mombasa"}],
                "revid": 9,
            },
        ),
        (
            PageOutcome("P", "refused", reason="no region"),
            {
                "title": "P",
                "action": "refused",
                "added": 0,
                "updated": 0,
                "kept": 0,
                "missing": [],
                "conflicts": [],
                "revid": None,
                "reason": "no region",
            },
        ),
    ],
)
def test_page_outcome_as_json(outcome: PageOutcome, data: dict[str, Any]) -> None:
    assert outcome.as_json() == data


@pytest.mark.parametrize(
    ("record", "data"),
    [
        (TitledAction("File:C.svg", "uploaded"), {"title": "File:C.svg", "action": "uploaded"}),
        (TitledAction("R", "failed", "read-only"), {"title": "R", "action": "failed", "reason": "read-only"}),
        (
            InlineOutcome("P", 2, ("nope",), "updated"),
            {"title": "P", "changed": 2, "unknown": ["nope"], "action": "updated"},
        ),
        (
            InlineOutcome("P", 0, action="skipped", reason="{{nobots}}"),
            {"title": "P", "changed": 0, "unknown": [], "action": "skipped", "reason": "{{nobots}}"},
        ),
    ],
)
def test_small_records_as_json(record: TitledAction | InlineOutcome, data: dict[str, Any]) -> None:
    assert record.as_json() == data


# -------------------------------------------------------------------------------- RunReport

REPORTED = load_reported(
    """
yearly:
  2020: {first: {shutdowns: 2, countries: 1, as_of: "2021", source: "Report 2020"}}
coalition:
  - {as_of: "2026", members: 300, countries: 105, source: "Campaign page", approximate: true}
""",
    "figures.yaml",
)
DATA = StatsData(compute(INCIDENTS), REPORTED, "2025-12-31", "en", "cite web", {}, "Access Now")


def stats_outcome(
    uploads: bool = True, page_action: str = "updated", simulate: bool = False, talk: bool = False
) -> StatsOutcome:
    note = TitledAction("Talk:Internet shutdown statistics", "created") if talk else None
    return StatsOutcome(
        "Template:KeepItOn statistics",
        "updated",
        DATA,
        PageOutcome("Internet shutdown statistics", page_action, kept=2, talk=note),
        TitledAction("File:Chart.svg", "uploaded" if uploads else "unchanged"),
        (InlineOutcome("Main Page", 1, action="updated"),),
        simulate=simulate,
    )


CREATED, UPDATED = PageOutcome("A", "created", 3), PageOutcome("B", "updated", 0, 1, 2)
UNCHANGED, FAILED = PageOutcome("C", "unchanged", kept=3), PageOutcome("D", "failed", reason="x")
SKIPPED, REFUSED = PageOutcome("E", "skipped", reason="{{bots}}"), PageOutcome("F", "refused", reason="y")


@pytest.mark.parametrize(
    ("pages", "simulate", "stats", "edits", "uploads"),
    [
        ((), False, None, 0, 0),
        ((CREATED, UPDATED, UNCHANGED, FAILED, SKIPPED, REFUSED), False, None, 2, 0),
        ((CREATED, UPDATED), True, None, 0, 0),  # -simulate saves nothing
        ((UNCHANGED,), False, stats_outcome(), 3, 1),  # data template, statistics page, inline figure
        ((CREATED,), False, stats_outcome(uploads=False, page_action="unchanged"), 3, 0),
        ((UNCHANGED,), False, stats_outcome(talk=True), 4, 1),  # a note on the statistics talk page
        ((CREATED,), True, stats_outcome(simulate=True), 0, 0),  # -simulate saves and uploads nothing
    ],
)
def test_edits_and_uploads(
    pages: tuple[PageOutcome, ...], simulate: bool, stats: StatsOutcome | None, edits: int, uploads: int
) -> None:
    report = RunReport(SOURCE, simulate, pages=pages, stats=stats)
    assert (report.edits, report.uploads) == (edits, uploads)
    assert (report.as_json()["edits"], report.as_json()["uploads"]) == (edits, uploads)
    if stats is not None:  # counted once: the statistics' share agrees with the whole
        pages = sum(1 for p in pages if p.action in ("created", "updated")) if not simulate else 0
        assert report.as_json()["stats"]["edits"] == edits - pages


IDS = Identity(
    {"kio-1": "w1", "kio-2": "kio-2"},
    matched=1,
    new=("kio-2",),
    relinked=(Relinked("w1", "kio-1", ("start",), 0.95),),
    ambiguous=(Ambiguous("kio-9", ("KE",), "2020-01-01", (("w7", 0.8), ("w8", 0.79))),),
)
ALWAYS = {"source", "simulate", "pages", "edits", "uploads"}


@pytest.mark.parametrize(
    ("report", "keys"),
    [
        (RunReport(SOURCE, False), ALWAYS),
        (RunReport(SOURCE, True, identity=IDS), ALWAYS | {"identity"}),
        (RunReport(SOURCE, False, refused=("too few incidents",)), ALWAYS | {"refused"}),
        (RunReport(SOURCE, False, forced=("too few incidents",)), ALWAYS | {"forced"}),
        (RunReport(SOURCE, False, stats=stats_outcome()), ALWAYS | {"stats"}),
        (RunReport(SOURCE, False, stopped="User:Bot/Stop says stop"), ALWAYS | {"stopped"}),
        (
            RunReport(SOURCE, False, report_page=TitledAction("User:Bot/Rapport", "created")),
            ALWAYS | {"report_page"},
        ),
    ],
)
def test_run_report_keys(report: RunReport, keys: set[str]) -> None:
    assert set(report.as_json()) == keys
    assert set(report.as_json(with_source=False)) == keys - {"source"}


@pytest.mark.parametrize(
    ("report", "key", "value"),
    [
        (RunReport(SOURCE, True), "simulate", True),
        (RunReport(SOURCE, False, refused=("a", "b")), "refused", ["a", "b"]),
        (RunReport(SOURCE, False, stopped="stop"), "stopped", "stop"),
        (
            RunReport(SOURCE, False, identity=IDS),
            "identity",
            {
                "matched": 1,
                "new": ["kio-2"],
                "relinked": [{"id": "w1", "content_id": "kio-1", "fields": ["start"], "score": 0.95}],
                "ambiguous": [
                    {
                        "incident": "kio-9",
                        "countries": ["KE"],
                        "start": "2020-01-01",
                        "candidates": [{"id": "w7", "score": 0.8}, {"id": "w8", "score": 0.79}],
                    }
                ],
            },
        ),
        (RunReport(SOURCE, False, pages=(CREATED, SKIPPED)), "pages", [CREATED.as_json(), SKIPPED.as_json()]),
        (
            RunReport(SOURCE, False, report_page=TitledAction("R", "unchanged")),
            "report_page",
            {"title": "R", "action": "unchanged"},
        ),
    ],
)
def test_run_report_values(report: RunReport, key: str, value: object) -> None:
    assert report.as_json()[key] == value


def test_the_source_object() -> None:
    source = RunReport(SOURCE, False).as_json()["source"]
    assert (source["location"], source["version"], source["incidents"], source["rows"]) == (
        "sheet.csv",
        "etag-1",
        2,
        3,
    )
    assert source["by_year"] == {
        "2020": {"incidents": 1, "countries": 1},
        "2021": {"incidents": 1, "countries": 2},
    }


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("template",), "Template:KeepItOn statistics"),
        (("template_action",), "updated"),
        (("by_year", "2020", "shutdowns", "computed"), 1),
        (("by_year", "2021", "countries"), {"computed": 2, "reported": None, "difference": None}),
        (("by_year", "2021", "by_type", "unknown"), {"computed": 1, "reported": None, "difference": None}),
        (("by_year", "2021", "first_time_countries"), ["BI"]),
        (("by_year", "2021", "new_countries", "computed"), 1),
        (("tables_action",), "unchanged"),
        (("by_year", "2021", "top_countries"), {"BI": 1, "KE": 1}),
        (("coalition", "members"), 300),
        (("coalition", "countries"), 105),
        (("coalition", "as_of"), "2026"),
        (("coalition", "approximate"), True),
        (("page", "action"), "updated"),
        (("chart", "action"), "uploaded"),
        (("inline", 0, "changed"), 1),
        (("edits",), 3),
        (("uploads",), 1),
    ],
)
def test_stats_as_json(path: tuple[str | int, ...], value: object) -> None:
    data: Any = stats_outcome().as_json()
    for step in path:
        data = data[step]
    assert data == value


def test_stats_without_a_coalition_figure() -> None:
    outcome = replace(stats_outcome(), data=replace(DATA, reported=replace(REPORTED, coalition=())))
    assert outcome.as_json()["coalition"] == {
        "members": None,
        "countries": None,
        "as_of": None,
        "source": None,
        "approximate": None,
    }


# ---------------------------------------------------------------------- several wikis


def target(name: str, code: int, report: RunReport | None = None, error: str = "") -> TargetReport:
    return TargetReport(name, f"devwiki:{name}", code, report, error)


@pytest.mark.parametrize(
    ("codes", "exit_code"),
    [
        ([], EXIT_OK),
        ([EXIT_OK, EXIT_OK], EXIT_OK),
        ([EXIT_OK, EXIT_REFUSED], EXIT_REFUSED),
        ([EXIT_REFUSED, EXIT_ERROR], EXIT_ERROR),  # any failure wins over a refusal
        ([EXIT_USAGE, EXIT_REFUSED], EXIT_REFUSED),
        ([EXIT_USAGE, EXIT_ERROR, EXIT_REFUSED], EXIT_ERROR),
        ([EXIT_OK, EXIT_USAGE], EXIT_USAGE),
    ],
)
def test_many_exit_code(codes: list[int], exit_code: int) -> None:
    many = ManyReport(SOURCE, tuple(target(f"w{n}", c) for n, c in enumerate(codes)))
    assert many.exit_code == exit_code


def test_many_as_json_has_the_source_once_and_a_section_per_wiki() -> None:
    fr = RunReport(SOURCE, False, pages=(CREATED, UPDATED), stats=stats_outcome())
    many = ManyReport(
        SOURCE, (target("fr", EXIT_OK, fr), target("en", EXIT_ERROR, error="the wiki failed: 503"))
    )
    data = many.as_json()
    assert set(data) == {"source", "wikis", "edits", "uploads"}
    assert data["source"] == SOURCE.report()
    assert list(data["wikis"]) == ["fr", "en"]
    assert data["wikis"]["en"] == {
        "site": "devwiki:en",
        "exit_code": EXIT_ERROR,
        "error": "the wiki failed: 503",
    }
    assert "source" not in data["wikis"]["fr"]
    assert data["wikis"]["fr"]["site"] == "devwiki:fr" and data["wikis"]["fr"]["exit_code"] == EXIT_OK
    assert data["wikis"]["fr"]["pages"] == [CREATED.as_json(), UPDATED.as_json()]
    assert (data["edits"], data["uploads"]) == (5, 1)  # 2 pages + 3 statistics edits


# ------------------------------------------------------------------------ the report page


def body(report: RunReport, lang: str = "fr") -> str:
    return page_text(report, lang, NOW)[1]


def test_the_head_holds_the_time_and_the_body_does_not() -> None:
    report = RunReport(SOURCE, False, pages=(CREATED,))
    head, text = page_text(report, "fr", NOW)
    later_head, later_text = page_text(report, "fr", NOW + dt.timedelta(days=3, hours=2))
    assert head == "Dernière exécution qui a changé ce rapport : 2026-01-01 12:30 UTC."
    assert later_head == "Dernière exécution qui a changé ce rapport : 2026-01-04 14:30 UTC."
    assert text == later_text and "2026-01-0" not in text
    assert body_of(f"{head}\n{text}\n") == text


@pytest.mark.parametrize(
    ("text", "body"),
    [
        ("Time line.\nBody\nmore", "Body\nmore"),
        ("Time line.\n\n  Body  \n", "Body"),
        ("Only a time line.", ""),
        ("", ""),
    ],
)
def test_body_of(text: str, body: str) -> None:
    assert body_of(text) == body


def test_the_body_shows_the_state_so_an_idle_run_reads_the_same() -> None:
    """A first run creates a page with 3 rows; the next one leaves it: the body is the same."""
    first = RunReport(SOURCE, False, pages=(PageOutcome("A", "created", added=3, revid=1),))
    idle = RunReport(SOURCE, False, pages=(PageOutcome("A", "unchanged", kept=3),))
    grew = RunReport(SOURCE, False, pages=(PageOutcome("A", "updated", added=1, kept=3),))
    assert body(first) == body(idle)
    assert body(grew) != body(idle)


@pytest.mark.parametrize(
    ("report", "lines"),
    [
        (
            RunReport(SOURCE, False),
            [
                "== Source ==",
                "* Emplacement : <code>sheet.csv</code>",
                "* Version : <code>etag-1</code> (2025-12-31)",
                "* 3 lignes lues, 2 coupures, 0 lignes rejetées",
            ],
        ),
        (
            RunReport(
                SOURCE, False, pages=(PageOutcome("Liste 2020", "updated", 1, 2, 3, ("x", "y"), (CONFLICT,)),)
            ),
            [
                "== Pages ==",
                '{| class="wikitable sortable"',
                "! Page !! Lignes !! Absentes de la source !! Désaccords",
                "|-",
                "| [[:Liste 2020]] || 6 || 2 || 1",
                "|}",
                "== Désaccords ==",
                "* [[:Liste 2020]] <code>kio-1</code> zone : valeur du wiki « Nairobi », "
                "valeur de la source « Mombasa »",
            ],
        ),
        (  # a page not written shows why instead of its rows
            RunReport(SOURCE, False, pages=(PageOutcome("Liste 2021", "refused", reason="no {{region}}"),)),
            ["| [[:Liste 2021]] || no &#123;&#123;region&#125;&#125; || 0 || 0"],
        ),
        (
            RunReport(SOURCE, False, refused=("too few incidents: 10 < 90 %", "the <source> is older")),
            [
                "== Exécution refusée ==",
                "* too few incidents: 10 &lt; 90 %",
                "* the &lt;source&gt; is older",
            ],
        ),
        (  # the statistics page is listed with the list pages
            RunReport(SOURCE, False, stats=stats_outcome()),
            ["| [[:Internet shutdown statistics]] || 2 || 0 || 0"],
        ),
    ],
)
def test_the_body_lists(report: RunReport, lines: list[str]) -> None:
    text = body(report).splitlines()
    start = text.index(lines[0])
    assert text[start : start + len(lines)] == lines


@pytest.mark.parametrize(
    ("report", "absent"),
    [
        (RunReport(SOURCE, False), ["== Pages ==", "== Désaccords ==", "== Lignes rejetées ==", "refusée"]),
        (RunReport(SOURCE, False, pages=(UNCHANGED,)), ["== Désaccords ==", "== Lignes rejetées =="]),
    ],
)
def test_the_body_leaves_out_empty_sections(report: RunReport, absent: list[str]) -> None:
    text = body(report)
    assert [a for a in absent if a in text] == []


def test_english_body() -> None:
    text = body(RunReport(SOURCE, False, pages=(CREATED,)), "en")
    assert "* 3 rows read, 2 incidents, 0 rejected rows" in text
    assert "! Page !! Rows !! Missing from the source !! Conflicts" in text


def rejected(count: int) -> SourceResult:
    return replace(
        SOURCE, rejected=tuple(Rejected(n, "start_date", f"day {n}", "not a date") for n in range(count))
    )


@pytest.mark.parametrize(
    ("count", "listed", "more"),
    [
        (0, 0, None),
        (1, 1, None),
        (MAX_ROWS, MAX_ROWS, None),
        (MAX_ROWS + 1, MAX_ROWS, "* … 1"),
        (120, MAX_ROWS, "* … 70"),
    ],
)
def test_rejected_rows_are_capped(count: int, listed: int, more: str | None) -> None:
    text = body(RunReport(rejected(count), False)).splitlines()
    rows = [line for line in text if line.startswith("* ligne ")]
    assert len(rows) == listed
    assert (text[-1] if count > MAX_ROWS else None) == more
    assert f"{count} lignes rejetées" in "\n".join(text)
    if count:
        assert rows[0] == "* ligne 0, <code>start_date</code> = « day 0 » : not a date"


def test_rejected_values_are_escaped() -> None:
    source = replace(SOURCE, rejected=(Rejected(7, "country|x", "{{subst:evil}} [[Cat]]", "unknown <b>"),))
    assert body(RunReport(source, False)).splitlines()[-1] == (
        "* ligne 7, <code>country&#124;x</code> = « &#123;&#123;subst:evil&#125;&#125; "
        "&#91;&#91;Cat&#93;&#93; » : unknown &lt;b&gt;"
    )


def test_conflicts_are_capped() -> None:
    conflicts = tuple(Conflict(f"kio-{n}", "zone", "a", "b") for n in range(MAX_ROWS + 5))
    text = body(RunReport(SOURCE, False, pages=(PageOutcome("P", "updated", conflicts=conflicts),)))
    assert sum(1 for line in text.splitlines() if line.startswith("* [[:P]] <code>kio-")) == MAX_ROWS
    assert "| [[:P]] || 0 || 0 || 55" in text


def test_a_row_an_editor_removed_shows_no_python_none() -> None:
    removed = Conflict("kio-1", "*", None, "row removed by an editor; not put back")
    text = body(RunReport(SOURCE, False, pages=(PageOutcome("P", "updated", conflicts=(removed,)),)))
    assert "None" not in text
