#!/usr/bin/env python3
"""Lint the list pages without editing them.

Finds duplicate ids, rows without an id (added by hand), empty or malformed required fields
(start date, countries), end dates before start dates, unknown countries, rows with no
source link, incidents the source no longer has, and broken region markers. Prints a table.

    pwb check_list [-settings:FILE] [-source:PATH_OR_URL] [-sheet:NAME] [-nosource]
                   [-report:FILE.json] [-page:TITLE] [-always]

-settings:FILE      profile file or shipped name (default devwiki)
-source:PATH_OR_URL the data to compare with (default: the profile's source)
-nosource           do not read the source (skips the "not in source" check)
-report:FILE.json   write the findings as JSON
-page:TITLE         write the findings to this maintenance page (saved only when they change)
-always             save the maintenance page without asking

Exit codes: 0 no finding, 1 findings (or an error), 2 usage or settings error.
"""

from __future__ import annotations

from wikibot import commands


def main(*args: str) -> int:
    """Run the script; return the exit code."""
    return commands.check_list(args)


if __name__ == "__main__":
    raise SystemExit(main())
