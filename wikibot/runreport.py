"""What a run did, as typed records: the JSON report (``-report:FILE``) and the run report page.

Every outcome is a frozen record — a page's (``PageOutcome``), the statistics' (``StatsOutcome``),
a whole run's (``RunReport``), a several-wiki run's (``ManyReport``) — built by the runner and
turned into JSON (``as_json``, the shape the README documents) or wikitext (``page_text``) only
at the end.

The report page's first line holds the time; the rest is the body, which describes the state
the run left (rows per page, conflicts, rejected rows, refusals), not what it did, so the bot
saves the page only when that state changed and an idle cron run does not edit it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from wikibot import l10n
from wikibot.errors import EXIT_ERROR, EXIT_OK
from wikibot.identity import Identity
from wikibot.limits import ParseReport
from wikibot.listpage import Conflict, MergeResult
from wikibot.model import SourceResult
from wikibot.render import escape
from wikibot.wikiport import Saved

if TYPE_CHECKING:  # the runner's save outcome; imported for types only (runner imports this module)
    from wikibot.stats import StatsData
    from wikibot.wikiport import Saved

MAX_ROWS = 50
WRITTEN = ("created", "updated")  # the actions of a saved edit


@dataclass(frozen=True)
class TitledAction:
    """A page or file and what was done to it."""

    title: str
    action: str
    reason: str = ""

    def as_json(self) -> dict[str, Any]:
        """As JSON."""
        return {
            "title": self.title,
            "action": self.action,
            **({"reason": self.reason} if self.reason else {}),
        }


@dataclass(frozen=True)
class PageOutcome:
    """What a run did to one page whose rows it merges (the run report's ``pages`` entries)."""

    title: str
    action: str  # created | updated | unchanged | refused | skipped | failed
    added: int = 0
    updated: int = 0
    kept: int = 0
    missing: tuple[str, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    revid: int | None = None
    reason: str = ""
    talk: TitledAction | None = None  # the note of kept corrections on the page's talk page
    limits: ParseReport | None = None  # the wiki's parse of the text saved (or refused)

    @classmethod
    def of(cls, title: str, result: MergeResult, created: bool) -> PageOutcome:
        """What a merge would do to the page."""
        return cls(
            title,
            "created" if created else "updated",
            len(result.added),
            len(result.updated),
            result.unchanged,
            result.missing,
            result.conflicts,
        )

    def after(self, saved: Saved) -> PageOutcome:
        """The outcome once the save came back."""
        if saved.outcome == "failed":
            return replace(self, action="failed", reason=saved.reason)
        if saved.outcome == "declined":
            action = "skipped" if saved.reason else "unchanged"
            return replace(self, action=action, reason=saved.reason)
        return replace(self, revid=saved.revid)

    def as_json(self) -> dict[str, Any]:
        """As JSON."""
        data: dict[str, Any] = {
            "title": self.title,
            "action": self.action,
            "added": self.added,
            "updated": self.updated,
            "kept": self.kept,
            "missing": list(self.missing),
            "conflicts": [c.report() for c in self.conflicts],
            "revid": self.revid,
        }
        if self.reason:
            data["reason"] = self.reason
        if self.talk is not None:
            data["talk"] = self.talk.as_json()
        if self.limits is not None:
            data["limits"] = self.limits.as_json()
        return data


@dataclass(frozen=True)
class InlineOutcome:
    """The inline figures of one page."""

    title: str
    changed: int
    unknown: tuple[str, ...] = ()
    action: str = "unchanged"
    reason: str = ""

    def as_json(self) -> dict[str, Any]:
        """As JSON."""
        data: dict[str, Any] = {
            "title": self.title,
            "changed": self.changed,
            "unknown": list(self.unknown),
            "action": self.action,
        }
        if self.reason:
            data["reason"] = self.reason
        return data


@dataclass(frozen=True)
class StatsOutcome:
    """What the statistics update did."""

    template: str
    template_action: str
    data: StatsData
    page: PageOutcome
    chart: TitledAction
    inline: tuple[InlineOutcome, ...]
    maps: tuple[TitledAction, ...] = ()
    countries_page: PageOutcome | None = None
    tables: str = ""
    tables_action: str = "unchanged"
    simulate: bool = False

    @property
    def edits(self) -> int:
        """Saved edits, counted from the outcomes (none under -simulate): the data and tables
        templates, the statistics and per-country pages and their talk notes, inline figures."""
        if self.simulate:
            return 0
        pages = [self.page, *([self.countries_page] if self.countries_page else [])]
        actions = [self.template_action, self.tables_action, *(p.action for p in pages)]
        actions += [p.talk.action for p in pages if p.talk is not None]
        return sum(1 for a in actions if a in WRITTEN) + sum(1 for i in self.inline if i.action == "updated")

    @property
    def uploads(self) -> int:
        """Uploaded files: the chart and the maps (none under -simulate)."""
        if self.simulate:
            return 0
        return sum(1 for a in (self.chart.action, *(m.action for m in self.maps)) if a == "uploaded")

    def as_json(self) -> dict[str, Any]:
        """The run report's ``stats`` object: each year's figures (``by_year.YYYY``: every count and
        breakdown, ``{computed, reported, difference}``: the bot's comparison, never shown to
        readers as a cause), the per-country comparisons and the decision makers nobody mapped."""
        from wikibot.stats import compared, year_report

        members = self.data.reported.members
        by_year = {}
        for y, s in self.data.years.items():
            by_year[str(y)] = {**s.as_report(), **year_report(self.data, y)}
        by_country = {
            str(year): {
                code: compared(dict(self.data.years[year].by_country).get(code, 0), figure)
                for code, figure in sorted(figures.items())
                if year in self.data.years
            }
            for year, figures in sorted(self.data.reported.by_country.items())
        }
        return {
            "template": self.template,
            "template_action": self.template_action,
            "compared": "computed/reported/difference: the bot's comparison of the figures it computed "
            "with Access Now's; no page gives a reason for a difference",
            "tables": self.tables,
            "tables_action": self.tables_action,
            "decision_makers": {"unknown": dict(self.data.unknown_deciders)},
            "by_year": by_year,
            "by_country": by_country,
            "coalition": {
                "members": members.shutdowns if members else None,
                "countries": members.countries if members else None,
                "as_of": members.as_of if members else None,
                "source": members.source if members else None,
                "approximate": members.approximate if members else None,
            },
            "page": self.page.as_json(),
            "countries_page": self.countries_page.as_json() if self.countries_page else None,
            "chart": self.chart.as_json(),
            "maps": [m.as_json() for m in self.maps],
            "inline": [i.as_json() for i in self.inline],
            "edits": self.edits,
            "uploads": self.uploads,
        }


@dataclass(frozen=True)
class RunReport:
    """One run on one wiki."""

    source: SourceResult
    simulate: bool
    identity: Identity | None = None
    refused: tuple[str, ...] = ()
    forced: tuple[str, ...] = ()
    pages: tuple[PageOutcome, ...] = ()
    stats: StatsOutcome | None = None
    stopped: str = ""
    exit_code: int = EXIT_OK
    report_page: TitledAction | None = None
    untranslated: tuple[str, ...] = ()  # message keys the wiki's language lacks (English shown)
    decisions_page: TitledAction | None = None  # the record of editors' decisions, when saved
    decisions_saves: int = 0

    @property
    def edits(self) -> int:
        """Saved edits (none under -simulate): pages, talk notes, the decisions record, statistics."""
        if self.simulate:
            return 0
        pages = sum(1 for p in self.pages if p.action in WRITTEN)
        notes = sum(1 for p in self.pages if p.talk is not None and p.talk.action in WRITTEN)
        return pages + notes + self.decisions_saves + (self.stats.edits if self.stats else 0)

    @property
    def uploads(self) -> int:
        """Uploaded files."""
        return self.stats.uploads if self.stats else 0

    @property
    def stats_pages(self) -> tuple[PageOutcome, ...]:
        """The statistics table page and the per-country page, when the run wrote them."""
        if self.stats is None:
            return ()
        return (self.stats.page, *([self.stats.countries_page] if self.stats.countries_page else []))

    def as_json(self, with_source: bool = True) -> dict[str, Any]:
        """The JSON run report (the shape the README documents)."""
        data: dict[str, Any] = {"source": self.source.report()} if with_source else {}
        data["simulate"] = self.simulate
        if self.identity is not None:
            data["identity"] = self.identity.report()
        if self.refused:
            data["refused"] = list(self.refused)
        if self.forced:
            data["forced"] = list(self.forced)
        data["pages"] = [p.as_json() for p in self.pages]
        if self.stats is not None:
            data["stats"] = self.stats.as_json()
        if self.stopped:
            data["stopped"] = self.stopped
        data["edits"], data["uploads"] = self.edits, self.uploads
        if self.report_page is not None:
            data["report_page"] = self.report_page.as_json()
        if self.decisions_page is not None:
            data["decisions_page"] = self.decisions_page.as_json()
        if self.untranslated:
            data["untranslated"] = list(self.untranslated)
        return data


@dataclass(frozen=True)
class TargetReport:
    """One wiki of a several-wiki run: its run, or the error that stopped it."""

    name: str
    site: str | None
    exit_code: int
    report: RunReport | None = None
    error: str = ""

    def as_json(self) -> dict[str, Any]:
        """The wiki's section of the report."""
        body = self.report.as_json(with_source=False) if self.report else {"error": self.error}
        return {"site": self.site, "exit_code": self.exit_code, **body}


@dataclass(frozen=True)
class ManyReport:
    """A run over several wikis from one source read."""

    source: SourceResult
    wikis: tuple[TargetReport, ...]

    @property
    def exit_code(self) -> int:
        """1 when any wiki failed, else the worst code."""
        codes = [w.exit_code for w in self.wikis]
        return EXIT_ERROR if EXIT_ERROR in codes else max(codes, default=EXIT_OK)

    def as_json(self) -> dict[str, Any]:
        """The JSON run report: the source once, a section per wiki, the totals."""
        return {
            "source": self.source.report(),
            "wikis": {w.name: w.as_json() for w in self.wikis},
            "edits": sum(w.report.edits for w in self.wikis if w.report),
            "uploads": sum(w.report.uploads for w in self.wikis if w.report),
        }


def body_of(text: str) -> str:
    """A report page's text without its first (time) line."""
    return text.partition("\n")[2].strip()


def page_text(
    report: RunReport, lang: str, when: dt.datetime, numerals: str | None = None
) -> tuple[str, str]:
    """The time line and the body of the report page."""

    def msg(key: str, *args: object) -> str:
        return l10n.message(lang, f"report-{key}", *args)

    def number(value: int) -> str:
        return l10n.format_number(value, lang, numerals)

    source = report.source
    head = msg("time", when.strftime("%Y-%m-%d %H:%M UTC"))
    lines = [
        f"== {msg('source')} ==",
        f"* {msg('location')} : <code>{escape(source.location)}</code>",
        f"* {msg('version')} : <code>{escape(source.version)}</code> ({escape(source.as_of)})",
        "* "
        + msg("counts", *(number(n) for n in (source.rows, len(source.incidents), len(source.rejected)))),
    ]
    if report.refused:
        lines.append(f"== {msg('refused')} ==")
        lines.extend(f"* {escape(reason)}" for reason in report.refused)
    pages = [*report.pages, *report.stats_pages]
    if pages:
        lines.append(f"== {msg('pages')} ==")
        lines.append('{| class="wikitable sortable"')
        # the state each page was left in (rows, or why it was not written), never what this run did
        lines.append(f"! {msg('page')} !! {msg('rows')} !! {msg('missing')} !! {msg('conflicts')}")
        for page in pages:
            lines.append("|-")
            cells = (
                f"[[:{escape(page.title)}]]",
                escape(page.reason) if page.reason else number(page.added + page.updated + page.kept),
                number(len(page.missing)),
                number(len(page.conflicts)),
            )
            lines.append("| " + " || ".join(map(str, cells)))
        lines.append("|}")
    conflicts = [(p.title, c) for p in pages for c in p.conflicts]
    if conflicts:
        lines.append(f"== {msg('conflicts')} ==")
        for title, conflict in conflicts[:MAX_ROWS]:
            where = f"* [[:{escape(title)}]] <code>{escape(conflict.id)}</code>"
            if conflict.wiki_value is None:  # the whole row: an editor removed it
                lines.append(f"{where} : {msg('row-removed')}")
                continue
            wiki, wanted = escape(conflict.wiki_value), escape(conflict.source_value)
            lines.append(
                f"{where} {escape(conflict.param)} : "
                f"{msg('wiki-value')} « {wiki} », {msg('source-value')} « {wanted} »"
            )
        if len(conflicts) > MAX_ROWS:
            lines.append(f"* … {len(conflicts) - MAX_ROWS}")
    if source.rejected:
        lines.append(f"== {msg('rejected')} ==")
        for item in source.rejected[:MAX_ROWS]:
            lines.append(
                f"* {msg('row')} {item.row}, <code>{escape(item.column)}</code> = "
                f"« {escape(item.value)} » : {escape(item.reason)}"
            )
        if len(source.rejected) > MAX_ROWS:
            lines.append(f"* … {len(source.rejected) - MAX_ROWS}")
    return head, "\n".join(lines)
