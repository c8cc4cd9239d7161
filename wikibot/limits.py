"""The parser's limits: what a page's parse report says, and whether the page fits (pure).

MediaWiki stops expanding templates once a page passes one of its parser limits (post-expand
include size and template argument size, 2 MB each by default; Lua time, 10 s on Wikipedia;
visited nodes, expansion depth, expensive functions): what comes after is left out — on a list,
the references — and the page joins a tracking category.  The bot asks the wiki to parse a page
before saving it (``Wiki.parse_report``) and reads the tracking categories of its pages on every
run, so that it never leaves a page of its own past a limit: such a page is written again without
the wiki's citation template (the plan's ``fallback``) or refused with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# The limit report's keys the bot checks, with the words the run report uses.
LIMITS = {
    "limitreport-postexpandincludesize": "post-expand include size",
    "limitreport-templateargumentsize": "template argument size",
    "scribunto-limitreport-timeusage": "Lua time",
    "limitreport-ppvisitednodes": "preprocessor visited nodes",
    "limitreport-expansiondepth": "expansion depth",
    "limitreport-expensivefunctioncount": "expensive parser functions",
    "limitreport-unstrip-size": "unstrip size",
}
# The system messages that name the tracking categories of a page past a limit (or whose
# references or Lua modules failed): the wiki gives each category's name in its language.
TRACKING_MESSAGES = (
    "post-expand-template-inclusion-category",
    "post-expand-template-argument-category",
    "node-count-exceeded-category",
    "expansion-depth-exceeded-category",
    "expensive-parserfunction-category",
    "template-loop-category",
    "scribunto-common-error-category",
    "cite-tracking-category-cite-error",
)


@dataclass(frozen=True)
class Usage:
    """How much of one limit a page uses."""

    key: str
    used: float
    limit: float

    @property
    def share(self) -> float:
        """The part of the limit used (1.0: all of it)."""
        return self.used / self.limit if self.limit else 0.0

    def text(self) -> str:
        """ "post-expand include size 37 % (776,810 of 2,097,152)"."""
        return f"{LIMITS.get(self.key, self.key)} {self.share:.0%} ({self.used:,g} of {self.limit:,g})"


@dataclass(frozen=True)
class ParseReport:
    """What parsing a page's text gave: the limits it used and the categories it is in."""

    usages: tuple[Usage, ...]
    categories: frozenset[str] = frozenset()  # names, without the namespace

    def problems(self, tracking: frozenset[str]) -> tuple[str, ...]:
        """Why the page does not fit (empty: it fits): each limit passed, each tracking category."""
        over = [u.text() for u in self.usages if u.used > u.limit]
        return (*over, *(f"category {name!r}" for name in sorted(self.categories & tracking)))

    @property
    def highest(self) -> Usage | None:
        """The limit the page uses most of."""
        return max(self.usages, key=lambda u: u.share, default=None)

    def as_json(self) -> dict[str, Any]:
        """As the run report writes it: each limit's use and its maximum."""
        return {LIMITS[u.key]: [u.used, u.limit] for u in self.usages}


def report_of(limitreportdata: Iterable[Mapping[str, Any]], categories: Iterable[str]) -> ParseReport:
    """The report of ``action=parse&prop=limitreportdata|categories``: each checked limit's use."""
    usages = []
    for item in limitreportdata:
        key = str(item.get("name", ""))
        if key in LIMITS and "1" in item:
            usages.append(Usage(key, float(item["0"]), float(item["1"])))
    return ParseReport(tuple(usages), frozenset(categories))
