#!/usr/bin/env python3
"""Keep the wiki's list of Internet shutdowns current from the STOP data.

Reads the source, merges its incidents into one page per year and an index page, and saves
the pages that changed. Rows editors added, parameters the bot does not own and everything
outside the bot's region stay as they are.

    pwb sync_incidents [-settings:FILE] [-source:PATH_OR_URL] [-sheet:NAME] [-always]
                       [-simulate] [-report:FILE.json]

-settings:FILE      profile file or shipped name (devwiki, devwiki-en, frwiki, enwiki);
                    default devwiki
-source:PATH_OR_URL the data: CSV, XLSX or JSON file, or an http(s) URL (Google Sheets
                    CSV export); default: the profile's source
-sheet:NAME         the XLSX sheet to read
-always             save without asking (for cron)
-simulate           pywikibot's global option: show the diffs, save nothing
-report:FILE.json   write the run report

Exit codes: 0 done (nothing to do included), 1 error, 2 usage or settings error,
3 refused by a safety check (a page's markers broken, a source with no incident).
"""

from __future__ import annotations

import pywikibot

from wikibot import bot, cli, plan, settings
from wikibot.errors import RefusedError
from wikibot.sources import read_source

SCRIPT = "sync_incidents"


def main(*args: str) -> int:
    """Run the list sync; return the exit code."""
    local_args = pywikibot.handle_args(args)

    def body() -> int:
        options = cli.parse_options(local_args, {"always"}, {"settings", "source", "sheet", "report"}, SCRIPT)
        config = settings.load(options.get("settings"))
        source = read_source(cli.source_spec(config, options, SCRIPT))
        report: dict[str, object] = {"source": source.report(), "simulate": bool(pywikibot.config.simulate)}
        cli.print_source(source.report())
        if not source.incidents:
            report.update(edits=0, pages=[], refused="the source holds no incident")
            cli.write_report(options.get("report"), report)
            raise RefusedError(
                f"{SCRIPT}: the source {source.location} holds no incident; nothing was changed"
            )
        site = bot.site_of(config)
        plans = plan.plans(source, config, bot.today())
        pages, edits = bot.sync_pages(
            site, plans, bot.source_name(config), source.as_of, bool(options.get("always"))
        )
        report.update(edits=edits, pages=[p.as_dict() for p in pages])
        cli.write_report(options.get("report"), report)
        cli.print_pages(pages)
        print(f"edits: {edits}")
        return cli.pages_exit_code(report["pages"])

    return cli.run(body, bot.WIKI_ERRORS)


if __name__ == "__main__":
    raise SystemExit(main())
