"""The pywikibot shell: the only module that talks to a wiki.

Pages are read in batches (``PreloadingGenerator``) and saved through ``put_current``, so
pywikibot owns the diff, ``-simulate``, ``-always``, throttling, maxlag and the no-op skip.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pywikibot
from pywikibot import pagegenerators
from pywikibot.bot import CurrentPageBot, SingleSiteBot
from pywikibot.exceptions import (
    EditConflictError,
    IsRedirectPageError,
    LockedPageError,
    NoPageError,
    OtherPageSaveError,
    PageSaveRelatedError,
    ServerError,
    UnknownFamilyError,
    UnknownSiteError,
)
from pywikibot.exceptions import (
    Error as PywikibotError,
)

from wikibot import chart, checks, cli, export, idmemory, l10n, plan, runreport, safety, stats
from wikibot.errors import PageError, SettingsError, WikibotError
from wikibot.listpage import MergeResult
from wikibot.plan import PagePlan, summary
from wikibot.settings import MultiSettings, Settings, code_block, load_run, with_wiki_settings
from wikibot.sources import read_source
from wikibot.wikitemplates import may_overwrite

BATCH = 50
EDIT_CONFLICT_TRIES = 3
HISTORY_DEPTH = 50  # revisions looked at for editors' changes
EDITOR_REVISIONS = 10  # editor revisions whose changes are read (2 texts each)


def site_of(settings: Settings) -> Any:
    """The pywikibot site of a profile ('family:code'), else pywikibot's default site.

    The dev wiki runs without pauses; any other wiki gets at least pywikibot's usual pauses
    (10 s between saves, 0.1 s between reads) even when user-config.py set less.
    """
    family, _, code = (settings.site or f"{pywikibot.config.family}:{pywikibot.config.mylang}").partition(":")
    if not code:
        raise SettingsError(f"settings {settings.path}: 'site' must be family:code, e.g. wikipedia:fr")
    if family != "devwiki":
        pywikibot.config.put_throttle = max(pywikibot.config.put_throttle, 10)
        pywikibot.config.minthrottle = max(pywikibot.config.minthrottle, 0.1)
    try:
        return pywikibot.Site(code, family)
    except (UnknownFamilyError, UnknownSiteError) as exc:
        raise SettingsError(
            f"settings {settings.path}: site {settings.site!r} is unknown to pywikibot ({exc})"
        ) from None


def preload(site: Any, titles: Iterable[str]) -> Iterator[Any]:
    """Pages by title, read BATCH at a time."""
    pages = (pywikibot.Page(site, title) for title in titles)
    generator: Iterator[Any] = pagegenerators.PreloadingGenerator(pages, groupsize=BATCH)
    return generator


class Histories:
    """The recent history of the pages a run may change, read once per page and only when needed.

    One request gives the last HISTORY_DEPTH revisions with their text: the bot's last revision
    (what the bot last wrote, which the identity matching compares with) and the editors'
    revisions with their parents (values editors set, which the merge keeps).
    """

    def __init__(self, bot_user: str) -> None:
        self.bot_user = bot_user
        self._revisions: dict[str, list[Any]] = {}

    def _of(self, page: Any) -> list[Any]:
        title = page.title()
        if title not in self._revisions:
            self._revisions[title] = list(page.revisions(total=HISTORY_DEPTH, content=True))
        return self._revisions[title]

    def bot_text(self, page: Any) -> str:
        """The text of the bot's last revision (the page's text when the bot wrote the latest one).

        When none of the recent revisions is the bot's, the oldest of them stands in for it.
        """
        if not page.exists():
            return ""
        if page.latest_revision.user == self.bot_user:
            return str(page.text)
        revisions = self._of(page)
        ours = next((r for r in revisions if r.user == self.bot_user), revisions[-1] if revisions else None)
        return str(ours.text) if ours is not None else str(page.text)

    def editors(self, page: Any) -> list[tuple[str, str]]:
        """(parent text, text) of the latest editor revisions (not the bot's), newest first.

        Read only when the bot is about to change something, so that a value an editor set —
        even long ago, even kept by the bot since — is never reverted.
        """
        revisions = self._of(page)
        texts = {r.revid: r.text for r in revisions}
        pairs: list[tuple[str, str]] = []
        for revision in revisions:
            if len(pairs) >= EDITOR_REVISIONS:
                break
            if revision.user == self.bot_user or not revision.parentid:
                continue
            parent = texts.get(revision.parentid)
            if parent is None:
                parent = page.getOldVersion(revision.parentid)
            pairs.append((parent, revision.text))
        return pairs


class StopGuard:
    """The stop page, read before every save: a run goes on only while it says the run value.

    A missing stop page means run. Any other content (an admin writing "stop", say) makes the
    bot stop before its next edit, say why, and end with exit code 0.
    """

    def __init__(self, site: Any, settings: Settings) -> None:
        self.site = site
        self.title = settings.safety.stop_page.replace("{bot}", site.username() or "")
        self.run_value = settings.safety.run_value
        self.stopped = ""

    def allows(self) -> bool:
        """Read the stop page afresh; False (and remember why) when it says stop."""
        if self.stopped:
            return False
        try:
            text: str | None = pywikibot.Page(self.site, self.title).get()
        except NoPageError:
            text = None
        except IsRedirectPageError:
            text = ""
        if safety.may_run(text, self.run_value):
            return True
        self.stopped = (
            f"the stop page [[{self.title}]] does not say {self.run_value!r}; "
            f"stopped before the next edit (write {self.run_value!r} there, or delete it, to run again)"
        )
        pywikibot.warning(self.stopped)
        return False


@dataclass
class PageReport:
    """What the run did to one page (the run report's ``pages`` entries)."""

    title: str
    action: str = "unchanged"  # created | updated | unchanged | refused | skipped | failed
    added: int = 0
    updated: int = 0
    kept: int = 0
    missing: list[str] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    revid: int | None = None
    reason: str = ""

    def as_dict(self) -> dict[str, Any]:
        """As JSON."""
        data = {k: v for k, v in self.__dict__.items() if k != "reason" or v}
        return data


class ListSyncBot(SingleSiteBot, CurrentPageBot):  # type: ignore[misc]
    """Merge each page's plan into the page and save it when it changed."""

    use_redirects = False
    ignore_save_related_errors = False  # a refused save is reported as the page's failure

    def __init__(
        self,
        plans: list[PagePlan],
        source_name: str,
        as_of: str,
        guard: StopGuard,
        loaded: dict[str, Any] | None = None,
        histories: Histories | None = None,
        **kwargs: Any,
    ) -> None:
        self.guard = guard
        self.plans = {p.title: p for p in plans}
        self.source_name = source_name
        self.as_of = as_of
        self.reports: dict[str, PageReport] = {p.title: PageReport(p.title) for p in plans}
        super().__init__(**kwargs)
        self.histories = histories or Histories(self.site.username())
        self.generator: Iterator[Any]
        if loaded is not None and all(p.title in loaded for p in plans):
            self.generator = iter([loaded[p.title] for p in plans])  # read already, in the run's one batch
        else:
            self.generator = preload(self.site, [p.title for p in plans])

    def skip_page(self, page: Any) -> bool:
        """Skip redirects ({{bots}} / {{nobots}} are checked before a save, see treat_page)."""
        report = self.reports[page.title()]
        if page.exists() and page.isRedirectPage():
            report.action, report.reason = "refused", "the page is a redirect; fix or delete it"
            return True
        return bool(super().skip_page(page))

    def treat_page(self) -> None:
        """Merge, then save; on an edit conflict re-read, re-merge and retry (bounded)."""
        page = self.current_page
        plan = self.plans[page.title()]
        report = self.reports[page.title()]
        for attempt in range(EDIT_CONFLICT_TRIES):
            try:
                result = self._merge(page, plan)
            except PageError as exc:
                report.action, report.reason = "refused", str(exc)
                pywikibot.warning(str(exc))
                return
            self._describe(report, result, created=not page.exists())
            if result.text.rstrip() == page.text.rstrip():
                report.action = "unchanged"
                return
            if page.exists() and not page.botMayEdit():
                # checked only before a save: pywikibot parses the whole page for it
                report.action, report.reason = "skipped", "{{bots}}/{{nobots}} excludes this bot"
                return
            if not self.guard.allows():
                report.action, report.reason = "unchanged", "stopped by the stop page"
                self.quit()
            try:
                saved = self.put_current(
                    result.text,
                    summary=summary(plan, result, self.source_name, self.as_of),
                    asynchronous=False,
                    bot=True,
                    minor=False,
                )
            except EditConflictError:
                pywikibot.info(f"Edit conflict on {page.title()}: reading it again ({attempt + 1})")
                page.clear_cache()
                continue
            except (LockedPageError, OtherPageSaveError, PageSaveRelatedError, ServerError) as exc:
                report.action, report.reason = "failed", f"{type(exc).__name__}: {exc}"
                return
            report.action = ("created" if report.action == "created" else "updated") if saved else "unchanged"
            if saved and not pywikibot.config.simulate:
                report.revid = page.latest_revision_id
            return
        report.action, report.reason = "failed", f"edit conflicts {EDIT_CONFLICT_TRIES} times in a row"

    def _merge(self, page: Any, plan: PagePlan) -> MergeResult:
        text = page.text if page.exists() else ""
        result = plan.apply(text)
        if text and (result.updated or result.added) and plan.kind == "year":
            # Something would change: read the history for values editors set, and keep those.
            revisions = self.histories.editors(page)
            if revisions:
                result = plan.apply(text, plan.editors(revisions))
        return result

    @staticmethod
    def _describe(report: PageReport, result: MergeResult, created: bool) -> None:
        report.action = "created" if created else "updated"
        report.added = len(result.added)
        report.updated = len(result.updated)
        report.kept = result.unchanged
        report.missing = list(result.missing)
        report.conflicts = [c.report() for c in result.conflicts]


def sync_pages(
    site: Any,
    plans: list[PagePlan],
    source_name: str,
    as_of: str,
    always: bool,
    guard: StopGuard,
    loaded: dict[str, Any] | None = None,
    histories: Histories | None = None,
) -> tuple[list[PageReport], int]:
    """Run the sync bot over the plans; the page reports and the number of edits."""
    bot = ListSyncBot(plans, source_name, as_of, guard, loaded, histories, site=site, always=always)
    bot.run()
    edits = 0 if pywikibot.config.simulate else int(bot.counter["write"])
    return [bot.reports[p.title] for p in plans], edits


def read_pages(site: Any, titles: list[str]) -> dict[str, str]:
    """The text of each existing page among the titles, read in batches."""
    return {page.title(): page.text for page in preload(site, titles) if page.exists()}


def save_page(site: Any, title: str, text: str, summary_text: str, always: bool = True) -> str:
    """Create or update one page unless it already holds the text: 'created', 'updated' or 'unchanged'."""
    page = pywikibot.Page(site, title)
    existed = page.exists()
    if existed and page.text.rstrip() == text.rstrip():
        return "unchanged"
    page.text = text
    page.save(summary=summary_text, bot=True, minor=False, asynchronous=False)
    return "updated" if existed else "created"


def today() -> dt.date:
    """The run's date (UTC)."""
    return dt.datetime.now(dt.UTC).date()


def source_name(settings: Settings) -> str:
    """The attribution of the source in the wiki's language."""
    return l10n.message(settings.lang, "source-name")


WIKI_ERRORS: tuple[type[BaseException], ...] = (PywikibotError, ConnectionError, OSError)


def install_templates(
    site: Any, items: list[Any], summary_text: str, always: bool, force: bool
) -> list[tuple[str, str]]:
    """Save each template whose text differs: (full title, created | updated | unchanged | refused)."""
    pages = {p.title(with_ns=False): p for p in preload(site, [f"Template:{i.title}" for i in items])}
    results = []
    for item in items:
        page = pages.get(item.title) or pywikibot.Page(site, item.title, ns=10)
        title = page.title()
        existing = page.text if page.exists() else ""
        if existing.rstrip() == item.text.rstrip():
            results.append((title, "unchanged"))
            continue
        if existing and not may_overwrite(existing) and not force:
            pywikibot.warning(f"{title} exists and was not installed by the bot; -force overwrites it")
            results.append((title, "refused"))
            continue
        if not always:
            pywikibot.showDiff(existing, item.text)
            choice = pywikibot.input_choice(f"Save {title}?", [("Yes", "y"), ("No", "n")], default="n")
            if choice != "y":
                results.append((title, "unchanged"))
                continue
        page.text = item.text
        page.save(summary=summary_text, bot=True, minor=False, asynchronous=False)
        results.append((title, "updated" if existing else "created"))
    return results


def export_records(site: Any, settings: Settings) -> tuple[list[dict[str, Any]], list[str]]:
    """Read the index page, then the year pages (in batches), back into incident records."""
    index = pywikibot.Page(site, settings.list.index)
    if not index.exists():
        return [], [f"{settings.list.index}: the index page does not exist; run sync_incidents first"]
    try:
        years = export.index_years(index.text, settings)
    except PageError as exc:
        return [], [str(exc)]
    texts = read_pages(site, list(years.values()))
    pages = {year: (title, texts[title]) for year, title in years.items() if title in texts}
    return export.records(pages, settings)


def reported_figures(site: Any, settings: Settings) -> Any:
    """The reported figures from the file the settings name, or from a wiki page ('wiki:Title')."""
    assert settings.stats is not None
    where = settings.stats.reported
    if not where.startswith("wiki:"):
        return stats.load_reported_file(Path(where))
    page = pywikibot.Page(site, where[5:])
    if not page.exists():
        raise SettingsError(f"settings {settings.path}: stats.reported page {page.title()!r} does not exist")
    return stats.load_reported(code_block(page.text), f"[[{page.title()}]]")


def upload_chart(site: Any, title: str, data: bytes, comment: str, description: str, guard: StopGuard) -> str:
    """Upload the chart unless the file already holds these bytes: 'uploaded', 'unchanged' or 'simulated'."""
    page = pywikibot.FilePage(site, title)
    if page.exists() and page.latest_file_info.sha1 == hashlib.sha1(data).hexdigest():
        return "unchanged"
    if pywikibot.config.simulate:
        pywikibot.info(f"SIMULATION: {title} would be uploaded ({len(data)} bytes)")
        return "simulated"
    if not guard.allows():
        return "unchanged"
    with tempfile.NamedTemporaryFile(suffix=".svg") as tmp:
        tmp.write(data)
        tmp.flush()
        page.upload(tmp.name, summary=comment, text=description, ignore_warnings=True, report_success=False)
    return "uploaded"


class InlineStatsBot(SingleSiteBot, CurrentPageBot):  # type: ignore[misc]
    """Fill the value of the inline statistics template on every page that uses it."""

    ignore_save_related_errors = False

    def __init__(
        self,
        template: str,
        data: Any,
        value_param: str,
        summary_args: tuple[str, str],
        guard: StopGuard,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.guard = guard
        self.template, self.data, self.value_param = template, data, value_param
        self.summary_args = summary_args
        self.reports: list[dict[str, Any]] = []
        self.generator = pagegenerators.PreloadingGenerator(
            pywikibot.Page(self.site, template, ns=10).getReferences(
                only_template_inclusion=True, content=False
            ),
            groupsize=BATCH,
        )

    def skip_page(self, page: Any) -> bool:
        """Skip pages whose {{bots}} / {{nobots}} exclude this bot."""
        if not page.botMayEdit():
            self.reports.append({"title": page.title(), "action": "skipped", "reason": "{{nobots}}"})
            return True
        return bool(super().skip_page(page))

    def treat_page(self) -> None:
        """Update the page's inline values and save it when one changed."""
        page = self.current_page
        text, changed, unknown = stats.update_inline(page.text, self.template, self.data, self.value_param)
        entry: dict[str, Any] = {
            "title": page.title(),
            "changed": changed,
            "unknown": unknown,
            "action": "unchanged",
        }
        if changed and not self.guard.allows():
            self.reports.append(entry)
            self.quit()
        if changed:
            summary_text = l10n.message(self.data.lang, "stats-inline-summary", changed, *self.summary_args)
            try:
                saved = self.put_current(
                    text, summary=summary_text, asynchronous=False, bot=True, minor=False
                )
            except (PageSaveRelatedError, ServerError) as exc:
                entry["action"], entry["reason"] = "failed", f"{type(exc).__name__}: {exc}"
                self.reports.append(entry)
                return
            entry["action"] = "updated" if saved else "unchanged"
        self.reports.append(entry)


def update_stats(
    site: Any, settings: Settings, source: Any, always: bool, guard: StopGuard
) -> dict[str, Any]:
    """Rewrite the statistics data template, the statistics page, the chart and the inline figures."""
    assert settings.stats is not None
    stats_settings = settings.stats
    lang = settings.lang
    data = plan.stats_data(source, settings, reported_figures(site, settings))
    name = source_name(settings)
    edits = 0
    template_title = pywikibot.Page(site, stats_settings.template, ns=10).title()
    template_action = "unchanged"
    text = plan.data_template(data, settings)
    existing = pywikibot.Page(site, template_title)
    if not existing.exists() or existing.text.rstrip() != text.rstrip():
        if pywikibot.config.simulate:
            pywikibot.showDiff(existing.text if existing.exists() else "", text)
            template_action = "simulated"
        elif guard.allows():
            summary_text = l10n.message(lang, "stats-summary", name, source.as_of)
            template_action = save_page(site, template_title, text, summary_text)
            edits += 1
    svg = chart.svg(
        stats.chart_rows(data.years),
        l10n.message(lang, "stats-chart-title"),
        l10n.message(lang, "stats-chart-shutdowns"),
        l10n.message(lang, "stats-chart-countries"),
    )
    chart_title = pywikibot.FilePage(site, stats_settings.chart).title()
    chart_action = "unchanged"
    if not guard.stopped:
        chart_action = upload_chart(
            site,
            chart_title,
            svg,
            l10n.message(lang, "stats-upload-summary", name, source.as_of),
            l10n.message(lang, "stats-chart-caption"),
            guard,
        )
    page_report: dict[str, Any] = {"title": stats_settings.page, "action": "unchanged"}
    inline_reports: list[dict[str, Any]] = []
    if not guard.stopped:
        page_reports, page_edits = sync_pages(
            site, [plan.stats_plan(data, settings)], name, source.as_of, always, guard
        )
        page_report = page_reports[0].as_dict()
        edits += page_edits
    if not guard.stopped:
        inline = InlineStatsBot(
            stats_settings.inline_template,
            data,
            stats_settings.inline_value_param,
            (name, source.as_of),
            guard,
            site=site,
            always=always,
        )
        inline.run()
        inline_reports = inline.reports
        edits += 0 if pywikibot.config.simulate else int(inline.counter["write"])
    members = data.reported.members
    return {
        "template": template_title,
        "template_action": template_action,
        "by_year": {
            str(y): {"shutdowns": s.shutdowns, "countries": s.countries, **s.as_report()}
            for y, s in data.years.items()
        },
        "coalition": {
            "members": members.shutdowns if members else None,
            "countries": members.countries if members else None,
            "as_of": members.as_of if members else None,
            "source": members.source if members else None,
            "approximate": members.approximate if members else None,
        },
        "page": page_report,
        "chart": {"title": chart_title, "action": chart_action},
        "inline": inline_reports,
        "edits": edits,
        "uploads": 1 if chart_action == "uploaded" else 0,
    }


def check_password_file() -> None:
    """Refuse a password file that others can read (pywikibot would only fix it quietly)."""
    name = pywikibot.config.password_file
    if not name:
        return
    path = Path(pywikibot.config.base_dir) / name
    if path.exists():
        problem = safety.password_file_problem(path.stat().st_mode)
        if problem:
            raise SettingsError(f"password file {path}: {problem}")


def on_wiki_settings(site: Any, settings: Settings) -> Settings:
    """The settings with the on-wiki settings page applied (unchanged when there is none)."""
    if not settings.wiki_settings:
        return settings
    page = pywikibot.Page(site, settings.wiki_settings)
    if not page.exists():
        return settings
    return with_wiki_settings(settings, page.text, page.title())


def wiki_state(site: Any, settings: Settings, page: Any = None) -> safety.WikiState:
    """What the wiki shows now, from the index page (empty when it does not exist or is broken)."""
    page = page if page is not None else pywikibot.Page(site, settings.list.index)
    if not page.exists():
        return safety.WikiState({})
    try:
        return export.index_state(page.text, settings)
    except PageError:
        return safety.WikiState({})


def run(
    settings: Settings, source: Any, *, lists: bool, with_stats: bool, always: bool, force: bool
) -> tuple[dict[str, Any], int]:
    """One bot run: the safety gate, then the list pages and/or the statistics, then the report page."""
    check_password_file()
    site = site_of(settings)
    report: dict[str, Any] = {"source": source.report(), "simulate": bool(pywikibot.config.simulate)}
    try:
        settings = on_wiki_settings(site, settings)
    except SettingsError as exc:
        pywikibot.error(str(exc))
        report.update(refused=[str(exc)], edits=0, uploads=0, pages=[])
        save_report_page(site, settings, report)
        return report, 2
    titles = [p.title for p in plan.plans(source, settings, today())] if lists else []
    report_title = report_page_title(site, settings)
    # one batched read for the list pages, the index (for the gate) and the report page
    loaded = {p.title(): p for p in preload(site, [*titles, settings.list.index, report_title])}
    histories = Histories(site.username())
    plans: list[PagePlan] = []
    memory = idmemory.IdMemory.at(settings.safety.lock_file, f"{settings.site}|{settings.list.index}")
    if lists:
        current = {t: str(p.text) for t, p in loaded.items() if p.exists()}
        ids, plans = plan.identify(
            source, settings, today(), current, memory.load(), lambda t: histories.bot_text(loaded[t])
        )
        report["identity"] = ids.report()
    index = loaded.get(pywikibot.Page(site, settings.list.index).title())
    reasons = safety.gate(source, wiki_state(site, settings, index), settings.safety)
    if reasons and not force:
        for reason in reasons:
            pywikibot.warning(f"refused: {reason}")
        report.update(refused=reasons, edits=0, uploads=0, pages=[])
        save_report_page(site, settings, report, loaded.get(report_title))
        return report, 3
    if reasons:
        report["forced"] = reasons
    guard = StopGuard(site, settings)
    edits = uploads = 0
    pages: list[PageReport] = []
    if lists:
        pages, edits = sync_pages(
            site, plans, source_name(settings), source.as_of, always, guard, loaded, histories
        )
        if not pywikibot.config.simulate:
            memory.save(ids.ids)
    report["pages"] = [p.as_dict() for p in pages]
    if with_stats and settings.stats is not None and not guard.stopped:
        result = update_stats(site, settings, source, always, guard)
        report["stats"] = result
        edits += result["edits"]
        uploads += result["uploads"]
    if guard.stopped:
        report["stopped"] = guard.stopped
    report.update(edits=edits, uploads=uploads)
    if not guard.stopped:
        save_report_page(site, settings, report, loaded.get(report_title))
    all_pages = report["pages"] + ([report["stats"]["page"]] if "stats" in report else [])
    if any(p["action"] == "failed" for p in all_pages):
        return report, 1
    if any(p["action"] == "refused" for p in all_pages):
        return report, 3
    return report, 0


def report_page_title(site: Any, settings: Settings) -> str:
    """The run report page's full title."""
    return str(
        pywikibot.Page(site, settings.safety.report_page.replace("{bot}", site.username() or "")).title()
    )


def save_report_page(site: Any, settings: Settings, report: dict[str, Any], page: Any = None) -> None:
    """Write the run report page, only when its content (all but the time line) changed."""
    if pywikibot.config.simulate:
        return
    if page is None:
        page = pywikibot.Page(site, report_page_title(site, settings))
    head, body = runreport.page_text(report, settings.lang, dt.datetime.now(dt.UTC))
    if page.exists() and runreport.body_of(page.text) == body:
        report["report_page"] = {"title": page.title(), "action": "unchanged"}
        return
    existed = page.exists()
    page.text = f"{head}\n{body}"
    page.save(summary=l10n.message(settings.lang, "report-summary"), bot=True, minor=True, asynchronous=False)
    report["report_page"] = {"title": page.title(), "action": "updated" if existed else "created"}


class _OneLineTracebacks(logging.Filter):
    """A traceback pywikibot logs before retrying a request becomes its last line.

    Such a failure is expected (a timeout, a reset connection) and pywikibot retries it; the
    operator sees what failed in one line, never a traceback.
    """

    last_cause = ""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message.startswith("Traceback (most recent call last)"):
            last = message.strip().splitlines()[-1]
            _OneLineTracebacks.last_cause = last.split(": ", 1)[-1]
            record.msg, record.args = f"request failed, retrying: {last}", ()
        elif record.levelno >= logging.WARNING and (
            "maxlag" in message.lower() or "read-only" in message.lower()
        ):
            _OneLineTracebacks.last_cause = message.strip().splitlines()[0]
        return True


def describe_wiki_error(exc: BaseException) -> str:
    """One line for a wiki failure, with the cause of the retries that led to it."""
    text = f"{type(exc).__name__}: {exc}".splitlines()[0]
    cause = _OneLineTracebacks.last_cause
    return f"{text} (last cause: {cause})" if cause and cause not in text else text


# Records pywikibot logs on its own logger: a filter there outlives handler re-initialization.
logging.getLogger("pywiki").addFilter(_OneLineTracebacks())


def run_many(targets: Iterable[Any], source: Any, *, always: bool, force: bool) -> tuple[dict[str, Any], int]:
    """Each target wiki in turn from one source read; a failure on one is reported, the others go on."""
    wikis: dict[str, Any] = {}
    codes = []
    for target in targets:
        pywikibot.info(f"--- {target.name} ({target.settings.site}) ---")
        try:
            report, code = run(
                target.settings, source, lists=True, with_stats=True, always=always, force=force
            )
        except WikibotError as exc:
            report, code = {"error": str(exc)}, exc.exit_code
        except WIKI_ERRORS as exc:
            report, code = {"error": f"the wiki failed: {describe_wiki_error(exc)}"}, 1
        report.pop("source", None)
        wikis[target.name] = {"site": target.settings.site, "exit_code": code, **report}
        codes.append(code)
    summary_report = {
        "source": source.report(),
        "wikis": wikis,
        "edits": sum(w.get("edits", 0) for w in wikis.values()),
        "uploads": sum(w.get("uploads", 0) for w in wikis.values()),
    }
    worst = 1 if 1 in codes else max(codes, default=0)
    return summary_report, worst


def check_list(site: Any, settings: Settings, source: Any | None) -> tuple[list[Any], list[str]]:
    """Lint the year pages (those the index names and those the source has): findings and titles read."""
    years: dict[int, str] = {}
    index = pywikibot.Page(site, settings.list.index)
    findings = []
    if index.exists():
        try:
            years.update(export.index_years(index.text, settings))
        except PageError as exc:
            findings.append(checks.Finding(index.title(), "broken-region", "", str(exc)))
    if source is not None:
        for year in source.by_year():
            years.setdefault(year, settings.list.page_title(year))
    pages = {p.title(): p for p in preload(site, list(years.values())) if p.exists()}
    texts = {title: str(page.text) for title, page in pages.items()}
    source_ids: set[str] | None = None
    if source is not None:
        histories = Histories(site.username())
        memory = idmemory.IdMemory.at(settings.safety.lock_file, f"{settings.site}|{settings.list.index}")
        ids, _ = plan.identify(
            source, settings, today(), texts, memory.load(), lambda t: histories.bot_text(pages[t])
        )
        source_ids = set(ids.ids.values()) | ids.held
        findings.extend(checks.ambiguous(ids, source, settings))
    for title in years.values():
        if title in texts:
            findings.extend(checks.check_page(title, texts[title], settings, source_ids))
    return findings, list(texts)


def sync_script(args: tuple[str, ...], script: str, *, lists: bool, with_stats: bool) -> int:
    """The body of the pwb scripts that sync (sync_incidents, update_stats, sync): options, lock,
    one source read, the run (or a run per target wiki), the report; returns the exit code."""

    def body() -> int:
        local_args = pywikibot.handle_args(args)
        options = cli.parse_options(
            local_args, {"always", "force"}, {"settings", "source", "sheet", "report"}, script
        )
        config = load_run(options.get("settings"))
        if isinstance(config, MultiSettings) and lists != with_stats:
            raise SettingsError(
                f"{script}: several wikis in one run are for pwb sync; use it with {config.path}"
            )
        if isinstance(config, Settings) and with_stats and not lists and config.stats is None:
            raise SettingsError(f"{script}: the settings {config.path} have no 'stats' section")
        always, force = bool(options.get("always")), bool(options.get("force"))
        with cli.locked(config.safety.lock_file):
            source = read_source(cli.source_spec(config, options, script))
            cli.print_source(source.report())
            if isinstance(config, MultiSettings):
                report, code = run_many(config.targets, source, always=always, force=force)
            else:
                report, code = run(
                    config, source, lists=lists, with_stats=with_stats, always=always, force=force
                )
        cli.write_report(options.get("report"), report)
        for name, wiki in report.get("wikis", {"": report}).items():
            if name:
                print(f"--- {name}: {wiki.get('error') or 'done'} (exit {wiki['exit_code']})")
            cli.print_run(wiki)
        return code

    return cli.run(body, WIKI_ERRORS, describe_wiki_error)
