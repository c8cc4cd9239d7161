"""Safety rules (pure): the shrink and plausibility gate, the stop page, the password file.

The gate compares the source with what the wiki already shows, read from the index page
(one small page: its rows hold each year's count and its header the date of the data):

* the source holds no incident;
* the source holds fewer than ``min_fraction`` (0.9) of the incidents on the wiki, counted as
  (incident, year) pairs, the same measure the index shows;
* a year the wiki shows would lose more than ``max_year_drop`` (0.1) of its incidents, or
  disappear;
* the source's data is older than the data the wiki shows.

Each failed rule is one reason; any reason refuses the run (exit 3) unless ``-force``.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass

from wikibot.model import SourceResult

RUN_VALUE = "run"


@dataclass(frozen=True)
class SafetySettings:
    """Thresholds and pages of the safety checks."""

    min_fraction: float = 0.9
    max_year_drop: float = 0.1
    stop_page: str = "User:{bot}/Stop"
    run_value: str = RUN_VALUE
    report_page: str = "User:{bot}/Report"  # the settings give it in the wiki's language
    decisions_page: str = "User:{bot}/decisions.json"  # a user JSON page: only the bot edits it
    lock_file: str = ".cache/wikibot.lock"


@dataclass(frozen=True)
class WikiState:
    """What the wiki shows now: incidents per year and the date of its data ('' if unknown)."""

    by_year: dict[int, int]
    as_of: str = ""


def gate(source: SourceResult, wiki: WikiState, settings: SafetySettings, lang: str = "en") -> list[str]:
    """The reasons to refuse this source, in the wiki's language (empty: go ahead)."""
    from wikibot import l10n  # the messages; safety's rules themselves need no language

    def reason(key: str, *args: object) -> str:
        return l10n.message(lang, f"gate-{key}", *args)

    reasons = []
    counts = {year: c.incidents for year, c in source.by_year().items()}
    if not source.incidents:
        reasons.append(reason("empty", source.location))
    on_wiki = sum(wiki.by_year.values())
    in_source = sum(counts.values())
    if on_wiki and in_source < settings.min_fraction * on_wiki:
        reasons.append(reason("fraction", in_source, f"{settings.min_fraction:.0%}", on_wiki))
    for year, shown in sorted(wiki.by_year.items()):
        now = counts.get(year, 0)
        if shown and now < shown * (1 - settings.max_year_drop):
            reasons.append(reason("drop", year, shown, now, f"{settings.max_year_drop:.0%}"))
    if wiki.as_of and source.as_of and source.as_of < wiki.as_of:
        reasons.append(reason("older", source.as_of, wiki.as_of))
    return reasons


def may_run(stop_page_text: str | None, run_value: str = RUN_VALUE) -> bool:
    """True when the stop page is missing or holds exactly the run value (spaces ignored)."""
    return stop_page_text is None or stop_page_text.strip().casefold() == run_value.casefold()


def password_file_problem(mode: int) -> str | None:
    """Why a password file's permissions are unsafe (group or others may read it), or None."""
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        return f"its mode is {stat.S_IMODE(mode):04o}; run: chmod 600 on it (only its owner may read it)"
    return None
