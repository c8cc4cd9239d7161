"""Page sync: which ids the incidents have on the wiki, what each page becomes, the save.

A plan is merged into its page (keeping what editors wrote and the values they corrected,
read from the history), parsed by the wiki before it is saved (``fitted``: within the parser's
limits, else the plain form, else refused), saved through the wiki port unless the stop page
says stop, re-merged on an edit conflict; kept corrections are noted once on talk pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from wikibot import decisions, l10n, plan, safety, talk
from wikibot.decisions import REMOVED, Decisions, PageDecisions
from wikibot.errors import PageError
from wikibot.identity import Identity
from wikibot.limits import ParseReport
from wikibot.listpage import Attribution, MergeResult, changes_between
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


@dataclass
class Memory:
    """Editors' decisions during a run (``wikibot.decisions``): the record read from its page,
    what each page's merge decided, and the record's saves — before the page they are about.

    ``settled``: the revision of each page the last run that ended well read or left (the run
    record); a page still at that revision holds no decision the record lacks, so its history is
    not read.  Deleting the run record costs one history request per page, never a decision."""

    title: str
    page: Page
    record: Decisions
    settled: Mapping[str, int | None] = field(default_factory=dict)
    existed: bool = False  # the record's page, when the run read it
    saves: list[Saved] = field(default_factory=list)
    decided: dict[str, PageDecisions] = field(default_factory=dict)  # per page, found this run

    @classmethod
    def read(cls, page: Page, settled: Mapping[str, int | None] | None = None) -> Memory:
        """The record a page holds (DecisionsError: not one the bot wrote)."""
        text = page.text if page.exists and not page.redirect else ""
        return cls(page.title, page, decisions.read(text, page.title), dict(settled or {}), page.exists)

    def of(self, wiki: Wiki, plan_: PagePlan, page: Page) -> PageDecisions:
        """A page's decisions: the record's and those made since the bot's own last revision
        of the page (compared whatever the number of revisions since; found once per run)."""
        if page.title in self.decided:
            return self.decided[page.title]
        known = self.record.of(page.title)
        if not self.unsettled(wiki, page) or plan_.kind not in ("year", "index", "stats"):
            self.decided[page.title] = known
            return known
        base = wiki.bot_revision(page.title)
        changed: dict[tuple[str, str], str | None] = {}
        removed: dict[str, dict[str, str]] = {}
        if base is not None:
            changed, removed = changes_between(base[1], page.text, plan_.spec, page.title)
        owned = {name for row in plan_.rows for name, _ in row.params}  # a note= is no decision
        changed = {k: v for k, v in changed.items() if k[1] in owned}
        new = [k for k, v in changed.items() if k not in known.kept or known.kept[k].value != v]
        gone = [i for i in removed if i not in known.removed]
        by: dict[tuple[str, str], Attribution] = {}
        if new or gone:
            assert base is not None
            by = attributions(wiki, plan_, page, base[0], [*new, *((i, REMOVED) for i in gone)])
        found = known.with_found({k: changed[k] for k in new}, {i: removed[i] for i in gone}, by)
        self.decided[page.title] = found
        return found

    def unsettled(self, wiki: Wiki, page: Page) -> bool:
        """True when an editor may have decided something the record does not hold yet."""
        if not page.exists or page.latest_user == wiki.user:
            return False
        revid = wiki.seen.get(page.title)
        return revid is None or self.settled.get(page.title) != revid

    def keep(self, wiki: Wiki, guard: StopGuard, title: str, decided: PageDecisions, lang: str) -> str:
        """Save the record with a page's decisions when they changed; '' when saved (or nothing to
        save), else why not (the page is then not saved either)."""
        if self.record.of(title) == decided:
            return ""
        record = self.record.having(title, decided)
        if not guard.allows():
            return "stopped by the stop page"
        summary_text = l10n.message(lang, "decisions-summary", title)
        saved = wiki.save(self.title, self.page.text, record.text(), summary_text, minor=True)
        self.saves.append(saved)
        if saved.outcome not in ("saved", "simulated"):
            reason = saved.reason or saved.outcome
            return l10n.message(lang, "decisions-not-saved", self.title, reason)
        self.record = record
        self.page = replace(self.page, text=record.text(), exists=True)
        return ""

    def saved(self) -> int:
        """How many times the run saved the record (a simulated save counts: the report's
        ``edits`` says 0 under -simulate anyway)."""
        return sum(1 for s in self.saves if s.outcome in ("saved", "simulated"))

    def outcome(self) -> TitledAction | None:
        """What the run did to the record's page (None: nothing)."""
        if not self.saves:
            return None
        last = self.saves[-1]
        return TitledAction(self.title, action_of(last, self.existed), last.reason)


def attributions(
    wiki: Wiki, plan_: PagePlan, page: Page, bot_revid: int, keys: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], Attribution]:
    """Who made each decision just found: the editor revision that made it among the newest ones
    after the bot's last revision (``Wiki.history``), else the whole span from the bot's last
    revision to the page's latest (its diff shows the change; the latest editor is named)."""
    history = wiki.history(page.title, bot_revid)
    found = plan_.editors(list(history.editors))
    by = dict(found.by)
    for ident in found.removed_rows:
        edit = next((e for e in history.editors if ident in plan_.editors([e]).removed_rows), None)
        if edit is not None:
            by[(ident, REMOVED)] = Attribution(edit.user, edit.revid, edit.parentid, edit.timestamp)
    latest = history.editors[0] if history.editors else None
    span = Attribution(
        page.latest_user,
        wiki.seen.get(page.title) or 0,
        bot_revid,
        latest.timestamp if latest is not None else "",
    )
    return {key: by.get(key, span) for key in keys}


def merged(wiki: Wiki, plan_: PagePlan, page: Page, memory: Memory | None = None) -> MergeResult:
    """The plan merged into the page, keeping what editors decided (``Memory``)."""
    if memory is None or not page.text:
        return plan_.apply(page.text)
    decided = memory.of(wiki, plan_, page)
    return plan_.apply(page.text, decided.changes() if decided else None)


def after_merge(memory: Memory, plan_: PagePlan, page: Page, result: MergeResult) -> PageDecisions:
    """What stays decided on a page once merged (see ``PageDecisions.after``)."""
    decided = memory.decided.get(page.title, memory.record.of(page.title))
    removed_now = {c.id for c in result.conflicts if c.param == REMOVED}
    present = {r.id for r in plan_.rows} - removed_now
    left = set(result.missing) - set(result.removed)  # list.missing keep or mark
    return decided.after(result.conflicts, present, plan_.held, left)


def sync_page(
    wiki: Wiki,
    plan_: PagePlan,
    page: Page,
    guard: StopGuard,
    summary_args: tuple[str, str],
    tracking: frozenset[str] = frozenset(),
    memory: Memory | None = None,
) -> PageOutcome:
    """Merge one plan into its page and save it when it changed, in a form that fits the wiki's
    parser limits (``fitted``); editors' decisions recorded first (``Memory``); edit conflicts
    re-read and re-merge."""
    for _ in range(EDIT_CONFLICT_TRIES):
        if page.redirect:
            return PageOutcome(page.title, "refused", reason="the page is a redirect; fix or delete it")
        try:
            result, report, problems = fitted(wiki, plan_, page, tracking, memory)
        except PageError as exc:
            return PageOutcome(page.title, "refused", reason=str(exc))
        outcome = replace(PageOutcome.of(page.title, result, created=not page.exists), limits=report)
        if memory is not None and page.exists:
            why = memory.keep(wiki, guard, page.title, after_merge(memory, plan_, page, result), plan_.lang)
            if why and guard.stopped:
                return replace(outcome, action="unchanged", reason="stopped by the stop page")
            if why:
                return replace(outcome, action="refused", reason=why)
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
            if memory is not None:
                memory.decided.pop(page.title, None)  # the conflicting edit may decide something
            continue
        return outcome.after(saved)
    return PageOutcome(page.title, "failed", reason=f"edit conflicts {EDIT_CONFLICT_TRIES} times in a row")


def fitted(
    wiki: Wiki, plan_: PagePlan, page: Page, tracking: frozenset[str], memory: Memory | None = None
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
        result = merged(wiki, form, page, memory)
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
    memory: Memory | None = None,
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
            if memory is not None and known is not None and plan_.holds(known.text):
                # every row there, every value the source's: no decision stands on this page
                gone = memory.record.of(plan_.title).after((), {r.id for r in plan_.rows}, plan_.held)
                memory.keep(wiki, guard, plan_.title, gone, plan_.lang)
            continue
        page = known or wiki.read([plan_.title])[plan_.title]
        outcome = sync_page(wiki, plan_, page, guard, summary_args, tracking, memory)
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
    memory: Memory | None = None,
) -> tuple[Identity, list[PagePlan]]:
    """The incidents' ids on the wiki and the plans written with them (see ``plan.identify``):
    matched to the rows as the bot last wrote them — its own last revision of each page, however
    old; the page as it is when no editor revised it since the last run that ended well — and to
    the rows editors removed (``memory``), which keep their ids."""

    def bot_text(title: str) -> str:
        page = pages[title]
        changed = page.latest_user != wiki.user if memory is None else memory.unsettled(wiki, page)
        if not changed:
            return page.text
        last = wiki.bot_revision(title)
        return page.text if last is None else last[1]

    current = {t: p.text for t, p in pages.items() if p.exists}
    rendered = plan.rendered_rows(source, settings)
    decided = {t: d for t, d in (memory.record.pages.items() if memory is not None else ()) if t in pages}
    return plan.identify(source, settings, today, current, remembered, bot_text, rendered, decided)


def action_of(saved: Saved, existed: bool, unchanged: str = "unchanged") -> str:
    """What a save came to, as an outcome's action (a simulated save: what it would have done)."""
    if saved.outcome == "failed":
        return "failed"
    if saved.outcome == "declined" and saved.reason:
        return unchanged
    if saved.outcome in ("saved", "simulated"):
        return "updated" if existed else "created"
    return "unchanged"
