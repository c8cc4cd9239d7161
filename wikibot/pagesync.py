"""Page sync: which ids the incidents have on the wiki, what each page becomes, the save.

A plan is merged into its page (keeping what editors wrote and the values they corrected,
read from the history), parsed by the wiki before it is saved (``fitted``: within the parser's
limits, else the plain form, else refused), saved through the wiki port unless the stop page
says stop, re-merged on an edit conflict; kept corrections are noted once on talk pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from wikibot import l10n, plan, safety, talk
from wikibot.errors import PageError
from wikibot.identity import Identity
from wikibot.limits import ParseReport
from wikibot.listpage import MergeResult
from wikibot.model import SourceResult
from wikibot.plan import PagePlan, summary
from wikibot.runreport import PageOutcome, TitledAction
from wikibot.settings import Settings
from wikibot.wikiport import Page, Saved, Wiki

EDIT_CONFLICT_TRIES = 3


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


def merged(wiki: Wiki, plan_: PagePlan, page: Page) -> MergeResult:
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
        result = merged(wiki, form, page)
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
        return TitledAction(title, action_of(saved, page.exists, unchanged="skipped"), saved.reason)

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


def action_of(saved: Saved, existed: bool, unchanged: str = "unchanged") -> str:
    """What a save came to, as an outcome's action (a simulated save: what it would have done)."""
    if saved.outcome == "failed":
        return "failed"
    if saved.outcome == "declined" and saved.reason:
        return unchanged
    if saved.outcome in ("saved", "simulated"):
        return "updated" if existed else "created"
    return "unchanged"
