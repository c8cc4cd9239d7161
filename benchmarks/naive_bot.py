"""The naive bot of the comparison: what a user writes in an afternoon.

Regenerates every year page and the index from the data and saves each of them on every run,
through pywikibot, without reading or merging what is on the wiki.

    python -m benchmarks.naive_bot SETTINGS SOURCE
"""

from __future__ import annotations

import datetime as dt
import sys

import pywikibot

from wikibot import plan, settings
from wikibot.sources import SourceSpec, read_source


def main(argv: list[str]) -> int:
    """Render and save every page."""
    config = settings.load(argv[0])
    source = read_source(SourceSpec(argv[1]))
    family, _, code = (config.site or "devwiki:fr").partition(":")
    site = pywikibot.Site(code, family)
    for page_plan in plan.plans(source, config, dt.date(2026, 1, 1)):
        page = pywikibot.Page(site, page_plan.title)
        page.text = page_plan.new_text()
        page.save(summary="naive bot", bot=True, asynchronous=False, force=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
