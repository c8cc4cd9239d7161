#!/usr/bin/env python3
"""Keep the wiki's list of Internet shutdowns current from the STOP data.

Reads the source, merges its incidents into one page per year and an index page, and saves
the pages that changed. Rows editors added, parameters the bot does not own and everything
outside the bot's region stay as they are; a value an editor changed is kept and reported.

    pwb sync_incidents [-settings:FILE] [-source:PATH_OR_URL] [-sheet:NAME] [-always] [-force]
                      [-simulate] [-report:FILE.json]

Options, safety checks and exit codes: as for `pwb sync` (see `pwb sync -help`).
"""

from __future__ import annotations

from wikibot import commands


def main(*args: str) -> int:
    """Run the script; return the exit code."""
    return commands.sync(args, "sync_incidents", lists=True, with_stats=False)


if __name__ == "__main__":
    raise SystemExit(main())
