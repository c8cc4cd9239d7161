#!/usr/bin/env python3
"""Keep the KeepItOn statistics current: the data template, the statistics page, the chart,
and every inline figure on the wiki.

Computes the yearly figures from the source's incidents, reads Access Now's reported figures
(the settings' stats.reported: a file, or wiki:Page), rewrites the statistics data template
when a figure changed, updates the statistics table page (computed beside reported, each
difference explained), uploads the chart when its data changed, and fills the value of the
inline template on every page that transcludes it.

    pwb update_stats [-settings:FILE] [-source:PATH_OR_URL] [-sheet:NAME] [-always]
                     [-simulate] [-report:FILE.json]

Options as in sync_incidents. The report holds "stats": {"template", "by_year", "coalition",
"page", "chart", "inline"}. Exit codes: 0 done, 1 error, 2 usage or settings error, 3 refused.
"""

from __future__ import annotations

import pywikibot

from wikibot import bot, cli, settings
from wikibot.errors import RefusedError, SettingsError
from wikibot.sources import read_source

SCRIPT = "update_stats"


def main(*args: str) -> int:
    """Update the statistics; return the exit code."""
    local_args = pywikibot.handle_args(args)

    def body() -> int:
        options = cli.parse_options(local_args, {"always"}, {"settings", "source", "sheet", "report"}, SCRIPT)
        config = settings.load(options.get("settings"))
        if config.stats is None:
            raise SettingsError(f"{SCRIPT}: the settings {config.path} have no 'stats' section")
        source = read_source(cli.source_spec(config, options, SCRIPT))
        cli.print_source(source.report())
        if not source.incidents:
            raise RefusedError(
                f"{SCRIPT}: the source {source.location} holds no incident; nothing was changed"
            )
        result = bot.update_stats(bot.site_of(config), config, source, bool(options.get("always")))
        report = {
            "source": source.report(),
            "stats": result,
            "edits": result["edits"],
            "uploads": result["uploads"],
        }
        cli.write_report(options.get("report"), report)
        cli.print_stats(result)
        return cli.EXIT_REFUSED if result["page"]["action"] == "refused" else cli.EXIT_OK

    return cli.run(body, bot.WIKI_ERRORS)


if __name__ == "__main__":
    raise SystemExit(main())
