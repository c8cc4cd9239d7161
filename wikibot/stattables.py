"""The statistics tables template: every breakdown of every year as a reader's table.

One bot-owned template page (the data template's subpage, ``stats-tables-subpage``) holds the
tables; ``{{…/tables}}`` shows the statistics tables, ``{{…/tables|countries}}`` the countries ×
years table, ``{{…/tables|by_trigger}}`` one table.  The statistics page's footer and the
per-country page's header transclude it.

Tables are HTML (``<table class="wikitable sortable">``): they sit inside a ``#switch`` where a
wiki table's pipes would split the arguments.  Each computed figure stands beside Access Now's
published one where a report gives it; no reason is given for a difference.  Numbers are
written in the wiki's digits, with plain sort keys.

Pure: the figures (``StatsData``) in, wikitext out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from wikibot import l10n
from wikibot.model import Country
from wikibot.render import RowSpec, country_links, escape
from wikibot.stats import (
    BREAKDOWNS,
    FLAG_KEYS,
    References,
    Reported,
    StatsData,
    categories_of,
)
from wikibot.text import squash

# The tables, in the order the statistics page shows them ("countries" only when asked for).
TABLES = ("by_trigger", "kinds", "figures", "orders", "longest", "coalition")
ALL_TABLES = (*TABLES, "countries")
FIGURES = (*FLAG_KEYS, "ongoing", "over_a_year", "foreign_orders", "new_countries")
DASH = "—"  # a figure the data does not record for a year


class _Tables:
    """The tables of one StatsData, sharing one set of references."""

    def __init__(self, data: StatsData, links: Mapping[str, str], maps: Mapping[int, str]) -> None:
        self.data, self.lang, self.maps = data, data.lang, maps
        self.refs = References(data)
        self.spec = RowSpec(lang=data.lang, row_template="", params={}, country_links=dict(links))
        self.years = sorted(data.years)

    def msg(self, key: str, *args: object) -> str:
        return l10n.message(self.lang, key, *args)

    def number(self, value: int) -> str:
        return l10n.format_number(value, self.lang, self.data.numerals)

    def cell(self, value: int | None, published: Reported | None = None) -> str:
        """A computed figure's cell (sorted by it), Access Now's beside it where published."""
        if value is None:
            text, key = DASH, "-1"
        else:
            text, key = self.number(value), str(value)
        if published is not None and published.shutdowns is not None:
            shown = self.number(published.shutdowns)
            if published.note:  # the report's own words, in English
                note = escape(published.note)
                shown += f" ({note})" if self.lang == "en" else f' (<span lang="en" dir="ltr">{note}</span>)'

            text = self.msg("stats-published-beside", text, shown + self.refs.cite(published))
        return f'<td data-sort-value="{key}">{text}</td>'

    def year_cell(self, year: int) -> str:
        return f'<th scope="row" data-sort-value="{year}">{year}</th>'

    def table(self, name: str, head: Sequence[str], rows: Sequence[str]) -> str:
        caption = escape(self.msg(f"stats-table-{name}"))
        body = "\n".join(f"<tr>{row}</tr>" for row in rows)
        ident = "keepiton-" + name.replace("_", "-")  # MediaWiki writes "_" in an id as &#95;
        return (
            f'<div style="overflow-x:auto;"><table class="wikitable sortable" id="{ident}">\n'
            f'<caption style="text-align:start;">{caption}</caption>\n'
            + "\n".join(head)
            + f"\n{body}\n</table></div>"
        )

    def col(self, label: str, attrs: str = "") -> str:
        return f'<th scope="col"{attrs}>{escape(label)}</th>'

    def by_trigger(self) -> str:
        used = [
            c
            for c in categories_of("by_trigger")
            if any(dict(s.by_cause).get(c) for s in self.data.years.values())
        ]
        head = [
            "<tr>"
            + self.col(self.msg("stats-col-year"))
            + self.col(self.msg("stats-col-shutdowns"))
            + "".join(self.col(l10n.value_label(self.lang, "cause", c)) for c in used)
            + "</tr>"
        ]
        rows = []
        for year in self.years:
            stats = self.data.years[year]
            counts = dict(stats.by_cause)
            cells = "".join(
                self.cell(counts.get(c, 0), self.data.reported.breakdown(year, "by_trigger", c)) for c in used
            )
            rows.append(self.year_cell(year) + self.cell(stats.shutdowns) + cells)
        return self.table("by_trigger", head, rows)

    def kinds(self) -> str:
        groups = [
            (name, [c for c in categories_of(name) if c != "unknown"])
            for name in ("by_type", "by_extent", "by_scope")
        ]
        top = "<tr>" + self.col(self.msg("stats-col-year"), ' rowspan="2"')
        sub = "<tr>"
        for name, categories in groups:
            label = escape(self.msg(f"stats-col-{name}"))
            top += f'<th scope="colgroup" colspan="{len(categories)}">{label}</th>'
            sub += "".join(self.col(l10n.value_label(self.lang, BREAKDOWNS[name], c)) for c in categories)
        rows = []
        for year in self.years:
            stats = self.data.years[year]
            cells = ""
            for name, categories in groups:
                counts = dict(stats.breakdown(name))
                cells += "".join(
                    self.cell(
                        counts.get(c, 0) if counts else None, self.data.reported.breakdown(year, name, c)
                    )
                    for c in categories
                )
            rows.append(self.year_cell(year) + cells)
        return self.table("kinds", [top + "</tr>", sub + "</tr>"], rows)

    def figures(self) -> str:
        head = [
            "<tr>"
            + self.col(self.msg("stats-col-year"))
            + "".join(self.col(self.msg(f"stats-col-{key}")) for key in FIGURES)
            + "</tr>"
        ]
        rows = []
        for year in self.years:
            stats = self.data.years[year]
            cells = "".join(self.cell(stats.count(k), self.data.reported.breakdown(year, k)) for k in FIGURES)
            rows.append(self.year_cell(year) + cells)
        return self.table("figures", head, rows)

    def country(self, key: str) -> str:
        country = Country(key, key) if len(key) == 2 and key.isupper() else Country(None, key)
        return country_links((country,), self.spec)

    def orders(self) -> str:
        head = [
            "<tr>"
            + "".join(
                self.col(self.msg(f"stats-col-{k}"))
                for k in ("year", "in-country", "ordered-by", "shutdowns")
            )
            + "</tr>"
        ]
        rows = [
            self.year_cell(year) + f"<td>{self.country(where)}</td><td>{self.country(by)}</td>" + self.cell(n)
            for year in self.years
            for where, by, n in self.data.years[year].orders
        ]
        return self.table("orders", head, rows) if rows else ""

    def date(self, day: dt.date) -> str:
        shown = l10n.format_date(day, self.lang, self.data.numerals)
        return f'<td data-sort-value="{day.isoformat()}">{shown}</td>'

    def longest(self) -> str:
        head = [
            "<tr>"
            + "".join(
                self.col(self.msg(f"stats-col-{k}"))
                for k in ("year", "rank", "start", "end", "days", "countries")
            )
            + "</tr>"
        ]
        rows = []
        for year in self.years:
            for rank, item in enumerate(self.data.years[year].longest, start=1):
                end = (
                    self.date(item.end)
                    if item.end
                    else f'<td data-sort-value="9999-12-31">{escape(self.msg("stats-ongoing-at-end"))}</td>'
                )
                countries = country_links(item.countries, self.spec)
                rows.append(
                    self.year_cell(year)
                    + self.cell(rank)
                    + self.date(item.start)
                    + end
                    + self.cell(item.days)
                    + f"<td>{countries}</td>"
                )
        return self.table("longest", head, rows)

    def coalition(self) -> str:
        head = [
            "<tr>"
            + "".join(self.col(self.msg(f"stats-col-{k}")) for k in ("date", "members", "member-countries"))
            + "</tr>"
        ]
        rows = []
        for figure in self.data.reported.coalition:
            members = self.data.approximate(figure.shutdowns, figure.approximate)
            shown = self.number(members) if isinstance(members, int) else escape(str(members or DASH))
            date = escape(l10n.format_as_of(figure.as_of, self.lang, self.data.numerals))
            countries = self.number(figure.countries) if figure.countries is not None else DASH
            rows.append(
                f'<th scope="row" data-sort-value="{escape(figure.as_of)}">{date}</th>'
                f'<td data-sort-value="{figure.shutdowns or -1}">{shown}{self.refs.cite(figure)}</td>'
                f'<td data-sort-value="{figure.countries or -1}">{countries}</td>'
            )
        return self.table("coalition", head, rows) if rows else ""

    def countries(self) -> str:
        head = [
            "<tr>"
            + self.col(self.msg("stats-col-country"))
            + "".join(self.col(str(year)) for year in self.years)
            + self.col(self.msg("stats-col-total"))
            + "</tr>"
        ]
        keys = sorted({k for s in self.data.years.values() for k, _ in s.by_country})
        rows = []
        for key in sorted(keys, key=lambda k: squash(l10n.country_name(_country(k), self.lang))):
            counts = [dict(self.data.years[year].by_country).get(key, 0) for year in self.years]
            cells = "".join(
                self.cell(n, self.data.reported.by_country.get(year, {}).get(key))
                for year, n in zip(self.years, counts, strict=True)
            )
            name = l10n.country_name(_country(key), self.lang)
            rows.append(
                f'<th scope="row" data-sort-value="{escape(name)}">{self.country(key)}</th>'
                + cells
                + self.cell(sum(counts))
            )
        return self.gallery() + self.table("countries", head, rows)

    def gallery(self) -> str:
        """Each year's world map (its figures: the table that follows, so no colour is needed to
        read them)."""
        lines = [
            f"File:{self.maps[year]}|{year}|alt={escape(self.msg('stats-map-alt', year), always='|')}"
            for year in self.years
            if year in self.maps
        ]
        return (
            '<gallery mode="packed" heights="120">\n' + "\n".join(lines) + "\n</gallery>\n" if lines else ""
        )


def _country(key: str) -> Country:
    return Country(key, key) if len(key) == 2 and key.isupper() else Country(None, key)


def tables_text(
    data: StatsData, links: Mapping[str, str], doc: str, maps: Mapping[int, str] | None = None
) -> str:
    """The tables template page: ``{{T}}`` every statistics table, ``{{T|name}}`` one of them
    (``links``: country key → article; ``maps``: year → the title of its world map file)."""
    # each table with its own references, defined in full: a table transcluded alone cites all it shows
    rendered = {name: getattr(_Tables(data, links, maps or {}), name)() for name in ALL_TABLES}
    everything = "\n".join(rendered[name] for name in TABLES if rendered[name])
    lines = ["<includeonly>{{#switch:{{{1|}}}"]
    for name in ALL_TABLES:
        alias = l10n.message(data.lang, f"stats-table-alias-{name}")
        label = " | ".join(dict.fromkeys((name, *(a.strip() for a in alias.split(",") if a.strip()))))
        lines.append(f" | {label} = {rendered[name]}")
    lines.append(f" | = {everything}")
    lines.append(f" | #default = {_error(data)}")
    lines.append("}}</includeonly><noinclude>")
    lines.append(doc.rstrip())
    lines.append("</noinclude>")
    return "\n".join(lines) + "\n"


def _error(data: StatsData) -> str:
    return f'<strong class="error">{escape(l10n.message(data.lang, "stats-table-unknown"))}</strong>'
