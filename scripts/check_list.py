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

import pywikibot

from wikibot import bot, checks, cli, l10n, settings
from wikibot.sources import read_source

SCRIPT = "check_list"


def main(*args: str) -> int:
    """Check the list pages; return the exit code."""

    def body() -> int:
        local_args = pywikibot.handle_args(args)
        options = cli.parse_options(
            local_args, {"always", "nosource"}, {"settings", "source", "sheet", "report", "page"}, SCRIPT
        )
        config = settings.load(options.get("settings"))
        source = None if options.get("nosource") else read_source(cli.source_spec(config, options, SCRIPT))
        site = bot.site_of(config)
        findings, titles = bot.check_list(site, config, source)
        print(f"checked {len(titles)} pages: {len(findings)} findings")
        for finding in sorted(findings):
            print(f"{finding.kind:<16} {finding.title} [{finding.id}] {finding.detail}")
        cli.write_report(
            options.get("report"), {"pages": titles, "findings": [f.as_dict() for f in findings]}
        )
        if "page" in options:
            text = checks.findings_text(findings, config.lang)
            action = (
                bot.save_page(
                    site, options["page"], text, l10n.message(config.lang, "check-summary", len(findings))
                )
                if not pywikibot.config.simulate
                else "simulated"
            )
            print(f"{action:>9}  {options['page']}")
        return 1 if findings else 0

    return cli.run(body, bot.WIKI_ERRORS, bot.describe_wiki_error)


if __name__ == "__main__":
    raise SystemExit(main())
