"""The soak's invariants, checked after every cycle against its own ground truth.

What the soak knows (never read back from the bot): the sheet it wrote (``Sheet``: every real
shutdown and the years it is counted in), what the editors did (``EditorRecord``), and what it has
seen on the pages so far (``Seen``: which real shutdown each bot id named when first seen, which id
each shutdown's row had on each page, which shutdowns a page has shown).  A bot row is traced to
its shutdown by its id when the soak saw the id before, else by the tag the soak put in the
row's description; a tag that later disagrees with the id's first shutdown is a violation.

    1  syncs: exit codes as documented, no traceback, the second sync makes no edit
    2  editors: paragraphs, hand rows, notes, corrected values and added references kept as written;
       a bot row an editor removed never comes back
    3  identity: an id names one real shutdown for life, a shutdown's row keeps its id on a page,
       no id twice on a page, each live shutdown exactly once on each page counting it
    4  figures: bot rows per page, the index page's and the statistics template's counts
    5  rows gone from the source follow list.missing (keep, mark or remove)
    6  talk pages: at most one note per row, field and source value
"""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import mwparserfromhell
from mwparserfromhell.nodes import Comment

from tests.soak_editors import EditorRecord, Templates, parse, region, row_templates
from tests.soak_source import Sheet
from tests.soak_wiki import SyncRun

TAG = re.compile(r"\(soak (R\d+)\)")
NOTE_MARKER = "keepiton-note"


@dataclass(frozen=True)
class Violation:
    """One broken promise, with where the soak saw it."""

    invariant: int
    where: str
    what: str

    def line(self) -> str:
        return f"[{self.invariant}] {self.where}: {self.what}"


@dataclass(frozen=True)
class PageRow:
    """A bot row (a row template with an id) as the page holds it."""

    id: str
    params: dict[str, str]


@dataclass(frozen=True)
class YearPage:
    """A year page as read after a cycle: its text, its region and the rows in it."""

    year: int
    title: str
    text: str
    span: tuple[int, int] | None  # where the region starts and ends in the text (characters)
    rows: tuple[PageRow, ...]
    region_text: str


def read_year_page(year: int, title: str, text: str, names: Templates) -> YearPage:
    """A year page, parsed as an editor's tool would (mwparserfromhell), not by the bot's code."""
    code = parse(text)
    found = region(code, names)
    if found is None:
        return YearPage(year, title, text, None, (), "")
    start = sum(len(str(n)) for n in code.nodes[: found[0]])
    end = start + sum(len(str(n)) for n in code.nodes[found[0] : found[1] + 1])
    rows = []
    for template in row_templates(code, names):
        params = {str(p.name).strip(): str(p.value).strip() for p in template.params}
        if params.get(names.id_param):
            rows.append(PageRow(params[names.id_param], params))
    return YearPage(year, title, text, (start, end), tuple(rows), text[start:end])


@dataclass
class Seen:
    """What the soak has seen on the pages so far (ids as first seen; the pages' shutdowns)."""

    ids: dict[str, str] = field(default_factory=dict)  # bot id -> real shutdown, first seen
    page_ids: dict[tuple[int, str], str] = field(default_factory=dict)  # (year, real) -> its row's id
    placed: dict[int, set[str]] = field(default_factory=dict)  # year -> shutdowns its page has shown

    def settle(self, sheet: Sheet) -> None:
        """After a cycle's syncs: every shutdown counted in a year has been on its page."""
        for year in sheet.years:
            self.placed.setdefault(year, set()).update(sheet.live(year))


def expected_rows(sheet: Sheet, record: EditorRecord, seen: Seen, missing: str, year: int) -> dict[str, str]:
    """The real shutdowns a year page must show, each once: 'live' (counted in the year) or
    'missing' (gone from the source, kept by list.missing keep or mark); none an editor removed."""
    live = sheet.live(year)
    rows = {real: "live" for real in live if (year, real) not in record.removed}
    if missing != "remove":
        for real in seen.placed.get(year, set()) - set(live):
            if (year, real) not in record.removed:
                rows[real] = "missing"
    return dict(sorted(rows.items(), key=lambda item: int(item[0][1:])))


def tag_of(row: PageRow, names: Templates) -> str | None:
    """The real shutdown named in a row's description (the soak's tag), if any."""
    found = TAG.findall(html.unescape(row.params.get(names.description, "")))
    return found[-1] if found else None


@dataclass(frozen=True)
class Figures:
    """The counts the wiki shows for a year: the index page's row and the statistics template."""

    index_shutdowns: str | None
    index_countries: str | None
    template_shutdowns: str
    template_countries: str


def check_syncs(
    fault: SyncRun | None, first: SyncRun, second: SyncRun, cold: SyncRun | None
) -> list[Violation]:
    """Invariant 1: the clean syncs exit 0, the second and the cold one make no edit; no traceback
    anywhere; a fault sync ends in 0 or 1 with one line naming the cause, never blaming the wiki for
    a local file."""
    found = []
    for run in [r for r in (fault, first, second, cold) if r is not None]:
        if run.traceback:
            found.append(
                Violation(1, run.name, "a traceback: " + _last_lines(run.stdout + run.stderr, "Traceback"))
            )
    for run in [r for r in (first, second, cold) if r is not None]:
        if run.code != 0:
            found.append(
                Violation(
                    1, run.name, f"exit {run.code}: {' | '.join(run.errors)[:400] or run.stderr[-300:]}"
                )
            )
    for run in [r for r in (second, cold) if r is not None]:
        if run.code == 0 and run.edits != 0:
            found.append(
                Violation(1, run.name, f"{run.edits} edits after a sync that ended well (expected 0)")
            )
    if fault is not None and not fault.killed:
        if fault.code not in (0, 1):
            found.append(
                Violation(
                    1, fault.name, f"exit {fault.code} under a fault (documented: 0, or 1 with one line)"
                )
            )
        elif fault.code == 1 and len(fault.errors) != 1:
            found.append(
                Violation(
                    1, fault.name, f"exit 1 with {len(fault.errors)} error lines: {fault.stderr[-300:]!r}"
                )
            )
    return found


def _last_lines(text: str, marker: str) -> str:
    at = text.rfind(marker)
    lines = text[at:].strip().splitlines()
    return " / ".join(lines[-2:])[:400]


def check_pages(
    sheet: Sheet,
    record: EditorRecord,
    seen: Seen,
    pages: dict[int, YearPage],
    names: Templates,
    missing: str,
    missing_value: str,
) -> list[Violation]:
    """Invariants 2 to 5 on the year pages (``seen`` learns the ids it had not seen)."""
    found: list[Violation] = []
    for year, page in pages.items():
        where = f"{year} page"
        if page.span is None:
            found.append(Violation(3, where, "no single bot region on the page"))
            continue
        found.extend(_identity(page, seen, names, where))
        by_real: dict[str, list[PageRow]] = defaultdict(list)
        for row in page.rows:
            real = seen.ids.get(row.id)
            if real is not None:
                by_real[real].append(row)
        expected = expected_rows(sheet, record, seen, missing, year)
        found.extend(_presence(year, by_real, expected, record, seen, missing, where))
        found.extend(_editors(page, by_real, expected, record, where))
        if missing == "mark":
            for real, state in expected.items():
                for row in by_real.get(real, []):
                    marked = row.params.get(names.missing) == missing_value
                    if marked != (state == "missing"):
                        what = (
                            "not marked although gone from the source"
                            if not marked
                            else "marked although in the source"
                        )
                        found.append(Violation(5, where, f"{real} (id={row.id}) {what}"))
        live, removed = (
            len(sheet.live(year)),
            sum(1 for y, r in record.removed if y == year and r in sheet.live(year)),
        )
        kept = sum(1 for state in expected.values() if state == "missing")
        if len(page.rows) != len(expected):
            found.append(
                Violation(
                    4,
                    where,
                    f"{len(page.rows)} bot rows; the truth says {len(expected)} "
                    f"({live} counted - {removed} removed by editors + {kept} gone from the source and kept)",
                )
            )
    return found


def _identity(page: YearPage, seen: Seen, names: Templates, where: str) -> list[Violation]:
    """Ids: none twice on the page; each traced to its real shutdown, which never changes."""
    found = []
    for ident, count in Counter(r.id for r in page.rows).items():
        if count > 1:
            found.append(Violation(3, where, f"id={ident} on {count} rows"))
    for row in page.rows:
        tag = tag_of(row, names)
        first = seen.ids.get(row.id)
        if first is None:
            if tag is None:
                found.append(
                    Violation(3, where, f"id={row.id}: a bot row the soak cannot trace to a shutdown")
                )
            else:
                seen.ids[row.id] = tag
        elif tag is not None and tag != first:
            found.append(
                Violation(3, where, f"id={row.id} named {first} when first seen; it now shows {tag}")
            )
    return found


def _presence(
    year: int,
    by_real: dict[str, list[PageRow]],
    expected: dict[str, str],
    record: EditorRecord,
    seen: Seen,
    missing: str,
    where: str,
) -> list[Violation]:
    """Each shutdown the page must show exactly once, under the id its row always had; nothing else."""
    found = []
    for real, rows in sorted(by_real.items(), key=lambda item: int(item[0][1:])):
        ids = ", ".join(r.id for r in rows)
        if real not in expected:
            if (year, real) in record.removed:
                removed_id = record.removed[(year, real)]
                again = (
                    "under the same id"
                    if removed_id in ids.split(", ")
                    else f"under a new id ({removed_id} before)"
                )
                found.append(
                    Violation(2, where, f"{real}: the row an editor removed is back {again}: id={ids}")
                )
            elif missing == "remove" and real in seen.placed.get(year, set()):
                found.append(
                    Violation(
                        5,
                        where,
                        f"{real} is gone from the source but its row stays (list.missing: remove): id={ids}",
                    )
                )
            else:
                found.append(Violation(3, where, f"{real} is not counted in {year} but has a row: id={ids}"))
            continue
        if len(rows) > 1:
            found.append(Violation(3, where, f"{real} ({expected[real]}) shown {len(rows)} times: id={ids}"))
        ident = rows[0].id
        before = seen.page_ids.setdefault((year, real), ident)
        if before != ident and len(rows) == 1:
            found.append(Violation(3, where, f"{real}'s row changed id: {before} -> {ident}"))
            seen.page_ids[(year, real)] = ident
    for key in [k for k in seen.page_ids if k[0] == year and k[1] not in expected and k[1] not in by_real]:
        if key not in record.removed:
            del seen.page_ids[key]  # its row is legitimately gone (list.missing: remove): a new one may come
    for real, state in expected.items():
        if real not in by_real:
            if state == "live":
                found.append(Violation(3, where, f"{real} is counted in {year} but has no row"))
            else:
                found.append(
                    Violation(
                        5, where, f"{real} is gone from the source and its row too (list.missing: {missing})"
                    )
                )
    return found


def _editors(
    page: YearPage,
    by_real: dict[str, list[PageRow]],
    expected: dict[str, str],
    record: EditorRecord,
    where: str,
) -> list[Violation]:
    """What editors wrote on the page is there as they wrote it."""
    found = []
    start, end = page.span or (0, 0)
    for year, text in record.paragraphs:
        if year == page.year:
            at = page.text.find(text)
            if at < 0:
                found.append(Violation(2, where, f"an editor's paragraph is gone: {text[:60]!r}"))
            elif start <= at < end:
                found.append(
                    Violation(2, where, f"an editor's paragraph moved into the region: {text[:60]!r}")
                )
    for year, text in record.hand_rows:
        if year == page.year and text not in page.region_text:
            found.append(Violation(2, where, f"an editor's row without id is gone or changed: {text[:80]!r}"))
    for kept in record.kept.values():
        if kept.year != page.year or kept.real not in expected or kept.real not in by_real:
            continue  # a shutdown whose row is legitimately gone, or already reported missing
        row = by_real[kept.real][0]
        now = row.params.get(kept.param)
        if now != kept.value:
            what = {
                "note": "parameter the bot does not own",
                "ref": "reference added",
                "correct": "corrected value",
            }
            found.append(
                Violation(
                    2,
                    where,
                    f"{kept.real} (id={row.id}): an editor's {what[kept.kind]} in {kept.param}= "
                    f"is not kept: wrote {kept.value[-70:]!r}, the page has {(now or '')[-70:]!r}",
                )
            )
    return found


def check_figures(sheet: Sheet, figures: dict[int, Figures]) -> list[Violation]:
    """Invariant 4: the index page and the statistics template count what the truth counts."""
    found = []
    for year, shown in figures.items():
        shutdowns, countries = str(len(sheet.live(year))), str(len(sheet.countries(year)))
        pairs = (
            ("index page shutdowns", shown.index_shutdowns, shutdowns),
            ("index page countries", shown.index_countries, countries),
            ("statistics template shutdowns", shown.template_shutdowns, shutdowns),
            ("statistics template countries", shown.template_countries, countries),
        )
        for what, value, truth in pairs:
            if (value or "").strip() != truth:
                found.append(Violation(4, f"{year} figures", f"{what}: {value!r}, the truth counts {truth}"))
    return found


def check_talk(talks: dict[int, str]) -> list[Violation]:
    """Invariant 6: no talk page notes a row, field and source value twice."""
    found = []
    for year, text in talks.items():
        keys: Counter[str] = Counter()
        for comment in mwparserfromhell.parse(text, skip_style_tags=True).filter(forcetype=Comment):
            words = str(comment.contents).split()
            if len(words) == 2 and words[0] == NOTE_MARKER:
                keys[words[1]] += 1
        for key, count in keys.items():
            if count > 1:
                found.append(Violation(6, f"{year} talk page", f"the note {key} is there {count} times"))
    return found
