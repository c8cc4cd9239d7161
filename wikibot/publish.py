"""Statistics publishing: figures computed once from the source, rendered, then saved.

    source ──▶ StatsData (stats.compute, once) ──▶ data template, tables template, chart, maps,
               per-country page, statistics page, inline figures ──▶ StatsOutcome

What a page shows exists before the page: the data and tables templates first (the year pages
use the data template), the files, the per-country page, then the statistics page.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from wikibot import chart, l10n, plan, stats, worldmap
from wikibot.errors import SettingsError
from wikibot.model import Country, SourceResult
from wikibot.pagesync import Memory, Notes, StopGuard, action_of, save_if_allowed, sync_pages
from wikibot.runreport import InlineOutcome, PageOutcome, StatsOutcome, TitledAction
from wikibot.settings import Settings, code_block
from wikibot.wikiport import Saved, Wiki

TEMPLATE_NS, FILE_NS = 10, 6


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
                action = action_of(saved, page.exists)
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
    memory: Memory | None = None,
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
        (countries_page,) = sync_pages(
            wiki, [countries_plan], {}, guard, (name, source.as_of), notes, memory=memory
        )
    page = PageOutcome(config.page, "unchanged")
    if not guard.stopped:
        stats_plan = plan.stats_plan(data, settings)
        (page,) = sync_pages(wiki, [stats_plan], {}, guard, (name, source.as_of), notes, memory=memory)
    inline: list[InlineOutcome] = []
    if not guard.stopped:
        inline = update_inline(wiki, settings, data, guard, (name, source.as_of))
    return StatsOutcome(
        template.title,
        template.action,
        data,
        page,
        TitledAction(chart_title, chart_action),
        tuple(inline),
        tuple(maps),
        countries_page,
        template.tables_title,
        template.tables_action,
        wiki.simulate,
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
            action = action_of(saved, True, unchanged="skipped")
            outcome = replace(outcome, action=action, reason=saved.reason)
        outcomes.append(outcome)
    return outcomes
