"""The bot's errors: one tree, each raised where it says, reported in one line where it is caught.

    WikibotError        base; str(error) is the one line shown to the user; exit_code 1
    ├── SettingsError   a settings file, an option or the on-wiki settings are invalid
    │                   (settings.py, cli.parse_options, runner.reported_figures); exit 2
    ├── SourceError     the data source cannot be read at all (sources/); exit 1
    ├── PageError       a page's bot region is missing or broken (listpage.py); caught by the
    │                   runner, which refuses that page and goes on (exit 3 at the end)
    └── LockedError     another run holds the run lock (cli.locked); exit 1

Caught at the edge only (``cli.run``), except PageError (one page, not the run) and, in a
several-wiki run, any WikibotError of one wiki (``runner.run_many``: the others go on).
A refusal by a safety check is not an error: the run ends with a report saying why (exit 3).
A bad *row* is not an error either: it becomes a ``Rejected`` record and the other rows go on.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_REFUSED = 0, 1, 2, 3


class WikibotError(Exception):
    """Base of every expected failure; the message says what, where and what to do."""

    exit_code = EXIT_ERROR


class SettingsError(WikibotError):
    """Raised by settings.py (and the option parser) when a setting or an option is invalid."""

    exit_code = EXIT_USAGE

    @classmethod
    def unknown_keys(cls, keys: Iterable[str], known: Iterable[str], where: str) -> SettingsError:
        """The error for keys nobody reads (a typo such as 'saftey'), with the closest known key."""
        names, choices = sorted(map(str, keys)), sorted(known)
        close = difflib.get_close_matches(names[0], choices, n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        listed = ", ".join(repr(n) for n in names)
        return cls(f"{where}: unknown key {listed}{hint} (known: {', '.join(choices)})")


class SourceError(WikibotError):
    """Raised by the source readers when a source cannot be read at all."""


class PageError(WikibotError):
    """Raised by listpage.py when a page's bot region cannot be found or is broken."""

    exit_code = EXIT_REFUSED


class LockedError(WikibotError):
    """Raised by cli.locked when another run holds the run lock."""
