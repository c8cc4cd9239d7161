#!/usr/bin/env python3
"""The whole job in one run, for cron: the list pages, then the statistics.

Reads the source once, runs the list sync (as sync_incidents) and the statistics update (as
update_stats, when the settings have a stats section) under one lock, and writes one report.
With a settings file that lists several target wikis (`targets`, see the shipped devwikis),
it updates each wiki in turn from the one read; a failure on one wiki is reported in its
section of the report and the others go on.

    pwb sync [-settings:FILE] [-source:PATH_OR_URL] [-sheet:NAME] [-always] [-force]
            [-simulate] [-report:FILE.json]

-settings:FILE      profile file or shipped name (devwiki, devwiki-en, frwiki, enwiki);
                    default devwiki
-source:PATH_OR_URL the data: CSV, XLSX or JSON file, or an http(s) URL (Google Sheets
                    CSV export); default: the profile's source
-sheet:NAME         the XLSX sheet to read
-always             save without asking (for cron)
-force              run even though a safety check refused the source (after a human looked)
-simulate           pywikibot's global option: show the diffs, save nothing
-report:FILE.json   write the run report

Safety: the run is refused (exit 3, no edit) when the source holds no incident, fewer than
90 % of the incidents the wiki shows, would lower a year's count by more than 10 %, or is
older than the wiki's data (thresholds in the settings' safety section). The stop page
(default User:<bot>/Stop) is read before every save: unless it is missing or says "run",
the bot stops before its next edit (exit 0). One run at a time: an overlapping run exits
at once (exit 1). Each run updates the run report page (default User:<bot>/Rapport) when
its content changed.

Exit codes: 0 done (nothing to do, or stopped by the stop page, included), 1 error,
2 usage or settings error, 3 refused by a safety check.

"""

from __future__ import annotations

from wikibot import commands


def main(*args: str) -> int:
    """Run the script; return the exit code."""
    return commands.sync(args, "sync", lists=True, with_stats=True)


if __name__ == "__main__":
    raise SystemExit(main())
