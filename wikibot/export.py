"""List pages → incident records (the inverse of the sync), as JSON or CSV. Pure."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from wikibot import l10n
from wikibot.errors import PageError
from wikibot.listpage import read_header, read_region
from wikibot.model import Incident
from wikibot.plan import index_spec, year_spec
from wikibot.render import read_row, unescape
from wikibot.safety import WikiState
from wikibot.settings import Settings


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
