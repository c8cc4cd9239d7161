"""List pages → incident records (the inverse of the sync), as JSON or CSV. Pure."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from wikibot import l10n, plan
from wikibot.errors import PageError
from wikibot.listpage import read_header, read_region
from wikibot.model import Incident, SourceResult
from wikibot.pagesync import Memory, identify, merged
from wikibot.plan import index_spec, year_spec
from wikibot.publish import reported_figures
from wikibot.render import read_row, unescape
from wikibot.safety import WikiState
from wikibot.settings import Settings
from wikibot.wikiport import Wiki


def index_years(text: str, settings: Settings) -> dict[int, str]:
    """The years of the index page and the titles of their pages."""
    rows, _ = read_region(text, index_spec(settings), settings.list.index)
    names = settings.list.index_params
    years = {}
    for ident, params in rows.items():
        if ident.isdigit():
            years[int(ident)] = unescape(params.get(names["page"], "")) or settings.list.page_title(
                int(ident)
            )
    return years


def index_state(text: str, settings: Settings) -> WikiState:
    """What the index page shows: incidents per year and the date of the data."""
    spec = index_spec(settings)
    rows, _ = read_region(text, spec, settings.list.index)
    names = settings.list.index_params
    by_year = {}
    for ident, params in rows.items():
        count = l10n.parse_number(params.get(names["incidents"], ""), settings.lang)
        if ident.isdigit() and count is not None:
            by_year[int(ident)] = count
    as_of = read_header(text, spec, settings.list.index).get(names["as_of"], "")
    return WikiState(by_year, as_of)


def records(pages: dict[int, tuple[str, str]], settings: Settings) -> tuple[list[dict[str, Any]], list[str]]:
    """One record per incident id over the year pages {year: (title, text)}; broken pages listed apart."""
    spec = settings.row_spec()
    by_id: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    for year in sorted(pages):
        title, text = pages[year]
        try:
            rows, _ = read_region(text, year_spec(settings), title)
        except PageError as exc:
            problems.append(str(exc))
            continue
        for ident, params in rows.items():
            record = by_id.get(ident)
            if record is None:
                record = read_row(params, spec)
                record["year"] = []
                by_id[ident] = record
            else:
                record.update(read_row(params, spec))  # the latest year describes the latest state
                record["year"] = sorted(set(record["year"]))
            record["year"].append(year)
    result = sorted(by_id.values(), key=lambda r: (str(r["start"]), r["country"], r["id"]))
    return result, problems


def to_json(items: list[dict[str, Any]]) -> str:
    """Records as a JSON list."""
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def to_csv(items: list[dict[str, Any]]) -> str:
    """Records as CSV; list values joined with '; '."""
    columns: list[str] = []
    for item in items:
        columns.extend(k for k in item if k not in columns)
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, lineterminator="\n")
    writer.writeheader()
    for item in items:
        writer.writerow({k: "; ".join(map(str, v)) if isinstance(v, list) else v for k, v in item.items()})
    return out.getvalue()


def incident_record(incident: Incident) -> dict[str, Any]:
    """An incident as export_list writes it (without the year pages), for comparisons."""
    return {
        "id": incident.id,
        "country": [c.code or c.name for c in incident.countries],
        "start": incident.start.isoformat(),
        "end": incident.end.isoformat() if incident.end else None,
        "status": incident.status,
        "scope": incident.scope,
        "type": list(incident.types),
        "extent": list(incident.extents),
        "network": list(incident.networks),
        "services": list(incident.services),
        "area": incident.area,
        "justification": incident.justification,
        "cause": incident.cause,
        "ordered_by": incident.ordered_by,
        "description": incident.description,
        "sources": list(incident.sources),
        "year": list(incident.years),
    }


def read_back(wiki: Wiki, settings: Settings) -> tuple[list[dict[str, object]], list[str]]:
    """Read the index page, then the year pages, back into incident records."""
    index = wiki.read([settings.list.index])[settings.list.index]
    if not index.exists:
        return [], [f"{settings.list.index}: the index page does not exist; run sync_incidents first"]
    try:
        years = index_years(index.text, settings)
    except PageError as exc:
        return [], [str(exc)]
    pages = wiki.read(list(years.values()))
    texts = {year: (title, pages[title].text) for year, title in years.items() if pages[title].exists}
    return records(texts, settings)


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
    record_title = settings.safety.decisions_page.replace("{bot}", wiki.user)
    pages = wiki.read([*plan.titles(source, settings), record_title])
    memory = Memory.read(pages.pop(record_title))
    _, plans = identify(wiki, settings, source, pages, remembered, today, memory)
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
            result = merged(wiki, plan_, page, memory)
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
