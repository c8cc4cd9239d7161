"""Source + settings → one plan per page: the rows it must hold and how to write it (pure).

The year pages hold the incidents counted in their year; the index page holds one row per
year with its counts.  ``PagePlan.apply`` merges a plan into a page's current text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from wikibot import l10n
from wikibot.listpage import EditorChanges, MergeResult, PageSpec, editor_changes, merge, region_text
from wikibot.model import SourceResult
from wikibot.render import RowData, escape, incident_row
from wikibot.settings import Settings
from wikibot.stats import ReportedFigures, StatsData, aliases, compute, data_template_text, table_rows


@dataclass(frozen=True)
class PagePlan:
    """What one page must hold."""

    title: str
    kind: str  # "year", "index" or "stats"
    rows: tuple[RowData, ...]
    spec: PageSpec
    intro: str
    lang: str
    references_heading: str = ""

    def new_text(self) -> str:
        """The whole text of the page when it does not exist yet."""
        parts = [self.intro, region_text(self.rows, self.spec)]
        if self.references_heading:
            parts.append(f"== {self.references_heading} ==\n<references />")
        return "\n\n".join(parts) + "\n"

    def apply(self, current: str, editors: EditorChanges | None = None) -> MergeResult:
        """Merge the plan into the page's current text ('' when the page does not exist)."""
        if not current.strip():
            return MergeResult(self.new_text(), added=tuple(r.id for r in self.rows))
        return merge(current, self.rows, self.spec, self.title, editors=editors, lang=self.lang)

    def editors(self, revisions: list[tuple[str, str]]) -> EditorChanges:
        """What editors changed in the bot's rows, from (parent, editor's revision) texts."""
        return editor_changes(revisions, self.spec, self.title)


def year_spec(settings: Settings) -> PageSpec:
    """The region of a year page."""
    lst = settings.list
    return PageSpec(
        row_template=lst.templates["row"],
        header_template=lst.templates["header"],
        footer_template=lst.templates["footer"],
        id_param=lst.params.get("id", "id"),
        sources_param=lst.params.get("sources"),
        missing_param=lst.params.get("missing"),
        missing_value=l10n.message(settings.lang, "missing-yes"),
        missing_policy=lst.missing,
    )


def index_spec(settings: Settings, as_of: str = "") -> PageSpec:
    """The region of the index page: rows keyed by year, the date of the data in the header."""
    lst = settings.list
    return PageSpec(
        row_template=lst.templates["index_row"],
        header_template=lst.templates["index_header"],
        footer_template=lst.templates["index_footer"],
        id_param=lst.index_params["year"],
        header_params=((lst.index_params["as_of"], as_of),) if as_of else (),
    )


def plans(source: SourceResult, settings: Settings, today: dt.date) -> list[PagePlan]:
    """One plan per year page (oldest first), then the index page."""
    lang = settings.lang
    spec = settings.row_spec()
    by_year: dict[int, list[RowData]] = {}
    for incident in source.incidents:
        row = incident_row(incident, spec, today)
        for year in incident.years:
            if not settings.list.years or year in settings.list.years:
                by_year.setdefault(year, []).append(row)
    result = []
    ys = year_spec(settings)
    references = l10n.message(lang, "references")
    for year in sorted(by_year):
        rows = tuple(sorted(by_year[year], key=lambda r: r.sort_key))
        result.append(
            PagePlan(
                settings.list.page_title(year),
                "year",
                rows,
                ys,
                l10n.message(lang, "intro", year),
                lang,
                references,
            )
        )
    counts = source.by_year()
    names = settings.list.index_params
    index_rows = tuple(
        RowData(
            str(year),
            (
                (names["year"], str(year)),
                (names["page"], escape(settings.list.page_title(year))),
                (names["incidents"], l10n.format_number(counts[year].incidents, lang)),
                (names["countries"], l10n.format_number(counts[year].countries, lang)),
            ),
            (year,),
        )
        for year in sorted(by_year)
    )
    result.append(
        PagePlan(
            settings.list.index,
            "index",
            index_rows,
            index_spec(settings, source.as_of),
            l10n.message(lang, "index-intro"),
            lang,
        )
    )
    return result


def stats_plan(data: StatsData, settings: Settings) -> PagePlan:
    """The statistics page: the chart, then one table row per year (computed beside reported)."""
    stats = settings.stats
    assert stats is not None
    lang = settings.lang
    spec = PageSpec(
        row_template=stats.templates["row"],
        header_template=stats.templates["header"],
        footer_template=stats.templates["footer"],
        id_param=stats.params["year"],
        sources_param=stats.params["sources"],
    )
    intro = (
        f"[[File:{stats.chart}|thumb|upright=1.6|{escape(l10n.message(lang, 'stats-chart-caption'))}]]\n"
        + l10n.message(lang, "stats-intro")
    )
    rows = table_rows(data, stats.params)
    return PagePlan(stats.page, "stats", rows, spec, intro, lang, l10n.message(lang, "references"))


def stats_data(source: SourceResult, settings: Settings, reported: ReportedFigures) -> StatsData:
    """What the statistics templates and page serve, from the incidents and the reported figures."""
    return StatsData(
        years=compute(source.incidents),
        reported=reported,
        as_of=source.as_of,
        lang=settings.lang,
        citation_template=settings.list.templates["citation"],
        citation_params=settings.list.citation_params,
        source_name=l10n.message(settings.lang, "source-name"),
    )


def data_template(data: StatsData, settings: Settings) -> str:
    """The full text of the statistics data template page."""
    assert settings.stats is not None
    keys = ", ".join(" / ".join(names) for names in aliases(settings.lang).values())
    doc = l10n.message(settings.lang, "stats-doc", settings.stats.template, keys)
    return data_template_text(data, doc)


def summary(plan: PagePlan, result: MergeResult, source_name: str, as_of: str) -> str:
    """The localized edit summary of one page's change."""
    lang = plan.lang
    if plan.kind == "stats":
        return l10n.message(lang, "stats-summary", source_name, as_of)
    if plan.kind == "index":
        parts = [l10n.message(lang, "summary-index")]
    else:
        parts = []
        if result.added:
            parts.append(l10n.message(lang, "summary-added", len(result.added)))
        if result.updated:
            parts.append(l10n.message(lang, "summary-updated", len(result.updated)))
        if result.marked:
            parts.append(l10n.message(lang, "summary-marked", len(result.marked)))
        if result.removed:
            parts.append(l10n.message(lang, "summary-removed", len(result.removed)))
    return l10n.message(lang, "summary", ", ".join(parts) or "0", source_name, as_of)
