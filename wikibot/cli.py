"""What every script shares (pure of pywikibot): options of the form -name:value, the run lock,
the one-line error edge, the JSON report file and the few lines printed about a run."""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import filelock

from wikibot.errors import EXIT_ERROR, LockedError, SettingsError, WikibotError
from wikibot.settings import MultiSettings, Settings
from wikibot.sources import SourceSpec

if TYPE_CHECKING:  # the run's outcomes: loaded by the run, not by a no-op
    from wikibot.runreport import ManyReport, RunReport, StatsOutcome


def parse_options(args: Sequence[str], flags: set[str], values: set[str], script: str) -> dict[str, Any]:
    """Options such as -always (flags) and -report:FILE (values); anything else is a usage error."""
    options: dict[str, Any] = {}
    for arg in args:
        name, sep, value = arg.lstrip("-").partition(":")
        if not arg.startswith("-"):
            raise SettingsError(f"{script}: unexpected argument {arg!r}; options start with '-'")
        if name in flags and not sep:
            options[name] = True
        elif name in values and sep and value:
            options[name] = value
        elif name in values:
            raise SettingsError(f"{script}: -{name} needs a value, as in -{name}:VALUE")
        else:
            known = sorted([f"-{f}" for f in flags] + [f"-{v}:…" for v in values])
            close = difflib.get_close_matches(f"-{name}", [k.removesuffix(":…") for k in known], n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise SettingsError(f"{script}: unknown option {arg!r}{hint}; options: {' '.join(known)}")
    return options


def write_report(path: str | None, report: dict[str, Any]) -> None:
    """Write the run report as JSON (UTF-8) when a path was given."""
    if not path:
        return
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(target.suffix + ".tmp")
    tmp.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", "utf-8")
    tmp.replace(target)


def run(
    main: Callable[[], int],
    wiki_errors: tuple[type[BaseException], ...] = (),
    describe: Callable[[BaseException], str] = lambda exc: f"{type(exc).__name__}: {exc}".splitlines()[0],
) -> int:
    """Call a script's body; an expected error is one line on stderr and its exit code."""
    try:
        return main()
    except WikibotError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except wiki_errors as exc:
        print(f"error: the wiki failed: {describe(exc)}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return EXIT_ERROR
    except EOFError:  # a confirmation prompt with nobody to answer it (cron, a pipe)
        print(
            "error: the bot asked for a confirmation but nothing can answer it (no terminal);"
            " run it with -always to save without asking (and -simulate to save nothing)",
            file=sys.stderr,
        )
        return EXIT_ERROR


def source_spec(config: Settings | MultiSettings, options: dict[str, Any], script: str) -> SourceSpec:
    """The profile's source with the command line's -source and -sheet applied."""
    spec = config.source
    if "source" in options:
        spec = dataclasses.replace(spec, location=options["source"], sheet=None)
    if "sheet" in options:
        spec = dataclasses.replace(spec, sheet=options["sheet"])
    if not spec.location:
        raise SettingsError(
            f"{script}: no source; give -source:PATH_OR_URL or set source.location in the settings"
        )
    return spec


@contextlib.contextmanager
def locked(path: str) -> Iterator[None]:
    """Hold the run lock for the run; an overlapping run fails at once with one line."""
    target = Path(path)
    lock = filelock.FileLock(str(target), timeout=0)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    except filelock.Timeout:
        raise LockedError(
            f"another run holds the lock {target}; this one exits without doing anything"
        ) from None
    except OSError as exc:  # a file where the folder should be, no right to write there…
        raise WikibotError(
            f"cannot take the run lock {target} ({exc.strerror or type(exc).__name__}): make "
            f"{target.parent} a folder the bot can write (move away a file of that name), "
            "or set safety.lock_file"
        ) from None
    try:
        yield
    finally:
        lock.release()


def print_source(report: dict[str, Any]) -> None:
    """A short table of what was read (the report's ``source`` object)."""
    print(f"source: {report['location']} (layout {report['layout']})")
    rejected, warnings = len(report["rejected"]), len(report["warnings"])
    print(f"  rows read: {report['rows']}, incidents: {report['incidents']}, rejected rows: {rejected}")
    if warnings:
        print(f"  rows kept with a field left empty: {warnings} (see 'warnings' in the JSON report)")
    for item in report["rejected"][:20]:
        print(f"  rejected row {item['row']} [{item['column']}={item['value']!r}]: {item['reason']}")
    if len(report["rejected"]) > 20:
        print(f"  … {len(report['rejected']) - 20} more rejected rows in the JSON report")
    linked = report.get("linked_across_years", [])
    if linked:
        print(f"  reworded rows of several years joined into one incident: {len(linked)}")
        for group in linked[:20]:
            years = group["years"]
            wordings = "; ".join(f"{k}: {' / '.join(v)}" for k, v in group["differences"].items())
            print(f"    {group['id']} {years[0]}-{years[-1]}: {wordings[:150]}")
    unknown = report.get("unknown_terms", [])
    if unknown:
        print(
            f"  terms in no vocabulary, shown as written: {len(unknown)} "
            "(add them to wikibot/data/vocabulary.yaml)"
        )
        for term in unknown[:20]:
            print(
                f"    {term['field']}: {term['value']!r} "
                f"({len(term['rows'])} rows, first row {term['rows'][0]})"
            )
    print("  year  incidents  countries")
    for year, counts in report["by_year"].items():
        print(f"  {year}  {counts['incidents']:>9}  {counts['countries']:>9}")


def print_stats(result: StatsOutcome) -> None:
    """What the statistics update did."""
    print(f"{result.template_action:>9}  {result.template}")
    print(f"{result.page.action:>9}  {result.page.title}")
    print(f"{result.chart.action:>9}  {result.chart.title}")
    for entry in result.inline:
        unknown = f" (unknown keys: {', '.join(entry.unknown)})" if entry.unknown else ""
        print(f"{entry.action:>9}  {entry.title}  ({entry.changed} figures){unknown}")


def print_run(report: RunReport | ManyReport) -> None:
    """What a run did, in a few lines (a section per wiki for a several-wiki run)."""
    from wikibot.runreport import ManyReport

    if isinstance(report, ManyReport):
        for wiki in report.wikis:
            print(f"--- {wiki.name}: {wiki.error or 'done'} (exit {wiki.exit_code})")
            if wiki.report:
                print_run(wiki.report)
        return
    for reason in report.refused:
        print(f"refused: {reason}")
    for page in report.pages:
        extra = f" — {page.reason}" if page.reason else ""
        conflicts = f", {len(page.conflicts)} conflicts" if page.conflicts else ""
        print(f"{page.action:>9}  {page.title}  (+{page.added}, ~{page.updated}{conflicts}){extra}")
    ids = report.identity
    if ids and (ids.new or ids.relinked or ids.ambiguous):
        print(
            f"ids: {ids.matched} matched, {len(ids.new)} new, {len(ids.relinked)} kept although key "
            f"fields changed, {len(ids.ambiguous)} ambiguous (left alone; see pwb check_list)"
        )
    if report.stats:
        print_stats(report.stats)
    if report.untranslated:
        print(
            f"messages: {len(report.untranslated)} not translated into this wiki's language, "
            "English shown (listed under 'untranslated' in the JSON report)"
        )
    if report.stopped:
        print(f"stopped: {report.stopped}")
    print(f"edits: {report.edits}, uploads: {report.uploads}")
