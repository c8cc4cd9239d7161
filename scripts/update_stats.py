#!/usr/bin/env python3
"""Keep the KeepItOn statistics current: the data template, the statistics page, the chart,
and every inline figure on the wiki.

Computes the yearly figures and their breakdowns from the source's incidents, reads Access
Now's reported figures (the settings' stats.reported: a file, or wiki:Page), rewrites the
statistics data template and its tables template when a figure changed, updates the
statistics page (computed beside published) and the per-country page, uploads the chart and
maps when their data changed, and fills the value of the inline template on every page that
transcludes it. The report holds "stats": {"template", "tables", "by_year", "by_country",
"decision_makers", "coalition", "page", "countries_page", "chart", "maps", "inline"}.

    pwb update_stats [-settings:FILE] [-source:PATH_OR_URL] [-sheet:NAME] [-always] [-force]
                    [-simulate] [-report:FILE.json]

Options, safety checks and exit codes: as for `pwb sync` (see `pwb sync -help`).
"""

from __future__ import annotations

from wikibot import commands


def main(*args: str) -> int:
    """Run the script; return the exit code."""
    return commands.sync(args, "update_stats", lists=False, with_stats=True)


if __name__ == "__main__":
    raise SystemExit(main())
