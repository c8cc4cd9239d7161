"""The pywikibot shell: ``runner.Wiki`` implemented with pywikibot, and nothing else.

Pages are read in batches (``PreloadingGenerator``) and every save goes through pywikibot's
put path (``BaseBot.userPut``), so the framework owns the diff, the confirmation (``-always``),
``-simulate``, throttling and maxlag for list pages, templates, statistics, the report page and
maintenance pages alike.  pywikibot's errors become ``Saved("failed", …)`` for one save, or
reach the script's edge, where they are one line (``describe_wiki_error``).
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pywikibot
from pywikibot import pagegenerators
from pywikibot.bot import BaseBot
from pywikibot.data import api
from pywikibot.exceptions import (
    EditConflictError,
    PageSaveRelatedError,
    ServerError,
    UnknownFamilyError,
    UnknownSiteError,
)
from pywikibot.exceptions import (
    Error as PywikibotError,
)

from wikibot import safety
from wikibot.errors import SettingsError
from wikibot.limits import TRACKING_MESSAGES, ParseReport, report_of
from wikibot.listpage import EditorEdit
from wikibot.settings import Settings
from wikibot.wikiport import History, Page, Saved

BATCH = 50
EDITOR_REVISIONS = 10  # editor revisions after the bot's last read to say who made a decision
WIKI_ERRORS: tuple[type[BaseException], ...] = (PywikibotError, ConnectionError, OSError)


def _content(revision: dict[str, Any]) -> str:
    """A revision's wikitext, as the API gives it (main slot, either format version)."""
    main = revision.get("slots", {}).get("main", revision)
    return str(main.get("*", main.get("content", "")))


class PywikibotWiki:
    """A wiki through pywikibot: the ``runner.Wiki`` the scripts use."""

    def __init__(self, site: Any, always: bool = False) -> None:
        self.site = site
        self._saver = BaseBot(always=always)
        self._pages: dict[str, Any] = {}  # the pywikibot page last read for each title asked
        self._histories: dict[str, History] = {}
        self._bot_revisions: dict[str, tuple[int, str] | None] = {}  # for the run: the bot's own
        self._tracking: frozenset[str] | None = None
        self._numerals: str | None = None
        self.seen: dict[str, int | None] = {}  # title (as the wiki writes it) → revision read or saved

    @classmethod
    def connect(cls, settings: Settings, always: bool = False) -> PywikibotWiki:
        """The profile's wiki, logged in; the password file is checked first (never readable by others)."""
        check_password_file()
        return cls(site_of(settings), always)

    @property
    def user(self) -> str:
        """The bot's user name."""
        return str(self.site.username() or "")

    @property
    def simulate(self) -> bool:
        """pywikibot's -simulate."""
        return bool(pywikibot.config.simulate)

    def full_title(self, title: str, namespace: int = 0) -> str:
        """The title as the wiki writes it."""
        return str(pywikibot.Page(self.site, title, ns=namespace).title())

    def read(self, titles: Sequence[str]) -> dict[str, Page]:
        """The pages, read afresh BATCH at a time, keyed by the titles asked."""
        wanted = list(dict.fromkeys(titles))
        asked = {pywikibot.Page(self.site, t).title(): t for t in wanted}
        pages: Iterator[Any] = pagegenerators.PreloadingGenerator(
            (pywikibot.Page(self.site, t) for t in wanted), groupsize=BATCH, categories=True
        )
        result: dict[str, Page] = {}
        for page in pages:
            title = asked.get(page.title(), page.title())
            self._pages[title] = page
            self._histories.pop(title, None)
            self._bot_revisions.pop(title, None)
            result[title] = self._page(title, page)
            self.seen[page.title()] = page.latest_revision_id if page.exists() else None
        for title in wanted:  # pages the batch did not answer for (an invalid title, say)
            if title not in result:
                page = pywikibot.Page(self.site, title)
                self._pages[title] = page
                result[title] = self._page(title, page)
        return result

    def latest_revisions(
        self, titles: Sequence[str], embedded_in: str = "", categories: Sequence[str] = ()
    ) -> tuple[dict[str, int | None], frozenset[str] | None, frozenset[str]]:
        """Each page's latest revision id (None: no such page), the pages that transclude a
        template (None: more than one answer holds) and those asked that are in one of the
        categories, in one request per BATCH titles: page information only, no text."""
        keyed = {pywikibot.Page(self.site, t).title(): t for t in dict.fromkeys(titles)}
        names = list(keyed)
        revisions: dict[str, int | None] = {}
        embedded: frozenset[str] | None = frozenset()
        categorized: set[str] = set()
        wanted = "|".join(pywikibot.Category(self.site, name).title() for name in categories)
        for start in range(0, max(len(names), 1), BATCH):
            parameters: dict[str, Any] = {
                "action": "query",
                "prop": "info",
                "titles": names[start : start + BATCH],
            }
            if wanted:
                parameters.update(prop="info|categories", clcategories=wanted, cllimit="max")
            if embedded_in and start == 0:
                parameters.update(list="embeddedin", eititle=embedded_in, eilimit="max")
            data = api.Request(site=self.site, parameters=parameters).submit()
            query = data.get("query", {})
            back = {n["to"]: n["from"] for n in query.get("normalized", [])}
            for info in query.get("pages", {}).values():
                title = back.get(info["title"], info["title"])
                revisions[title] = None if "missing" in info or "invalid" in info else int(info["lastrevid"])
                if info.get("categories"):
                    categorized.add(title)
            if embedded_in and start == 0:
                found = frozenset(str(p["title"]) for p in query.get("embeddedin", []))
                embedded = None if "continue" in data else found
        return {t: revisions.get(t) for t in names}, embedded, frozenset(categorized)

    @staticmethod
    def _page(title: str, page: Any) -> Page:
        if not page.exists():
            return Page(title)
        # the categories came with the batch (hidden ones included): no request here
        categories = frozenset(str(c.title(with_ns=False)) for c in getattr(page, "_categories", ()))
        user = str(page.latest_revision.user)
        return Page(title, str(page.text), True, page.isRedirectPage(), user, categories)

    def _page_object(self, title: str) -> Any:
        if title not in self._pages:
            self.read([title])
        return self._pages[title]

    def _revisions(self, title: str, **parameters: object) -> list[dict[str, Any]]:
        """Revisions of a page with their wikitext, newest first (one request; none: no page)."""
        page = self._page_object(title)
        if not page.exists():
            return []
        request = api.Request(
            site=self.site,
            parameters={
                "action": "query",
                "prop": "revisions",
                "titles": page.title(),
                "rvslots": "main",
                **parameters,
            },
        )
        found: list[dict[str, Any]] = []
        for info in request.submit().get("query", {}).get("pages", {}).values():
            found.extend(info.get("revisions", []))
        return found

    def history(self, title: str, since: int) -> History:
        """The editors' revisions after revision ``since`` (the bot's last), the newest
        EDITOR_REVISIONS of them with their parents' text (one request): only to say who made a
        decision just found (``pagesync.attributions``), never to find one."""
        if title in self._histories:
            return self._histories[title]
        found = self._revisions(
            title, rvprop="ids|user|timestamp|content", rvlimit=EDITOR_REVISIONS + 1, rvendid=since
        )
        texts = {int(r["revid"]): _content(r) for r in found}
        edits: list[EditorEdit] = []
        for revision in found:
            parent = texts.get(int(revision.get("parentid", 0)))
            if revision.get("user") == self.user or parent is None or len(edits) >= EDITOR_REVISIONS:
                continue
            edits.append(
                EditorEdit(
                    parent,
                    texts[int(revision["revid"])],
                    int(revision["revid"]),
                    int(revision["parentid"]),
                    str(revision.get("user", "")),
                    str(revision.get("timestamp", "")),
                )
            )
        self._histories[title] = History(tuple(edits))
        return self._histories[title]

    def bot_revision(self, title: str) -> tuple[int, str] | None:
        """The bot's own last revision of the page (id, text), however many revisions came after
        it (one request: ``rvuser``); None when the bot never edited the page."""
        if title not in self._bot_revisions:
            mine = self._revisions(title, rvuser=self.user, rvlimit=1, rvprop="ids|content")
            self._bot_revisions[title] = (int(mine[0]["revid"]), _content(mine[0])) if mine else None
        return self._bot_revisions[title]

    def may_edit(self, title: str) -> bool:
        """pywikibot's {{bots}} / {{nobots}} check (it parses the page: asked only before a save)."""
        return bool(self._page_object(title).botMayEdit())

    def save(self, title: str, old: str, new: str, summary: str, minor: bool = False) -> Saved:
        """Save through ``BaseBot.userPut``: the diff, the confirmation and -simulate are pywikibot's."""
        page = self._page_object(title)
        try:
            saved = self._saver.userPut(
                page,
                old,
                new,
                summary=summary,
                minor=minor,
                bot=True,
                asynchronous=False,
                ignore_save_related_errors=False,
                ignore_server_errors=False,
            )
        except EditConflictError:
            pywikibot.info(f"Edit conflict on {title}: reading it again")
            return Saved("conflict")
        except (PageSaveRelatedError, ServerError) as exc:
            return Saved("failed", reason=" ".join(f"{type(exc).__name__}: {exc}".split()))
        if not saved:
            return Saved("declined")
        if self.simulate:
            return Saved("simulated")
        self.seen[page.title()] = page.latest_revision_id
        return Saved("saved", page.latest_revision_id)

    def file_sha1(self, title: str) -> str | None:
        """The SHA-1 of the file's current version."""
        page = pywikibot.FilePage(self.site, title)
        return str(page.latest_file_info.sha1) if page.exists() else None

    def upload(self, title: str, data: bytes, comment: str, description: str) -> Saved:
        """Upload a new version of a file, after the same confirmation as a save (-simulate: nothing)."""
        page = pywikibot.FilePage(self.site, title)
        if self.simulate:
            pywikibot.info(f"SIMULATION: {title} would be uploaded ({len(data)} bytes)")
            return Saved("simulated")
        if not self._saver.user_confirm(f"Upload a new version of {title}?"):
            return Saved("declined")
        with tempfile.NamedTemporaryFile(suffix=Path(title).suffix or ".svg") as tmp:
            tmp.write(data)
            tmp.flush()
            page.upload(
                tmp.name, summary=comment, text=description, ignore_warnings=True, report_success=False
            )
        return Saved("saved")

    def diff_url(self, revid: int, parentid: int) -> str:
        """The address of a diff on this wiki."""
        family, code = self.site.family, self.site.code
        return f"{family.base_url(code, family.path(code))}?diff={revid}&oldid={parentid}"

    def talk_title(self, title: str) -> str:
        """The page's talk page (Discussion:…, Talk:…, نقاش:…)."""
        return str(pywikibot.Page(self.site, title).toggleTalkPage().title())

    def parse_report(self, title: str, text: str) -> ParseReport:
        """The wiki's parse of a text as this page (action=parse, POST): its limits and categories."""
        request = self.site.simple_request(
            action="parse",
            title=title,
            text=text,
            contentmodel="wikitext",
            prop="limitreportdata|categories",
            disableeditsection=True,
        )
        request.use_get = False  # a year page's text is far longer than a URL may be
        parsed = request.submit()["parse"]
        categories = [
            str(c.get("*") or c.get("category", "")).replace("_", " ") for c in parsed["categories"]
        ]
        return report_of(parsed.get("limitreportdata", []), categories)

    def tracking_categories(self) -> frozenset[str]:
        """The names of the parser's limit tracking categories on this wiki (asked once a run)."""
        if self._tracking is None:
            request = self.site.simple_request(
                action="query",
                meta="allmessages",
                ammessages="|".join(TRACKING_MESSAGES),
                amenableparser=True,
            )
            messages = request.submit()["query"]["allmessages"]
            names = [str(m.get("*", "")) for m in messages if "missing" not in m]
            self._tracking = frozenset(n.replace("_", " ").strip() for n in names if n.strip())
        return self._tracking

    def numerals(self) -> str:
        """How the wiki shows {{formatnum:1234567890}} (asked once a run): Arabic Wikipedia, for one,
        shows Western digits where MediaWiki's default for Arabic is Eastern Arabic ones."""
        if self._numerals is None:
            answer = self.site.expand_text("{{formatnum:1234567890}}")
            self._numerals = str(answer).strip()
        return self._numerals

    def transcluding(self, template: str) -> list[str]:
        """The pages that transclude the template."""
        page = pywikibot.Page(self.site, template)
        return [str(p.title()) for p in page.getReferences(only_template_inclusion=True, content=False)]


def site_of(settings: Settings) -> Any:
    """The pywikibot site of a profile ('family:code'), else pywikibot's default site.

    The dev wiki runs without pauses; any other wiki gets at least pywikibot's usual pauses
    (10 s between saves, 0.1 s between reads) even when user-config.py set less.
    """
    install_one_line_tracebacks()
    family, _, code = (settings.site or f"{pywikibot.config.family}:{pywikibot.config.mylang}").partition(":")
    if not code:
        raise SettingsError(f"settings {settings.path}: 'site' must be family:code, e.g. wikipedia:fr")
    if family != "devwiki":
        pywikibot.config.put_throttle = max(pywikibot.config.put_throttle, 10)
        pywikibot.config.minthrottle = max(pywikibot.config.minthrottle, 0.1)
    try:
        return pywikibot.Site(code, family)
    except (UnknownFamilyError, UnknownSiteError) as exc:
        raise SettingsError(
            f"settings {settings.path}: site {settings.site!r} is unknown to pywikibot ({exc})"
        ) from None


def check_password_file() -> None:
    """Refuse a password file that others can read (pywikibot would only fix it quietly)."""
    name = pywikibot.config.password_file
    if not name:
        return
    path = Path(pywikibot.config.base_dir) / name
    if path.exists():
        problem = safety.password_file_problem(path.stat().st_mode)
        if problem:
            raise SettingsError(f"password file {path}: {problem}")


class OneLineTracebacks(logging.Filter):
    """A traceback pywikibot logs before retrying a request becomes its last line.

    Such a failure is expected (a timeout, a reset connection) and pywikibot retries it; the
    operator sees what failed in one line, never a traceback.  ``last_cause`` is what the
    final error is reported with.
    """

    def __init__(self) -> None:
        super().__init__()
        self.last_cause = ""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message.startswith("Traceback (most recent call last)"):
            last = message.strip().splitlines()[-1]
            self.last_cause = last.split(": ", 1)[-1]
            record.msg, record.args = f"request failed, retrying: {last}", ()
        elif record.levelno >= logging.WARNING and (
            "maxlag" in message.lower() or "read-only" in message.lower()
        ):
            self.last_cause = message.strip().splitlines()[0]
        return True


def install_one_line_tracebacks() -> OneLineTracebacks:
    """The filter on pywikibot's logger (it outlives handler re-initialization), installed once."""
    logger = logging.getLogger("pywiki")
    for existing in logger.filters:
        if isinstance(existing, OneLineTracebacks):
            return existing
    installed = OneLineTracebacks()
    logger.addFilter(installed)
    return installed


def describe_wiki_error(exc: BaseException) -> str:
    """One line for a wiki failure, with the cause of the retries that led to it."""
    text = f"{type(exc).__name__}: {exc}".splitlines()[0]
    cause = install_one_line_tracebacks().last_cause
    return f"{text} (last cause: {cause})" if cause and cause not in text else text
