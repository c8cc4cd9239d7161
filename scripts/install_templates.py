#!/usr/bin/env python3
"""Install or update the list's templates on the wiki (row, header, footer, index).

Each template is saved only when its text differs from the shipped one. A template the bot
did not install (no installation marker in it) is never overwritten unless -force is given.

    pwb install_templates [-settings:FILE] [-always] [-force] [-simulate] [-report:FILE.json]

-settings:FILE     profile file or shipped name (default devwiki)
-always            save without asking
-force             overwrite templates that the bot did not install
-report:FILE.json  write what was done

Exit codes: 0 done, 1 error, 2 usage or settings error, 3 a template was refused.
"""

from __future__ import annotations

import pywikibot

from wikibot import bot, cli, l10n, settings, wikitemplates

SCRIPT = "install_templates"


def main(*args: str) -> int:
    """Install the templates; return the exit code."""

    def body() -> int:
        local_args = pywikibot.handle_args(args)
        options = cli.parse_options(local_args, {"always", "force"}, {"settings", "report"}, SCRIPT)
        config = settings.load(options.get("settings"))
        site = bot.site_of(config)
        items = wikitemplates.templates_for(config)
        results = bot.install_templates(
            site,
            items,
            l10n.message(config.lang, "summary-templates"),
            always=bool(options.get("always")),
            force=bool(options.get("force")),
        )
        for title, action in results:
            print(f"{action:>9}  {title}")
        edits = sum(1 for _, action in results if action in ("created", "updated"))
        cli.write_report(options.get("report"), {"templates": dict(results), "edits": edits})
        return cli.EXIT_REFUSED if any(a == "refused" for _, a in results) else cli.EXIT_OK

    return cli.run(body, bot.WIKI_ERRORS, bot.describe_wiki_error)


if __name__ == "__main__":
    raise SystemExit(main())
