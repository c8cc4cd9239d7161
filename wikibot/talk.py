"""Talk-page notes: tell the editors whose corrections the bot kept, once per value (pure).

When a run keeps an editor's value of a bot-owned field instead of the source's, the bot adds
one section to the page's talk page listing, for each such value, the row, the field, the
source's value, the editor's value, the editor's edit (a diff link) and the editor (a user
link, which notifies them on wikis with mentions).  Each item carries an invisible marker
``<!-- keepiton-note ID|FIELD|DIGEST -->`` naming the row, the field and the source's value:
a later run finds the markers on the talk page and notes only what is new — the same
correction is never noted twice, and a new note comes when the source's value changes again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

import mwparserfromhell
from mwparserfromhell.nodes import Comment

from wikibot import l10n
from wikibot.listpage import Attribution
from wikibot.render import escape

MARKER = "keepiton-note"


def digest(value: str) -> str:
    """A short fingerprint of a source value (the markers carry it, not the value)."""
    return hashlib.sha1(value.encode()).hexdigest()[:10]


@dataclass(frozen=True)
class NoteItem:
    """One kept correction: the row, the field, both values and who made the correction."""

    id: str
    row: str  # what names the row to a reader: its countries and start date (or its year)
    param: str
    source_value: str
    wiki_value: str
    by: Attribution

    @property
    def key(self) -> str:
        """What the marker records: the row, the field and the source's value."""
        return f"{self.id}|{self.param}|{digest(self.source_value)}"


def noted(talk_text: str) -> set[str]:
    """The keys of the corrections the talk page already notes."""
    keys = set()
    for comment in mwparserfromhell.parse(talk_text, skip_style_tags=True).filter(forcetype=Comment):
        words = str(comment.contents).split()
        if len(words) == 2 and words[0] == MARKER:
            keys.add(words[1])
    return keys


def new_items(items: Iterable[NoteItem], talk_text: str) -> list[NoteItem]:
    """The items the talk page does not note yet, each once."""
    seen = noted(talk_text)
    fresh = []
    for item in items:
        if item.key not in seen:
            seen.add(item.key)
            fresh.append(item)
    return fresh


def user_link(user: str) -> str:
    """A link to an editor: their user page (a mention), or their contributions for an IP address."""
    try:
        ipaddress.ip_address(user)
    except ValueError:
        return f"[[User:{user}|{escape(user)}]]"
    return f"[[Special:Contributions/{user}|{escape(user)}]]"


def section(items: list[NoteItem], lang: str, today: dt.date, numerals: str | None = None) -> str:
    """A new talk-page section noting the kept corrections, signed."""

    def msg(key: str, *args: object) -> str:
        return l10n.message(lang, f"talk-{key}", *args)

    lines = [f"== {msg('heading', l10n.format_date(today, lang, numerals))} ==", msg("intro", len(items))]
    for item in items:
        diff = f"[[Special:Diff/{item.by.revid}|{msg('diff')}]]"
        refs = f" {msg('refs', len(item.by.refs))}" if item.by.refs else ""
        lines.append(
            "* "
            + msg(
                "item",
                f"<code>{escape(item.id)}</code>",
                item.row,
                escape(item.param),
                escape(item.source_value),
                escape(item.wiki_value),
                diff,
                user_link(item.by.user),
            )
            + refs
            + f" <!-- {MARKER} {item.key} -->"
        )
    lines.append(msg("outro") + " ~~~~")
    return "\n".join(lines)


def with_section(talk_text: str, new_section: str) -> str:
    """The talk page with the section added at its end (or the section alone on a new page)."""
    return f"{talk_text.rstrip()}\n\n{new_section}\n" if talk_text.strip() else f"{new_section}\n"
