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

from wikibot import commands


def main(*args: str) -> int:
    """Run the script; return the exit code."""
    return commands.install_templates(args)


if __name__ == "__main__":
    raise SystemExit(main())
