#!/usr/bin/env python3
"""Read the list pages back into incidents, as JSON or CSV.

Reads the index page's years, then every year page, and writes one record per incident id
with the year pages it appears on and every field its row holds (an editor's correction and
extra parameters included). Nothing is edited.

    pwb export_list [-settings:FILE] [-format:json|csv] [-out:FILE]

-settings:FILE  profile file or shipped name (default devwiki)
-format:FORMAT  json (default) or csv
-out:FILE       write there instead of standard output

Exit codes: 0 done, 1 error, 2 usage or settings error, 3 a page's region was broken.
"""

from __future__ import annotations

import sys

import pywikibot

from wikibot import bot, cli, export, settings

SCRIPT = "export_list"


def main(*args: str) -> int:
    """Export the list; return the exit code."""

    def body() -> int:
        local_args = pywikibot.handle_args(args)
        options = cli.parse_options(local_args, set(), {"settings", "format", "out"}, SCRIPT)
        fmt = options.get("format", "json")
        if fmt not in ("json", "csv"):
            raise settings.SettingsError(f"{SCRIPT}: -format must be json or csv, not {fmt!r}")
        config = settings.load(options.get("settings"))
        site = bot.site_of(config)
        records, problems = bot.export_records(site, config)
        text = export.to_json(records) if fmt == "json" else export.to_csv(records)
        if "out" in options:
            with open(options["out"], "w", encoding="utf-8", newline="") as out:
                out.write(text)
            print(f"{len(records)} incidents written to {options['out']}", file=sys.stderr)
        else:
            sys.stdout.write(text)
        for problem in problems:
            print(f"refused: {problem}", file=sys.stderr)
        return cli.EXIT_REFUSED if problems else cli.EXIT_OK

    return cli.run(body, bot.WIKI_ERRORS, bot.describe_wiki_error)


if __name__ == "__main__":
    raise SystemExit(main())
