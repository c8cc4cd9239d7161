"""The bodies of the pwb scripts that log in: options → settings → the wiki → the runner → exit code.

This is the edge: it alone builds a ``bot.PywikibotWiki``, holds the run lock, keeps the id
memory file and catches the errors (``cli.run``), which it turns into one line and an exit code.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable

import pywikibot

from wikibot import cli, export, l10n, runner, settings, wikitemplates
from wikibot.bot import WIKI_ERRORS, PywikibotWiki, describe_wiki_error, install_one_line_tracebacks
from wikibot.errors import EXIT_ERROR, EXIT_OK, EXIT_REFUSED, SettingsError
from wikibot.idmemory import IdMemory
from wikibot.resultcache import ResultCache
from wikibot.settings import MultiSettings, Settings, load_run
from wikibot.sources import read_source

SYNC_FLAGS, SYNC_VALUES = {"always", "force"}, {"settings", "source", "sheet", "report"}


def now() -> dt.datetime:
    """The run's time (UTC)."""
    return dt.datetime.now(dt.UTC)


def memory(config: Settings) -> IdMemory:
    """Where a wiki's id memory is kept (beside the run lock)."""
    return IdMemory.at(config.safety.lock_file, f"{config.site}|{config.list.index}")


def rows_cache(config: Settings) -> ResultCache:
    """Where rendered rows are kept between runs (beside the source caches: ``.cache/rendered``)."""
    return ResultCache(config.source.cache_dir.parent / "rendered")


def edge(body: Callable[[], int]) -> int:
    """Run a script body: errors become one line and an exit code (pywikibot's retries too)."""
    install_one_line_tracebacks()
    return cli.run(body, WIKI_ERRORS, describe_wiki_error)


def sync(args: tuple[str, ...], script: str, *, lists: bool, with_stats: bool) -> int:
    """sync_incidents, update_stats and sync: one lock, one source read, the run (or one per wiki)."""

    def body() -> int:
        options = cli.parse_options(pywikibot.handle_args(args), SYNC_FLAGS, SYNC_VALUES, script)
        config = load_run(options.get("settings"))
        if isinstance(config, MultiSettings) and lists != with_stats:
            raise SettingsError(
                f"{script}: several wikis in one run are for pwb sync; use it with {config.path}"
            )
        if isinstance(config, Settings) and with_stats and not lists and config.stats is None:
            raise SettingsError(f"{script}: the settings {config.path} have no 'stats' section")
        always, force, when = bool(options.get("always")), bool(options.get("force")), now()
        with cli.locked(config.safety.lock_file):
            source = read_source(cli.source_spec(config, options, script))
            cli.print_source(source.report())
            if isinstance(config, MultiSettings):
                many = runner.run_many(
                    config.targets,
                    lambda s: PywikibotWiki.connect(s, always),
                    source,
                    force=force,
                    remembered=lambda s: memory(s).load(),
                    today=when.date(),
                    now=when,
                    describe=describe_wiki_error,
                    wiki_errors=WIKI_ERRORS,
                )
                runs = [(t.settings, w.report) for t, w in zip(config.targets, many.wikis, strict=True)]
                report: runner.RunReport | runner.ManyReport = many
            else:
                wiki = PywikibotWiki.connect(config, always)
                single = runner.run(
                    wiki,
                    config,
                    source,
                    lists=lists,
                    with_stats=with_stats,
                    force=force,
                    remembered=memory(config).load(),
                    today=when.date(),
                    now=when,
                    rows_cache=rows_cache(config),
                )
                runs = [(config, single)]
                report = single
            for target, done in runs:
                if done is not None and done.identity is not None and not done.simulate:
                    memory(target).save(done.identity.ids)
        cli.write_report(options.get("report"), report.as_json())
        cli.print_run(report)
        return report.exit_code

    return edge(body)


def install_templates(args: tuple[str, ...]) -> int:
    """pwb install_templates."""

    def body() -> int:
        options = cli.parse_options(
            pywikibot.handle_args(args), {"always", "force"}, {"settings", "report"}, "install_templates"
        )
        config = settings.load(options.get("settings"))
        wiki = PywikibotWiki.connect(config, bool(options.get("always")))
        results = runner.install_templates(
            wiki,
            wikitemplates.templates_for(config),
            l10n.message(config.lang, "summary-templates"),
            bool(options.get("force")),
        )
        for result in results:
            print(f"{result.action:>9}  {result.title}" + (f" — {result.reason}" if result.reason else ""))
        edits = 0 if wiki.simulate else sum(1 for r in results if r.action in ("created", "updated"))
        cli.write_report(
            options.get("report"), {"templates": {r.title: r.action for r in results}, "edits": edits}
        )
        if any(r.action == "failed" for r in results):
            return EXIT_ERROR
        return EXIT_REFUSED if any(r.action == "refused" for r in results) else EXIT_OK

    return edge(body)


def export_list(args: tuple[str, ...]) -> int:
    """pwb export_list."""

    def body() -> int:
        options = cli.parse_options(
            pywikibot.handle_args(args), set(), {"settings", "format", "out"}, "export_list"
        )
        fmt = options.get("format", "json")
        if fmt not in ("json", "csv"):
            raise SettingsError(f"export_list: -format must be json or csv, not {fmt!r}")
        config = settings.load(options.get("settings"))
        records, problems = runner.export_records(PywikibotWiki.connect(config), config)
        text = export.to_json(records) if fmt == "json" else export.to_csv(records)
        if "out" in options:
            with open(options["out"], "w", encoding="utf-8", newline="") as out:
                out.write(text)
            print(f"{len(records)} incidents written to {options['out']}", file=sys.stderr)
        else:
            sys.stdout.write(text)
        for problem in problems:
            print(f"refused: {problem}", file=sys.stderr)
        return EXIT_REFUSED if problems else EXIT_OK

    return edge(body)


def check_list(args: tuple[str, ...]) -> int:
    """pwb check_list."""

    def body() -> int:
        options = cli.parse_options(
            pywikibot.handle_args(args),
            {"always", "nosource"},
            {"settings", "source", "sheet", "report", "page"},
            "check_list",
        )
        config = settings.load(options.get("settings"))
        source = (
            None if options.get("nosource") else read_source(cli.source_spec(config, options, "check_list"))
        )
        wiki = PywikibotWiki.connect(config, bool(options.get("always")))
        when = now()
        result = runner.check_list(
            wiki, config, source, memory(config).load(), when.date(), options.get("page")
        )
        print(f"checked {len(result.titles)} pages: {len(result.findings)} findings")
        for finding in result.findings:
            print(f"{finding.kind:<16} {finding.title} [{finding.id}] {finding.detail}")
        if result.maintenance:
            print(f"{result.maintenance.action:>9}  {result.maintenance.title}")
        cli.write_report(
            options.get("report"),
            {"pages": list(result.titles), "findings": [f.as_dict() for f in result.findings]},
        )
        return 1 if result.findings else EXIT_OK

    return edge(body)


def corrections(args: tuple[str, ...]) -> int:
    """pwb corrections."""

    def body() -> int:
        options = cli.parse_options(
            pywikibot.handle_args(args),
            set(),
            {"settings", "source", "sheet", "format", "out"},
            "corrections",
        )
        fmt = options.get("format", "json")
        if fmt not in ("json", "csv"):
            raise SettingsError(f"corrections: -format must be json or csv, not {fmt!r}")
        config = settings.load(options.get("settings"))
        source = read_source(cli.source_spec(config, options, "corrections"))
        wiki = PywikibotWiki.connect(config)
        found = runner.corrections(wiki, config, source, memory(config).load(), now().date())
        records = [c.as_json() for c in found]
        text = export.to_json(records) if fmt == "json" else export.to_csv(records)
        if "out" in options:
            with open(options["out"], "w", encoding="utf-8", newline="") as out:
                out.write(text)
        else:
            sys.stdout.write(text)
        print(f"{len(found)} corrections by editors that the source does not have", file=sys.stderr)
        return EXIT_OK

    return edge(body)
