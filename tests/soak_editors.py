"""What the soak's editors do to the year pages, and what the soak remembers of it.

The edits are made on the page's nodes with mwparserfromhell (a parameter added or changed with
the row's own layout kept, a row taken out with its line break, a paragraph or a hand row put in
as a line of its own), never with regexes, and saved through the API as the dev wiki's admin
(``tests.wikiclient.Editor``), never as the bot.  ``EditorRecord`` is the editors' half of the
ground truth: what must still be on each page, byte for byte, after every later sync.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import mwparserfromhell
from mwparserfromhell.nodes import Node, Template, Text
from mwparserfromhell.wikicode import Wikicode

EDITS = ("note", "correct", "paragraph", "hand_row", "remove_row", "ref", "burst")
CORRECTED_PARAMS = ("zone", "description", "cause")  # bot-owned values an editor corrects
REF_PARAMS = ("sources", "description")  # bot-owned values an editor adds a <ref> to
BURST = (12, 16)  # paragraph edits in a burst: more than the 10 editor revisions the old bot read


@dataclass(frozen=True)
class Templates:
    """The names a year page's region is made of (from the soak's profile)."""

    row: str
    header: str
    footer: str
    id_param: str
    description: str
    missing: str  # the parameter the bot sets on a row gone from the source (list.missing: mark)


def template_key(name: str) -> str:
    """A template name as MediaWiki compares it: '_' as ' ', no namespace, first letter any case."""
    clean = " ".join(str(name).replace("_", " ").split())
    for prefix in ("template:", "modèle:", "modele:"):
        if clean.casefold().startswith(prefix):
            clean = clean[len(prefix) :].strip()
    return clean[:1].upper() + clean[1:]


def region(code: Wikicode, names: Templates) -> tuple[int, int] | None:
    """Indexes of the header and footer among the page's top-level nodes (None: no single region)."""
    heads = [i for i, n in enumerate(code.nodes) if _is(n, names.header)]
    foots = [i for i, n in enumerate(code.nodes) if _is(n, names.footer)]
    if len(heads) != 1 or len(foots) != 1 or heads[0] > foots[0]:
        return None
    return heads[0], foots[0]


def _is(node: Node, name: str) -> bool:
    return isinstance(node, Template) and template_key(str(node.name)) == template_key(name)


def row_templates(code: Wikicode, names: Templates) -> list[Template]:
    """The row templates of the region, in page order."""
    span = region(code, names)
    if span is None:
        return []
    return [n for n in code.nodes[span[0] + 1 : span[1]] if isinstance(n, Template) and _is(n, names.row)]


def _row(code: Wikicode, names: Templates, ident: str) -> Template:
    for template in row_templates(code, names):
        if template.has(names.id_param) and str(template.get(names.id_param).value).strip() == ident:
            return template
    raise LookupError(f"no row with id={ident}")


def parse(text: str) -> Wikicode:
    return mwparserfromhell.parse(text, skip_style_tags=True)


def param_value(text: str, names: Templates, ident: str, name: str) -> str | None:
    """A row's parameter, as an editor reads it (None when the row has no such parameter)."""
    template = _row(parse(text), names, ident)
    return str(template.get(name).value).strip() if template.has(name) else None


def with_param(text: str, names: Templates, ident: str, name: str, value: str) -> str:
    """The page with one parameter of a row set (added, or its value replaced, its spacing kept)."""
    code = parse(text)
    template = _row(code, names, ident)
    if template.has(name):
        param = template.get(name)
        old = str(param.value)
        lead, trail = old[: len(old) - len(old.lstrip())], old[len(old.rstrip()) :]
        param.value = f"{lead}{value}{trail}"
    else:
        template.add(name, value, preserve_spacing=True)
    return str(code)


def without_row(text: str, names: Templates, ident: str) -> str:
    """The page with a row taken out, with the line break after it."""
    code = parse(text)
    template = _row(code, names, ident)
    index = code.index(template)
    code.remove(template)
    following = code.nodes[index] if index < len(code.nodes) else None
    if isinstance(following, Text) and str(following.value).startswith("\n"):
        following.value = str(following.value)[1:]
    return str(code)


def with_paragraph(text: str, names: Templates, paragraph: str, before: bool) -> str:
    """The page with a paragraph outside the region: before its header or after its footer."""
    code = parse(text)
    span = region(code, names)
    if span is None:
        raise LookupError("no bot region")
    if before:
        code.insert_before(code.nodes[span[0]], f"{paragraph}\n\n")
    else:
        code.insert_after(code.nodes[span[1]], f"\n\n{paragraph}")
    return str(code)


def with_hand_row(text: str, names: Templates, row: str, position: int) -> str:
    """The page with a row of the editor's own (no id) as a line before the region's n-th row
    (or before the footer)."""
    code = parse(text)
    span = region(code, names)
    if span is None:
        raise LookupError("no bot region")
    rows = row_templates(code, names)
    anchor = rows[position] if position < len(rows) else code.nodes[span[1]]
    index = code.index(anchor)
    previous = str(code.nodes[index - 1]) if index > 0 else "\n"
    code.insert_before(anchor, ("" if previous.endswith("\n") else "\n") + row + "\n")
    return str(code)


@dataclass(frozen=True)
class Kept:
    """A value an editor wrote in a bot row: a corrected bot-owned value, a <ref> added to one, or
    a parameter the bot does not own.  It must stay as written."""

    kind: str  # "correct", "ref" or "note"
    year: int
    real: str
    ident: str
    param: str
    value: str


@dataclass(frozen=True)
class EditorOp:
    """One editor's action, as the soak prints and logs it."""

    kind: str
    year: int
    real: str
    detail: str

    def line(self) -> str:
        where = f"{self.year} {self.real}".strip()
        return f"editor {self.kind} [{where}]: {self.detail}"


@dataclass
class EditorRecord:
    """Everything editors wrote that must stay, and every bot row they removed."""

    removed: dict[tuple[int, str], str] = field(default_factory=dict)  # (year, real) -> the row's id
    kept: dict[tuple[int, str, str], Kept] = field(default_factory=dict)  # (year, real, param)
    paragraphs: list[tuple[int, str]] = field(default_factory=list)
    hand_rows: list[tuple[int, str]] = field(default_factory=list)
    number: int = 0  # numbers the editors' texts, so that each is unique on the wiki

    def next_number(self) -> int:
        self.number += 1
        return self.number

    def hunted(self) -> set[str]:
        """The real shutdowns whose rows editors removed or corrected: the source's evolutions pick
        them on purpose (a key field changed after a removal is the case that broke the old bot)."""
        return {real for _, real in self.removed} | {k.real for k in self.kept.values() if k.kind != "note"}

    def forget_row(self, year: int, real: str) -> None:
        """The row is legitimately gone (removed by an editor, or by list.missing: remove)."""
        for key in [k for k in self.kept if k[:2] == (year, real)]:
            del self.kept[key]


def corrected(old: str, param: str, number: int) -> str:
    """An editor's correction of a bot-owned value: a value the source never writes."""
    if param == "description":
        return f"{old} Précision d'un éditeur (n°{number}).".strip()
    if not old:
        return f"Précisé par un éditeur (n°{number})"
    return f"{old} (précisé par un éditeur, n°{number})"


def with_ref(old: str, number: int) -> str:
    """A bot-owned value with a reference an editor added."""
    link = f"[https://example.org/editeur/{number} exemple]"
    return f"{old}<ref>Source ajoutée par un éditeur (n°{number}) : {link}</ref>"


def paragraph(number: int) -> str:
    return f"Paragraphe ajouté par un éditeur (n°{number}), hors du tableau tenu par le robot."


def hand_row(names: Templates, year: int, number: int) -> str:
    return (
        f"{{{{{names.row}\n|début={year}-06-15\n|pays=[[France]]\n"
        f"|zone=Ligne ajoutée à la main (n°{number})\n|description=Une ligne d'un éditeur, sans id.\n}}}}"
    )


def choose_kind(rng: random.Random) -> str:
    """An editor's action; a burst of small edits now and then."""
    return rng.choices(EDITS, weights=(3, 4, 3, 2, 4, 3, 1))[0]


class Editors:
    """The editors at work: each action reads the page afresh, edits its nodes and saves it as the
    dev wiki's admin; the record says what must stay.

    Targets are drawn from the ground truth (the rows each page must show), never from what the
    bot wrote, so that one seed draws the same actions whatever the bot did; an action whose row
    the soak cannot find on the page is logged as skipped (the checks report why)."""

    def __init__(self, client: Any, titles: dict[int, str], names: Templates, record: EditorRecord) -> None:
        self.client = client
        self.titles = titles
        self.names = names
        self.record = record

    def act(
        self,
        kind: str,
        rng: random.Random,
        present: dict[int, list[str]],
        row_id: Callable[[int, str], str | None],
    ) -> list[EditorOp]:
        """One action of this kind (``present``: year → the real shutdowns its page must show;
        ``row_id``: the id of a shutdown's row on a year's page, as the soak last saw it)."""
        if kind in ("paragraph", "hand_row", "burst"):
            return self._text_edit(kind, rng)
        years = sorted(y for y in self.titles if present.get(y))
        if not years:
            return [EditorOp(kind, 0, "", "skipped: no page shows a bot row")]
        year = rng.choice(years)
        real = rng.choice(present[year])
        ident = row_id(year, real)
        number = self.record.next_number()
        param = {"correct": rng.choice(CORRECTED_PARAMS), "ref": rng.choice(REF_PARAMS), "note": "note"}.get(
            kind, ""
        )
        if ident is None:
            return [EditorOp(kind, year, real, "skipped: the soak saw no row of it on the page")]
        title = self.titles[year]
        text = self.client.text(title)
        if kind == "remove_row":
            self.client.edit(title, without_row(text, self.names, ident), "retrait d'une ligne")
            self.record.removed[(year, real)] = ident
            self.record.forget_row(year, real)
            return [EditorOp(kind, year, real, f"removed the row id={ident}")]
        old = param_value(text, self.names, ident, param) or ""
        value = {"correct": corrected(old, param, number), "ref": with_ref(old, number)}.get(
            kind, f"Note d'un éditeur (n°{number})."
        )
        self.client.edit(title, with_param(text, self.names, ident, param, value), f"{kind} ({param})")
        self.record.kept[(year, real, param)] = Kept(kind, year, real, ident, param, value)
        return [EditorOp(kind, year, real, f"id={ident} {param}={value[-60:]!r}")]

    def _text_edit(self, kind: str, rng: random.Random) -> list[EditorOp]:
        years = sorted(self.titles)
        if kind == "burst":
            busy = sorted({y for y, _ in self.record.removed} | {k.year for k in self.record.kept.values()})
            year = rng.choice(busy or years)
            done = [self.add_paragraph(year, rng.random() < 0.5, "burst") for _ in range(rng.randint(*BURST))]
            first, last = done[0].detail.split()[1], done[-1].detail.split()[1]
            return [EditorOp("burst", year, "", f"{len(done)} paragraph edits in a row ({first} to {last})")]
        year = rng.choice(years)
        if kind == "paragraph":
            return [self.add_paragraph(year, rng.random() < 0.5)]
        where = rng.random()
        number = self.record.next_number()
        title = self.titles[year]
        text = self.client.text(title)
        count = len(row_templates(parse(text), self.names))
        row = hand_row(self.names, year, number)
        self.client.edit(
            title, with_hand_row(text, self.names, row, int(where * (count + 1))), "ligne ajoutée"
        )
        self.record.hand_rows.append((year, row))
        return [
            EditorOp(kind, year, "", f"a row without id (n°{number}) before row {int(where * (count + 1))}")
        ]

    def add_paragraph(self, year: int, before: bool, kind: str = "paragraph") -> EditorOp:
        """A paragraph outside the region, before it or after it."""
        number = self.record.next_number()
        text = paragraph(number)
        title = self.titles[year]
        self.client.edit(
            title, with_paragraph(self.client.text(title), self.names, text, before), "paragraphe"
        )
        self.record.paragraphs.append((year, text))
        return EditorOp(kind, year, "", f"paragraph n°{number} {'before' if before else 'after'} the region")
