"""A list page's bot region: find it, merge rows into it by id, give back the new text.

The region runs from the header template to the footer template; the bot changes nothing
outside it.  Inside it, each row template carries ``id=``.  Merging (mwparserfromhell):

* a row whose bot-owned parameters already hold the rendered values is left byte-identical;
* a changed row gets only its changed bot-owned parameters replaced (``Template.add`` with
  ``preserve_spacing``), every other parameter an editor added stays;
* a new incident is inserted before the first row of its group that sorts after it;
* a page may hold two tables: the divider template (``divider_template``) closes the first and
  opens the second, which holds the rows of group 1 (on a year page, the shutdowns that started
  before the year); the bot adds or removes the divider as the rows need it and moves a bot row
  that is on the wrong side of it (the row byte-identical, only its place changes);
* a row an editor added without an id, and anything else in the region, is left alone;
* a bot-owned value an editor changed (found in the page history: ``editor_changes``) is
  kept and reported as a conflict, not reverted; a row an editor removed is not put back;
* a row whose incident is gone from the source is kept (or marked / removed, by setting).

Pages are parsed with ``skip_style_tags``: MediaWiki closes italics and bold at the end of a
line, mwparserfromhell would not, and an editor's unclosed italic would swallow the footer.

A page whose markers are missing, doubled or out of order raises PageError: it is refused,
never duplicated or blanked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeGuard

import mwparserfromhell
from mwparserfromhell.nodes import Node, Template, Text
from mwparserfromhell.wikicode import Wikicode

from wikibot import l10n
from wikibot.errors import PageError
from wikibot.render import ACCESS_HOLE, RowData, row_text

NAMESPACE_PREFIXES = ("template:", "modèle:", "modele:")


@dataclass(frozen=True)
class PageSpec:
    """The templates that make a region and its rows, and the row parameters with meaning."""

    row_template: str
    header_template: str
    footer_template: str
    id_param: str = "id"
    missing_param: str | None = None
    missing_value: str = "yes"
    missing_policy: str = "keep"  # keep | mark | remove
    header_params: tuple[tuple[str, str], ...] = ()  # bot-owned parameters of the header template
    divider_template: str | None = None  # between the rows of group 0 and those of group 1
    divider_params: tuple[tuple[str, str], ...] = ()
    accessed: str = ""  # the date (ISO) that fills the access-date holes of the header's citation
    footer_params: tuple[tuple[str, str], ...] = ()  # bot-owned parameters of the footer template
    retired: tuple[str, ...] = ()  # row parameters the bot no longer writes: taken off its rows

    def header_text(self, filled: bool = True) -> str:
        """The header template call with its parameters (access-date holes kept when not filled)."""
        return _call(self.header_template, self.header_params, self.accessed if filled else None)

    def divider_text(self) -> str:
        """The divider template call with its parameters."""
        return _call(self.divider_template or "", self.divider_params, None)


def _call(template: str, params: tuple[tuple[str, str], ...], accessed: str | None) -> str:
    text = "".join(f"|{name}={value}" for name, value in params)
    if accessed is not None:
        text = text.replace(ACCESS_HOLE, accessed)
    return f"{{{{{template}{text}}}}}"


@dataclass(frozen=True)
class EditorEdit:
    """One editor's revision of a page: its text, its parent's, and who made it when."""

    before: str
    after: str
    revid: int = 0
    parentid: int = 0
    user: str = ""
    timestamp: str = ""


@dataclass(frozen=True)
class Attribution:
    """Who changed a bot-owned value, in which revision, and the references they added to the row."""

    user: str
    revid: int
    parentid: int
    timestamp: str
    refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Conflict:
    """A bot-owned value an editor changed, kept on the wiki instead of the source's value."""

    id: str
    param: str
    wiki_value: str | None
    source_value: str
    by: Attribution | None = None

    def report(self) -> dict[str, Any]:
        """As a run report entry."""
        data: dict[str, Any] = {
            "id": self.id,
            "param": self.param,
            "wiki": self.wiki_value,
            "source": self.source_value,
        }
        if self.by is not None:
            data.update(
                editor=self.by.user, revid=self.by.revid, timestamp=self.by.timestamp, refs=list(self.by.refs)
            )
        return data


@dataclass(frozen=True)
class EditorChanges:
    """What editors changed in bot rows, from the page history: (id, param) pairs and removed ids,
    with the latest editor revision behind each."""

    params: frozenset[tuple[str, str]] = frozenset()
    removed_rows: frozenset[str] = frozenset()
    by: Mapping[tuple[str, str], Attribution] = field(default_factory=dict)
    # the value each decision kept (None: the parameter taken out); a parameter named here is the
    # editor's only while it holds that value — written back to the source's, the decision ended
    values: Mapping[tuple[str, str], str | None] | None = None

    def holds(self, key: tuple[str, str], now: str | None) -> bool:
        """True when the row's parameter is the editor's decision (keep it, report a conflict)."""
        if key not in self.params:
            return False
        return self.values is None or key not in self.values or self.values[key] == now


def editor_changes(
    revisions: Sequence[EditorEdit | tuple[str, str]], spec: PageSpec, title: str
) -> EditorChanges:
    """The bot-row parameters and rows that editors changed, from their revisions (newest first)."""
    params: set[tuple[str, str]] = set()
    removed: set[str] = set()
    by: dict[tuple[str, str], Attribution] = {}
    for revision in revisions:
        edit = revision if isinstance(revision, EditorEdit) else EditorEdit(*revision)
        before, after = (
            _templates_or_none(edit.before, spec, title),
            _templates_or_none(edit.after, spec, title),
        )
        if before is None or after is None:
            continue
        for ident, old_template in before.items():
            new_template = after.get(ident)
            if new_template is None:
                removed.add(ident)
                continue
            old, new = _params(old_template), _params(new_template)
            changed = {(ident, name) for name in old.keys() | new.keys() if old.get(name) != new.get(name)}
            params.update(changed)
            refs = tuple(r for r in _refs(new_template) if r not in _refs(old_template))
            for key in changed:
                by.setdefault(key, Attribution(edit.user, edit.revid, edit.parentid, edit.timestamp, refs))
    return EditorChanges(frozenset(params), frozenset(removed), by)


def changes_between(
    base: str, current: str, spec: PageSpec, title: str
) -> tuple[dict[tuple[str, str], str | None], dict[str, dict[str, str]]]:
    """What editors changed in the bot's rows from the bot's own revision ``base`` to ``current``:
    each changed (id, parameter) with its value now (None: taken out), and each removed row with
    its parameters as the bot wrote them.  Nothing when either text has no readable region."""
    before, after = _templates_or_none(base, spec, title), _templates_or_none(current, spec, title)
    if before is None or after is None:
        return {}, {}
    changed: dict[tuple[str, str], str | None] = {}
    removed: dict[str, dict[str, str]] = {}
    for ident, old_template in before.items():
        new_template = after.get(ident)
        old = _params(old_template)
        if new_template is None:
            removed[ident] = old
            continue
        new = _params(new_template)
        for name in old.keys() | new.keys():
            if old.get(name) != new.get(name):
                changed[(ident, name)] = new.get(name)
    return changed, removed


def _refs(template: Template) -> list[str]:
    """The <ref> tags anywhere in a row's parameters, as written."""
    return [
        str(tag)
        for param in template.params
        for tag in param.value.filter_tags()
        if str(tag.tag).strip().lower() == "ref"
    ]


def _templates_or_none(text: str, spec: PageSpec, title: str) -> dict[str, Template] | None:
    try:
        code = mwparserfromhell.parse(text, skip_style_tags=True)
        start, end = _region(code, spec, title)
        return _rows(code, start, end, spec, title)[0]
    except PageError:
        return None


@dataclass(frozen=True)
class MergeResult:
    """The merged page text and what the merge did."""

    text: str
    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: int = 0
    missing: tuple[str, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    rows_without_id: int = 0
    marked: tuple[str, ...] = field(default=())
    removed: tuple[str, ...] = field(default=())
    header_changed: bool = False  # the header's or the divider's parameters, or the divider itself
    moved: tuple[str, ...] = field(default=())  # bot rows moved to their own table (byte-identical)

    @property
    def changed(self) -> bool:
        """True when the merge changed the region."""
        return bool(
            self.added or self.updated or self.marked or self.removed or self.header_changed or self.moved
        )


def template_key(name: str) -> str:
    """A template name as MediaWiki compares it: no namespace, '_' as ' ', first letter any case."""
    clean = " ".join(name.replace("_", " ").split())
    lowered = clean.casefold()
    for prefix in NAMESPACE_PREFIXES:
        if lowered.startswith(prefix):
            clean = clean[len(prefix) :].strip()
            break
    return clean[:1].upper() + clean[1:]


def region_text(rows: Sequence[RowData], spec: PageSpec, filled: bool = True) -> str:
    """A whole region, as written on a new page (with access-date holes when not filled)."""
    parts = [spec.header_text(filled)]
    divided = False
    for row in sorted(rows, key=lambda r: r.group):  # stable: each group in the order given
        if row.group and spec.divider_template and not divided:
            parts.append(spec.divider_text())
            divided = True
        parts.append(row_text(row, spec.row_template))
    parts.append(_call(spec.footer_template, spec.footer_params, None))
    return "\n".join(parts)


def holds_region(text: str, rows: Sequence[RowData], spec: PageSpec, lang: str) -> bool:
    """True when the page holds exactly the rendered region, whatever access dates its citations show.

    This is the no-op fast path: plain string comparison, segment by segment; an access date
    is whatever stands between the end of a segment and the next ``}}`` and must read as a date.
    """
    pattern = region_text(rows, spec, filled=False)
    position = text.find(pattern.split(ACCESS_HOLE, 1)[0])
    if position < 0 or text.find(pattern.split(ACCESS_HOLE, 1)[0], position + 1) >= 0:
        return False
    return _matches_at(text, position, pattern, lang) is not None


def _matches_at(text: str, position: int, pattern: str, lang: str) -> int | None:
    """Where the pattern ends when text holds it at position, any date in its holes (else None)."""
    segments = pattern.split(ACCESS_HOLE)
    if not text.startswith(segments[0], position):
        return None
    position += len(segments[0])
    for segment in segments[1:]:
        close = text.find("}}", position)
        if close < 0 or l10n.parse_date(text[position:close], lang) is None:
            return None
        if not text.startswith(segment, close):
            return None
        position = close + len(segment)
    return position


def same_but_dates(value: str, pattern: str, lang: str) -> bool:
    """True when a value is the pattern with a date in each of its access-date holes."""
    return _matches_at(value, 0, pattern, lang) == len(value)


def _is(node: object, key: str) -> TypeGuard[Template]:
    return isinstance(node, Template) and template_key(str(node.name)) == key


def _region(code: Wikicode, spec: PageSpec, title: str) -> tuple[int, int]:
    """Indexes of the header and footer nodes among the page's top-level nodes."""
    header, footer = template_key(spec.header_template), template_key(spec.footer_template)
    heads = [i for i, n in enumerate(code.nodes) if _is(n, header)]
    foots = [i for i, n in enumerate(code.nodes) if _is(n, footer)]
    if not heads and not foots:
        raise PageError(
            f"{title}: no bot region ({{{{{spec.header_template}}}}} … {{{{{spec.footer_template}}}}}); "
            "add the two templates where the list belongs, or delete the page to let the bot create it"
        )
    if len(heads) != 1 or len(foots) != 1:
        raise PageError(
            f"{title}: {len(heads)} header and {len(foots)} footer templates; there must be exactly one "
            "of each — fix the markers by hand, the bot will not guess"
        )
    if heads[0] > foots[0]:
        raise PageError(f"{title}: the footer template comes before the header template; fix the markers")
    return heads[0], foots[0]


def _value(template: Template, name: str) -> str | None:
    return str(template.get(name).value).strip() if template.has(name) else None


def _rows(
    code: Wikicode, start: int, end: int, spec: PageSpec, title: str
) -> tuple[dict[str, Template], int]:
    """The region's row templates by id, and how many rows have no id."""
    key = template_key(spec.row_template)
    by_id: dict[str, Template] = {}
    without = 0
    for node in code.nodes[start + 1 : end]:
        if not _is(node, key):
            continue
        ident = _value(node, spec.id_param)
        if not ident:
            without += 1
            continue
        if ident in by_id:
            raise PageError(
                f"{title}: two rows with id={ident}; remove one copy, the bot will not guess which"
            )
        by_id[ident] = node
    return by_id, without


def read_region(text: str, spec: PageSpec, title: str) -> tuple[dict[str, dict[str, str]], int]:
    """The rows of a page's region as {id: {param: value}}, and how many rows have no id."""
    code = mwparserfromhell.parse(text, skip_style_tags=True)
    start, end = _region(code, spec, title)
    rows, without = _rows(code, start, end, spec, title)
    return {i: _params(t) for i, t in rows.items()}, without


def all_rows(text: str, spec: PageSpec, title: str) -> list[dict[str, str]]:
    """Every row template of the region, in page order, duplicates and rows without id included."""
    code = mwparserfromhell.parse(text, skip_style_tags=True)
    start, end = _region(code, spec, title)
    key = template_key(spec.row_template)
    return [_params(node) for node in code.nodes[start + 1 : end] if _is(node, key)]


def read_header(text: str, spec: PageSpec, title: str) -> dict[str, str]:
    """The parameters of a page's region header."""
    code = mwparserfromhell.parse(text, skip_style_tags=True)
    start, _ = _region(code, spec, title)
    header = code.nodes[start]
    return _params(header) if isinstance(header, Template) else {}


def _params(template: Template) -> dict[str, str]:
    return {str(p.name).strip(): str(p.value).strip() for p in template.params}


def merge(
    text: str,
    rows: Sequence[RowData],
    spec: PageSpec,
    title: str,
    editors: EditorChanges | None = None,
    lang: str = "en",
    held: frozenset[str] = frozenset(),
) -> MergeResult:
    """Merge the rows into the page's region (see the module docstring).

    Rows whose id is in ``held`` are left exactly as they are and are not reported missing
    (the bot could not tell which incident they are).
    """
    if holds_region(text, rows, spec, lang):
        return MergeResult(text, unchanged=len(rows))  # fast path: nothing to parse
    code = mwparserfromhell.parse(text, skip_style_tags=True)
    start, end = _region(code, spec, title)
    current, without = _rows(code, start, end, spec, title)
    editors = editors or EditorChanges()
    header = code.nodes[start]
    assert isinstance(header, Template)
    header_changed = _set_params(header, spec.header_params, spec.accessed, lang)
    footer = code.nodes[end]
    assert isinstance(footer, Template)
    header_changed = _set_params(footer, spec.footer_params, spec.accessed, lang) or header_changed
    wanted_ids = {row.id for row in rows}
    added: list[str] = []
    updated: list[str] = []
    conflicts: list[Conflict] = []
    unchanged = 0
    new_rows: list[RowData] = []
    for row in rows:
        template = current.get(row.id)
        if template is None:
            if row.id in editors.removed_rows:
                conflicts.append(Conflict(row.id, "*", None, "row removed by an editor; not put back"))
            else:
                new_rows.append(row)
            continue
        changed = False
        for name, value in row.params:
            now = _value(template, name)
            if now is not None and now == value:
                continue
            if editors.holds((row.id, name), now):
                conflicts.append(Conflict(row.id, name, now, value, editors.by.get((row.id, name))))
                continue
            _set(template, name, value)
            changed = True
        if spec.missing_param and template.has(spec.missing_param):
            template.remove(spec.missing_param)
            changed = True
        for name in spec.retired:
            if template.has(name):
                template.remove(name)
                changed = True
        if changed:
            updated.append(row.id)
        else:
            unchanged += 1
    missing = [ident for ident in current if ident not in wanted_ids and ident not in held]
    marked, removed = _handle_missing(code, current, missing, spec)
    new_ids = {r.id for r in new_rows}
    placed = {r.id: r for r in rows if r.id in current or r.id in new_ids}  # the rows the page will hold
    divider_changed = _divider(code, spec, title, any(r.group for r in placed.values()))
    moved = _misplaced(code, spec, current, placed)
    _insert(code, spec, current, rows, [*new_rows, *moved.values()], moved)
    header_changed = header_changed or divider_changed
    added = [row.id for row in new_rows]
    return MergeResult(
        str(code),
        tuple(added),
        tuple(updated),
        unchanged,
        tuple(missing),
        tuple(conflicts),
        without,
        tuple(marked),
        tuple(removed),
        header_changed,
        tuple(moved),
    )


def _set(template: Template, name: str, value: str) -> None:
    """Replace (or add) one parameter's value, keeping the row's own layout."""
    if template.has(name):
        param = template.get(name)
        old = str(param.value)
        lead = old[: len(old) - len(old.lstrip())]
        trail = old[len(old.rstrip()) :]
        param.value = f"{lead}{value}{trail}"
    else:
        template.add(name, value, preserve_spacing=True)


def _handle_missing(
    code: Wikicode, current: dict[str, Template], missing: list[str], spec: PageSpec
) -> tuple[list[str], list[str]]:
    marked: list[str] = []
    removed: list[str] = []
    for ident in missing:
        template = current[ident]
        if spec.missing_policy == "mark" and spec.missing_param:
            if _value(template, spec.missing_param) != spec.missing_value:
                _set(template, spec.missing_param, spec.missing_value)
                marked.append(ident)
        elif spec.missing_policy == "remove":
            _remove_line(code, template)
            removed.append(ident)
    return marked, removed


def _set_params(template: Template, params: tuple[tuple[str, str], ...], accessed: str, lang: str) -> bool:
    """Give a marker template (header, divider) its bot-owned parameters; True when one changed.

    A value with an access-date hole is the same whatever date stands in the hole."""
    changed = False
    for name, value in params:
        now = _value(template, name)
        same = now == value or (ACCESS_HOLE in value and now is not None and same_but_dates(now, value, lang))
        if not same:
            _set(template, name, value.replace(ACCESS_HOLE, accessed))
            changed = True
    return changed


def _dividers(code: Wikicode, spec: PageSpec) -> list[Template]:
    if not spec.divider_template:
        return []
    key = template_key(spec.divider_template)
    return [n for n in code.nodes if _is(n, key)]


def _divider(code: Wikicode, spec: PageSpec, title: str, wanted: bool) -> bool:
    """Add, update or remove the divider as the rows need it; True when the region changed."""
    found = _dividers(code, spec)
    if len(found) > 1:
        raise PageError(
            f"{title}: {len(found)} {{{{{spec.divider_template}}}}} templates; there must be at most one "
            "— remove the extra ones, the bot will not guess"
        )
    if found and not wanted:
        _remove_line(code, found[0])
        return True
    if wanted and not found:
        footer = next(n for n in code.nodes if _is(n, template_key(spec.footer_template)))
        _insert_line(code, footer, spec.divider_text())
        return True
    return bool(found) and _set_params(found[0], spec.divider_params, "", "en")


def _misplaced(
    code: Wikicode, spec: PageSpec, current: dict[str, Template], placed: Mapping[str, RowData]
) -> dict[str, RowData]:
    """Take out the bot rows that stand on the wrong side of the divider (to insert them again)."""
    found = _dividers(code, spec)
    if not found:
        return {}
    divider = code.index(found[0])
    moved = {}
    for ident, template in current.items():
        row = placed.get(ident)
        if row is not None and (code.index(template) > divider) != bool(row.group):
            moved[ident] = row
    for ident in moved:
        _remove_line(code, current[ident])
    return moved


def _remove_line(code: Wikicode, node: Node) -> None:
    """Remove a node and the line break after it."""
    index = code.index(node)
    code.remove(node)
    following = code.nodes[index] if index < len(code.nodes) else None
    if isinstance(following, Text) and str(following.value).startswith("\n"):
        following.value = str(following.value)[1:]


def _insert_line(code: Wikicode, anchor: Node, text: str) -> None:
    """Insert text as a line of its own before a node."""
    index = code.index(anchor)
    previous = str(code.nodes[index - 1]) if index > 0 else "\n"
    prefix = "" if previous.endswith("\n") else "\n"
    code.insert_before(anchor, f"{prefix}{text}\n")


def _insert(
    code: Wikicode,
    spec: PageSpec,
    current: dict[str, Template],
    rows: Sequence[RowData],
    new_rows: list[RowData],
    moved: Mapping[str, RowData],
) -> None:
    """Insert new (and moved) rows before the first row of their group that sorts after each, else
    before the divider (group 0) or the footer."""
    if not new_rows:
        return
    order = {row.id: row.order for row in rows}
    existing = [(order[i], t) for i, t in current.items() if i in order and i not in moved]
    footer = next(n for n in code.nodes if _is(n, template_key(spec.footer_template)))
    dividers = _dividers(code, spec)
    for row in sorted(new_rows, key=lambda r: r.order):
        anchor: Node | None = next(
            (t for key, t in existing if key[0] == row.group and key > row.order), None
        )
        if anchor is None:
            anchor = dividers[0] if dividers and not row.group else footer
        text = str(current[row.id]) if row.id in moved else row_text(row, spec.row_template)
        _insert_line(code, anchor, text)
