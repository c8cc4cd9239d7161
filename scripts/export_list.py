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

from wikibot import commands


def main(*args: str) -> int:
    """Run the script; return the exit code."""
    return commands.export_list(args)


if __name__ == "__main__":
    raise SystemExit(main())
