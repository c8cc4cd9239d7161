#!/usr/bin/env python3
"""List the corrections editors made that the source does not have, for the data's maintainers.

Reads the source, then the list pages, the index and the statistics table, and writes every
bot-owned value on the wiki that differs from the source because an editor changed it: the row
id, the page, the field, the source's value, the wiki's value, the editor, the time, the diff's
address and the references the editor added to the row. This is what Access Now's maintainers
would review to fix their dataset. Nothing is edited.

    pwb corrections [-settings:FILE] [-source:PATH_OR_URL] [-sheet:NAME] [-format:json|csv] [-out:FILE]

-settings:FILE       profile file or shipped name (default devwiki)
-source:PATH_OR_URL  the data to compare with (default: the profile's source)
-format:FORMAT       json (default) or csv
-out:FILE            write there instead of standard output

Exit codes: 0 done, 1 error, 2 usage or settings error.
"""

from __future__ import annotations

from wikibot import commands


def main(*args: str) -> int:
    """Run the script; return the exit code."""
    return commands.corrections(args)


if __name__ == "__main__":
    raise SystemExit(main())
