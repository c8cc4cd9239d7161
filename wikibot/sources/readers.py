"""Read a source into a table of cells: CSV, XLSX (openpyxl), JSON, from a path or an HTTP(S) URL.

A table is a list of rows, each a list of cells (str, int, float, bool, date, datetime or None);
the header is found later (layouts.py), so leading note rows are kept here.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wikibot.errors import SourceError

DEFAULT_MAX_BYTES = 50 * 1024 * 1024  # a source larger than this is refused
Cell = Any
Table = list[list[Cell]]


@dataclass(frozen=True)
class RawSource:
    """The bytes of a source, where they came from and what identifies this version."""

    location: str
    data: bytes
    kind: str  # "csv", "xlsx" or "json"
    version: str
    sheet_hint: str = ""  # a name whose year may say which year the rows count in
    as_of: str = ""  # YYYY-MM-DD: Last-Modified of a URL, modification date of a file
    sha256: str = ""  # hex digest of the data, when the reader computed it already

    def data_digest(self) -> str:
        """The SHA-256 hex digest of the data (computed once by the reader of a file)."""
        return self.sha256 or hashlib.sha256(self.data).hexdigest()


def kind_of(location: str, content_type: str = "", data: bytes = b"") -> str:
    """Guess csv / xlsx / json from the content, the media type and the name."""
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    lowered = location.lower().split("?")[0]
    ctype = content_type.lower()
    if "spreadsheetml" in ctype or lowered.endswith((".xlsx", ".xlsm")):
        return "xlsx"
    if "json" in ctype or lowered.endswith(".json"):
        return "json"
    if "format=xlsx" in location:
        return "xlsx"
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if stripped in (b"[", b"{") and not lowered.endswith((".csv", ".tsv")):
        return "json"
    return "csv"


def read_path(path: Path) -> RawSource:
    """Read a local file."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(f"source {path}: no such file; check -source:PATH") from None
    except IsADirectoryError:
        raise SourceError(f"source {path}: is a folder, not a file; name a CSV, XLSX or JSON file") from None
    except OSError as exc:
        raise SourceError(f"source {path}: cannot be read ({exc.strerror})") from None
    sha256 = hashlib.sha256(data).hexdigest()
    as_of = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).date().isoformat()
    return RawSource(
        str(path), data, kind_of(path.name, data=data), f"sha256:{sha256[:16]}", path.stem, as_of, sha256
    )


def decode_text(raw: RawSource) -> str:
    """UTF-8 text with or without BOM; anything else is a SourceError naming the byte offset."""
    try:
        return raw.data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"source {raw.location}: not UTF-8 text (byte {exc.start}); export it as UTF-8 CSV"
        ) from None


def read_csv(raw: RawSource) -> Table:
    """Rows of a CSV file; the delimiter (, ; tab) is the one that splits the first records most evenly."""
    text = decode_text(raw)
    if "\x00" in text:
        raise SourceError(f"source {raw.location}: binary data, not CSV text; check the file")
    csv.field_size_limit(10_000_000)
    delimiter = _delimiter(text)
    try:
        return list(csv.reader(_lines(text), delimiter=delimiter))
    except csv.Error as exc:
        raise SourceError(f"source {raw.location}: malformed CSV ({exc}); check the file") from None


def _lines(text: str) -> Iterable[str]:
    """The text's lines as a file opened with ``newline=""`` gives them (ends kept: \\n, \\r\\n, \\r).

    ``str.splitlines`` splits there too, without a stream's copy of the whole text (four bytes a
    character), but also at a few rarer separators (\\x0b, \\x0c, \\x1c-\\x1e, \\x85, U+2028/9):
    a text that has one in a line is read as a stream.
    """
    lines = text.splitlines(keepends=True)
    if all(line[-1] in "\r\n" for line in lines[:-1]):
        return lines
    return io.StringIO(text, newline="")


def _delimiter(text: str, records: int = 8) -> str:
    """The delimiter whose first records (quoted fields may span lines) have the most fields, most alike.

    Read from the start of the text only, grown until it holds a record past the first ones
    (so they are whole): a large sheet is not copied three times to look at eight lines.
    """
    size = 1 << 16
    while True:
        sample = text[:size]
        whole = len(sample) == len(text)
        best, score = ",", (0, 0)
        for candidate in (",", ";", "\t"):
            try:
                reader = csv.reader(io.StringIO(sample, newline=""), delimiter=candidate)
                rows = [row for _, row in zip(range(records + 1), reader, strict=False)]
            except csv.Error:
                if not whole:
                    break  # maybe a record cut by the sample's end: read more
                continue
            if len(rows) <= records and not whole:
                break
            widths = [len(row) for row in rows[:records] if any(row)]
            if not widths:
                continue
            common = max(set(widths), key=widths.count)
            candidate_score = (widths.count(common) if common > 1 else 0, common)
            if candidate_score > score:
                best, score = candidate, candidate_score
        else:
            return best
        size *= 4


def _workbook(raw: RawSource) -> Any:
    import openpyxl

    try:
        return openpyxl.load_workbook(io.BytesIO(raw.data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SourceError(f"source {raw.location}: not a readable XLSX workbook ({exc})") from None


def read_xlsx(raw: RawSource, sheet: str | None) -> tuple[Table, str]:
    """Rows of one sheet (by name, trimmed and case-insensitive; the first sheet if None)."""
    book = _workbook(raw)
    names = list(book.sheetnames)
    if sheet is None:
        chosen = names[0]
    else:
        matches = [n for n in names if n.strip().casefold() == sheet.strip().casefold()]
        if not matches:
            raise SourceError(
                f"source {raw.location}: no sheet named {sheet!r}; sheets: {', '.join(map(repr, names))}"
            )
        chosen = matches[0]
    rows = [list(r) for r in book[chosen].iter_rows(values_only=True)]
    book.close()
    return rows, chosen


def read_json(raw: RawSource) -> Table:
    """A JSON list of objects (or {"rows": [...]}) as a table whose first row is the keys."""
    try:
        data = json.loads(decode_text(raw))
    except json.JSONDecodeError as exc:
        raise SourceError(f"source {raw.location}: invalid JSON at line {exc.lineno}: {exc.msg}") from None
    if isinstance(data, dict):
        data = data.get("rows", data.get("incidents", data.get("data")))
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise SourceError(f'source {raw.location}: JSON must be a list of objects (or {{"rows": [...]}})')
    header: list[str] = []
    for item in data:
        header.extend(k for k in item if k not in header)
    return [header, *[[_cell(item.get(k)) for k in header] for item in data]]


def _cell(value: object) -> object:
    """A JSON value as a cell: a list or an object as its JSON text (every cell a plain value)."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else value


def read_table(raw: RawSource, sheet: str | None = None) -> tuple[Table, str]:
    """The table of a source and the name of the sheet read ('' for CSV and JSON)."""
    if sheet and raw.kind != "xlsx":
        raise SourceError(f"source {raw.location}: -sheet applies to XLSX workbooks only")
    if raw.kind == "xlsx":
        return read_xlsx(raw, sheet)
    if raw.kind == "json":
        return read_json(raw), ""
    return read_csv(raw), ""
