"""One bot run, orchestrated over a small wiki interface (pure: no pywikibot, no HTTP).

    settings + source ──▶ gate ──▶ identity ──▶ plans ──▶ merge ──▶ Wiki.save ──▶ RunReport
                                   (ids)       (pages)   (rows)     (put path)     (typed)

The ``Wiki`` protocol is what a run needs of a wiki: read pages in a batch, read a page's
recent history, ask whether {{bots}} lets the bot edit, save through the framework's put path,
upload a file, list the pages that transclude a template.  ``wikibot.bot.PywikibotWiki``
implements it with pywikibot; ``tests/memwiki.py`` in memory, for the runner's unit tests.

Everything a run decides is here: the safety gate, which ids the incidents have on the wiki,
what each page becomes, when to stop (the stop page, read before every save), edit-conflict
retries, the statistics, the run report page, and the exit code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from wikibot import export, l10n, plan, safety
from wikibot.decisions import DecisionsError
from wikibot.errors import (
    EXIT_ERROR,
    EXIT_OK,
    EXIT_REFUSED,
    EXIT_USAGE,
    PageError,
    SettingsError,
    WikibotError,
)
from wikibot.model import SourceResult
from wikibot.pagesync import Memory, Notes, StopGuard, action_of, identify, sync_pages
from wikibot.publish import TEMPLATE_NS, save_data_template, update_stats
from wikibot.runreport import (
    ManyReport,
    RunReport,
    TargetReport,
    TitledAction,
    body_of,
    page_text,
)
from wikibot.settings import Settings, Target, with_wiki_settings
from wikibot.wikiport import Page, Wiki

__all__ = ["ManyReport", "RunReport", "Wiki", "run", "run_many"]


def decisions_page_title(wiki: Wiki, settings: Settings) -> str:
    """The title of the record of editors' decisions (``wikibot.decisions``)."""
    return settings.safety.decisions_page.replace("{bot}", wiki.user)


def report_page_title(wiki: Wiki, settings: Settings) -> str:
    """The run report page's title."""
    return settings.safety.report_page.replace("{bot}", wiki.user)


def save_report_page(
    wiki: Wiki, settings: Settings, report: RunReport, page: Page, now: dt.datetime
) -> RunReport:
    """Write the run report page when its body (all but the time line) changed; the report says so."""
    head, body = page_text(report, settings.lang, now, settings.numerals)
    if page.exists and body_of(page.text) == body:
        return replace(report, report_page=TitledAction(page.title, "unchanged"))
    saved = wiki.save(
        page.title, page.text, f"{head}\n{body}", l10n.message(settings.lang, "report-summary"), minor=True
    )
    return replace(report, report_page=TitledAction(page.title, action_of(saved, page.exists)))


def run(
    wiki: Wiki,
    settings: Settings,
    source: SourceResult,
    *,
    lists: bool,
    with_stats: bool,
    force: bool = False,
    remembered: Mapping[str, str] | None = None,
    settled: Mapping[str, int | None] | None = None,
    today: dt.date,
    now: dt.datetime,
) -> RunReport:
    """One bot run: on-wiki settings, the gate, the list pages and/or the statistics, the report page."""
    report = RunReport(source, wiki.simulate, untranslated=l10n.untranslated(settings.lang))

    def figures_template(config: Settings) -> list[str]:
        """The data template, when only the lists run: year pages name it only if it exists."""
        if not lists or with_stats or config.stats is None:
            return []
        return [wiki.full_title(config.stats.template, TEMPLATE_NS)]

    def needed(config: Settings) -> list[str]:
        titles = plan.titles(source, config) if lists else []
        return [
            *titles,
            config.list.index,
            report_page_title(wiki, config),
            decisions_page_title(wiki, config),
            *figures_template(config),
        ]

    # one batched read: the on-wiki settings, the list pages, the index (the gate), the report page
    pages = wiki.read([*([settings.wiki_settings] if settings.wiki_settings else []), *needed(settings)])
    if settings.wiki_settings and pages[settings.wiki_settings].exists:
        settings_page = pages[settings.wiki_settings]
        try:
            settings = with_wiki_settings(settings, settings_page.text, settings_page.title)
        except SettingsError as exc:
            report = replace(report, refused=(str(exc),), exit_code=EXIT_USAGE)
            return save_report_page(wiki, settings, report, pages[report_page_title(wiki, settings)], now)
        missing = [t for t in needed(settings) if t not in pages]  # pages the on-wiki settings renamed
        if missing:
            pages.update(wiki.read(missing))
    report_title = report_page_title(wiki, settings)
    settings = replace(settings, numerals=wiki.numerals())  # the wiki's own digits, for what the bot writes
    state = wiki_state(settings, pages[settings.list.index])
    reasons = safety.gate(source, state, settings.safety, settings.lang)
    if reasons and not force:
        report = replace(report, refused=tuple(reasons), exit_code=EXIT_REFUSED)
        return save_report_page(wiki, settings, report, pages[report_title], now)
    report = replace(report, forced=tuple(reasons))
    try:  # editors' decisions, remembered for good (refused, never guessed, when not the bot's)
        memory = Memory.read(pages[decisions_page_title(wiki, settings)], settled)
    except DecisionsError as exc:
        report = replace(report, refused=(str(exc),), exit_code=EXIT_REFUSED)
        return save_report_page(wiki, settings, report, pages[report_title], now)
    guard = StopGuard(wiki, settings)
    args = (l10n.message(settings.lang, "source-name"), source.as_of)
    # what a page uses exists before the page: the data template before the year pages that show it
    template = None
    if with_stats and settings.stats is not None:
        template = save_data_template(wiki, settings, source, guard)
    if lists:
        # a year page opens with its figures through the data template: not while it does not exist
        # (a lists-only run on a wiki without statistics would show a red link on every year page)
        absent = [t for t in figures_template(settings) if not pages[t].exists]
        listed = replace(settings, stats=None) if absent else settings
        ids, plans = identify(wiki, listed, source, pages, remembered or {}, today, memory)
        outcomes = sync_pages(wiki, plans, pages, guard, args, Notes(settings, today), ids.holding, memory)
        report = replace(report, identity=ids, pages=outcomes)
    if with_stats and settings.stats is not None and not guard.stopped:
        outcome = update_stats(wiki, settings, source, guard, Notes(settings, today), template, memory)
        report = replace(report, stats=outcome)
    report = replace(report, decisions_page=memory.outcome(), decisions_saves=memory.saved())
    report = replace(report, stopped=guard.stopped, exit_code=exit_code(report))
    if guard.stopped:
        return report
    return save_report_page(wiki, settings, report, pages[report_title], now)


def wiki_state(settings: Settings, index: Page) -> safety.WikiState:
    """What the wiki shows now, from the index page (empty when it does not exist or is broken)."""
    if not index.exists:
        return safety.WikiState({})
    try:
        return export.index_state(index.text, settings)
    except PageError:
        return safety.WikiState({})


def exit_code(report: RunReport) -> int:
    """0 done, 1 a page failed, 3 a page (or the run) was refused."""
    if report.refused:
        return report.exit_code
    pages = [*report.pages, *report.stats_pages]
    if any(p.action == "failed" for p in pages):
        return EXIT_ERROR
    if any(p.action == "refused" for p in pages):
        return EXIT_REFUSED
    return EXIT_OK


def run_many(
    targets: Sequence[Target],
    connect: Callable[[Settings], Wiki],
    source: SourceResult,
    *,
    force: bool,
    remembered: Callable[[Settings], Mapping[str, str]] = lambda _: {},
    settled: Callable[[Settings], Mapping[str, int | None]] = lambda _: {},
    today: dt.date,
    now: dt.datetime,
    describe: Callable[[BaseException], str],
    wiki_errors: tuple[type[BaseException], ...] = (),
) -> ManyReport:
    """Each target wiki in turn from one source read; a failure on one is reported, the others go on."""
    results = []
    for target in targets:
        try:
            wiki = connect(target.settings)
            report = run(
                wiki,
                target.settings,
                source,
                lists=True,
                with_stats=True,
                force=force,
                remembered=remembered(target.settings),
                settled=settled(target.settings),
                today=today,
                now=now,
            )
            results.append(TargetReport(target.name, target.settings.site, report.exit_code, report))
        except WikibotError as exc:
            results.append(TargetReport(target.name, target.settings.site, exc.exit_code, error=str(exc)))
        except wiki_errors as exc:
            error = f"the wiki failed: {describe(exc)}"
            results.append(TargetReport(target.name, target.settings.site, EXIT_ERROR, error=error))
    return ManyReport(source, tuple(results))
