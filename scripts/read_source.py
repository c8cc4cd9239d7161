#!/usr/bin/env python3
"""Show what a source holds, without touching any wiki.

Prints rows read, incidents, rejected rows with their reasons, and counts by year; the
report's ``source`` object is the one every syncing script writes.

    pwb read_source [-settings:FILE] [-source:PATH_OR_URL] [-sheet:NAME] [-report:FILE.json]

-settings:FILE       profile whose source and layout to use (default devwiki)
-source:PATH_OR_URL  a CSV, XLSX or JSON file, or an http(s) URL
-sheet:NAME          the XLSX sheet to read
-report:FILE.json    write the report, with every incident, as JSON

Exit codes: 0 done, 1 the source cannot be read, 2 usage or settings error.
"""

from __future__ import annotations

import sys

from wikibot import cli, export, settings
from wikibot.errors import EXIT_OK
from wikibot.sources import read_source

SCRIPT = "read_source"


def main(*args: str) -> int:
    """Read and describe a source; return the exit code."""

    def body() -> int:
        # No pywikibot.handle_args: it would connect to the default wiki, and this script touches none.
        local_args = list(args) or sys.argv[1:]
        options = cli.parse_options(local_args, set(), {"settings", "source", "sheet", "report"}, SCRIPT)
        config = settings.load(options.get("settings"))
        source = read_source(cli.source_spec(config, options, SCRIPT))
        report = source.report()
        cli.print_source(report)
        cli.write_report(
            options.get("report"),
            {"source": report, "incidents": [export.incident_record(i) for i in source.incidents]},
        )
        return EXIT_OK

    return cli.run(body)


if __name__ == "__main__":
    raise SystemExit(main())
