#!/usr/bin/env python3
"""The whole job in one run, for cron: the list pages, then the statistics.

Reads the source once, runs the list sync (as sync_incidents) and the statistics update (as
update_stats), and writes one report.

    pwb sync [-settings:FILE] [-source:PATH_OR_URL] [-sheet:NAME] [-always] [-simulate]
             [-report:FILE.json]

Exit codes: 0 done (nothing to do included), 1 error, 2 usage or settings error,
3 refused by a safety check.
"""

from __future__ import annotations

import pywikibot

from wikibot import bot, cli, plan, settings
from wikibot.errors import RefusedError
from wikibot.sources import read_source

SCRIPT = "sync"


def main(*args: str) -> int:
    """Run the list sync and the statistics; return the exit code."""
    local_args = pywikibot.handle_args(args)

    def body() -> int:
        options = cli.parse_options(local_args, {"always"}, {"settings", "source", "sheet", "report"}, SCRIPT)
        config = settings.load(options.get("settings"))
        source = read_source(cli.source_spec(config, options, SCRIPT))
        cli.print_source(source.report())
        report: dict[str, object] = {"source": source.report(), "simulate": bool(pywikibot.config.simulate)}
        if not source.incidents:
            report.update(edits=0, pages=[], refused="the source holds no incident")
            cli.write_report(options.get("report"), report)
            raise RefusedError(
                f"{SCRIPT}: the source {source.location} holds no incident; nothing was changed"
            )
        site = bot.site_of(config)
        always = bool(options.get("always"))
        pages, edits = bot.sync_pages(
            site, plan.plans(source, config, bot.today()), bot.source_name(config), source.as_of, always
        )
        report.update(pages=[p.as_dict() for p in pages])
        cli.print_pages(pages)
        uploads = 0
        if config.stats is not None:
            result = bot.update_stats(site, config, source, always)
            report["stats"] = result
            edits += result["edits"]
            uploads = result["uploads"]
            cli.print_stats(result)
        report.update(edits=edits, uploads=uploads)
        cli.write_report(options.get("report"), report)
        print(f"edits: {edits}, uploads: {uploads}")
        return cli.pages_exit_code([p.as_dict() for p in pages])

    return cli.run(body, bot.WIKI_ERRORS)


if __name__ == "__main__":
    raise SystemExit(main())
