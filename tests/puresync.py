"""A whole list sync without a wiki, for the identity properties: rows → source → ids → pages.

The pages are a dict of title → text and the bot wrote every revision, so the bot's last
revision of a page is its text.  Everything else is the bot's own code (normalize, identify,
plans, merge).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import mwparserfromhell

from wikibot import plan, settings
from wikibot.identity import Identity
from wikibot.listpage import MergeResult
from wikibot.model import SourceResult
from wikibot.sources import SourceSpec, parse
from wikibot.sources.readers import RawSource

SETTINGS = settings.load("devwiki")
TODAY = dt.date(2026, 1, 1)
HEADER = [
    "start_date",
    "country",
    "geo_scope",
    "area_name",
    "shutdown_type",
    "affected_network",
    "shutdown_extent",
    "info_source_link",
    "shutdown_status",
    "end_date",
    "event",
    "count_year",
]


@dataclass(frozen=True)
class Row:
    """One source row of the combined layout."""

    start: str
    country: str
    area: str
    link: str
    status: str
    end: str
    event: str
    year: int

    def cells(self) -> list[str]:
        scope = "It affected locations in more than one state, province, or region"
        return [
            self.start,
            self.country,
            scope,
            self.area,
            "Shutdown",
            "Mobile",
            "Full network",
            self.link,
            self.status,
            self.end,
            self.event,
            str(self.year),
        ]


def source_of(rows: Sequence[Row]) -> SourceResult:
    """The rows read as a CSV export of the combined sheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(r.cells() for r in rows)
    return parse(RawSource("sheet.csv", out.getvalue().encode(), "csv", "v1"), SourceSpec("sheet.csv"))


@dataclass(frozen=True)
class Synced:
    """The pages before and after a sync, the ids it used and what each page's merge did."""

    before: dict[str, str]
    pages: dict[str, str]
    identity: Identity
    results: dict[str, MergeResult]

    @property
    def edits(self) -> int:
        """Pages whose text changed."""
        return sum(1 for t, r in self.results.items() if r.text.rstrip() != self.before.get(t, "").rstrip())


def sync(
    source: SourceResult,
    pages: Mapping[str, str],
    remembered: Mapping[str, str] | None = None,
    missing: str = "keep",
) -> Synced:
    """One sync of the year pages (the index left out): every page merged, as the bot would."""
    config = (
        SETTINGS if missing == "keep" else replace(SETTINGS, list=replace(SETTINGS.list, missing=missing))
    )
    ids, plans = plan.identify(source, config, TODAY, pages, remembered or {}, lambda t: pages.get(t, ""))
    results = {p.title: p.apply(pages.get(p.title, "")) for p in plans if p.kind == "year"}
    after = dict(pages)
    after.update({t: r.text for t, r in results.items()})
    return Synced(dict(pages), after, ids, results)


def rows_by_id(text: str) -> dict[str, str]:
    """Each bot row's template text on a page, by id."""
    code = mwparserfromhell.parse(text, skip_style_tags=True)
    found = {}
    for template in code.filter_templates(recursive=False):
        if str(template.name).strip() == SETTINGS.list.templates["row"] and template.has("id"):
            found[str(template.get("id").value).strip()] = str(template)
    return found


def all_rows(pages: Mapping[str, str]) -> dict[tuple[str, str], str]:
    """(title, id) → row text over every page."""
    return {(title, i): row for title, text in pages.items() for i, row in rows_by_id(text).items()}
