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

from wikibot import countries, identity, vocabulary
from wikibot.errors import SourceError
from wikibot.model import Country, Incident, Linked, Rejected, Scope, Status, UnknownTerm
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
UNKNOWN_TERM_FIELDS = ("cause", "justification", "ordered_by")  # area is mostly free text: place names
NO_SERVICE = {"none", "no", "n/a", "unknown", "other"}
URL_SPLIT = re.compile(r"[;\s]+|,(?:\s|%20)*(?=https?://)")
YEAR_IN_NAME = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")


def text(cell: Any) -> str:
    """A cell as one line of text: trimmed, inner whitespace collapsed; floats like 2016.0 → 2016."""
    plain = type(cell) is str and cell.isascii() and cell.isprintable() and "  " not in cell
    if plain and cell == cell.strip():
        return str(cell)  # most cells: already one clean line
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
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return dt.date.fromisoformat(value), ""  # the combined sheet's form: no strptime needed
        except ValueError:
            pass
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


TYPES = (("shutdown", "shutdown"), ("full", "shutdown"), ("throttl", "throttling"))
TYPES_OF_EXTENT = TYPES[:1] + TYPES[2:]  # a layout without a type column: from the extent's words
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
    unknown_terms: tuple[UnknownTerm, ...] = ()


@dataclass(frozen=True)
class _Row:
    number: int
    incident: Incident
    year: int
    source_id: str
    area_as_written: str = ""


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
    fields = {name: index[column] for name in layout.columns if (column := layout.column(name)) in index}
    parsed: list[_Row] = []
    rejected: list[Rejected] = []
    warnings: list[Rejected] = []
    count = 0
    for offset, cells in enumerate(table[header_index + 1 :], start=header_index + 2):
        if not any(cell not in (None, "") and text(cell) for cell in cells):
            continue  # an empty line
        count += 1
        cells_read = _Cells(cells, offset, index, layout, fields)
        try:
            row, row_warnings = _row(cells_read, default_year, without_code)
        except _RowError as exc:
            year = _year_of(cells_read, default_year)
            rejected.append(Rejected(offset, exc.column, exc.value[:200], exc.reason, year))
            continue
        parsed.append(row)
        warnings.extend(row_warnings)
    incidents, duplicates, linked = _identify(parsed, layout)
    rejected_rows = tuple(sorted([*rejected, *duplicates], key=lambda r: r.row))
    return Normalized(incidents, rejected_rows, tuple(warnings), count, linked, _unknown_terms(parsed))


def _unknown_terms(rows: list[_Row]) -> tuple[UnknownTerm, ...]:
    """The values of the controlled fields that are in no vocabulary (shown as written), with their rows."""
    found: dict[tuple[str, str], list[int]] = defaultdict(list)
    for row in rows:
        for field in UNKNOWN_TERM_FIELDS:
            value = getattr(row.incident, field)
            if value and vocabulary.key(field, value) is None:
                found[(field, value)].append(row.number)
    return tuple(UnknownTerm(f, v, tuple(n)) for (f, v), n in sorted(found.items()))


def _mapped_keys(layout: Layout) -> set[str]:
    keys = {header_key(v) for v in layout.columns.values()} | set(layout.services)
    if layout.year_column:
        keys.add(layout.year_column)
    return keys


@dataclass(frozen=True)
class _Cells:
    """One source row's cells, read by field name through the layout."""

    cells: list[Any]
    number: int
    index: dict[str, int]
    layout: Layout
    fields: dict[str, int]  # field → its column's position (mapped fields only)

    def raw(self, name: str) -> Any:
        """The cell of a field (None when the layout or the row has no such column)."""
        position = self.fields.get(name)
        return self.cells[position] if position is not None and position < len(self.cells) else None

    def at(self, column: str) -> Any:
        """The cell of a column by its header key."""
        position = self.index.get(column)
        return self.cells[position] if position is not None and position < len(self.cells) else None

    def text(self, name: str) -> str:
        """A field as one line of text."""
        return text(self.raw(name))

    def column(self, name: str) -> str:
        """The source's name of a field's column (for messages)."""
        return self.layout.columns.get(name, name)

    def warning(self, name: str, reason: str) -> Rejected:
        """A field of this row left empty, and why."""
        return Rejected(self.number, self.column(name), self.text(name)[:200], reason)

    def error(self, name: str, reason: str, value: str | None = None) -> _RowError:
        """This row cannot become an incident: the field, its value and why."""
        return _RowError(self.column(name), self.text(name) if value is None else value, reason)


def _row(row: _Cells, default_year: int | None, without_code: frozenset[str]) -> tuple[_Row, list[Rejected]]:
    """One row as an incident of its counted year, and the warnings about fields left empty."""
    start, end, status, warnings = _dates(row)
    year = _year(row, default_year) or start.year
    type_text, extent_text = row.text("type"), row.text("extent")
    incident = Incident(
        id="",
        countries=_countries(row, without_code),
        start=start,
        end=end,
        status=status,
        scope=parse_scope(row.text("scope")),
        types=_terms(type_text, TYPES) if row.layout.column("type") else _terms(extent_text, TYPES_OF_EXTENT),
        extents=_terms(extent_text, EXTENTS),
        networks=_terms(row.text("network"), NETWORKS),
        services=_services(row),
        justification=vocabulary.normalized("justification", row.text("justification")),
        cause=vocabulary.normalized("cause", row.text("cause")),
        ordered_by=vocabulary.normalized("ordered_by", row.text("ordered_by")),
        area=vocabulary.normalized("area", row.text("area")),
        decision_maker=row.text("decision_maker"),
        description=row.text("description"),
        sources=split_sources(row.text("sources")),
        years=(year,),
        rows=(row.number,),
    )
    source_id = row.text("id") if row.layout.column("id") else ""
    return _Row(row.number, incident, year, source_id, row.text("area")), warnings


def _dates(row: _Cells) -> tuple[dt.date, dt.date | None, Status, list[Rejected]]:
    """Start (required), end (left unknown, with a warning, when invalid) and status."""
    formats = row.layout.date_formats
    try:
        start, _ = parse_date(row.raw("start"), formats)
    except ValueError as exc:
        raise row.error("start", str(exc)) from None
    if start is None:
        raise row.error("start", "no start date")
    warnings = []
    try:
        end, marker = parse_date(row.raw("end"), formats)
    except ValueError as exc:
        end, marker = None, "unknown"
        warnings.append(row.warning("end", f"{exc}; end left unknown"))
    if end is not None and end < start:
        warnings.append(row.warning("end", f"ends before it starts ({start}); end left unknown"))
        end, marker = None, "unknown"
    status = parse_status(row.text("status")) if row.layout.column("status") else None
    if status is None:
        status = "ongoing" if marker == "ongoing" else ("ended" if end is not None else "unknown")
    return start, end, status, warnings


def _countries(row: _Cells, without_code: frozenset[str]) -> tuple[Country, ...]:
    """The countries of a cell (each once), or the row is rejected naming the unknown one."""
    found: list[Country] = []
    for name in countries.split_countries(row.text("country")):
        country = countries.lookup(name)
        if country is None or not countries.is_known(country, without_code):
            raise row.error(
                "country",
                f"unknown country {name!r}; if it is a territory without an ISO code, "
                "list it under countries_without_code in the settings",
            )
        if country not in found:
            found.append(country)
    if not found:
        raise row.error("country", "no country")
    return tuple(found)


def _year(row: _Cells, default_year: int | None) -> int | None:
    """The counted year: the layout's year column, else the sheet's year (None: the start's)."""
    column = row.layout.year_column
    if not column:
        return default_year
    raw = text(row.at(column))
    if not re.fullmatch(r"\d{4}", raw):
        raise _RowError(column, raw, "counted year is not a four-digit year")
    return int(raw)


def _yes(cell: Any) -> bool:
    """True when a yes/no cell says yes (Yes, TRUE, 1, oui…)."""
    if cell is None or cell == "":
        return False
    if isinstance(cell, str):
        return cell.strip().casefold() in TRUE_CELLS
    return text(cell).casefold() in TRUE_CELLS


def _year_of(row: _Cells, default_year: int | None) -> int | None:
    """The counted year of a rejected row, when that much can be read."""
    try:
        year = _year(row, default_year)
        start, _ = parse_date(row.raw("start"), row.layout.date_formats)
    except (_RowError, ValueError):
        return None
    return year if year is not None else (start.year if start else None)


def _services(row: _Cells) -> tuple[str, ...]:
    """The services blocked: yes/no columns, then the free-text list."""
    services = [name for column, name in row.layout.services.items() if _yes(row.at(column))]
    for extra in re.split(r"[;,]", row.text("services_text")):
        extra = extra.strip()
        if extra and extra.casefold() not in NO_SERVICE and extra not in services:
            services.append(extra)
    return tuple(services)


def _identify(
    rows: list[_Row], layout: Layout
) -> tuple[tuple[Incident, ...], list[Rejected], tuple[Linked, ...]]:
    """Group the rows into incidents, give each its id, and list the reworded groups."""
    areas = {row.number: row.area_as_written for row in rows}
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
        differences = _differences(members, areas) if len(members) > 1 else ()
        if differences:
            reworded.append(Linked(ident, numbers, years, differences))
    incidents.sort(key=lambda i: (i.start, [c.key for c in i.countries], i.id))
    reworded.sort(key=lambda g: g.rows)
    return tuple(incidents), rejected, tuple(reworded)


def _differences(
    members: tuple[Incident, ...], areas: dict[int, str]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The key fields whose wording differs between the rows of one incident, each value once
    (areas as the source wrote them: "Nationwide" and "National" are one key but two wordings)."""
    fields: dict[str, Callable[[Incident], str]] = {
        "countries": lambda i: "; ".join(c.name for c in i.countries),
        "start": lambda i: i.start.isoformat(),
        "area": lambda i: areas.get(i.rows[0], i.area),
    }
    found = []
    for name, value in fields.items():
        values = tuple(dict.fromkeys(value(i) for i in members))
        if len(values) > 1:
            found.append((name, values))
    return tuple(found)
