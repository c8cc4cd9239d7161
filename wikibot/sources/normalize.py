"""Source rows → frozen ``Incident`` records, and rejected rows with their reasons.

Which rows are one incident is ``wikibot.identity.link_years``: a shutdown that lasts several
years appears once per counted year, maybe reworded, and those rows become one incident
described by its latest row; two rows of the same year are never one incident.  Its id is
derived from its content (``identity.content_ids``), or is ``<prefix><value>`` when the layout
maps an ``id`` column.  Nothing depends on the order of the rows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from wikibot import countries, identity
from wikibot.errors import SourceError
from wikibot.model import Country, Incident, Linked, Rejected, Scope, Status
from wikibot.sources.layouts import Layout, header_key
from wikibot.text import clean_text, safe_url, squash

EXCEL_EPOCH = dt.date(1899, 12, 30)
OPEN_MARKERS = {
    "ongoing": "ongoing",
    "unknown": "unknown",
    "unkown": "unknown",
    "n/a": "unknown",
    "na": "unknown",
    "-": "unknown",
}
TRUE_CELLS = {"yes", "true", "1", "y", "oui"}
URL_SPLIT = re.compile(r"[;\s]+|,(?:\s|%20)*(?=https?://)")
YEAR_IN_NAME = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")


def text(cell: Any) -> str:
    """A cell as one line of text: trimmed, inner whitespace collapsed; floats like 2016.0 → 2016."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "Yes" if cell else "No"
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, dt.datetime):
        cell = cell.date() if cell.time() == dt.time() else cell
    if isinstance(cell, dt.date | dt.datetime):
        return cell.isoformat()
    return " ".join(clean_text(str(cell)).split())


def parse_date(cell: Any, formats: tuple[str, ...] = ()) -> tuple[dt.date | None, str]:
    """A date and a marker ('' / 'ongoing' / 'unknown'); ValueError when the cell is no date.

    Accepts date cells, Excel serial numbers, ISO (``2021-02-24``, with or without a time),
    STOP's M/D/YYYY, the layout's own strptime formats, and "Ongoing" / "Unknown".
    """
    if cell is None:
        return None, ""
    if isinstance(cell, dt.datetime):
        return cell.date(), ""
    if isinstance(cell, dt.date):
        return cell, ""
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return _excel(float(cell)), ""
    value = text(cell)
    if not value:
        return None, ""
    marker = OPEN_MARKERS.get(value.casefold())
    if marker:
        return None, marker
    for fmt in formats:
        try:
            return dt.datetime.strptime(value, fmt).date(), ""
        except ValueError:
            continue
    if re.fullmatch(r"\d+(\.\d+)?", value):
        return _excel(float(value)), ""
    for fmt in ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%m/%d/%Y", "%m/%d/%y"):
        try:
            return dt.datetime.strptime(value, fmt).date(), ""
        except ValueError:
            continue
    raise ValueError("not a date (expected YYYY-MM-DD, M/D/YYYY, an Excel date, Ongoing or Unknown)")


def _excel(serial: float) -> dt.date:
    if not 1 <= serial < 2958466:
        raise ValueError("number out of the range of Excel dates")
    return EXCEL_EPOCH + dt.timedelta(days=int(serial))


def parse_status(value: str) -> Status | None:
    """ended / ongoing / unknown from a status cell; None when blank."""
    key = value.casefold()
    if not key:
        return None
    if key.startswith("ended") or key == "yes":
        return "ended"
    if key.startswith("ongoing"):
        return "ongoing"
    return "unknown"


def parse_scope(value: str) -> Scope:
    """local / regional / national from every STOP vocabulary (sentences, Level 1-3, words)."""
    key = squash(value)
    if not key:
        return "unknown"
    if "morethanonestate" in key or key in {"level3", "national", "multiregional", "nationwide"}:
        return "national"
    if "morethanonecity" in key or key in {"level2", "regional"}:
        return "regional"
    if "onecity" in key or key in {"level1", "local"}:
        return "local"
    return "unknown"


def _terms(value: str, table: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    key = value.casefold()
    return tuple(term for needle, term in table if needle in key)


KINDS = (("shutdown", "shutdown"), ("full", "shutdown"), ("throttl", "throttling"))
EXTENTS = (("full", "full-network"), ("service", "service-based"))
NETWORKS = (("mobile", "mobile"), ("broadband", "broadband"))


def split_sources(value: str) -> tuple[str, ...]:
    """Source links split on ';', whitespace and ', http' — each once, in order, in safe_url form."""
    links: list[str] = []
    for part in URL_SPLIT.split(value):
        part = part.strip().rstrip(",;")
        if part.lower().startswith(("http://", "https://")) and safe_url(part) not in links:
            links.append(safe_url(part))
    return tuple(links)


def year_of_name(name: str) -> int | None:
    """The one year a sheet or file name holds ("2020 Data", "STOP-2020"), if exactly one."""
    years = set(YEAR_IN_NAME.findall(name))
    return int(years.pop()) if len(years) == 1 else None


@dataclass(frozen=True)
class Normalized:
    """What normalizing a table gave."""

    incidents: tuple[Incident, ...]
    rejected: tuple[Rejected, ...]
    warnings: tuple[Rejected, ...]
    rows: int
    linked: tuple[Linked, ...]


@dataclass(frozen=True)
class _Row:
    number: int
    incident: Incident
    year: int
    source_id: str


class _RowError(Exception):
    def __init__(self, column: str, value: str, reason: str) -> None:
        super().__init__(reason)
        self.column, self.value, self.reason = column, value, reason


def normalize(
    table: list[list[Any]],
    header_index: int,
    layout: Layout,
    location: str,
    sheet_hint: str = "",
    without_code: frozenset[str] = frozenset(),
) -> Normalized:
    """Incidents, rejected rows, warnings (a field left empty), rows read and reworded groups."""
    header = [header_key(c) for c in table[header_index]]
    index: dict[str, int] = {}
    for position, key in enumerate(header):
        if key in index and key in _mapped_keys(layout):
            raise SourceError(
                f"source {location}: column {key!r} appears twice (columns {index[key] + 1} and "
                f"{position + 1}); rename one so the mapping is clear"
            )
        index.setdefault(key, position)
    for required in ("start", "country"):
        column = layout.column(required)
        if column not in index:
            raise SourceError(
                f"source {location}: no column {layout.columns.get(required)!r} for {required} "
                f"(layout {layout.name}); check the header or the column mapping"
            )
    default_year = layout.year or year_of_name(sheet_hint)
    parsed: list[_Row] = []
    rejected: list[Rejected] = []
    warnings: list[Rejected] = []
    count = 0
    for offset, cells in enumerate(table[header_index + 1 :], start=header_index + 2):
        if all(text(c) == "" for c in cells):
            continue
        count += 1
        try:
            parsed.append(_row(cells, offset, index, layout, default_year, without_code, warnings))
        except _RowError as exc:
            rejected.append(Rejected(offset, exc.column, exc.value[:200], exc.reason))
    incidents, duplicates, linked = _identify(parsed, layout)
    rejected_rows = tuple(sorted([*rejected, *duplicates], key=lambda r: r.row))
    return Normalized(incidents, rejected_rows, tuple(warnings), count, linked)


def _mapped_keys(layout: Layout) -> set[str]:
    keys = {header_key(v) for v in layout.columns.values()} | set(layout.services)
    if layout.year_column:
        keys.add(layout.year_column)
    return keys


def _row(
    cells: list[Any],
    number: int,
    index: dict[str, int],
    layout: Layout,
    default_year: int | None,
    without_code: frozenset[str],
    warnings: list[Rejected],
) -> _Row:
    def cell(name: str) -> Any:
        column = layout.column(name)
        position = index.get(column) if column else None
        return cells[position] if position is not None and position < len(cells) else None

    def column_name(name: str) -> str:
        return layout.columns.get(name, name)

    start_cell = cell("start")
    try:
        start, _ = parse_date(start_cell, layout.date_formats)
    except ValueError as exc:
        raise _RowError(column_name("start"), text(start_cell), str(exc)) from None
    if start is None:
        raise _RowError(column_name("start"), text(start_cell), "no start date")
    end_cell = cell("end")
    try:
        end, marker = parse_date(end_cell, layout.date_formats)
    except ValueError as exc:
        end, marker = None, "unknown"
        warnings.append(
            Rejected(number, column_name("end"), text(end_cell)[:200], f"{exc}; end left unknown")
        )
    if end is not None and end < start:
        warnings.append(
            Rejected(
                number,
                column_name("end"),
                text(end_cell),
                f"ends before it starts ({start}); end left unknown",
            )
        )
        end, marker = None, "unknown"
    status = parse_status(text(cell("status"))) if layout.column("status") else None
    if status is None:
        status = "ongoing" if marker == "ongoing" else ("ended" if end is not None else "unknown")

    country_cell = text(cell("country"))
    found: list[Country] = []
    for name in countries.split_countries(country_cell):
        country = countries.lookup(name)
        if country is None or not countries.is_known(country, without_code):
            raise _RowError(
                column_name("country"),
                country_cell,
                f"unknown country {name!r}; if it is a territory without an ISO code, "
                "list it under countries_without_code in the settings",
            )
        if country not in found:
            found.append(country)
    if not found:
        raise _RowError(column_name("country"), country_cell, "no country")

    year = default_year
    if layout.year_column:
        position = index.get(layout.year_column)
        raw_year = text(cells[position]) if position is not None and position < len(cells) else ""
        if not re.fullmatch(r"\d{4}", raw_year):
            raise _RowError(layout.year_column, raw_year, "counted year is not a four-digit year")
        year = int(raw_year)
    if year is None:
        year = start.year

    services: list[str] = []
    for column, service in layout.services.items():
        position = index.get(column)
        if position is not None and position < len(cells) and text(cells[position]).casefold() in TRUE_CELLS:
            services.append(service)
    for extra in re.split(r"[;,]", text(cell("services_text"))):
        extra = extra.strip()
        if (
            extra
            and extra.casefold() not in {"none", "no", "n/a", "unknown", "other"}
            and extra not in services
        ):
            services.append(extra)

    area = text(cell("area"))
    kind_text, extent_text = text(cell("kind")), text(cell("extent"))
    incident = Incident(
        id="",
        countries=tuple(found),
        start=start,
        end=end,
        status=status,
        scope=parse_scope(text(cell("scope"))),
        kinds=_terms(kind_text, KINDS)
        if layout.column("kind")
        else _terms(extent_text, KINDS[:1] + KINDS[2:]),
        extents=_terms(extent_text, EXTENTS),
        networks=_terms(text(cell("network")), NETWORKS),
        services=tuple(services),
        justification=text(cell("justification")),
        cause=text(cell("cause")),
        ordered_by=text(cell("ordered_by")),
        area=area,
        description=text(cell("description")),
        sources=split_sources(text(cell("sources"))),
        years=(year,),
        rows=(number,),
    )
    return _Row(number, incident, year, text(cell("id")) if layout.column("id") else "")


def _identify(
    rows: list[_Row], layout: Layout
) -> tuple[tuple[Incident, ...], list[Rejected], tuple[Linked, ...]]:
    """Group the rows into incidents, give each its id, and list the reworded groups."""
    rejected: list[Rejected] = []
    groups: list[tuple[Incident, ...]] = []
    ids: list[str] = []
    by_source_id: dict[str, list[_Row]] = defaultdict(list)
    for row in rows:
        if row.source_id:
            by_source_id[row.source_id].append(row)
    for source_id, same_id in by_source_id.items():
        kept: dict[int, _Row] = {}
        for row in sorted(same_id, key=lambda r: r.number):
            if row.year in kept:
                rejected.append(
                    Rejected(
                        row.number, layout.columns.get("id", "id"), source_id, f"duplicate id in {row.year}"
                    )
                )
            else:
                kept[row.year] = row
        groups.append(tuple(kept[y].incident for y in sorted(kept)))
        ids.append(layout.id_prefix + source_id)
    linked = identity.link_years([row.incident for row in rows if not row.source_id])
    groups.extend(linked)
    ids.extend(identity.content_ids(linked, layout.id_prefix))
    incidents = []
    reworded = []
    for ident, members in zip(ids, groups, strict=True):
        latest = members[-1]
        years = tuple(r.years[0] for r in members)
        numbers = tuple(sorted(r.rows[0] for r in members))
        incidents.append(replace(latest, id=ident, years=years, rows=numbers))
        differences = _differences(members)
        if differences:
            reworded.append(Linked(ident, numbers, years, differences))
    incidents.sort(key=lambda i: (i.start, [c.key for c in i.countries], i.id))
    reworded.sort(key=lambda g: g.rows)
    return tuple(incidents), rejected, tuple(reworded)


def _differences(members: tuple[Incident, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The key fields whose wording differs between the rows of one incident, each value once."""
    fields: dict[str, Callable[[Incident], str]] = {
        "countries": lambda i: "; ".join(c.name for c in i.countries),
        "start": lambda i: i.start.isoformat(),
        "area": lambda i: i.area,
    }
    found = []
    for name, value in fields.items():
        values = tuple(dict.fromkeys(value(i) for i in members))
        if len(values) > 1:
            found.append((name, values))
    return tuple(found)
