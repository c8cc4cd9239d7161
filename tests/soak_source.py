"""The soak's source: the real shutdowns it puts in the sheet and how Access Now's sheet evolves (pure).

Every row carries the real shutdown it describes (``SourceRow.real``, "R12"), an identity the soak
gives it and keeps through its own evolutions: a start date moved by a day, an area respelled or
reworded, the countries of a cell reordered are the *same* real shutdown.  The sheet written for
the bot tags each row's description with it (`` (soak R12)``), so that a row on a page can be
traced back to the shutdown it shows without asking the bot anything.

The first grouping of the real sheet (which rows of different counted years are one shutdown) is
the soak's own reading of the data: the same countries, start date and area; then an ongoing
shutdown whose area was reworded in a later year (the same countries and start date, the only
candidate on both sides, the earlier row not ended or sharing a link or the description with the
later one).  On the combined sheet this reading and the bot's agree on every row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

TAG = "(soak {real})"
NATIONWIDE = ("Nationwide", "National", "Entire country")
ACCENTS = {"a": "á", "e": "é", "i": "í", "o": "ó", "u": "ú", "A": "Á", "E": "É"}
EVOLUTIONS = (
    "shuffle",
    "reword_carried_over",
    "move_start",
    "respell_area",
    "reorder_countries",
    "twin",
    "new",
    "end_ongoing",
    "remove_row",
    "carry_over",
)


@dataclass
class SourceRow:
    """One row of the sheet: the real shutdown it describes and its cells (as the CSV has them)."""

    real: str
    cells: dict[str, str]

    @property
    def year(self) -> int:
        return int(self.cells["count_year"])

    @property
    def start(self) -> dt.date:
        return dt.date.fromisoformat(self.cells["start_date"])

    @property
    def countries(self) -> list[str]:
        return [c.strip() for c in self.cells["country"].split(";") if c.strip()]

    @property
    def ongoing(self) -> bool:
        return self.cells["shutdown_status"].strip().casefold() == "ongoing"

    @property
    def open_ended(self) -> bool:
        """Not ended by what the row says: ongoing, or unknown without an end date."""
        status = self.cells["shutdown_status"].strip().casefold()
        return status in ("ongoing", "unknown", "") and not self.cells["end_date"].strip()


@dataclass(frozen=True)
class Evolution:
    """One change of the sheet, as the soak prints and logs it."""

    kind: str
    real: str
    detail: str

    def line(self) -> str:
        return f"source {self.kind}{' ' + self.real if self.real else ''}: {self.detail}"


def read_years(path: Path, years: str) -> tuple[list[str], list[dict[str, str]], list[int]]:
    """The sheet's header, the rows counted in the chosen years ('2023-2025', '2024', 'all';
    '' = the three latest), and those years."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or [])
        rows = list(reader)
    present = sorted({int(r["count_year"]) for r in rows if r["count_year"].strip().isdigit()})
    if years == "all":
        chosen = present
    elif years:
        first, _, last = years.partition("-")
        chosen = [y for y in present if int(first) <= y <= int(last or first)]
    else:
        chosen = present[-3:]
    if not chosen:
        raise ValueError(f"no rows counted in {years!r} (the sheet has {present[0]}-{present[-1]})")
    return (
        header,
        [r for r in rows if r["count_year"].strip().isdigit() and int(r["count_year"]) in chosen],
        chosen,
    )


def first_reading(rows: list[dict[str, str]]) -> list[SourceRow]:
    """The real sheet's rows, each given its real shutdown (see the module docstring)."""

    def countries(row: dict[str, str]) -> tuple[str, ...]:
        return tuple(sorted(c.strip() for c in row["country"].split(";") if c.strip()))

    def area(row: dict[str, str]) -> str:
        name = row["area_name"].strip().casefold()
        return "nationwide" if name in {w.casefold() for w in NATIONWIDE} else name

    by_key: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for n, row in enumerate(rows):
        by_key[(countries(row), row["start_date"], area(row))].append(n)
    chains: list[list[int]] = []
    for members in by_key.values():
        chains.extend(_chains(rows, members))

    # an ongoing shutdown reworded in a later year: the only candidate chain on each side
    def years(chain: list[int]) -> list[int]:
        return sorted(int(rows[i]["count_year"]) for i in chain)

    def follows(earlier: list[int], later: list[int]) -> bool:
        last = rows[max(earlier, key=lambda i: int(rows[i]["count_year"]))]
        first = rows[min(later, key=lambda i: int(rows[i]["count_year"]))]
        shared = set(last["info_source_link"].replace(";", " ").split()) & set(
            first["info_source_link"].replace(";", " ").split()
        ) or (last["event"].strip() and last["event"] == first["event"])
        return (
            countries(last) == countries(first)
            and last["start_date"] == first["start_date"]
            and years(earlier)[-1] < years(later)[0]
            and (last["shutdown_status"].strip().casefold() != "ended" or bool(shared))
        )

    by_start: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for number, chain in enumerate(chains):
        by_start[(countries(rows[chain[0]]), rows[chain[0]]["start_date"])].append(number)
    merged = {n: list(chain) for n, chain in enumerate(chains)}
    owner = {n: n for n in merged}  # the chain each one was joined to (A -> B -> C: all A's)
    for group in by_start.values():
        for a in group:
            later = [b for b in group if follows(chains[a], chains[b])]
            if len(later) == 1 and [x for x in group if follows(chains[x], chains[later[0]])] == [a]:
                merged[owner[a]] += merged.pop(later[0])
                owner[later[0]] = owner[a]
    joined = list(merged.values())
    reals = {}
    for number, chain in enumerate(sorted(joined, key=min), start=1):
        for index in chain:
            reals[index] = f"R{number}"
    return [SourceRow(reals[n], dict(row)) for n, row in enumerate(rows)]


def _chains(rows: list[dict[str, str]], members: list[int]) -> list[list[int]]:
    """Rows sharing countries, start and area: one chain per shutdown, one row per counted year
    (two rows of one year are two shutdowns; a later row joins the earlier one it shares the most
    with: links, description, an ongoing status)."""
    chains: list[list[int]] = []
    for index in sorted(members, key=lambda i: int(rows[i]["count_year"])):
        year = int(rows[index]["count_year"])

        def affinity(chain: list[int], index: int = index) -> tuple[int, int, int]:
            last = rows[chain[-1]]
            links = set(last["info_source_link"].split()) & set(rows[index]["info_source_link"].split())
            same_text = int(bool(last["event"]) and last["event"] == rows[index]["event"])
            return (len(links), same_text, int(last["shutdown_status"].strip().casefold() == "ongoing"))

        open_chains = [c for c in chains if int(rows[c[-1]]["count_year"]) < year]
        if open_chains:
            max(open_chains, key=affinity).append(index)
        else:
            chains.append([index])
    return chains


class Sheet:
    """The source the soak feeds the bot, and every evolution it may undergo."""

    def __init__(self, header: list[str], rows: list[SourceRow], years: list[int]) -> None:
        self.header = header
        self.rows = rows
        self.years = years
        self.next_real = 1 + max(int(r.real[1:]) for r in rows)
        self.next_number = 1  # for made-up text: areas, links, descriptions
        self.countries_pool = sorted({c for r in rows for c in r.countries})

    # ---------------------------------------------------------------- what the source says

    def of(self, real: str) -> list[SourceRow]:
        """A real shutdown's rows, oldest counted year first."""
        return sorted((r for r in self.rows if r.real == real), key=lambda r: r.year)

    def reals(self) -> list[str]:
        """Every real shutdown in the source, in a stable order."""
        return sorted({r.real for r in self.rows}, key=lambda real: int(real[1:]))

    def live(self, year: int) -> dict[str, SourceRow]:
        """The real shutdowns counted in a year (one row each)."""
        found: dict[str, SourceRow] = {}
        for row in self.rows:
            if row.year == year:
                assert row.real not in found, f"{row.real} twice in {year}: the soak broke its own truth"
                found[row.real] = row
        return found

    def countries(self, year: int) -> set[str]:
        """The countries named in a year's rows (multi-country cells split)."""
        return {c for row in self.live(year).values() for c in row.countries}

    def csv_bytes(self) -> bytes:
        """The sheet as the bot reads it: the rows in their order, each description tagged."""
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=self.header, lineterminator="\n")
        writer.writeheader()
        for row in self.rows:
            cells = dict(row.cells)
            cells["event"] = f"{cells['event']} {TAG.format(real=row.real)}".strip()
            writer.writerow(cells)
        return out.getvalue().encode("utf-8")

    # ---------------------------------------------------------------- evolutions

    def evolve(self, kind: str, rng: random.Random, hunted: set[str]) -> Evolution | None:
        """Apply one evolution (None when nothing in the sheet allows it)."""
        method: Callable[[random.Random, set[str]], Evolution | None] = getattr(self, kind)
        return method(rng, hunted)

    def _pick(self, rng: random.Random, candidates: Iterable[str], hunted: set[str]) -> str | None:
        """A real shutdown among candidates, most often one an editor worked on (the case to hunt)."""
        pool = sorted(set(candidates), key=lambda real: int(real[1:]))
        if not pool:
            return None
        preferred = [real for real in pool if real in hunted]
        if preferred and rng.random() < 0.7:
            return rng.choice(preferred)
        return rng.choice(pool)

    def _number(self) -> int:
        self.next_number += 1
        return self.next_number - 1

    def _new_real(self) -> str:
        self.next_real += 1
        return f"R{self.next_real - 1}"

    def shuffle(self, rng: random.Random, hunted: set[str]) -> Evolution:
        rng.shuffle(self.rows)
        return Evolution("shuffle", "", f"{len(self.rows)} rows")

    def reword_carried_over(self, rng: random.Random, hunted: set[str]) -> Evolution | None:
        """An ongoing shutdown's area reworded in a later year's carry-over row."""
        candidates = [
            rows[-1].real
            for rows in map(self.of, self.reals())
            if len(rows) > 1 and rows[-2].open_ended and rows[-1].cells["area_name"].strip()
        ]
        real = self._pick(rng, candidates, hunted)
        if real is None:
            return None
        row = self.of(real)[-1]
        old = row.cells["area_name"].strip()
        if old in NATIONWIDE:
            new = rng.choice([w for w in NATIONWIDE if w != old])
        else:
            new = rng.choice(
                [f"{old} and surrounding areas", f"Several localities in {old}", f"{old} (several districts)"]
            )
        row.cells["area_name"] = new
        return Evolution("reword_carried_over", real, f"{row.year}: area {old!r} -> {new!r}")

    def move_start(self, rng: random.Random, hunted: set[str]) -> Evolution | None:
        """A start date corrected by a day, on every row of the shutdown."""

        def movable(real: str, delta: int) -> bool:
            for row in self.of(real):
                new = row.start + dt.timedelta(days=delta)
                end = row.cells["end_date"].strip()
                if new.year != row.start.year or (end and dt.date.fromisoformat(end) < new):
                    return False
            return True

        delta = rng.choice((-1, 1))
        real = self._pick(rng, [r for r in self.reals() if movable(r, delta)], hunted)
        if real is None:
            return None
        rows = self.of(real)
        old = rows[0].cells["start_date"]
        for row in rows:
            row.cells["start_date"] = (row.start + dt.timedelta(days=delta)).isoformat()
        return Evolution("move_start", real, f"start {old} -> {rows[0].cells['start_date']}")

    def respell_area(self, rng: random.Random, hunted: set[str]) -> Evolution | None:
        """An area respelled: one letter changed or accented, on every row that spells it so."""
        candidates = [
            r.real
            for r in self.rows
            if sum(ch.isalpha() for ch in r.cells["area_name"]) >= 5
            and r.cells["area_name"].strip() not in NATIONWIDE
        ]
        real = self._pick(rng, candidates, hunted)
        if real is None:
            return None
        old = self.of(real)[-1].cells["area_name"]
        if sum(ch.isalpha() for ch in old) < 5:
            old = next(
                r.cells["area_name"]
                for r in self.of(real)
                if sum(ch.isalpha() for ch in r.cells["area_name"]) >= 5
            )
        letters = [i for i, ch in enumerate(old) if ch.isalpha()]
        at = rng.choice(letters[1:])
        char = old[at]
        if char in ACCENTS and rng.random() < 0.5:
            swapped = ACCENTS[char]
        else:
            swapped = rng.choice([c for c in "abcdefghijklmnopqrstuvwxyz" if c != char.lower()])
            swapped = swapped.upper() if char.isupper() else swapped
        new = old[:at] + swapped + old[at + 1 :]
        for row in self.of(real):
            if row.cells["area_name"] == old:
                row.cells["area_name"] = new
        return Evolution("respell_area", real, f"area {old!r} -> {new!r}")

    def reorder_countries(self, rng: random.Random, hunted: set[str]) -> Evolution | None:
        """The countries of a multi-country cell in another order, on every row of the shutdown."""
        real = self._pick(rng, [r.real for r in self.rows if len(r.countries) > 1], hunted)
        if real is None:
            return None
        rows = self.of(real)
        names = rows[-1].countries
        order = names[:]
        while order == names:
            rng.shuffle(order)
        for row in rows:
            row.cells["country"] = "; ".join(order)
        return Evolution("reorder_countries", real, f"{'; '.join(names)} -> {'; '.join(order)}")

    def twin(self, rng: random.Random, hunted: set[str]) -> Evolution | None:
        """Another shutdown sharing a row's countries, start and area (other fields differing),
        inserted anywhere in the sheet."""
        real = self._pick(rng, self.reals(), hunted)
        if real is None:
            return None
        original = rng.choice(self.of(real))
        n = self._number()
        twin = SourceRow(self._new_real(), dict(original.cells))
        twin.cells["event"] = f"A second, separate disruption in the same place (soak twin {n})."
        twin.cells["info_source_link"] = f"https://example.org/soak/twin-{n}"
        if original.cells["end_date"].strip():
            end = dt.date.fromisoformat(original.cells["end_date"]) + dt.timedelta(days=rng.randint(1, 3))
            twin.cells["end_date"] = end.isoformat()
            twin.cells["duration"] = str((end - twin.start).days + 1)
        self.rows.insert(rng.randrange(len(self.rows) + 1), twin)
        return Evolution(
            "twin",
            twin.real,
            f"twin of {real} ({original.year}, {original.cells['country']}, {original.cells['start_date']})",
        )

    def new(self, rng: random.Random, hunted: set[str]) -> Evolution:
        """A new shutdown, counted in one year."""
        year = rng.choice(self.years)
        model = rng.choice([r for r in self.rows if r.year == year] or self.rows)
        n = self._number()
        row = SourceRow(self._new_real(), dict(model.cells))
        start = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
        countries = rng.sample(self.countries_pool, 2 if rng.random() < 0.2 else 1)
        row.cells.update(
            count_year=str(year),
            start_date=start.isoformat(),
            country="; ".join(countries),
            area_name=f"Soak district {n}",
            event=f"A new shutdown that the soak added (number {n}).",
            info_source_link=f"https://example.org/soak/new-{n}",
        )
        if rng.random() < 0.7:
            end = start + dt.timedelta(days=rng.randint(0, 20))
            row.cells.update(
                shutdown_status="Ended", end_date=end.isoformat(), duration=str((end - start).days + 1)
            )
        else:
            row.cells.update(shutdown_status="Ongoing", end_date="", duration="")
        self.rows.insert(rng.randrange(len(self.rows) + 1), row)
        return Evolution("new", row.real, f"{year}, {row.cells['country']}, start {row.cells['start_date']}")

    def end_ongoing(self, rng: random.Random, hunted: set[str]) -> Evolution | None:
        """An ongoing shutdown ended: its latest row says Ended, with an end date in its year."""
        real = self._pick(
            rng, [rows[-1].real for rows in map(self.of, self.reals()) if rows[-1].ongoing], hunted
        )
        if real is None:
            return None
        row = self.of(real)[-1]
        first = max(row.start, dt.date(row.year, 1, 1))
        end = first + dt.timedelta(days=rng.randrange((dt.date(row.year, 12, 31) - first).days + 1))
        row.cells.update(
            shutdown_status="Ended", end_date=end.isoformat(), duration=str((end - row.start).days + 1)
        )
        return Evolution("end_ongoing", real, f"{row.year}: ended {end.isoformat()}")

    def remove_row(self, rng: random.Random, hunted: set[str]) -> Evolution | None:
        """A row gone from the sheet (the whole shutdown when it was its only row)."""
        real = self._pick(rng, self.reals(), hunted)
        if real is None:
            return None
        row = rng.choice(self.of(real))
        self.rows.remove(row)
        gone = "" if self.of(real) else " (the shutdown is gone from the source)"
        return Evolution("remove_row", real, f"its {row.year} row{gone}")

    def carry_over(self, rng: random.Random, hunted: set[str]) -> Evolution | None:
        """A shutdown still going on at the end of its latest year: a row for the next year."""
        last_year = max(self.years)
        candidates = [
            rows[-1].real
            for rows in map(self.of, self.reals())
            if rows[-1].year < last_year and rows[-1].open_ended
        ]
        real = self._pick(rng, candidates, hunted)
        if real is None:
            return None
        latest = self.of(real)[-1]
        row = SourceRow(real, dict(latest.cells))
        row.cells["count_year"] = str(latest.year + 1)
        row.cells["shutdown_status"] = "Ongoing"
        self.rows.insert(rng.randrange(len(self.rows) + 1), row)
        return Evolution("carry_over", real, f"{latest.year} -> {row.year}")
