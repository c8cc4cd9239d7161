"""Editors' decisions, remembered for good: the bot rows editors removed and the bot-owned values
they corrected, per page (pure).

The bot finds a decision by comparing a page with the bot's own last revision of it — whatever
the number of revisions since — and records it in a JSON page of its user space
(``safety.decisions_page``, ``User:<bot>/decisions.json``: a user JSON page, which only the bot
and interface administrators can edit), saved before the page the decision is about.  The merge
then keeps what the record says, on every later run, after 10 or 1,000 editor revisions:

* a **removed row** stays removed, also when the source later corrects its shutdown's start
  date or area (the record keeps the row as the bot last wrote it, so the incident is still
  matched to its id); an editor who puts the row back (same id) ends the decision;
* a **corrected value** stays the editor's; the decision ends when the source's value becomes
  the editor's value, or an editor writes the source's value back.

The record is only ever extended from what editors did on the wiki; an administrator deletes
an entry (or the page) to let the bot write the source's values again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from wikibot.errors import WikibotError
from wikibot.listpage import Attribution, Conflict, EditorChanges
from wikibot.render import RowData

VERSION = 1
REMOVED = "*"  # a conflict's field when the whole row was removed


class DecisionsError(WikibotError):
    """The decisions page holds something the bot did not write: refused, never guessed."""

    exit_code = 3


@dataclass(frozen=True)
class Kept:
    """A bot-owned value an editor set: their value (None: they took the parameter out)."""

    value: str | None
    by: Attribution | None = None
    source: str | None = None  # the source's value the last merge kept it against (None: unknown)


@dataclass(frozen=True)
class PageDecisions:
    """One page's decisions: kept values by (row id, field), removed rows by id (the row's
    parameters as the bot last wrote them)."""

    kept: Mapping[tuple[str, str], Kept] = field(default_factory=dict)
    removed: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    removed_by: Mapping[str, Attribution] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.kept or self.removed)

    def changes(self) -> EditorChanges:
        """As the merge takes them."""
        by = {key: kept.by for key, kept in self.kept.items() if kept.by is not None}
        values = {key: kept.value for key, kept in self.kept.items()}
        return EditorChanges(frozenset(self.kept), frozenset(self.removed), by, values)

    def with_found(
        self,
        changed: Mapping[tuple[str, str], str | None],
        removed: Mapping[str, Mapping[str, str]],
        by: Mapping[tuple[str, str], Attribution],
    ) -> PageDecisions:
        """These decisions and the ones just found (a newer one replaces an older one)."""
        kept = dict(self.kept)
        for key, value in changed.items():
            kept[key] = Kept(value, by.get(key))
        gone = dict(self.removed)
        removed_by = dict(self.removed_by)
        for ident, row in removed.items():
            gone.setdefault(ident, dict(row))
            if (ident, REMOVED) in by:
                removed_by.setdefault(ident, by[(ident, REMOVED)])
            for key in [k for k in kept if k[0] == ident]:
                del kept[key]
        return PageDecisions(kept, gone, removed_by)

    def applied(self, rows: Iterable[RowData]) -> tuple[RowData, ...]:
        """The rows as the page holds them once these decisions are kept: removed rows left out,
        each kept value in place of the source's value it was kept against (a source value that
        changed since is not replaced: the page must be merged, and the editor told)."""
        result = []
        for row in rows:
            if row.id in self.removed:
                continue
            params = []
            for name, value in row.params:
                kept = self.kept.get((row.id, name))
                if kept is None or kept.source != value:
                    params.append((name, value))
                elif kept.value is not None:
                    params.append((name, kept.value))
            result.append(replace(row, params=tuple(params)))
        return tuple(result)

    def after(
        self,
        conflicts: Iterable[Conflict],
        present: Iterable[str],
        held: Iterable[str],
        left: Iterable[str] = (),
    ) -> PageDecisions:
        """What stays decided after a merge: the values it kept that still differ from the
        source's (its conflicts), the kept values of rows it left alone (``held``, and ``left``:
        rows gone from the source that stay on the page, whose values hold if the source lists
        them again), and the removed rows not put back by an editor (``present``: the ids on the
        page)."""
        standing = {(c.id, c.param): c.source_value for c in conflicts if c.param != REMOVED}
        untouched = {*held, *left}
        kept = {
            k: replace(v, source=standing.get(k, v.source))
            for k, v in self.kept.items()
            if k in standing or k[0] in untouched
        }
        on_page = set(present)
        removed = {i: r for i, r in self.removed.items() if i not in on_page}
        removed_by = {i: a for i, a in self.removed_by.items() if i in removed}
        return PageDecisions(kept, removed, removed_by)


@dataclass(frozen=True)
class Decisions:
    """Every page's decisions, as the decisions page holds them."""

    pages: Mapping[str, PageDecisions] = field(default_factory=dict)

    def of(self, title: str) -> PageDecisions:
        """One page's decisions (none: empty)."""
        return self.pages.get(title, PageDecisions())

    def having(self, title: str, decisions: PageDecisions) -> Decisions:
        """The record with one page's decisions replaced."""
        pages = dict(self.pages)
        if decisions:
            pages[title] = decisions
        else:
            pages.pop(title, None)
        return replace(self, pages=pages)

    def text(self) -> str:
        """The decisions page's JSON (sorted, one entry per line: a readable diff), as MediaWiki
        stores a JSON page (``FormatJson::encode``, pretty: tabs, ``<``, ``>``, ``&`` and U+2028/9
        escaped), so that the diff of a save is the change only: in any other form, every line
        of the page differs, and pywikibot's diff of a record of 350 kB took 50 s of a sync."""
        pages: dict[str, Any] = {}
        for title in sorted(self.pages):
            decided = self.pages[title]
            kept: dict[str, dict[str, Any]] = {}
            for (ident, param), value in sorted(decided.kept.items()):
                kept.setdefault(ident, {})[param] = {
                    "value": value.value,
                    **({"source": value.source} if value.source is not None else {}),
                    **_by(value.by),
                }
            removed = {
                ident: {"row": dict(sorted(row.items())), **_by(decided.removed_by.get(ident))}
                for ident, row in sorted(decided.removed.items())
            }
            pages[title] = {"kept": kept, "removed": removed}
        return json.dumps({"version": VERSION, "pages": pages}, ensure_ascii=False, indent="\t").translate(
            AS_MEDIAWIKI
        )


# what MediaWiki escapes in a JSON page it stores; only ever inside strings in JSON text
AS_MEDIAWIKI = {ord(c): f"\\u{ord(c):04X}" for c in "<>&\u2028\u2029"}


def _by(attribution: Attribution | None) -> dict[str, Any]:
    if attribution is None:
        return {}
    return {
        "by": {
            "user": attribution.user,
            "revid": attribution.revid,
            "parentid": attribution.parentid,
            "timestamp": attribution.timestamp,
            "refs": list(attribution.refs),
        }
    }


def read(text: str, title: str) -> Decisions:
    """The decisions a page holds ('' or no page: none); anything else than what the bot writes
    raises DecisionsError naming the page and what to do."""
    if not text.strip():
        return Decisions()
    try:
        return _read(json.loads(text))
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise DecisionsError(
            f"{title}: not a record of editors' decisions as the bot writes it "
            f"({type(exc).__name__}: {exc}); undo the last edit of that page, or delete it "
            "(the bot then forgets the editors' decisions)"
        ) from None


def _read(data: Any) -> Decisions:
    pages_of = data.get("pages") if isinstance(data, dict) else None
    if not isinstance(pages_of, dict) or data.get("version") != VERSION:
        raise ValueError(f"expected {{'version': {VERSION}, 'pages': {{…}}}}")
    pages = {}
    for title, entry in data["pages"].items():
        kept = {}
        for ident, params in _object(entry.get("kept", {})).items():
            for param, value in _object(params).items():
                held, source = _object(value)["value"], value.get("source")
                if any(v is not None and not isinstance(v, str) for v in (held, source)):
                    raise ValueError(f"{title}: the kept value of {ident} {param} is not a text")
                kept[(str(ident), str(param))] = Kept(held, _attribution(value.get("by")), source)
        removed, removed_by = {}, {}
        for ident, value in _object(entry.get("removed", {})).items():
            row = _object(_object(value)["row"])
            removed[str(ident)] = {str(k): str(v) for k, v in row.items()}
            attribution = _attribution(value.get("by"))
            if attribution is not None:
                removed_by[str(ident)] = attribution
        pages[str(title)] = PageDecisions(kept, removed, removed_by)
    return Decisions(pages)


def _object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"expected an object, found {value!r:.40}")
    return value


def _attribution(value: Any) -> Attribution | None:
    if value is None:
        return None
    data = _object(value)
    return Attribution(
        str(data["user"]),
        int(data["revid"]),
        int(data["parentid"]),
        str(data["timestamp"]),
        tuple(str(r) for r in data.get("refs", ())),
    )
