"""What every script shares: options, the source on the command line, the run lock, the error edge,
the JSON report file and the lines printed about a run."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from wikibot import cli, settings
from wikibot.errors import (
    EXIT_ERROR,
    EXIT_REFUSED,
    EXIT_USAGE,
    LockedError,
    PageError,
    SettingsError,
    SourceError,
    WikibotError,
)
from wikibot.identity import Ambiguous, Identity, Relinked
from wikibot.listpage import Conflict
from wikibot.model import Country, Incident, Linked, Rejected, SourceResult
from wikibot.runreport import (
    InlineOutcome,
    ManyReport,
    PageOutcome,
    RunReport,
    StatsOutcome,
    TargetReport,
    TitledAction,
)
from wikibot.sources import SourceSpec
from wikibot.stats import StatsData, compute, load_reported

FLAGS = {"always", "force", "simulate"}
VALUES = {"report", "source", "sheet", "settings"}


# ---------------------------------------------------------------------------- parse_options


@pytest.mark.parametrize(
    ("args", "options"),
    [
        ([], {}),
        (["-always"], {"always": True}),
        (["-always", "-force", "-simulate"], {"always": True, "force": True, "simulate": True}),
        (["-report:out/r.json"], {"report": "out/r.json"}),
        (["-source:https://example.org/a.csv?x=1:2"], {"source": "https://example.org/a.csv?x=1:2"}),
        (["-source:C:\\data\\stop.csv"], {"source": "C:\\data\\stop.csv"}),  # only the first ':' splits
        (["-sheet:2020 data", "-always"], {"sheet": "2020 data", "always": True}),
        (["-report:a.json", "-report:b.json"], {"report": "b.json"}),  # the last one wins
        (["--always"], {"always": True}),
    ],
)
def test_options(args: list[str], options: dict[str, Any]) -> None:
    assert cli.parse_options(args, FLAGS, VALUES, "sync") == options


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-report"], "sync: -report needs a value, as in -report:VALUE"),
        (["-report:"], "sync: -report needs a value, as in -report:VALUE"),
        (["-always:yes"], "sync: unknown option '-always:yes' (did you mean -always?)"),
        (["-alwys"], "sync: unknown option '-alwys' (did you mean -always?)"),
        (["-repot:x.json"], "sync: unknown option '-repot:x.json' (did you mean -report?)"),
        (["-simulat"], "sync: unknown option '-simulat' (did you mean -simulate?)"),
        (["-zzz"], "sync: unknown option '-zzz'; options: "),
        (["report.json"], "sync: unexpected argument 'report.json'; options start with '-'"),
        (["-always", "extra"], "sync: unexpected argument 'extra'"),
    ],
)
def test_bad_options_are_usage_errors(args: list[str], message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        cli.parse_options(args, FLAGS, VALUES, "sync")
    assert str(caught.value).startswith(message)
    assert caught.value.exit_code == EXIT_USAGE


def test_an_unknown_option_lists_the_known_ones() -> None:
    with pytest.raises(SettingsError) as caught:
        cli.parse_options(["-zzz"], FLAGS, VALUES, "sync")
    assert str(caught.value).endswith(
        "options: -always -force -report:… -settings:… -sheet:… -simulate -source:…"
    )


# ------------------------------------------------------------------------------ source_spec

FR = settings.load("devwiki")
MULTI = settings.load_run("devwikis")
SHIPPED = FR.source.location


@pytest.mark.parametrize(
    ("config", "options", "location", "sheet"),
    [
        (FR, {}, SHIPPED, None),
        (FR, {"source": "other.csv"}, "other.csv", None),
        (FR, {"sheet": "2020"}, SHIPPED, "2020"),
        (FR, {"source": "b.xlsx", "sheet": "Data"}, "b.xlsx", "Data"),
        (MULTI, {}, SHIPPED, None),
        (MULTI, {"source": "https://example.org/x.csv"}, "https://example.org/x.csv", None),
    ],
)
def test_source_spec(
    config: settings.Settings | settings.MultiSettings,
    options: dict[str, str],
    location: str,
    sheet: str | None,
) -> None:
    spec = cli.source_spec(config, options, "sync")
    assert (spec.location, spec.sheet) == (location, sheet)


def test_a_new_source_drops_the_profile_s_sheet() -> None:
    config = replace(FR, source=SourceSpec("a.xlsx", sheet="Old"))
    assert cli.source_spec(config, {"source": "b.xlsx"}, "sync").sheet is None
    assert cli.source_spec(config, {}, "sync").sheet == "Old"


def test_no_source_is_a_settings_error() -> None:
    config = replace(FR, source=SourceSpec(""))
    with pytest.raises(SettingsError, match=r"^read_source: no source; give -source:PATH_OR_URL"):
        cli.source_spec(config, {"sheet": "x"}, "read_source")


# ----------------------------------------------------------------------------------- locked


def test_a_second_run_cannot_take_the_lock_and_the_lock_is_released_after(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "run.lock"
    with cli.locked(str(path)):
        assert path.parent.is_dir()
        with (
            pytest.raises(LockedError, match=r"another run holds the lock .*run\.lock"),
            cli.locked(str(path)),
        ):
            pytest.fail("the second run got the lock")
    with cli.locked(str(path)):  # released: the next run gets it
        pass


def test_a_file_where_the_lock_folder_goes_is_one_clear_error_not_the_wikis(tmp_path: Path) -> None:
    (tmp_path / ".cache").write_text("a file, not a folder")
    with pytest.raises(WikibotError) as caught, cli.locked(str(tmp_path / ".cache" / "wikibot.lock")):
        pytest.fail("ran without its lock")
    message = str(caught.value)
    assert (
        "\n" not in message and "wiki" not in message.replace("wikibot", "") and "safety.lock_file" in message
    )


def test_the_lock_is_released_when_the_run_fails(tmp_path: Path) -> None:
    path = str(tmp_path / "run.lock")
    with pytest.raises(SourceError), cli.locked(path):
        raise SourceError("the source failed")
    with cli.locked(path):
        pass


def test_a_run_in_another_thread_is_refused_too(tmp_path: Path) -> None:
    path = str(tmp_path / "run.lock")
    errors: list[LockedError] = []

    def other() -> None:
        try:
            with cli.locked(path):
                pass
        except LockedError as exc:
            errors.append(exc)

    with cli.locked(path):
        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
    assert len(errors) == 1 and errors[0].exit_code == EXIT_ERROR


# ------------------------------------------------------------------------------ write_report


@pytest.mark.parametrize(
    ("report", "text"),
    [
        ({"edits": 0}, '{\n  "edits": 0\n}\n'),
        (
            {"title": "Liste des coupures d'Internet en 2020"},
            '{\n  "title": "Liste des coupures d\'Internet en 2020"\n}\n',
        ),
        (
            {"pays": "Côte d’Ivoire", "n": [1, None]},
            '{\n  "pays": "Côte d’Ivoire",\n  "n": [\n    1,\n    null\n  ]\n}\n',
        ),
    ],
)
def test_write_report(tmp_path: Path, report: dict[str, Any], text: str) -> None:
    target = tmp_path / "reports" / "2026" / "run.json"
    cli.write_report(str(target), report)
    assert target.read_bytes() == text.encode("utf-8")
    assert json.loads(target.read_text("utf-8")) == report
    assert [p.name for p in target.parent.iterdir()] == ["run.json"]  # no temporary file left


def test_write_report_replaces_a_previous_report(tmp_path: Path) -> None:
    target = tmp_path / "run.json"
    target.write_text("old and longer than the new one " * 10, "utf-8")
    cli.write_report(str(target), {"edits": 1})
    assert json.loads(target.read_text("utf-8")) == {"edits": 1}


@pytest.mark.parametrize("path", [None, ""])
def test_no_report_path_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: str | None
) -> None:
    monkeypatch.chdir(tmp_path)
    cli.write_report(path, {"edits": 1})
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------------------- run


class WikiDown(Exception):
    """Stands for a pywikibot error class (the shell passes pywikibot.exceptions.Error)."""


def raises(exc: BaseException) -> Callable[[], int]:
    def main() -> int:
        raise exc

    return main


@pytest.mark.parametrize(
    ("main", "code", "stderr"),
    [
        (lambda: 0, 0, ""),
        (lambda: EXIT_REFUSED, EXIT_REFUSED, ""),
        (
            raises(SettingsError("settings x.yaml: 'list' is missing")),
            EXIT_USAGE,
            "error: settings x.yaml: 'list' is missing\n",
        ),
        (raises(SourceError("sheet.csv: no such file")), EXIT_ERROR, "error: sheet.csv: no such file\n"),
        (
            raises(LockedError("another run holds the lock")),
            EXIT_ERROR,
            "error: another run holds the lock\n",
        ),
        (raises(PageError("P: no bot region")), EXIT_REFUSED, "error: P: no bot region\n"),
        (raises(WikibotError("plain")), EXIT_ERROR, "error: plain\n"),
        (raises(KeyboardInterrupt()), EXIT_ERROR, "error: interrupted\n"),
        (  # pywikibot's "accept these changes?" prompt with stdin closed (cron without -always)
            raises(EOFError("EOF when reading a line")),
            EXIT_ERROR,
            "error: the bot asked for a confirmation but nothing can answer it (no terminal);"
            " run it with -always to save without asking (and -simulate to save nothing)\n",
        ),
        (
            raises(WikiDown("503 Service Unavailable")),
            EXIT_ERROR,
            "error: the wiki failed: WikiDown: 503 Service Unavailable\n",
        ),
        (  # one line, however long the wiki's message
            raises(WikiDown("maxlag\ntraceback line 1\ntraceback line 2")),
            EXIT_ERROR,
            "error: the wiki failed: WikiDown: maxlag\n",
        ),
    ],
)
def test_run_turns_an_expected_error_into_one_line_and_an_exit_code(
    capsys: pytest.CaptureFixture[str], main: Callable[[], int], code: int, stderr: str
) -> None:
    assert cli.run(main, (WikiDown,)) == code
    out, err = capsys.readouterr()
    assert (out, err) == ("", stderr)


def test_run_describes_a_wiki_error_with_the_script_s_describe(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.run(raises(WikiDown("x")), (WikiDown,), describe=lambda exc: "read-only wiki") == EXIT_ERROR
    assert capsys.readouterr().err == "error: the wiki failed: read-only wiki\n"


@pytest.mark.parametrize(
    ("exc", "wiki_errors"),
    [(ValueError("a bug"), (WikiDown,)), (WikiDown("not declared"), ())],
)
def test_run_lets_an_unexpected_error_through(
    exc: Exception, wiki_errors: tuple[type[BaseException], ...]
) -> None:
    with pytest.raises(type(exc)):
        cli.run(raises(exc), wiki_errors)


# ---------------------------------------------------------------------------- what is printed

KE = Country("KE", "Kenya")
INCIDENTS = (
    Incident("kio-1", (KE,), dt.date(2020, 3, 1), years=(2020,)),
    Incident("kio-2", (KE, Country("BI", "Burundi")), dt.date(2020, 5, 1), years=(2020, 2021)),
)


def source(rejected: int = 0, warnings: int = 0, linked: tuple[Linked, ...] = ()) -> SourceResult:
    return SourceResult(
        "sheet.csv",
        "combined",
        2 + rejected,
        INCIDENTS,
        tuple(Rejected(n + 2, "start_date", f"day{n}", "not a date") for n in range(rejected)),
        warnings=tuple(Rejected(n + 2, "end_date", "x", "kept without an end") for n in range(warnings)),
        linked=linked,
    )


LINKED = Linked("kio-2", (3, 9), (2020, 2021), (("area", ("Nationwide", "Entire country")),))


@pytest.mark.parametrize(
    ("result", "present", "absent"),
    [
        (
            source(),
            [
                "source: sheet.csv (layout combined)",
                "  rows read: 2, incidents: 2, rejected rows: 0",
                "  year  incidents  countries",
                "  2020          2          2",
                "  2021          1          2",
            ],
            ["rejected row ", "rows kept with a field left empty", "joined into one incident"],
        ),
        (
            source(rejected=2, warnings=3),
            [
                "  rows read: 4, incidents: 2, rejected rows: 2",
                "  rows kept with a field left empty: 3 (see 'warnings' in the JSON report)",
                "  rejected row 2 [start_date='day0']: not a date",
                "  rejected row 3 [start_date='day1']: not a date",
            ],
            ["more rejected rows"],
        ),
        (
            source(rejected=25),
            [
                "  rejected row 21 [start_date='day19']: not a date",
                "  … 5 more rejected rows in the JSON report",
            ],
            ["  rejected row 22 "],
        ),
        (
            source(linked=(LINKED,)),
            [
                "  reworded rows of several years joined into one incident: 1",
                "    kio-2 2020-2021: area: Nationwide / Entire country",
            ],
            [],
        ),
    ],
)
def test_print_source(
    capsys: pytest.CaptureFixture[str], result: SourceResult, present: list[str], absent: list[str]
) -> None:
    cli.print_source(result.report())
    lines = capsys.readouterr().out.splitlines()
    assert [p for p in present if p not in lines] == []
    assert [a for a in absent if any(a in line for line in lines)] == []


DATA = StatsData(
    compute(INCIDENTS),
    load_reported("coalition: []", "figures.yaml"),
    "2025-12-31",
    "en",
    "cite web",
    {},
    "Access Now",
)
STATS = StatsOutcome(
    "Template:KeepItOn statistics",
    "updated",
    DATA,
    PageOutcome("Internet shutdown statistics", "unchanged", kept=2),
    TitledAction("File:Chart.svg", "uploaded"),
    (InlineOutcome("Main Page", 2, ("nope", "x|1"), "updated"), InlineOutcome("About", 0)),
)
IDS = Identity(
    {},
    matched=5,
    new=("kio-2",),
    relinked=(Relinked("w1", "kio-1", ("start",), 0.9),),
    ambiguous=(Ambiguous("kio-9", ("KE",), "2020-01-01", (("w7", 0.8), ("w8", 0.79))),),
)
PAGES = (
    PageOutcome("List 2020", "updated", 1, 2, 3, conflicts=()),
    PageOutcome("List 2021", "refused", reason="no bot region"),
)


@pytest.mark.parametrize(
    ("report", "present", "absent"),
    [
        (
            RunReport(source(), False, pages=PAGES),
            [
                "  updated  List 2020  (+1, ~2)",
                "  refused  List 2021  (+0, ~0) — no bot region",
                "edits: 1, uploads: 0",
            ],
            ["ids:", "stopped:", "refused:"],
        ),
        (
            RunReport(source(), True, pages=PAGES[:1]),
            ["edits: 0, uploads: 0"],  # -simulate
            [],
        ),
        (
            RunReport(source(), False, refused=("too few incidents",), exit_code=EXIT_REFUSED),
            ["refused: too few incidents", "edits: 0, uploads: 0"],
            [],
        ),
        (
            RunReport(source(), False, identity=IDS, stopped="User:Bot/Stop: stop"),
            [
                "ids: 5 matched, 1 new, 1 kept although key fields changed, 1 ambiguous "
                "(left alone; see pwb check_list)",
                "stopped: User:Bot/Stop: stop",
            ],
            [],
        ),
        (RunReport(source(), False, identity=Identity({}, matched=5)), ["edits: 0, uploads: 0"], ["ids:"]),
        (
            RunReport(source(), False, stats=STATS),
            [
                "  updated  Template:KeepItOn statistics",
                "unchanged  Internet shutdown statistics",
                " uploaded  File:Chart.svg",
                "  updated  Main Page  (2 figures) (unknown keys: nope, x|1)",
                "unchanged  About  (0 figures)",
                "edits: 2, uploads: 1",
            ],
            [],
        ),
    ],
)
def test_print_run(
    capsys: pytest.CaptureFixture[str], report: RunReport, present: list[str], absent: list[str]
) -> None:
    cli.print_run(report)
    lines = capsys.readouterr().out.splitlines()
    assert [p for p in present if p not in lines] == []
    assert [a for a in absent if any(line.startswith(a) for line in lines)] == []


def test_print_run_with_conflicts(capsys: pytest.CaptureFixture[str]) -> None:
    page = PageOutcome("List 2020", "updated", 0, 1, 3, conflicts=(Conflict("a", "area", "x", "y"),) * 2)
    cli.print_run(RunReport(source(), False, pages=(page,)))
    assert "  updated  List 2020  (+0, ~1, 2 conflicts)" in capsys.readouterr().out.splitlines()


def test_print_run_of_several_wikis(capsys: pytest.CaptureFixture[str]) -> None:
    fr = RunReport(source(), False, pages=PAGES[:1])
    many = ManyReport(
        source(),
        (
            TargetReport("fr", "devwiki:fr", 0, fr),
            TargetReport("en", "devwiki:en", EXIT_ERROR, error="the wiki failed: 503"),
        ),
    )
    cli.print_run(many)
    assert capsys.readouterr().out.splitlines() == [
        "--- fr: done (exit 0)",
        "  updated  List 2020  (+1, ~2)",
        "edits: 1, uploads: 0",
        "--- en: the wiki failed: 503 (exit 1)",
    ]
