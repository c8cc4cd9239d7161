"""Source + settings → one plan per page: the rows it must hold and how to write it (pure).

The year pages hold the incidents counted in their year; the index page holds one row per
year with its counts.  ``PagePlan.apply`` merges a plan into a page's current text.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import dataclass, replace
from typing import Any

from wikibot import identity, l10n
from wikibot.decisions import PageDecisions
from wikibot.errors import PageError
from wikibot.identity import Identity, Key
from wikibot.listpage import (
    EditorChanges,
    EditorEdit,
    MergeResult,
    PageSpec,
    editor_changes,
    holds_region,
    merge,
    read_region,
    region_text,
)
from wikibot.model import Incident, SourceResult
from wikibot.render import ROW_FIELDS, RowData, escape, incident_row, read_row
from wikibot.settings import Settings
from wikibot.stats import (
    BREAKDOWNS,
    ReportedFigures,
    StatsData,
    aliases,
    categories_of,
    compute,
    data_template_text,
    table_rows,
    unknown_authorities,
)
from wikibot.stattables import ALL_TABLES, tables_text


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
    held: frozenset[str] = frozenset()  # rows left as they are: which incident they are is unsure
    categories: tuple[str, ...] = ()  # given to the page when the bot creates it ("Category:Name")
    year: int | None = None  # a year page's year
    # the same page without the wiki's citation template, for when the page would pass the wiki's
    # parser limits with it (see wikibot.limits); a page holding either form holds the plan
    fallback: PagePlan | None = None

    def new_text(self) -> str:
        """The whole text of the page when it does not exist yet: the lead, a hidden note for
        editors on what the bot keeps, the region, the references, the categories."""
        note = l10n.message(self.lang, "editor-note", self.spec.header_template, self.spec.footer_template)
        # one line break after the lead: the header template's first line (the year's figures, or
        # nothing) makes the paragraph break itself, without an empty paragraph when it is empty
        parts = [f"{self.intro}\n<!-- {note} -->\n{region_text(self.rows, self.spec)}"]
        if self.references_heading:
            parts.append(f"== {self.references_heading} ==\n<references />")
        if self.categories:
            parts.append("\n".join(f"[[{category}]]" for category in self.categories))
        return "\n\n".join(parts) + "\n"

    def apply(self, current: str, editors: EditorChanges | None = None) -> MergeResult:
        """Merge the plan into the page's current text ('' when the page does not exist)."""
        if not current.strip():
            return MergeResult(self.new_text(), added=tuple(r.id for r in self.rows))
        return merge(current, self.rows, self.spec, self.title, editors, self.lang, self.held)

    def holds(self, current: str) -> bool:
        """True when the page already holds exactly this plan's region, or its fallback's (nothing
        to parse or do)."""
        if holds_region(current, self.rows, self.spec, self.lang):
            return True
        return self.fallback is not None and self.fallback.holds(current)

    def decided(self, decisions: PageDecisions | None) -> PagePlan:
        """The plan as the page holds it once editors' decisions are kept (``PageDecisions.applied``)."""
        if not decisions:
            return self
        fallback = self.fallback.decided(decisions) if self.fallback is not None else None
        return replace(self, rows=decisions.applied(self.rows), fallback=fallback)

    def editors(self, revisions: Sequence[EditorEdit | tuple[str, str]]) -> EditorChanges:
        """What editors changed in the bot's rows, from their revisions (newest first)."""
        return editor_changes(revisions, self.spec, self.title)


def year_spec(
    settings: Settings, year: int | None = None, accessed: dt.date | None = None, plain: bool = False
) -> PageSpec:
    """The region of a year page.  Its header names the year, cites the data set (the table's
    reference; access date: the day of the run, ``accessed``) and names the statistics data
    template, so that the page opens with the year's figures written through that template (one
    source); the divider opens the table of the shutdowns that started before the year.
    ``plain``: the data set cited without the wiki's citation template, and no figures in the lead
    (the data template cites them with it): the form of a page that would pass the wiki's limits
    with the template (see ``wikibot.limits``)."""
    lst = settings.list
    lang = settings.lang
    header: tuple[tuple[str, str], ...] = ()
    divider: tuple[tuple[str, str], ...] = ()
    if year is not None:
        year_param = l10n.message(lang, "header-param-year")
        source = settings.dataset_citation().ref(plain)
        header = ((year_param, str(year)), (l10n.message(lang, "header-param-source"), source))
        header_name = escape(lst.templates["header"])
        divider = ((year_param, str(year)), (l10n.message(lang, "divider-param-header"), header_name))
        if settings.stats is not None:  # written empty in the plain form: no figures in the lead
            template = "" if plain else escape(settings.stats.template)
            header += ((l10n.message(lang, "header-param-stats"), template),)
    return PageSpec(
        header_params=header,
        divider_template=lst.templates["carried_over"],
        divider_params=divider,
        accessed=accessed.isoformat() if accessed else "",
        row_template=lst.templates["row"],
        header_template=lst.templates["header"],
        footer_template=lst.templates["footer"],
        id_param=lst.params.get("id", "id"),
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


def years(source: SourceResult, settings: Settings) -> list[int]:
    """The years the list has a page for (the source's, restricted by ``list.years``)."""
    counted = {y for incident in source.incidents for y in incident.years}
    return sorted(y for y in counted if not settings.list.years or y in settings.list.years)


def titles(source: SourceResult, settings: Settings) -> list[str]:
    """The titles of the pages the plans write: the year pages, then the index (nothing rendered)."""
    return [*(settings.list.page_title(y) for y in years(source, settings)), settings.list.index]


def rendered_rows(source: SourceResult, settings: Settings) -> dict[str, RowData]:
    """Every incident's row, rendered once under its content id (plans give it its wiki id)."""
    spec = settings.row_spec()
    return {incident.id: incident_row(incident, spec) for incident in source.incidents}


def plans(
    source: SourceResult,
    settings: Settings,
    today: dt.date,
    ids: Identity | None = None,
    rendered: Mapping[str, RowData] | None = None,
) -> list[PagePlan]:
    """One plan per year page (oldest first), then the index page; incidents under their wiki ids."""
    lang = settings.lang
    ids = ids or identity.trusted(source.incidents, {})
    rendered = rendered if rendered is not None else rendered_rows(source, settings)
    id_param = settings.list.params.get("id", "id")
    by_year: dict[int, list[RowData]] = {}
    for incident in source.incidents:
        if incident.id in ids.withheld:
            continue
        row = rendered[incident.id]
        wiki_id = ids.ids.get(incident.id, incident.id)
        if wiki_id != incident.id:
            row = row.with_id(wiki_id, id_param)
        for year in incident.years:
            if not settings.list.years or year in settings.list.years:
                # started before the year: in the page's second table (carried over)
                placed = replace(row, group=1) if incident.start.year < year else row
                by_year.setdefault(year, []).append(placed)
    result = []
    references = l10n.message(lang, "references")
    categories = category_links(settings.list.categories, lang)
    for year in sorted(by_year):
        rows = tuple(sorted(by_year[year], key=lambda r: r.order))
        page = PagePlan(
            settings.list.page_title(year),
            "year",
            rows,
            year_spec(settings, year, today),
            l10n.message(lang, "intro", year),
            lang,
            references,
            ids.held,
            categories,
            year,
        )
        result.append(
            replace(page, fallback=replace(page, spec=year_spec(settings, year, today, plain=True)))
        )
    counts = source.by_year()
    names = settings.list.index_params
    index_rows = tuple(
        RowData(
            str(year),
            (
                (names["year"], str(year)),
                (names["page"], escape(settings.list.page_title(year))),
                (names["incidents"], str(counts[year].incidents)),
                (names["countries"], str(counts[year].countries)),
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
            categories=categories,
        )
    )
    return result


def category_links(names: Sequence[str], lang: str) -> tuple[str, ...]:
    """Category names as links in the wiki's language ("Catégorie:Name")."""
    return tuple(f"{l10n.message(lang, 'category-namespace')}:{name}" for name in names)


def shown_fields(settings: Settings) -> tuple[str, ...]:
    """The incident fields the wiki's rows show (what a match can compare)."""
    return tuple(f for f in ROW_FIELDS if f in settings.list.params)


def row_keys(text: str, settings: Settings, title: str) -> dict[str, Key]:
    """The match key of every bot row of a year page's text, by id."""
    rows, _ = read_region(text, year_spec(settings), title)
    spec = settings.row_spec()
    return {ident: _key(read_row(params, spec)) for ident, params in rows.items()}


def _key(record: dict[str, Any]) -> Key:
    def day(value: Any) -> dt.date | None:
        try:
            return dt.date.fromisoformat(value) if value else None
        except ValueError:
            return None

    return Key(
        frozenset(record["country"]),
        day(record["start"]),
        day(record["end"]),
        record["area"],
        frozenset(record["type"]),
        frozenset(record["network"]),
        frozenset(record["services"]),
        record["status"],
        frozenset(record["sources"]),
    )


def identify(
    source: SourceResult,
    settings: Settings,
    today: dt.date,
    current: Mapping[str, str],
    remembered: Mapping[str, str],
    bot_text: Callable[[str], str],
    rendered: Mapping[str, RowData] | None = None,
    decided: Mapping[str, PageDecisions] | None = None,
) -> tuple[Identity, list[PagePlan]]:
    """Each incident's id on the wiki, and the plans written with those ids.

    First on trust (the ids remembered from the last run, else content ids): when every
    existing year page holds exactly its plan, that is proven and nothing is parsed.  Else
    the incidents are matched (``identity.match``) to the rows the bot last wrote on the
    pages that differ (``bot_text(title)``) and to the rows editors removed (``decided``: each
    page's editors' decisions), the pages that hold confirming their incidents.  A page holding
    its plan with the editors' decisions kept holds.  Rows of several years that the pages show
    as two shutdowns are kept apart first (``shown_rows``, ``identity.keep_apart``); a row that
    differs is matched only to a row of a page of a year its incident is counted in.
    """
    trusted = identity.trusted(source.incidents, remembered)
    rendered = rendered if rendered is not None else rendered_rows(source, settings)
    first = plans(source, settings, today, trusted, rendered)
    years = [p for p in first if p.kind == "year" and current.get(p.title, "").strip()]
    content_of = {wiki_id: content_id for content_id, wiki_id in trusted.ids.items()}
    if len(content_of) < len(trusted.ids):  # two incidents under one remembered id: trust nothing
        differing = years
    else:
        decided_of = decided or {}
        differing = [p for p in years if not p.decided(decided_of.get(p.title)).holds(current[p.title])]
    holding = frozenset(p.title for p in years if p not in differing)
    if not differing:
        return replace(trusted, holding=holding), first
    confirmed = {content_of[r.id]: r.id for p in years if p not in differing for r in p.rows}
    wiki: dict[str, Key] = {}
    used: set[str] = set(confirmed.values())
    on_page: dict[int, dict[str, Key]] = {}  # the rows the bot last wrote, by year page
    for plan in differing:
        try:
            used.update(row_keys(current[plan.title], settings, plan.title))
            keys = row_keys(bot_text(plan.title), settings, plan.title)
        except PageError:
            continue  # refused when merged, with the reason
        used.update(keys)
        wiki.update(keys)
        if plan.year is not None:
            on_page[plan.year] = keys
    fields = shown_fields(settings)
    spec = settings.row_spec()
    removed_on = {  # the rows editors removed, by page
        title: {i: _key(read_row(dict(r), spec)) for i, r in d.removed.items()}
        for title, d in (decided or {}).items()
    }
    unread = {p.year for p in differing if p.year is not None} - set(on_page)
    held = {p.year for p in years if p not in differing and p.year is not None}
    title_of = {p.year: p.title for p in differing}
    read = {year: {**removed_on.get(title_of[year], {}), **keys} for year, keys in on_page.items()}
    shown = shown_rows(source.incidents, read, held, trusted.ids, unread, fields)
    apart = identity.keep_apart(source.incidents, lambda row: shown.get(id(row)))
    if len(apart) != len(source.incidents):  # some split: render those again
        before = {id(i) for i in source.incidents}
        source = replace(source, incidents=apart)
        split = tuple(i for i in apart if id(i) not in before)
        rendered = {**rendered, **rendered_rows(replace(source, incidents=split), settings)}
    removed = {i: key for keys in removed_on.values() for i, key in keys.items()}
    for ident, key in removed.items():
        if ident not in wiki and ident not in confirmed.values():
            wiki[ident] = key
            used.add(ident)
    on: dict[str, set[int]] = defaultdict(set)  # the year pages each row read is on
    for year, keys in read.items():
        for ident in keys:
            on[ident].add(year)
    matched = replace(identity.match(source.incidents, wiki, used, confirmed, fields, on), holding=holding)
    return matched, plans(source, settings, today, matched, rendered)


def shown_rows(
    incidents: Sequence[Incident],
    on_page: Mapping[int, Mapping[str, Key]],
    holding: Set[int],
    trusted: Mapping[str, str],
    unread: Set[int],
    fields: Sequence[str],
) -> dict[int, str | None]:
    """The id of the row each year page shows for each row of the incidents of several years
    (by ``id()`` of the row): on a page read (``on_page``: the rows the bot last wrote), the rows
    of that year matched one to one to the page's as ``identity.match`` does, so that a row
    another one claims is not taken for a new row's; on a page holding its plan, the incident's
    trusted id.  ``""``: no row of the page stands for it (a new row, or no page yet); None:
    unknown (the page could not be read, or the match is too close to call)."""
    shown: dict[int, str | None] = {}
    wanted = {p.years[0] for i in incidents for p in i.parts}
    claims: dict[int, list[Incident]] = defaultdict(list)  # the rows of each page read
    for incident in incidents:
        counted = [(p, p.years[0]) for p in incident.parts] or [(incident, y) for y in incident.years]
        for row, year in counted:
            if year not in wanted:
                continue
            if year in holding:
                shown[id(row)] = trusted.get(incident.id, incident.id)
            elif year in unread:
                shown[id(row)] = None
            elif year in on_page:
                claims[year].append(row)
            else:
                shown[id(row)] = ""
    for year, claimants in claims.items():
        aliases = [replace(r, id=f"#{n}") for n, r in enumerate(claimants)]
        found = identity.match(aliases, on_page[year], fields=fields)
        for claimant, alias in zip(claimants, aliases, strict=True):
            wiki_id = found.ids[alias.id]
            known = alias.id not in found.withheld
            shown[id(claimant)] = (wiki_id if wiki_id in on_page[year] else "") if known else None
    return shown


def stats_plan(data: StatsData, settings: Settings) -> PagePlan:
    """The statistics page: the chart, then one table row per year (computed beside reported);
    its fallback cites the reports without the wiki's citation template."""
    return replace(_stats_plan(data, settings), fallback=_stats_plan(replace(data, plain=True), settings))


def _stats_plan(data: StatsData, settings: Settings) -> PagePlan:
    stats = settings.stats
    assert stats is not None
    lang = settings.lang
    latest = max(data.years, default=None)
    header: tuple[tuple[str, str], ...] = ()
    if stats.map and latest is not None:  # the latest year's world map, shown by the table's header
        header = ((l10n.message(lang, "header-param-map"), escape(stats.map_title(latest))),)
    if stats.countries_page:
        header += ((l10n.message(lang, "header-param-countries"), escape(stats.countries_page)),)
    # the computed figures cite the data set, with the date of the data read
    header += (
        (l10n.message(lang, "header-param-source"), settings.dataset_citation().ref(data.plain)),
        (l10n.message(lang, "header-param-date"), escape(data.as_of)),
    )
    spec = PageSpec(
        row_template=stats.templates["row"],
        header_template=stats.templates["header"],
        footer_template=stats.templates["footer"],
        id_param=stats.params["year"],
        header_params=header,
        footer_params=((l10n.message(lang, "header-param-tables"), escape(tables_title(settings))),),
        retired=(stats.params["explanation"],),
        accessed=data.accessed,
    )
    intro = (
        f"[[File:{stats.chart}|thumb|center|upright=1.6|alt={escape(l10n.message(lang, 'stats-chart-alt'))}"
        f"|{escape(l10n.message(lang, 'stats-chart-caption'))}]]\n" + l10n.message(lang, "stats-intro")
    )
    rows = table_rows(data, stats.params)
    references = l10n.message(lang, "references")
    categories = category_links(stats.categories, lang)
    return PagePlan(stats.page, "stats", rows, spec, intro, lang, references, categories=categories)


def countries_plan(data: StatsData, settings: Settings) -> PagePlan | None:
    """The per-country page: its region shows the countries × years table of the tables template
    (the rows of an earlier layout, one per country and year, are taken off)."""
    stats = settings.stats
    if stats is None or not stats.countries_page:
        return None
    lang = settings.lang
    spec = PageSpec(
        row_template=stats.templates["country_row"],
        header_template=stats.templates["country_header"],
        footer_template=stats.templates["country_footer"],
        id_param="id",
        header_params=((l10n.message(lang, "header-param-tables"), escape(tables_title(settings))),),
        missing_policy="remove",
    )
    intro = l10n.message(lang, "countries-intro", stats.page)
    references, categories = l10n.message(lang, "references"), category_links(stats.categories, lang)
    return PagePlan(
        stats.countries_page, "countries", (), spec, intro, lang, references, categories=categories
    )


def tables_title(settings: Settings) -> str:
    """The tables template: a subpage of the statistics data template."""
    assert settings.stats is not None
    return f"{settings.stats.template}/{l10n.message(settings.lang, 'stats-tables-subpage')}"


def stats_data(
    source: SourceResult, settings: Settings, reported: ReportedFigures, today: dt.date | None = None
) -> StatsData:
    """What the statistics templates and page serve, from the incidents and the reported figures
    (``today``: the access date of the data set's citation, when the bot read it on the web)."""
    until = dt.date.fromisoformat(source.as_of) if source.as_of else None
    return StatsData(
        years=compute(source.incidents, source.rejected, until),
        reported=reported,
        as_of=source.as_of,
        lang=settings.lang,
        citation_template=settings.list.templates["citation"],
        citation_params=settings.list.citation_params,
        source_name=l10n.message(settings.lang, "source-name"),
        numerals=settings.numerals,
        unknown_deciders=unknown_authorities(source.incidents),
        accessed=(today or dt.date.today()).isoformat(),
    )


def tables_template(data: StatsData, settings: Settings) -> str:
    """The full text of the tables template page."""
    names = ", ".join(f"<code>{n}</code>" for n in ALL_TABLES)
    doc = l10n.message(settings.lang, "stats-tables-doc", tables_title(settings), names)
    stats = settings.stats
    assert stats is not None
    maps = {year: stats.map_title(year) for year in data.years} if stats.map else {}
    return tables_text(data, settings.list.country_links, doc, maps)


def data_template(data: StatsData, settings: Settings) -> str:
    """The full text of the statistics data template page."""
    assert settings.stats is not None
    keys = ", ".join(" / ".join(names) for names in aliases(settings.lang).values())
    doc = l10n.message(settings.lang, "stats-doc", settings.stats.template, keys)
    breakdowns = "; ".join(
        f"<code>{name}</code>: " + ", ".join(f"<code>{c}</code>" for c in categories_of(name))
        for name in BREAKDOWNS
    )
    doc += "\n\n" + l10n.message(
        settings.lang, "stats-doc-breakdowns", settings.stats.template, breakdowns, tables_title(settings)
    )
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
