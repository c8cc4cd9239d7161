"""A wiki in memory: ``runner.Wiki`` for the runner's unit tests (the dev wiki proves the real one).

Pages keep their revisions (user, text, parent), so the history, the bot's last revision and
editors' changes work as on a wiki; a test can edit as a person, ask for an edit conflict on
the next save, or exclude the bot with {{nobots}} in the text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from wikibot.limits import ParseReport, Usage
from wikibot.listpage import EditorEdit
from wikibot.wikiport import History, Page, Saved

PREFIXES = {10: "Modèle:", 6: "Fichier:", 828: "Module:", 14: "Catégorie:"}
OVER_LIMIT = "Pages dont la taille d'inclusion des modèles est dépassée"  # the tracking category here


@dataclass(frozen=True)
class Revision:
    """One revision of a page."""

    revid: int
    user: str
    text: str
    parentid: int
    summary: str = ""


@dataclass
class MemoryWiki:
    """A wiki in memory."""

    user: str = "KeepItOnBot"
    simulate: bool = False
    pages: dict[str, list[Revision]] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    conflict_next_save: set[str] = field(default_factory=set)
    fail_next_save: dict[str, str] = field(default_factory=dict)
    reads: int = 0
    revid: int = 0
    # the parser's limits, modelled: a page's post-expand size is its length plus, per call of a
    # template named here, that template's weight in bytes
    weights: dict[str, int] = field(default_factory=dict)
    post_expand_limit: int = 2_097_152
    parses: int = 0
    history_reads: int = 0
    bot_revision_reads: int = 0
    formatnum: str = "1 234 567 890"  # how this wiki shows {{formatnum:1234567890}}
    seen: dict[str, int | None] = field(default_factory=dict)  # revisions the run read or saved

    def full_title(self, title: str, namespace: int = 0) -> str:
        prefix = PREFIXES.get(namespace, "")
        return title if not prefix or title.startswith(prefix) else prefix + title

    def edit(self, title: str, text: str, user: str = "Contributeur", summary: str = "") -> int:
        """Save a revision as anyone (a person, by default)."""
        history = self.pages.setdefault(title, [])
        self.revid += 1
        history.append(Revision(self.revid, user, text, history[-1].revid if history else 0, summary))
        return self.revid

    def text(self, title: str) -> str:
        return self.pages[title][-1].text if self.pages.get(title) else ""

    def read(self, titles: Sequence[str]) -> dict[str, Page]:
        self.reads += 1
        result = {}
        for title in titles:
            history = self.pages.get(title)
            self.seen[title] = history[-1].revid if history else None
            if not history:
                result[title] = Page(title)
                continue
            latest = history[-1]
            redirect = latest.text.lstrip().upper().startswith("#REDIRECT")
            categories = self._render(latest.text).categories
            result[title] = Page(title, latest.text, True, redirect, latest.user, categories)
        return result

    def _render(self, text: str) -> ParseReport:
        size = len(text.encode()) + sum(w * text.count("{{" + name) for name, w in self.weights.items())
        over = frozenset({OVER_LIMIT}) if size > self.post_expand_limit else frozenset()
        usage = Usage("limitreport-postexpandincludesize", size, self.post_expand_limit)
        return ParseReport((usage,), over)

    def parse_report(self, title: str, text: str) -> ParseReport:
        self.parses += 1
        return self._render(text)

    def tracking_categories(self) -> frozenset[str]:
        return frozenset({OVER_LIMIT})

    def numerals(self) -> str:
        return self.formatnum

    def history(self, title: str, since: int) -> History:
        self.history_reads += 1
        revisions = [r for r in reversed(self.pages.get(title, [])) if r.revid >= since]
        texts = {r.revid: r.text for r in revisions}
        editors = tuple(
            EditorEdit(
                texts.get(r.parentid, ""),
                r.text,
                r.revid,
                r.parentid,
                r.user,
                f"2026-01-01T00:00:{r.revid:02d}Z",
            )
            for r in revisions
            if r.user != self.user and r.parentid
        )
        return History(editors[:10])

    def bot_revision(self, title: str) -> tuple[int, str] | None:
        self.bot_revision_reads += 1
        mine = [r for r in self.pages.get(title, []) if r.user == self.user]
        return (mine[-1].revid, mine[-1].text) if mine else None

    def may_edit(self, title: str) -> bool:
        return "{{nobots}}" not in self.text(title)

    def save(self, title: str, old: str, new: str, summary: str, minor: bool = False) -> Saved:
        if old.rstrip() == new.rstrip():
            return Saved("declined")
        if title in self.conflict_next_save:
            self.conflict_next_save.discard(title)
            self.edit(title, self.text(title) + "\nUne phrase ajoutée pendant ce temps.")
            return Saved("conflict")
        if title in self.fail_next_save:
            return Saved("failed", reason=self.fail_next_save.pop(title))
        if self.simulate:
            return Saved("simulated")
        revid = self.seen[title] = self.edit(title, new, self.user, summary)
        return Saved("saved", revid)

    def latest_revisions(
        self, titles: Sequence[str], embedded_in: str = "", categories: Sequence[str] = ()
    ) -> tuple[dict[str, int | None], frozenset[str] | None, frozenset[str]]:
        revisions = {t: self.pages[t][-1].revid if self.pages.get(t) else None for t in titles}
        embedded = frozenset(self.transcluding(embedded_in)) if embedded_in else frozenset()
        pages = self.read(titles).values()
        return revisions, embedded, frozenset(p.title for p in pages if p.categories & set(categories))

    def file_sha1(self, title: str) -> str | None:
        data = self.files.get(title)
        return hashlib.sha1(data).hexdigest() if data is not None else None

    def upload(self, title: str, data: bytes, comment: str, description: str) -> Saved:
        if self.simulate:
            return Saved("simulated")
        self.files[title] = data
        return Saved("saved")

    def transcluding(self, template: str) -> list[str]:
        name = template.split(":", 1)[-1]
        return sorted(t for t in self.pages if "{{" + name in self.text(t))

    def talk_title(self, title: str) -> str:
        return f"Talk:{title}"

    def diff_url(self, revid: int, parentid: int) -> str:
        return f"http://wiki.test/index.php?diff={revid}&oldid={parentid}"

    def saves_by_bot(self) -> int:
        return sum(1 for history in self.pages.values() for r in history if r.user == self.user)
