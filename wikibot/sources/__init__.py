"""Data sources: read a path or URL, find the layout, normalize rows into incidents.

read_source(SourceSpec(...)) -> SourceResult
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path

from wikibot.model import SourceResult
from wikibot.sources.layouts import Layout, find_header, shipped
from wikibot.sources.normalize import normalize
from wikibot.sources.readers import DEFAULT_MAX_BYTES, RawSource, read_path, read_table
from wikibot.text import squash


@dataclass(frozen=True)
class SourceSpec:
    """Where the data is and how to read it (from the settings and the command line)."""

    location: str
    sheet: str | None = None
    layout: Layout | None = None  # None: detect among the shipped layouts
    countries_without_code: frozenset[str] = field(default_factory=frozenset)
    cache_dir: Path = Path(".cache/http")
    max_bytes: int = DEFAULT_MAX_BYTES


def fetch(spec: SourceSpec) -> tuple[RawSource, bool]:
    """The raw bytes of the source and whether an HTTP cache answered (304)."""
    if spec.location.lower().startswith(("http://", "https://")):
        from wikibot.sources import http  # requests and CacheControl load only for a URL

        return http.fetch(spec.location, spec.cache_dir, spec.max_bytes)
    return read_path(Path(spec.location)), False


def parse(raw: RawSource, spec: SourceSpec) -> SourceResult:
    """Normalize fetched bytes into a SourceResult."""
    table, sheet = read_table(raw, spec.sheet)
    layouts = [spec.layout] if spec.layout else list(shipped().values())
    header_index, layout = find_header(table, layouts, raw.location)
    result = normalize(
        table,
        header_index,
        layout,
        raw.location,
        sheet_hint=sheet or raw.sheet_hint,
        without_code=frozenset(squash(n) for n in spec.countries_without_code),
    )
    location = f"{raw.location} [{sheet}]" if sheet else raw.location
    return SourceResult(
        location,
        layout.name,
        result.rows,
        result.incidents,
        result.rejected,
        raw.version,
        result.warnings,
        raw.as_of,
        result.linked,
        result.unknown_terms,
    )


def read_source(spec: SourceSpec) -> SourceResult:
    """Fetch and normalize a source."""
    raw, _ = fetch(spec)
    return read_raw(raw, spec)


def read_raw(raw: RawSource, spec: SourceSpec) -> SourceResult:
    """Normalize fetched bytes (``digest``: what they are, see ``source_digest``)."""
    return replace(parse(raw, spec), digest=source_digest(raw, spec))


def source_digest(raw: RawSource, spec: SourceSpec) -> str:
    """What the incidents are computed from: the bytes and how they are read."""
    reading = repr(
        (raw.location, raw.kind, raw.sheet_hint, spec.sheet, spec.layout, sorted(spec.countries_without_code))
    )
    digest = hashlib.sha256(raw.data_digest().encode())
    digest.update(reading.encode())
    return digest.hexdigest()[:32]
