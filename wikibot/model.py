"""Records that flow through the bot: frozen dataclasses, no I/O."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

Status = Literal["ended", "ongoing", "unknown"]
Scope = Literal["local", "regional", "national", "unknown"]


@dataclass(frozen=True, order=True)
class Country:
    """A country or territory: ISO 3166-1 alpha-2 code where one exists, and the source's name."""

    code: str | None
    name: str

    @property
    def key(self) -> str:
        """The code, or the name for entities without one (Somaliland)."""
        return self.code or self.name


@dataclass(frozen=True)
class Incident:
    """One Internet shutdown, normalized from one or more source rows."""

    id: str
    countries: tuple[Country, ...]
    start: dt.date
    end: dt.date | None = None
    status: Status = "unknown"
    scope: Scope = "unknown"
    types: tuple[str, ...] = ()  # "shutdown", "throttling"
    extents: tuple[str, ...] = ()  # "full-network", "service-based"
    networks: tuple[str, ...] = ()  # "mobile", "broadband"
    services: tuple[str, ...] = ()
    justification: str = ""
    cause: str = ""
    ordered_by: str = ""
    area: str = ""
    description: str = ""
    sources: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    rows: tuple[int, ...] = field(default=(), compare=False)
    decision_maker: str = ""  # who decided, as the source names it (not shown: used by the statistics)
    flags: tuple[str, ...] = ()  # what the data reports with it: "election", "violence", "hr-abuse"
    recorded: tuple[str, ...] = ()  # which of those the row answers at all (yes, no or unknown)
    # the rows of several counted years it was joined from, one incident each (oldest year first)
    parts: tuple[Incident, ...] = field(default=(), compare=False, repr=False)

    @property
    def duration_days(self) -> int | None:
        """Days from start to end, both included (Access Now's convention); None while open."""
        if self.end is None:
            return None
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class Rejected:
    """A source row that could not become an incident, and why."""

    row: int
    column: str
    value: str
    reason: str
    year: int | None = None  # the year the row is counted in, when that much could be read


@dataclass(frozen=True)
class Linked:
    """Rows of several counted years joined into one incident although they were worded differently."""

    id: str
    rows: tuple[int, ...]
    years: tuple[int, ...]
    differences: tuple[tuple[str, tuple[str, ...]], ...]  # field → its values, oldest year first

    def report(self) -> dict[str, object]:
        """As a run report entry."""
        return {
            "id": self.id,
            "rows": list(self.rows),
            "years": list(self.years),
            "differences": {name: list(values) for name, values in self.differences},
        }


@dataclass(frozen=True)
class UnknownTerm:
    """A value of a controlled field (cause, justification, ordered by) that no vocabulary key names."""

    field: str
    value: str
    rows: tuple[int, ...]

    def report(self) -> dict[str, object]:
        """As a run report entry."""
        return {"field": self.field, "value": self.value, "rows": list(self.rows)}


@dataclass(frozen=True)
class YearCount:
    """Incidents and distinct countries counted in one year."""

    incidents: int
    countries: int


@dataclass(frozen=True)
class SourceResult:
    """What one read of a source gave: incidents, rejected rows and where it came from."""

    location: str
    layout: str
    rows: int
    incidents: tuple[Incident, ...]
    rejected: tuple[Rejected, ...]
    version: str = ""  # ETag / Last-Modified / file digest: identifies the data read
    warnings: tuple[Rejected, ...] = ()  # rows kept with a field left empty (an invalid end date)
    as_of: str = ""  # YYYY-MM-DD of the data read (Last-Modified, file date)
    linked: tuple[Linked, ...] = ()  # reworded rows of several years joined into one incident
    unknown_terms: tuple[UnknownTerm, ...] = ()  # controlled-field values shown as written
    digest: str = ""  # what the incidents were computed from (bytes, reading, code); '' if unknown

    def by_year(self) -> dict[int, YearCount]:
        """Incidents and countries per counted year (multi-country incidents count each country)."""
        incidents: dict[int, int] = {}
        countries: dict[int, set[str]] = {}
        for incident in self.incidents:
            for year in incident.years:
                incidents[year] = incidents.get(year, 0) + 1
                countries.setdefault(year, set()).update(c.key for c in incident.countries)
        return {y: YearCount(incidents[y], len(countries[y])) for y in sorted(incidents)}

    def report(self) -> dict[str, object]:
        """The ``source`` object of every run report."""
        return {
            "location": self.location,
            "layout": self.layout,
            "version": self.version,
            "as_of": self.as_of,
            "rows": self.rows,
            "incidents": len(self.incidents),
            "rejected": [
                {"row": r.row, "column": r.column, "value": r.value, "reason": r.reason}
                for r in self.rejected
            ],
            "warnings": [
                {"row": r.row, "column": r.column, "value": r.value, "reason": r.reason}
                for r in self.warnings
            ],
            "by_year": {
                str(y): {"incidents": c.incidents, "countries": c.countries}
                for y, c in self.by_year().items()
            },
            "linked_across_years": [group.report() for group in self.linked],
            "unknown_terms": [term.report() for term in self.unknown_terms],
        }
