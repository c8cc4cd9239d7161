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
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from wikibot import chart, checks, export, l10n, plan, safety, stats, talk
from wikibot.errors import (
    EXIT_ERROR,
    EXIT_OK,
    EXIT_REFUSED,
    EXIT_USAGE,
    PageError,
    SettingsError,
    WikibotError,
)
from wikibot.identity import Identity
from wikibot.limits import ParseReport
from wikibot.listpage import MergeResult
from wikibot.model import Country, SourceResult
from wikibot.plan import PagePlan, summary
from wikibot.render import unescape
from wikibot.runreport import (
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
from wikibot.settings import Settings, Target, code_block, with_wiki_settings
from wikibot.wikiport import Page, Saved, Wiki
from wikibot.wikitemplates import WikiTemplate, may_overwrite

__all__ = ["ManyReport", "RunReport", "Wiki", "run", "run_many"]
EDIT_CONFLICT_TRIES = 3
TEMPLATE_NS, FILE_NS = 10, 6


class StopGuard:
    """The stop page, read before every save: a run goes on only while it says the run value.

    A missing stop page means run.  Any other content (an admin writing "stop") makes the bot
    stop before its next edit and say why; the run then ends with exit code 0.
    """

    def __init__(self, wiki: Wiki, settings: Settings) -> None:
        self.wiki = wiki
        self.title = settings.safety.stop_page.replace("{bot}", wiki.user)
        self.run_value = settings.safety.run_value
        self.stopped = ""

    def allows(self) -> bool:
        """Read the stop page afresh; False (and remember why) once it says stop."""
        if self.stopped:
            return False
        page = self.wiki.read([self.title])[self.title]
        text = None if not page.exists else ("" if page.redirect else page.text)
        if safety.may_run(text, self.run_value):
            return True
        self.stopped = (
            f"the stop page [[{self.title}]] does not say {self.run_value!r}; "
            f"stopped before the next edit (write {self.run_value!r} there, or delete it, to run again)"
        )
        return False


def save_if_allowed(wiki: Wiki, guard: StopGuard, page: Page, new: str, summary_text: str) -> Saved | None:
    """Save a changed page unless {{nobots}} excludes the bot (declined) or the stop page stops it (None)."""
    if page.exists and not wiki.may_edit(page.title):
        return Saved("declined", reason="{{bots}}/{{nobots}} excludes this bot")
    if not guard.allows():
        return None
    return wiki.save(page.title, page.text, new, summary_text)


# -------------------------------------------------------------------------------- pages


def _merged(wiki: Wiki, plan_: PagePlan, page: Page) -> MergeResult:
    """The plan merged into the page, keeping the values editors set (read from the history)."""
    result = plan_.apply(page.text)
    if page.text and (result.updated or result.added) and plan_.kind in ("year", "index", "stats"):
        revisions = wiki.history(page.title).editors
        if revisions:
            result = plan_.apply(page.text, plan_.editors(list(revisions)))
    return result


def sync_page(
    wiki: Wiki,
    plan_: PagePlan,
    page: Page,
    guard: StopGuard,
    summary_args: tuple[str, str],
    tracking: frozenset[str] = frozenset(),
) -> PageOutcome:
    """Merge one plan into its page and save it when it changed, in a form that fits the wiki's
    parser limits (``fitted``); edit conflicts re-read and re-merge."""
    for _ in range(EDIT_CONFLICT_TRIES):
        if page.redirect:
            return PageOutcome(page.title, "refused", reason="the page is a redirect; fix or delete it")
        try:
            result, report, problems = fitted(wiki, plan_, page, tracking)
        except PageError as exc:
            return PageOutcome(page.title, "refused", reason=str(exc))
        outcome = replace(PageOutcome.of(page.title, result, created=not page.exists), limits=report)
        if problems:
            reason = l10n.message(plan_.lang, "limits-refused", "; ".join(problems))
            return replace(outcome, action="refused", reason=reason)
        if result.text.rstrip() == page.text.rstrip():
            return replace(outcome, action="unchanged")
        saved = save_if_allowed(wiki, guard, page, result.text, summary(plan_, result, *summary_args))
        if saved is None:
            return replace(outcome, action="unchanged", reason="stopped by the stop page")
        if saved.outcome == "conflict":
            page = wiki.read([page.title])[page.title]
            continue
        return outcome.after(saved)
    return PageOutcome(page.title, "failed", reason=f"edit conflicts {EDIT_CONFLICT_TRIES} times in a row")


def fitted(
    wiki: Wiki, plan_: PagePlan, page: Page, tracking: frozenset[str]
) -> tuple[MergeResult, ParseReport | None, tuple[str, ...]]:
    """The plan merged into the page in a form the wiki's parser limits allow, the parse report of
    what is to be saved, and why no form fits (empty when one does).

    A changed page is parsed by the wiki before it is saved: past a limit (or in a tracking
    category), the plan's fallback — the citations without the wiki's template — is tried.  A
    page the wiki already counts past a limit (its tracking categories, read in the run's batch)
    is written again in the fallback form even when its rows did not change.  An unchanged page
    that fits costs no parse.
    """
    over = bool(page.categories & tracking)
    forms = [plan_, plan_.fallback] if plan_.fallback is not None else [plan_]
    if over and plan_.fallback is not None:
        forms = [plan_.fallback]
    for form in forms:
        result = _merged(wiki, form, page)
        if result.text.rstrip() == page.text.rstrip() and not over:
            return result, None, ()
        report = wiki.parse_report(page.title, result.text)
        problems = report.problems(tracking)
        if not problems:
            return result, report, ()
    return result, report, problems


def sync_pages(
    wiki: Wiki,
    plans: Sequence[PagePlan],
    pages: Mapping[str, Page],
    guard: StopGuard,
    summary_args: tuple[str, str],
    notes: Notes | None = None,
    holding: frozenset[str] = frozenset(),
) -> tuple[PageOutcome, ...]:
    """Every plan in turn, until the stop page says stop; kept corrections noted on talk pages.

    A page found holding exactly its plan (``holding``) is not merged again — nothing to do —
    unless the wiki counts it past one of its limits now (a template grew since it was saved).
    """
    tracking = wiki.tracking_categories()
    outcomes = []
    for plan_ in plans:
        if guard.stopped:
            outcomes.append(PageOutcome(plan_.title, "unchanged", reason="stopped by the stop page"))
            continue
        known = pages.get(plan_.title)
        if plan_.title in holding and not (known is not None and known.categories & tracking):
            outcomes.append(PageOutcome(plan_.title, "unchanged", kept=len(plan_.rows)))
            continue
        page = known or wiki.read([plan_.title])[plan_.title]
        outcome = sync_page(wiki, plan_, page, guard, summary_args, tracking)
        if notes is not None and outcome.conflicts and not guard.stopped:
            outcome = replace(outcome, talk=notes.note(wiki, guard, plan_, outcome))
        outcomes.append(outcome)
    return tuple(outcomes)


@dataclass(frozen=True)
class Notes:
    """How kept corrections are noted on talk pages: in the wiki's language, dated, rows named."""

    settings: Settings
    today: dt.date

    def note(
        self, wiki: Wiki, guard: StopGuard, plan_: PagePlan, outcome: PageOutcome
    ) -> TitledAction | None:
        """One new talk-page section for the corrections of this page not noted yet (None: nothing new)."""
        items = [
            talk.NoteItem(c.id, self.row_label(plan_, c.id), c.param, c.source_value, c.wiki_value, c.by)
            for c in outcome.conflicts
            if c.by is not None and c.wiki_value is not None
        ]
        if not items:
            return None
        title = wiki.talk_title(outcome.title)
        page = wiki.read([title])[title]
        fresh = talk.new_items(items, page.text)
        if not fresh:
            return None
        lang = self.settings.lang
        text = talk.with_section(page.text, talk.section(fresh, lang, self.today, self.settings.numerals))
        summary_text = l10n.message(lang, "talk-summary", len(fresh), outcome.title)
        saved = save_if_allowed(wiki, guard, page, text, summary_text)
        if saved is None:
            return TitledAction(title, "unchanged", "stopped by the stop page")
        return TitledAction(title, _action(saved, page.exists, unchanged="skipped"), saved.reason)

    def row_label(self, plan_: PagePlan, ident: str) -> str:
        """What names a row to a reader: its countries and start date (an index or stats row: its year)."""
        row = next((r for r in plan_.rows if r.id == ident), None)
        if row is None or plan_.kind != "year":
            return ident
        names = self.settings.list.params
        start = row.get(names.get("start", "start"))
        day = l10n.parse_date(start, self.settings.lang)
        if day is not None:
            start = l10n.format_date(day, self.settings.lang, self.settings.numerals)
        return ", ".join(p for p in (row.get(names.get("countries", "countries")), start) if p)


# ---------------------------------------------------------------------------- statistics


def reported_figures(wiki: Wiki, settings: Settings) -> stats.ReportedFigures:
    """The reported figures from the file the settings name, or from a wiki page ('wiki:Title')."""
    assert settings.stats is not None
    where = settings.stats.reported
    if not where.startswith("wiki:"):
        return stats.load_reported_file(Path(where))
    page = wiki.read([where[5:]])[where[5:]]
    if not page.exists:
        raise SettingsError(f"settings {settings.path}: stats.reported page {page.title!r} does not exist")
    return stats.load_reported(code_block(page.text), f"[[{page.title}]]")


@dataclass(frozen=True)
class DataTemplate:
    """The statistics data template and its tables template as the run saved them (before the
    pages that use them)."""

    title: str
    action: str
    data: stats.StatsData
    saves: tuple[Saved, ...] = ()
    tables_title: str = ""
    tables_action: str = "unchanged"


def save_data_template(
    wiki: Wiki, settings: Settings, source: SourceResult, guard: StopGuard
) -> DataTemplate:
    """The statistics data template and its tables template, saved first: the year pages and the
    statistics pages use them."""
    assert settings.stats is not None
    data = plan.stats_data(source, settings, reported_figures(wiki, settings))
    name = l10n.message(settings.lang, "source-name")
    title = wiki.full_title(settings.stats.template, TEMPLATE_NS)
    tables_title = wiki.full_title(plan.tables_title(settings), TEMPLATE_NS)
    pages = wiki.read([title, tables_title])
    saves: list[Saved] = []
    actions = []
    for page, text, summary_key in (
        (pages[title], plan.data_template(data, settings), "stats-summary"),
        (pages[tables_title], plan.tables_template(data, settings), "stats-tables-summary"),
    ):
        action = "unchanged"
        if page.text.rstrip() != text.rstrip():
            summary_text = l10n.message(settings.lang, summary_key, name, source.as_of)
            saved = save_if_allowed(wiki, guard, page, text, summary_text)
            if saved is not None:
                action = _action(saved, page.exists)
                saves.append(saved)
        actions.append(action)
    return DataTemplate(title, actions[0], data, tuple(saves), tables_title, actions[1])


def update_stats(
    wiki: Wiki,
    settings: Settings,
    source: SourceResult,
    guard: StopGuard,
    notes: Notes | None = None,
    template: DataTemplate | None = None,
) -> StatsOutcome:
    """The statistics data template (unless saved already), the chart and maps, the per-country
    page, the statistics page (after the files and pages it shows or links) and every inline figure."""
    assert settings.stats is not None
    config, lang = settings.stats, settings.lang
    template = template or save_data_template(wiki, settings, source, guard)
    data = template.data
    name = l10n.message(lang, "source-name")
    upload_comment = l10n.message(lang, "stats-upload-summary", name, source.as_of)
    chart_title = wiki.full_title(config.chart, FILE_NS)
    chart_action = "unchanged"
    if not guard.stopped:
        svg = chart.svg(
            stats.chart_rows(data.years),
            l10n.message(lang, "stats-chart-title"),
            l10n.message(lang, "stats-chart-shutdowns"),
            l10n.message(lang, "stats-chart-countries"),
        )
        caption = l10n.message(lang, "stats-chart-caption")
        chart_action = upload_if_changed(wiki, guard, chart_title, svg, upload_comment, caption)
    maps: list[TitledAction] = []
    if config.map and not guard.stopped:
        for year in sorted(data.years):
            title = wiki.full_title(config.map_title(year), FILE_NS)
            caption = l10n.message(lang, "map-caption", year)
            action = upload_if_changed(wiki, guard, title, world_map(data, year), upload_comment, caption)
            maps.append(TitledAction(title, action))
    countries_page = None
    countries_plan = plan.countries_plan(data, settings)
    if countries_plan is not None and not guard.stopped:
        (countries_page,) = sync_pages(wiki, [countries_plan], {}, guard, (name, source.as_of), notes)
    page = PageOutcome(config.page, "unchanged")
    if not guard.stopped:
        stats_plan = plan.stats_plan(data, settings)
        (page,) = sync_pages(wiki, [stats_plan], {}, guard, (name, source.as_of), notes)
    inline: list[InlineOutcome] = []
    if not guard.stopped:
        inline = update_inline(wiki, settings, data, guard, (name, source.as_of))
    written = ("created", "updated")
    edits = sum(1 for s in template.saves if s.outcome == "saved") + (page.action in written)
    edits += sum(1 for i in inline if i.action == "updated")
    edits += bool(countries_page and countries_page.action in written)
    uploads = sum(1 for a in (chart_action, *(m.action for m in maps)) if a == "uploaded")
    return StatsOutcome(
        template.title,
        template.action,
        data,
        page,
        TitledAction(chart_title, chart_action),
        tuple(inline),
        edits,
        uploads,
        tuple(maps),
        countries_page,
        template.tables_title,
        template.tables_action,
    )


def upload_if_changed(
    wiki: Wiki, guard: StopGuard, title: str, data: bytes, comment: str, caption: str
) -> str:
    """Upload a file unless the wiki already holds these bytes: uploaded, unchanged or simulated."""
    if wiki.file_sha1(title) == hashlib.sha1(data).hexdigest() or not guard.allows():
        return "unchanged"
    uploaded = wiki.upload(title, data, comment, caption)
    return {"saved": "uploaded", "simulated": "simulated"}.get(uploaded.outcome, "unchanged")


def world_map(data: stats.StatsData, year: int) -> bytes:
    """The year's world map: shutdowns per country, in the wiki's language."""
    from wikibot import worldmap  # the geometry is read only when a map is drawn

    lang = data.lang
    counts = {key: n for key, n in data.years[year].by_country if key in worldmap.shapes()}
    names = {code: l10n.country_name(Country(code, code), lang) for code in worldmap.shapes()}
    return worldmap.svg(
        counts,
        names,
        l10n.message(lang, "map-title", year),
        l10n.message(lang, "map-legend"),
        l10n.message(lang, "map-none"),
        lang=lang,
        rtl=l10n.is_rtl(lang),
        format_number=lambda n: l10n.format_number(n, lang, data.numerals),
    )


def update_inline(
    wiki: Wiki, settings: Settings, data: stats.StatsData, guard: StopGuard, summary_args: tuple[str, str]
) -> list[InlineOutcome]:
    """Fill the inline template's value on every page that transcludes it."""
    assert settings.stats is not None
    template, param = settings.stats.inline_template, settings.stats.inline_value_param
    titles = wiki.transcluding(wiki.full_title(template, TEMPLATE_NS))
    outcomes = []
    for title, page in wiki.read(titles).items():
        if guard.stopped:
            break
        text, changed, unknown = stats.update_inline(page.text, template, data, param)
        outcome = InlineOutcome(title, changed, tuple(unknown))
        if changed:
            summary_text = l10n.message(data.lang, "stats-inline-summary", changed, *summary_args)
            saved = save_if_allowed(wiki, guard, page, text, summary_text)
            if saved is None:
                outcomes.append(outcome)
                break
            outcome = replace(outcome, action=_action(saved, True, unchanged="skipped"), reason=saved.reason)
        outcomes.append(outcome)
    return outcomes


def _action(saved: Saved, existed: bool, unchanged: str = "unchanged") -> str:
    if saved.outcome == "failed":
        return "failed"
    if saved.outcome == "declined" and saved.reason:
        return unchanged
    if saved.outcome in ("saved", "simulated"):
        return "updated" if existed else "created"
    return "unchanged"


# ------------------------------------------------------------------------------- the run


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
    return replace(report, report_page=TitledAction(page.title, _action(saved, page.exists)))


def run(
    wiki: Wiki,
    settings: Settings,
    source: SourceResult,
    *,
    lists: bool,
    with_stats: bool,
    force: bool = False,
    remembered: Mapping[str, str] | None = None,
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
        return [*titles, config.list.index, report_page_title(wiki, config), *figures_template(config)]

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
        ids, plans = identify(wiki, listed, source, pages, remembered or {}, today)
        outcomes = sync_pages(wiki, plans, pages, guard, args, Notes(settings, today), ids.holding)
        report = replace(report, identity=ids, pages=outcomes)
    if with_stats and settings.stats is not None and not guard.stopped:
        outcome = update_stats(wiki, settings, source, guard, Notes(settings, today), template)
        report = replace(report, stats=outcome)
    report = replace(report, stopped=guard.stopped, exit_code=exit_code(report))
    if guard.stopped:
        return report
    return save_report_page(wiki, settings, report, pages[report_title], now)


def identify(
    wiki: Wiki,
    settings: Settings,
    source: SourceResult,
    pages: Mapping[str, Page],
    remembered: Mapping[str, str],
    today: dt.date,
) -> tuple[Identity, list[PagePlan]]:
    """The incidents' ids on the wiki and the plans written with them (see ``plan.identify``)."""

    def bot_text(title: str) -> str:
        page = pages[title]
        if page.latest_user == wiki.user:
            return page.text
        last = wiki.history(title).bot_text
        return page.text if last is None else last

    current = {t: p.text for t, p in pages.items() if p.exists}
    rendered = plan.rendered_rows(source, settings)
    return plan.identify(source, settings, today, current, remembered, bot_text, rendered)


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


# --------------------------------------------------------------- the other scripts' bodies


def install_templates(
    wiki: Wiki, items: Sequence[WikiTemplate], summary_text: str, force: bool
) -> list[TitledAction]:
    """Save each template whose text differs; never one the bot did not install, unless forced."""
    titles = {item.title: wiki.full_title(item.title, item.namespace) for item in items}
    pages = wiki.read(list(titles.values()))
    results = []
    for item in items:
        page = pages[titles[item.title]]
        if page.text.rstrip() == item.text.rstrip():
            results.append(TitledAction(page.title, "unchanged"))
        elif page.text and not may_overwrite(page.text) and not force:
            results.append(
                TitledAction(
                    page.title, "refused", "it exists and was not installed by the bot; -force overwrites it"
                )
            )
        else:
            saved = wiki.save(page.title, page.text, item.text, summary_text)
            results.append(TitledAction(page.title, _action(saved, page.exists), saved.reason))
    return results


def export_records(wiki: Wiki, settings: Settings) -> tuple[list[dict[str, object]], list[str]]:
    """Read the index page, then the year pages, back into incident records."""
    index = wiki.read([settings.list.index])[settings.list.index]
    if not index.exists:
        return [], [f"{settings.list.index}: the index page does not exist; run sync_incidents first"]
    try:
        years = export.index_years(index.text, settings)
    except PageError as exc:
        return [], [str(exc)]
    pages = wiki.read(list(years.values()))
    texts = {year: (title, pages[title].text) for year, title in years.items() if pages[title].exists}
    return export.records(texts, settings)


@dataclass(frozen=True)
class CheckResult:
    """What check_list found, on which pages."""

    findings: tuple[checks.Finding, ...]
    titles: tuple[str, ...]
    maintenance: TitledAction | None = field(default=None)


def check_list(
    wiki: Wiki,
    settings: Settings,
    source: SourceResult | None,
    remembered: Mapping[str, str],
    today: dt.date,
    maintenance_page: str | None = None,
) -> CheckResult:
    """Lint the year pages (those the index names and those the source has); write the findings
    to a maintenance page when one is given (saved only when they change)."""
    years: dict[int, str] = {}
    index = wiki.read([settings.list.index])[settings.list.index]
    findings: list[checks.Finding] = []
    if index.exists:
        try:
            years.update(export.index_years(index.text, settings))
        except PageError as exc:
            findings.append(checks.Finding(index.title, "broken-region", "", str(exc)))
    if source is not None:
        for year in source.by_year():
            years.setdefault(year, settings.list.page_title(year))
    pages = {t: p for t, p in wiki.read(list(years.values())).items() if p.exists}
    source_ids: set[str] | None = None
    if source is not None:
        ids, _ = identify(wiki, settings, source, pages, remembered, today)
        source_ids = set(ids.ids.values()) | ids.held
        findings.extend(checks.ambiguous(ids, source, settings))
    for title in years.values():
        if title in pages:
            findings.extend(checks.check_page(title, pages[title].text, settings, source_ids))
    result = CheckResult(tuple(sorted(findings)), tuple(pages))
    if maintenance_page is None:
        return result
    page = wiki.read([maintenance_page])[maintenance_page]
    text = checks.findings_text(list(result.findings), settings.lang)
    if page.text.rstrip() == text.rstrip():
        return replace(result, maintenance=TitledAction(page.title, "unchanged"))
    summary_text = l10n.message(settings.lang, "check-summary", len(findings))
    saved = wiki.save(page.title, page.text, text, summary_text)
    return replace(result, maintenance=TitledAction(page.title, _action(saved, page.exists), saved.reason))


@dataclass(frozen=True)
class Correction:
    """A bot-owned value on the wiki that differs from the source because an editor changed it."""

    id: str
    page: str
    field: str
    source_value: str
    wiki_value: str
    editor: str
    timestamp: str
    diff_url: str
    refs: tuple[str, ...] = ()

    def as_json(self) -> dict[str, object]:
        """As one record of the corrections report."""
        return {
            "id": self.id,
            "page": self.page,
            "field": self.field,
            "source_value": self.source_value,
            "wiki_value": self.wiki_value,
            "editor": self.editor,
            "timestamp": self.timestamp,
            "diff_url": self.diff_url,
            "refs": list(self.refs),
        }


def corrections(
    wiki: Wiki, settings: Settings, source: SourceResult, remembered: Mapping[str, str], today: dt.date
) -> list[Correction]:
    """Every bot-owned value an editor changed that the source still says otherwise (what Access
    Now's maintainers would review): year pages, the index and the statistics table."""
    pages = wiki.read(plan.titles(source, settings))
    _, plans = identify(wiki, settings, source, pages, remembered, today)
    if settings.stats is not None:
        data = plan.stats_data(source, settings, reported_figures(wiki, settings))
        plans.append(plan.stats_plan(data, settings))
        pages.update(wiki.read([settings.stats.page]))
    found = []
    for plan_ in plans:
        page = pages[plan_.title]
        if not page.exists or plan_.holds(page.text):
            continue
        try:
            result = _merged(wiki, plan_, page)
        except PageError:
            continue
        for conflict in result.conflicts:
            if conflict.by is None or conflict.wiki_value is None:
                continue
            found.append(
                Correction(
                    conflict.id,
                    page.title,
                    conflict.param,
                    unescape(conflict.source_value),
                    unescape(conflict.wiki_value),
                    conflict.by.user,
                    conflict.by.timestamp,
                    wiki.diff_url(conflict.by.revid, conflict.by.parentid),
                    conflict.by.refs,
                )
            )
    return found
