"""Source rows → frozen ``Incident`` records, and rejected rows with their reasons.

Which rows are one incident is ``wikibot.identity.link_years``: a shutdown that lasts several
years appears once per counted year, maybe reworded, and those rows become one incident
described by its latest row; two rows of the same year are never one incident.  Its id is
derived from its content (``identity.content_ids``), or is ``<prefix><value>`` when the layout
maps an ``id`` column.  Nothing depends on the order of the rows.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from wikibot import countries, identity, vocabulary
from wikibot.errors import SourceError
from wikibot.model import Country, Incident, Linked, Rejected, Scope, Status, UnknownTerm
from wikibot.sources.layouts import FIELDS, Layout, header_key
from wikibot.text import URL_SAFE, clean_text, safe_url, squash

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
LINK_START = ("http://", "https://")
# Links made only of characters safe_url keeps (text.URL_SAFE, letters, digits, "_"), between the
# spaces text() keeps (not \x0b or \x0c: text drops them, joining what they separate).
_LINKS_KEPT = re.compile(f"[A-Za-z0-9_{re.escape(URL_SAFE)} \t\n\r]*")
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
    if type(cell) is str and len(cell) == 10 and cell[4] == "-" and cell[7] == "-":
        try:
            return dt.date.fromisoformat(cell), ""  # most cells: ISO dates, the combined sheet's form
        except ValueError:
            pass
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
            return dt.date.fromisoformat(value), ""  # a cell with spaces around an ISO date
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
    return _kept_links(value) or _split_links(value)


def sources_of_cell(cell: Any) -> tuple[str, ...]:
    """``split_sources(text(cell))``: a cell of kept links (below) needs no ``text`` first, since
    it holds nothing that ``text`` removes, and ``str.split`` collapses its spaces alike."""
    return (type(cell) is str and _kept_links(cell)) or split_sources(text(cell))


def _kept_links(value: str) -> tuple[str, ...] | None:
    """The links of a value made of links that safe_url keeps as they are, between ASCII spaces
    and semicolons (most cells); None for any other value."""
    kept = value.isascii() and "," not in value and _LINKS_KEPT.fullmatch(value)
    if not kept or "__" in value or "&#" in value:  # what safe_url encodes of kept characters
        return None
    parts = value.replace(";", " ").split()
    return tuple(
        dict.fromkeys([p for p in parts if p.startswith(LINK_START) or p[:8].lower().startswith(LINK_START)])
    )


def _split_links(value: str) -> tuple[str, ...]:
    links: list[str] = []
    # without a comma, URL_SPLIT splits on runs of ';' and whitespace: str.split does it faster
    for part in value.replace(";", " ").split() if "," not in value else URL_SPLIT.split(value):
        part = part.strip().rstrip(",;")
        if part[:8].lower().startswith(LINK_START):
            link = safe_url(part)
            if link not in links:
                links.append(link)
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


class _Row(NamedTuple):
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
    reader = _Reader(layout, index, layout.year or year_of_name(sheet_hint), without_code)
    numbers: list[int] = []
    lines: list[list[Any]] = []
    for offset, cells in enumerate(table[header_index + 1 :], start=header_index + 2):
        first = cells[0] if cells else None  # most lines: a word or a number first
        if (type(first) is str and first[:1].isalnum()) or any(
            cell not in (None, "") and text(cell) for cell in cells
        ):
            numbers.append(offset)
            lines.append(cells)
    parsed: list[_Row] = []
    rejected: list[Rejected] = []
    warnings: list[Rejected] = []
    for number, cells in zip(numbers, lines, strict=True):
        _row_alone(_Cells(cells, number, reader), parsed, rejected, warnings)
    incidents, duplicates, linked = _identify(parsed, layout)
    rejected_rows = tuple(sorted([*rejected, *duplicates], key=lambda r: r.row))
    return Normalized(incidents, rejected_rows, tuple(warnings), len(numbers), linked, _unknown_terms(parsed))


def _unknown_terms(rows: list[_Row]) -> tuple[UnknownTerm, ...]:
    """The values of the controlled fields that are in no vocabulary (shown as written), with their rows."""
    found: dict[tuple[str, str], list[int]] = defaultdict(list)
    for field in UNKNOWN_TERM_FIELDS:
        unknown = {
            v for v in {vars(row.incident)[field] for row in rows} if v and vocabulary.key(field, v) is None
        }
        if unknown:
            for row in rows:
                value = vars(row.incident)[field]
                if value in unknown:
                    found[(field, value)].append(row.number)
    return tuple(UnknownTerm(f, v, tuple(n)) for (f, v), n in sorted(found.items()))


def _mapped_keys(layout: Layout) -> set[str]:
    keys = {header_key(v) for v in layout.columns.values()} | set(layout.services)
    if layout.year_column:
        keys.add(layout.year_column)
    return keys


class _Memo(dict[Any, Any]):
    """A conversion of one field's cells, each distinct text converted once per table.

    A sheet repeats its wordings ("Protests", "Nationwide", "Ethiopia") row after row.  Cells
    equal as values are read alike (1, 1.0 and True: one answer in a yes/no column, one year).
    A conversion that raises is not remembered: the row is rejected, the next one tries again.
    """

    __slots__ = ("convert",)

    def __init__(self, convert: Callable[[Any], Any]) -> None:
        super().__init__()
        self.convert = convert

    def __missing__(self, cell: str | None) -> Any:
        value = self[cell] = self.convert(cell)
        return value


class _Reader:
    """How one table's cells become fields: column positions and a conversion per field."""

    def __init__(
        self,
        layout: Layout,
        index: dict[str, int],
        default_year: int | None,
        without_code: frozenset[str],
    ) -> None:
        self.layout, self.index, self.default_year = layout, index, default_year
        # every cell a text or None (CSV): a seen wording is a plain dict lookup
        self.fields = {
            name: index[column] for name in layout.columns if (column := layout.column(name)) in index
        }
        self.width = max(index.values(), default=-1) + 1
        self.position = {name: self.fields.get(name, -1) for name in FIELDS}  # -1: the None after the cells
        self.services = [(index[column], name) for column, name in layout.services.items() if column in index]
        formats = layout.date_formats
        self.date = _Memo(lambda cell: parse_date(cell, formats))
        self.countries = _Memo(lambda cell: _countries(text(cell), without_code))
        self.status = _Memo(lambda cell: parse_status(text(cell))) if layout.column("status") else None
        self.scope = _Memo(lambda cell: parse_scope(text(cell)))
        self.types_from = "type" if layout.column("type") else "extent"  # no type column: the extent's words
        words = TYPES if self.types_from == "type" else TYPES_OF_EXTENT
        self.types = _Memo(lambda cell: _terms(text(cell), words))
        self.extents = _Memo(lambda cell: _terms(text(cell), EXTENTS))
        self.networks = _Memo(lambda cell: _terms(text(cell), NETWORKS))
        self.services_text = _Memo(lambda cell: _listed_services(text(cell)))
        # yes/no columns: a sheet repeats the same few answers, so each tuple is read once
        self.yes_columns = _Memo(functools.partial(_yes_columns, self.services))
        positions = [position for position, _ in self.services]
        self.service_cells: Callable[[list[Any]], tuple[Any, ...]] = (
            operator.itemgetter(*positions)
            if len(positions) > 1
            else lambda cells: tuple(cells[p] for p in positions)
        )
        self.flags = _Memo(_flags)
        self.sources = _Memo(sources_of_cell)
        self.text = _Memo(text)  # free text: descriptions, decision makers, areas as written
        self.terms = {
            name: _Memo(functools.partial(_term, name))
            for name in ("justification", "cause", "ordered_by", "area")
        }
        self.year = _Memo(lambda cell: _counted_year(layout.year_column or "", cell))

    def padded(self, cells: list[Any]) -> list[Any]:
        """A row's cells cut or padded to the header's width, then one None (position -1)."""
        width = self.width
        return (
            [*cells, *[None] * (width - len(cells)), None] if len(cells) <= width else [*cells[:width], None]
        )


def _term(field: str, cell: Any) -> str:
    return vocabulary.normalized(field, text(cell))


class _Cells:
    """One source row's cells, read by field name through the table's reader."""

    __slots__ = ("cells", "number", "reader", "warnings")

    def __init__(self, cells: list[Any], number: int, reader: _Reader) -> None:
        self.cells = reader.padded(cells)
        self.number, self.reader = number, reader
        self.warnings: list[Rejected] = []

    def raw(self, name: str) -> Any:
        """The cell of a field (None when the layout or the row has no such column)."""
        return self.cells[self.reader.position.get(name, -1)]

    def at(self, column: str) -> Any:
        """The cell of a column by its header key."""
        return self.cells[self.reader.index.get(column, -1)]

    def text(self, name: str) -> str:
        """A field as one line of text."""
        return text(self.raw(name))

    def column(self, name: str) -> str:
        """The source's name of a field's column (for messages)."""
        return self.reader.layout.columns.get(name, name)

    def warn(self, name: str, reason: str) -> None:
        """A field of this row left empty, and why."""
        self.warnings.append(Rejected(self.number, self.column(name), self.text(name)[:200], reason))

    def error(self, name: str, reason: str, value: str | None = None) -> _RowError:
        """This row cannot become an incident: the field, its value and why."""
        return _RowError(self.column(name), self.text(name) if value is None else value, reason)


def _row(row: _Cells) -> _Row:
    """One row as an incident of its counted year (fields left empty are in ``row.warnings``)."""
    reader, cells, at = row.reader, row.cells, row.reader.position
    start, end, status = _dates(row)
    year = _year(row) or start.year
    terms = reader.terms
    try:
        countries = reader.countries[cells[at["country"]]]
    except _CountryError as exc:
        raise row.error("country", exc.reason) from None
    area = cells[at["area"]]
    incident = Incident(
        **{
            "id": "",
            "countries": countries,
            "start": start,
            "end": end,
            "status": status,
            "scope": reader.scope[cells[at["scope"]]],
            "types": reader.types[cells[at[reader.types_from]]],
            "extents": reader.extents[cells[at["extent"]]],
            "networks": reader.networks[cells[at["network"]]],
            "services": _services(row),
            "justification": terms["justification"][cells[at["justification"]]],
            "cause": terms["cause"][cells[at["cause"]]],
            "ordered_by": terms["ordered_by"][cells[at["ordered_by"]]],
            "area": terms["area"][area],
            "description": reader.text[cells[at["description"]]],
            "sources": reader.sources[cells[at["sources"]]],
            "years": (year,),
            "rows": (row.number,),
            "decision_maker": reader.text[cells[at["decision_maker"]]],
            **reader.flags[(cells[at["election"]], cells[at["violence"]], cells[at["hr_abuse"]])],
        }
    )
    source_id = text(cells[at["id"]]) if "id" in reader.fields else ""
    return _Row(row.number, incident, year, source_id, reader.text[area])


def _row_alone(row: _Cells, parsed: list[_Row], rejected: list[Rejected], warnings: list[Rejected]) -> None:
    """One row read on its own: an incident (with its warnings) or a rejected row."""
    try:
        parsed.append(_row(row))
    except _RowError as exc:
        rejected.append(Rejected(row.number, exc.column, exc.value[:200], exc.reason, _year_of(row)))
        return
    warnings.extend(row.warnings)


def _dates(row: _Cells) -> tuple[dt.date, dt.date | None, Status]:
    """Start (required), end (left unknown, with a warning, when invalid) and status."""
    date = row.reader.date
    try:
        start, _ = date[row.raw("start")]
    except ValueError as exc:
        raise row.error("start", str(exc)) from None
    if start is None:
        raise row.error("start", "no start date")
    try:
        end, marker = date[row.raw("end")]
    except ValueError as exc:
        end, marker = None, "unknown"
        row.warn("end", f"{exc}; end left unknown")
    if end is not None and end < start:
        row.warn("end", f"ends before it starts ({start}); end left unknown")
        end, marker = None, "unknown"
    status: Status | None = row.reader.status[row.raw("status")] if row.reader.status is not None else None
    if status is None:
        status = "ongoing" if marker == "ongoing" else ("ended" if end is not None else "unknown")
    return start, end, status


class _CountryError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _countries(cell: str, without_code: frozenset[str]) -> tuple[Country, ...]:
    """The countries of a cell (each once); _CountryError naming the unknown one."""
    found: list[Country] = []
    for name in countries.split_countries(cell):
        country = countries.lookup(name)
        if country is None or not countries.is_known(country, without_code):
            raise _CountryError(
                f"unknown country {name!r}; if it is a territory without an ISO code, "
                "list it under countries_without_code in the settings"
            )
        if country not in found:
            found.append(country)
    if not found:
        raise _CountryError("no country")
    return tuple(found)


def _year(row: _Cells) -> int | None:
    """The counted year: the layout's year column, else the sheet's year (None: the start's)."""
    column = row.reader.layout.year_column
    if not column:
        return row.reader.default_year
    return row.reader.year[row.at(column)]  # type: ignore[no-any-return]


def _counted_year(column: str, cell: Any) -> int:
    raw = text(cell)
    if not re.fullmatch(r"\d{4}", raw):
        raise _RowError(column, raw, "counted year is not a four-digit year")
    return int(raw)


FLAGS = ("election", "violence", "hr-abuse")


def _flags(answers: tuple[Any, Any, Any]) -> dict[str, tuple[str, ...]]:
    """What the row's yes/no columns report with the shutdown (an election, violence, human-rights
    abuses) — ``flags``: the cells that say yes ("No", "Unknown" and empty cells do not) — and
    which of them it answers at all (``recorded``: any non-empty cell)."""
    cells = tuple(zip(FLAGS, answers, strict=True))
    return {
        "flags": tuple(name for name, cell in cells if _yes(cell)),
        "recorded": tuple(name for name, cell in cells if text(cell)),
    }


def _yes(cell: Any) -> bool:
    """True when a yes/no cell says yes (Yes, TRUE, 1, oui…)."""
    if cell is None or cell == "":
        return False
    if isinstance(cell, str):
        return cell.strip().casefold() in TRUE_CELLS
    return text(cell).casefold() in TRUE_CELLS


def _year_of(row: _Cells) -> int | None:
    """The counted year of a rejected row, when that much can be read."""
    try:
        year = _year(row)
        start, _ = parse_date(row.raw("start"), row.reader.layout.date_formats)
    except (_RowError, ValueError):
        return None
    return year if year is not None else (start.year if start else None)


def _listed_services(value: str) -> tuple[str, ...]:
    """The services a free-text cell lists (each once; "None", "Other"… are none)."""
    found: list[str] = []
    for extra in re.split(r"[;,]", value):
        extra = extra.strip()
        if extra and extra.casefold() not in NO_SERVICE and extra not in found:
            found.append(extra)
    return tuple(found)


def _services(row: _Cells) -> tuple[str, ...]:
    """The services blocked: yes/no columns, then the free-text list."""
    cells, reader = row.cells, row.reader
    services = reader.yes_columns[reader.service_cells(cells)]
    listed = reader.services_text[cells[reader.position["services_text"]]]
    if not services:
        return listed  # type: ignore[no-any-return]
    return services + tuple(extra for extra in listed if extra not in services)  # type: ignore[no-any-return]


def _yes_columns(services: list[tuple[int, str]], cells: tuple[Any, ...]) -> tuple[str, ...]:
    """The services whose yes/no cells say yes."""
    return tuple(name for (_, name), cell in zip(services, cells, strict=True) if _yes(cell))


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
    by_id = len(groups)  # the groups the source's own ids made: never split again (keep_apart)
    linked = identity.link_years([row.incident for row in rows if not row.source_id])
    groups.extend(linked)
    ids.extend(identity.content_ids(linked, layout.id_prefix))
    incidents = []
    reworded = []
    for n, (ident, members) in enumerate(zip(ids, groups, strict=True)):
        latest = members[-1]
        if len(members) == 1:  # most incidents: one row, whose years and row numbers it keeps
            # made by this read and seen nowhere else yet: it takes its id in place (a frozen
            # dataclass sets a field so), not in a copy of every incident
            object.__setattr__(latest, "id", ident)
            incidents.append(latest)
            continue
        incident = identity.joined(members, ident)
        incidents.append(incident if n >= by_id else replace(incident, parts=()))
        differences = _differences(members, areas)
        if differences:
            reworded.append(Linked(ident, incident.rows, incident.years, differences))
    countries: dict[int, list[str]] = {}  # by the tuple's identity: incidents of one cell share it

    def order(incident: Incident) -> tuple[dt.date, list[str], str]:
        keys = countries.get(id(incident.countries))
        if keys is None:
            keys = countries[id(incident.countries)] = [c.key for c in incident.countries]
        return incident.start, keys, incident.id

    incidents.sort(key=order)
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
