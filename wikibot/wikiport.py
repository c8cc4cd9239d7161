"""The wiki port: what a run needs of a wiki, and the records that cross it.

``wikibot.bot.PywikibotWiki`` implements ``Wiki`` with pywikibot; ``tests/memwiki.py`` in
memory, for the unit tests.  The run (``wikibot.runner``), the page sync and the statistics
publishing speak only to this protocol.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from wikibot.limits import ParseReport
from wikibot.listpage import EditorEdit


@dataclass(frozen=True)
class Page:
    """A page as read: its text ('' when it does not exist) and who wrote its latest revision."""

    title: str
    text: str = ""
    exists: bool = False
    redirect: bool = False
    latest_user: str = ""
    categories: frozenset[str] = frozenset()  # names, without the namespace (hidden ones included)


@dataclass(frozen=True)
class History:
    """A page's recent history: the editors' revisions after the bot's last one, newest first."""

    editors: tuple[EditorEdit, ...] = ()  # with their parents' text


SaveOutcome = Literal["saved", "simulated", "declined", "conflict", "failed"]


@dataclass(frozen=True)
class Saved:
    """What a save (or an upload) came to."""

    outcome: SaveOutcome
    revid: int | None = None
    reason: str = ""


class Wiki(Protocol):
    """What a run needs of a wiki."""

    seen: dict[str, int | None]  # title → the latest revision the run read or saved

    @property
    def user(self) -> str:
        """The bot's user name."""

    @property
    def simulate(self) -> bool:
        """True when saves are only shown (pywikibot's -simulate)."""

    def full_title(self, title: str, namespace: int = 0) -> str:
        """A title as the wiki writes it (namespace prefix in the wiki's language)."""

    def read(self, titles: Sequence[str]) -> dict[str, Page]:
        """The pages, read afresh in batches, by the titles asked."""

    def history(self, title: str, since: int) -> History:
        """The editors' revisions after revision ``since`` (the newest ones, one request; cached for
        the run): who made a decision."""

    def bot_revision(self, title: str) -> tuple[int, str] | None:
        """The bot's own last revision of the page (id, text), however old; None: never edited."""

    def may_edit(self, title: str) -> bool:
        """False when {{bots}} / {{nobots}} on the page excludes this bot."""

    def save(self, title: str, old: str, new: str, summary: str, minor: bool = False) -> Saved:
        """Save new text over old through the framework's put path (diff, confirmation, -simulate)."""

    def file_sha1(self, title: str) -> str | None:
        """The SHA-1 of a file page's current file, None when there is none."""

    def upload(self, title: str, data: bytes, comment: str, description: str) -> Saved:
        """Upload the bytes as a new version of the file."""

    def transcluding(self, template: str) -> list[str]:
        """The titles of the pages that transclude a template."""

    def talk_title(self, title: str) -> str:
        """The title of a page's talk page."""

    def diff_url(self, revid: int, parentid: int) -> str:
        """The address of the diff between a revision and its parent."""

    def parse_report(self, title: str, text: str) -> ParseReport:
        """What the wiki's parser makes of a text as this page: the limits it uses, its categories."""

    def tracking_categories(self) -> frozenset[str]:
        """The names of the categories the parser puts a page in when it passes a limit."""

    def numerals(self) -> str:
        """How the wiki shows {{formatnum:1234567890}}: its digits and group separator."""

    def latest_revisions(
        self, titles: Sequence[str], embedded_in: str = "", categories: Sequence[str] = ()
    ) -> tuple[dict[str, int | None], frozenset[str] | None, frozenset[str]]:
        """Each page's latest revision (None: no such page), the pages transcluding a template
        (None: too many to list) and those of the pages asked that are in one of the categories
        (names, no namespace): page information only, one request."""
