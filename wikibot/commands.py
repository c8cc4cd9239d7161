"""The bodies of the pwb scripts that log in: options → settings → the wiki → the runner → exit code.

This is the edge: it alone builds a ``bot.PywikibotWiki``, holds the run lock, keeps the id
memory file and catches the errors (``cli.run``), which it turns into one line and an exit code.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

import pywikibot

from wikibot import cli, settings
from wikibot.bot import WIKI_ERRORS, PywikibotWiki, describe_wiki_error, install_one_line_tracebacks
from wikibot.errors import EXIT_ERROR, EXIT_OK, EXIT_REFUSED, SettingsError
from wikibot.runrecord import Entry, RunRecord, run_key, unchanged
from wikibot.settings import MultiSettings, Settings, load_run
from wikibot.sources import fetch, read_raw, read_source, source_digest

if TYPE_CHECKING:
    from wikibot import runner

# The run, the statistics, the checks and the exports are imported where they are used: a cron
# no-op (the run record answers) loads none of them.

TEMPLATE_NS = 10
SYNC_FLAGS, SYNC_VALUES = {"always", "force"}, {"settings", "source", "sheet", "report"}


def now() -> dt.datetime:
    """The run's time (UTC)."""
    return dt.datetime.now(dt.UTC)


def record(config: Settings) -> RunRecord:
    """Where a wiki's run record is kept (beside the run lock)."""
    return RunRecord.at(config.safety.lock_file, f"{config.site}|{config.list.index}")


def recorded(config: Settings) -> Entry:
    """What the last run left on the wiki (the run record), a warning on stderr when unusable."""
    entry, warning = record(config).load()
    if warning:
        print(f"warning: {warning}", file=sys.stderr)
    return entry


def remembered(config: Settings) -> dict[str, str]:
    """The ids the last run learnt."""
    return dict(recorded(config).ids)


def edge(body: Callable[[], int]) -> int:
    """Run a script body: errors become one line and an exit code (pywikibot's retries too)."""
    install_one_line_tracebacks()
    return cli.run(body, WIKI_ERRORS, describe_wiki_error)


def sync(args: tuple[str, ...], script: str, *, lists: bool, with_stats: bool) -> int:
    """sync_incidents, update_stats and sync: one lock, one source read, the run (or one per wiki).

    When the source's bytes are those of the last run that ended well and every page that run
    left is still at the revision it left (one request: ``nothing_changed``), the run ends there.
    """

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
        targets = config.targets if isinstance(config, MultiSettings) else (settings.Target("", config),)
        with cli.locked(config.safety.lock_file):
            spec = cli.source_spec(config, options, script)
            raw, _ = fetch(spec)
            digest = source_digest(raw, spec)
            keys = {t.name: run_key(digest, t.settings, lists, with_stats) for t in targets}
            wikis: dict[str, PywikibotWiki] = {}
            entries = {t.name: recorded(t.settings) for t in targets}

            def connect(target: settings.Target) -> PywikibotWiki:
                if target.name not in wikis:
                    wikis[target.name] = PywikibotWiki.connect(target.settings, always)
                return wikis[target.name]

            if all(
                nothing_changed(connect(t), t, entries[t.name], keys[t.name], with_stats) for t in targets
            ):
                print(f"source: {raw.location} — the same data as the last run; no page changed since")
                cli.write_report(
                    options.get("report"),
                    {
                        "source": {"location": raw.location, "version": raw.version},
                        "noop": True,
                        "edits": 0,
                        "uploads": 0,
                    },
                )
                return EXIT_OK
            from wikibot import runner

            source = read_raw(raw, spec)
            cli.print_source(source.report())
            if isinstance(config, MultiSettings):
                by_settings = {id(t.settings): t for t in targets}
                many = runner.run_many(
                    config.targets,
                    lambda s: connect(by_settings[id(s)]),
                    source,
                    force=force,
                    remembered=lambda s: dict(entries[by_settings[id(s)].name].ids),
                    settled=lambda s: dict(entries[by_settings[id(s)].name].revisions),
                    today=when.date(),
                    now=when,
                    describe=describe_wiki_error,
                    wiki_errors=WIKI_ERRORS,
                )
                runs = [(t, w.report) for t, w in zip(targets, many.wikis, strict=True)]
                report: runner.RunReport | runner.ManyReport = many
            else:
                single = runner.run(
                    connect(targets[0]),
                    config,
                    source,
                    lists=lists,
                    with_stats=with_stats,
                    force=force,
                    remembered=dict(entries[targets[0].name].ids),
                    settled=dict(entries[targets[0].name].revisions),
                    today=when.date(),
                    now=when,
                )
                runs = [(targets[0], single)]
                report = single
            for target, done in runs:
                if done is not None and target.name in wikis:
                    keep(wikis[target.name], target.settings, keys[target.name], done)
        cli.write_report(options.get("report"), report.as_json())
        cli.print_run(report)
        return report.exit_code

    return edge(body)


def watched(wiki: PywikibotWiki, config: Settings) -> list[str]:
    """The pages a run reads besides its own: the stop page and the on-wiki settings page."""
    stop = config.safety.stop_page.replace("{bot}", wiki.user)
    return [stop, *([config.wiki_settings] if config.wiki_settings else [])]


def inline_template(wiki: PywikibotWiki, config: Settings, with_stats: bool) -> str:
    """The inline figure template's full title, when the run updates the figures."""
    if not with_stats or config.stats is None:
        return ""
    return wiki.full_title(config.stats.inline_template, TEMPLATE_NS)


def nothing_changed(
    wiki: PywikibotWiki, target: settings.Target, entry: Entry, key: str, with_stats: bool
) -> bool:
    """True when the last run that ended well had this key and every page it left (and the stop
    and settings pages) is at the same revision, with no new page showing an inline figure."""
    config = target.settings
    if not entry.key or entry.key != key:
        return False
    titles = [*entry.revisions, *watched(wiki, config)]
    template = inline_template(wiki, config, with_stats)
    now_, embedded, over = wiki.latest_revisions(titles, template, entry.tracking)
    return unchanged(entry, key, now_, embedded, over)


def keep(wiki: PywikibotWiki, config: Settings, key: str, done: runner.RunReport) -> None:
    """Record what a run left: after a run that ended well (exit 0, not simulated, not stopped)
    the revisions it read or saved; the ids it learnt after any run that matched them."""
    where = record(config)
    entry, _ = where.load()
    ids = dict(done.identity.ids) if done.identity is not None and not done.simulate else dict(entry.ids)
    if done.exit_code != EXIT_OK or done.simulate or done.stopped:
        revisions, key = {}, ""  # the next run takes the full path
    else:
        revisions = dict(wiki.seen)
        missing = [t for t in watched(wiki, config) if wiki.full_title(t) not in revisions]
        if missing:
            revisions.update(wiki.latest_revisions(missing)[0])
    warning = where.save(Entry(key, revisions, ids, tuple(wiki.tracking_categories())))
    if warning:
        print(f"warning: {warning}", file=sys.stderr)


def install_templates(args: tuple[str, ...]) -> int:
    """pwb install_templates."""

    def body() -> int:
        from wikibot import l10n, wikitemplates

        options = cli.parse_options(
            pywikibot.handle_args(args), {"always", "force"}, {"settings", "report"}, "install_templates"
        )
        config = settings.load(options.get("settings"))
        wiki = PywikibotWiki.connect(config, bool(options.get("always")))
        results = wikitemplates.install(
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
        from wikibot import export

        options = cli.parse_options(
            pywikibot.handle_args(args), set(), {"settings", "format", "out"}, "export_list"
        )
        fmt = options.get("format", "json")
        if fmt not in ("json", "csv"):
            raise SettingsError(f"export_list: -format must be json or csv, not {fmt!r}")
        config = settings.load(options.get("settings"))
        records, problems = export.read_back(PywikibotWiki.connect(config), config)
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
        from wikibot import checks

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
        result = checks.check_list(wiki, config, source, remembered(config), when.date(), options.get("page"))
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
        from wikibot import export

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
        found = export.corrections(wiki, config, source, remembered(config), now().date())
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
