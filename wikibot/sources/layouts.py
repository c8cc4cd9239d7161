"""Column layouts: which source column holds which incident field (``data/layouts.yaml``).

Settings may name a shipped layout or give one of their own with the same keys, so a source
such as IODA's outage CSV is read without code.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from wikibot import yamlfile
from wikibot.errors import SettingsError, SourceError

FIELDS = (
    "id",
    "start",
    "end",
    "country",
    "status",
    "scope",
    "area",
    "type",
    "extent",
    "network",
    "justification",
    "cause",
    "ordered_by",
    "decision_maker",
    "sources",
    "description",
    "services_text",
    "election",
    "violence",
    "hr_abuse",
)
REQUIRED = ("start", "country")
HEADER_SEARCH_ROWS = 15


def header_key(cell: object) -> str:
    """A header cell compared trimmed, case-insensitive, with inner spaces collapsed."""
    return " ".join(str(cell).split()).casefold() if cell is not None else ""


@dataclass(frozen=True)
class Layout:
    """Where each field is in a source's columns."""

    name: str
    title: str = ""
    detect: tuple[str, ...] = ()
    columns: dict[str, str] = field(default_factory=dict)
    services: dict[str, str] = field(default_factory=dict)
    year_column: str | None = None
    year: int | None = None  # a fixed counted year for every row
    date_formats: tuple[str, ...] = ()
    id_prefix: str = "kio-"

    def column(self, name: str) -> str | None:
        """The header key of the column that holds a field, if mapped."""
        value = self.columns.get(name)
        return header_key(value) if value else None


def layout_from_mapping(name: str, data: object, where: str) -> Layout:
    """Build a Layout from a YAML mapping; a wrong key or type is a SettingsError naming it."""
    if not isinstance(data, dict):
        raise SettingsError(f"{where}: layout {name!r} must be a mapping")
    known = {"title", "detect", "columns", "services", "year", "date_formats", "id_prefix"}
    unknown = set(data) - known
    if unknown:
        raise SettingsError.unknown_keys(unknown, known, f"{where}: layout {name!r}")
    columns = data.get("columns") or {}
    if not isinstance(columns, dict) or not all(isinstance(v, str) for v in columns.values()):
        raise SettingsError(f"{where}: layout {name!r}: 'columns' must map field names to column names")
    bad = set(columns) - set(FIELDS)
    if bad:
        raise SettingsError.unknown_keys(bad, FIELDS, f"{where}: layout {name!r}: columns")
    missing = [f for f in REQUIRED if f not in columns]
    if missing:
        raise SettingsError(f"{where}: layout {name!r}: 'columns' must map {', '.join(missing)}")
    services = data.get("services") or {}
    if not isinstance(services, dict):
        raise SettingsError(f"{where}: layout {name!r}: 'services' must map columns to service names")
    year = data.get("year") or {"from": "sheet"}
    year_column: str | None = None
    fixed: int | None = None
    if isinstance(year, int):
        fixed = year
    elif isinstance(year, dict) and "column" in year:
        year_column = header_key(year["column"])
    elif not (isinstance(year, dict) and year.get("from") == "sheet"):
        raise SettingsError(
            f"{where}: layout {name!r}: 'year' must be a year, {{column: NAME}} or {{from: sheet}}"
        )
    detect = data.get("detect") or [columns[f] for f in REQUIRED]
    formats = data.get("date_formats") or ()
    if not isinstance(formats, list | tuple) or not all(isinstance(f, str) for f in formats):
        raise SettingsError(f"{where}: layout {name!r}: 'date_formats' must be a list of strptime formats")
    return Layout(
        name=name,
        title=str(data.get("title", name)),
        detect=tuple(header_key(c) for c in detect),
        columns={k: str(v) for k, v in columns.items()},
        services={header_key(k): str(v) for k, v in services.items()},
        year_column=year_column,
        year=fixed,
        date_formats=tuple(formats),
        id_prefix=str(data.get("id_prefix", "kio-")),
    )


@functools.cache
def shipped() -> dict[str, Layout]:
    """The layouts shipped with the bot, by name."""
    text = resources.files("wikibot").joinpath("data/layouts.yaml").read_text("utf-8")
    data: dict[str, Any] = yamlfile.load(text)
    return {name: layout_from_mapping(name, spec, "wikibot/data/layouts.yaml") for name, spec in data.items()}


def find_header(rows: list[list[Any]], layouts: list[Layout], location: str) -> tuple[int, Layout]:
    """The header row's index and the layout whose detect columns it holds (the most specific)."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        keys = {header_key(c) for c in row}
        fits = [lay for lay in layouts if set(lay.detect) <= keys]
        if fits:
            return index, max(fits, key=lambda lay: len(lay.detect))
    if not rows:
        raise SourceError(f"source {location}: empty; nothing to read")
    names = ", ".join(lay.name for lay in layouts)
    first = next((r for r in rows[:HEADER_SEARCH_ROWS] if any(c not in (None, "") for c in r)), [])
    seen = ", ".join(repr(str(c).strip()) for c in first[:8] if c not in (None, ""))
    raise SourceError(
        f"source {location}: no header row of a known layout ({names}) in the first "
        f"{HEADER_SEARCH_ROWS} rows (first row: {seen or 'empty'}); map the columns in the settings"
    )
