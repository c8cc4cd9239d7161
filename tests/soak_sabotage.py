"""Proof that each invariant can fail: ``--sabotage KIND`` breaks one promise by hand in the last cycle.

The soak first makes what the sabotage needs through its ordinary, recorded operations (an
editor's correction, removal or paragraph; a row gone from the sheet), lets the bot sync, then
changes the wiki behind the soak's back, as a misbehaving bot would, and the cycle's checks must
report the invariant named here.  The run then exits 1: that is the point.

    python -m tests.soak --seed 1 --cycles 1 --sabotage revert-correction
"""

from __future__ import annotations

import random
from typing import Any

from tests.soak_editors import (
    Kept,
    corrected,
    param_value,
    parse,
    row_templates,
    template_key,
    with_param,
    without_row,
)

# what each sabotage breaks: the invariant the checks must report
SABOTAGES = {
    "second-edit": 1,  # the index page's data date set back between the two syncs: the second one edits
    "drop-paragraph": 2,  # an editor's paragraph taken off
    "revert-correction": 2,  # an editor's corrected value set back to the bot's
    "restore-removed": 2,  # a bot row an editor removed put back
    "swap-ids": 3,  # two rows' ids exchanged
    "duplicate-row": 3,  # a bot row written twice
    "drop-row": 3,  # a live shutdown's row taken off
    "index-figure": 4,  # a year's count on the index page off by one
    "missing-row": 5,  # the kept row of a shutdown gone from the source taken off (list.missing: keep)
    "talk-twice": 6,  # a correction noted twice on a talk page
}


class Sabotage:
    """One sabotage: ``prepare`` (recorded, before the last cycle's syncs), ``between`` (after the
    first sync), ``tamper`` (after the syncs, unrecorded)."""

    def __init__(self, kind: str, soak: Any) -> None:
        self.kind = kind
        self.soak = soak
        self.rng = random.Random(kind)
        self.target: tuple[int, str, str] | None = None  # (year, real, id) prepared
        self.removed_text = ""

    @property
    def invariant(self) -> int:
        return SABOTAGES[self.kind]

    def _row_of_present(self) -> tuple[int, str, str]:
        """A shutdown a page shows, with its row's id (the latest year first)."""
        present = self.soak.present()
        for year in sorted(present, reverse=True):
            for real in present[year]:
                ident = self.soak.seen.page_ids.get((year, real))
                if ident:
                    return year, real, ident
        raise LookupError("no bot row on any page")

    def prepare(self) -> list[str]:
        """What the sabotage needs, made by the soak's recorded operations."""
        soak, record = self.soak, self.soak.record
        if self.kind in ("drop-paragraph",):
            year = max(soak.titles)
            return [soak.editors.add_paragraph(year, before=True).line()]
        if self.kind in ("revert-correction", "talk-twice"):
            year, real, ident = self._row_of_present()
            title = soak.titles[year]
            text = soak.client.text(title)
            old = param_value(text, soak.names, ident, "zone") or ""
            value = corrected(old, "zone", record.next_number())
            soak.client.edit(title, with_param(text, soak.names, ident, "zone", value), "correction")
            record.kept[(year, real, "zone")] = Kept("correct", year, real, ident, "zone", value)
            self.target = (year, real, ident)
            if self.kind == "talk-twice":  # a correction the bot will note: the source changes the area
                for row in soak.sheet.of(real):
                    row.cells["area_name"] = row.cells["area_name"] + " (soak sabotage)"
                soak.server.publish(soak.sheet.csv_bytes())
            return [f"sabotage prepare: {real} zone corrected on the {year} page (id={ident})"]
        if self.kind == "restore-removed":
            year, real, ident = self._row_of_present()
            title = soak.titles[year]
            text = soak.client.text(title)
            code = parse(text)
            self.removed_text = next(
                str(t)
                for t in row_templates(code, soak.names)
                if str(t.get(soak.names.id_param).value).strip() == ident
            )
            soak.client.edit(title, without_row(text, soak.names, ident), "retrait")
            record.removed[(year, real)] = ident
            record.forget_row(year, real)
            self.target = (year, real, ident)
            return [f"sabotage prepare: the editor removed {real}'s row on the {year} page (id={ident})"]
        if self.kind == "missing-row":
            year, real, ident = self._row_of_present()
            for row in soak.sheet.of(real):
                soak.sheet.rows.remove(row)
            soak.server.publish(soak.sheet.csv_bytes())
            self.target = (year, real, ident)
            return [f"sabotage prepare: {real} removed from the sheet (its row on the {year} page kept)"]
        return []

    def between(self) -> str:
        """After the first sync: the index page's data date set back (the bot owns it)."""
        if self.kind != "second-edit":
            return ""
        soak = self.soak
        code = parse(soak.client.text(soak.index_title))
        header = next(
            t
            for t in code.filter_templates(recursive=False)
            if template_key(str(t.name)) == template_key(soak.index_header)
        )
        header.add(soak.index_params["as_of"], "2000-01-01", preserve_spacing=True)
        soak.client.edit(soak.index_title, str(code), "sabotage")
        return "sabotage: the index page's data date set to 2000-01-01 between the syncs"

    def tamper(self) -> str:
        """The unrecorded change a misbehaving bot would make."""
        soak, names = self.soak, self.soak.names
        if self.kind == "second-edit":
            return ""  # done between the syncs
        if self.kind == "drop-paragraph":
            year, paragraph = soak.record.paragraphs[-1]
            title = soak.titles[year]
            code = parse(soak.client.text(title))
            for node in code.filter_text(recursive=False):
                if paragraph in str(node.value):
                    node.value = str(node.value).replace(paragraph, "")
            soak.client.edit(title, str(code), "sabotage")
            return f"sabotage: the editor's paragraph taken off the {year} page"
        if self.kind == "revert-correction":
            assert self.target is not None
            year, real, ident = self.target
            kept = soak.record.kept[(year, real, "zone")]
            title = soak.titles[year]
            text = soak.client.text(title)
            soak.client.edit(title, with_param(text, names, ident, "zone", kept.value + " X"), "sabotage")
            return f"sabotage: {real}'s corrected zone on the {year} page changed"
        if self.kind == "restore-removed":
            assert self.target is not None
            year, real, ident = self.target
            title = soak.titles[year]
            code = parse(soak.client.text(title))
            footer = next(
                t
                for t in code.filter_templates(recursive=False)
                if template_key(str(t.name)) == template_key(names.footer)
            )
            code.insert_before(footer, self.removed_text + "\n")
            soak.client.edit(title, str(code), "sabotage")
            return f"sabotage: {real}'s removed row put back on the {year} page"
        year, real, ident = self._row_of_present()
        title = soak.titles[year]
        code = parse(soak.client.text(title))
        rows = [t for t in row_templates(code, names) if t.has(names.id_param)]
        if self.kind == "swap-ids":
            a, b = rows[0], rows[1]
            first, second = (str(t.get(names.id_param).value).strip() for t in (a, b))
            a.add(names.id_param, second, preserve_spacing=True)
            b.add(names.id_param, first, preserve_spacing=True)
            soak.client.edit(title, str(code), "sabotage")
            return f"sabotage: ids {first} and {second} exchanged on the {year} page"
        if self.kind == "duplicate-row":
            code.insert_after(rows[0], "\n" + str(rows[0]))
            soak.client.edit(title, str(code), "sabotage")
            return f"sabotage: a row written twice on the {year} page"
        if self.kind == "drop-row":
            soak.client.edit(title, without_row(str(code), names, ident), "sabotage")
            return f"sabotage: {real}'s row (id={ident}) taken off the {year} page"
        if self.kind == "missing-row":
            assert self.target is not None
            year, real, ident = self.target
            title = soak.titles[year]
            soak.client.edit(title, without_row(soak.client.text(title), names, ident), "sabotage")
            return f"sabotage: {real}'s kept row (gone from the source) taken off the {year} page"
        if self.kind == "index-figure":
            code = parse(soak.client.text(soak.index_title))
            name = soak.index_params["incidents"]
            row = next(t for t in code.filter_templates(recursive=False) if t.has(name))
            row.add(name, str(int(str(row.get(name).value).strip()) + 1), preserve_spacing=True)
            soak.client.edit(soak.index_title, str(code), "sabotage")
            return "sabotage: a year's count on the index page off by one"
        if self.kind == "talk-twice":
            assert self.target is not None
            year = self.target[0]
            talk = f"Discussion:{soak.titles[year]}"
            text = soak.client.text(talk)
            marker = next(line for line in text.splitlines() if "keepiton-note" in line)
            soak.client.edit(talk, f"{text}\n{marker}\n", "sabotage")
            return f"sabotage: a note copied on the {year} talk page"
        raise ValueError(f"no sabotage {self.kind!r}")
