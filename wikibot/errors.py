"""The bot's errors: one tree, caught only at the edge (the scripts), reported in one line.

    WikibotError                  base; str(error) is the one line shown to the user
    ├── SettingsError             settings/profile file or on-wiki settings invalid (settings.py)
    ├── SourceError               the data source cannot be read at all (sources/)
    ├── PageError                 a wiki page cannot be handled, e.g. broken region markers (listpage.py)
    └── RefusedError              a safety check refused the run (safety.py); exit code 3

A bad *row* is not an error: it becomes a ``Rejected`` record and the other rows go on.
"""


class WikibotError(Exception):
    """Base of every expected failure; the message says what, where and what to do."""

    exit_code = 1


class SettingsError(WikibotError):
    """Raised by settings.py when a settings file or value is invalid."""

    exit_code = 2


class SourceError(WikibotError):
    """Raised by the source readers when a source cannot be read at all."""


class PageError(WikibotError):
    """Raised by listpage.py when a page's bot region cannot be found or is broken."""


class RefusedError(WikibotError):
    """Raised by safety.py when a check refuses the run."""

    exit_code = 3
