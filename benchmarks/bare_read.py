"""The limit of the comparison: read the same pages once, in batches, with pywikibot, and nothing else.

python -m benchmarks.bare_read SETTINGS SOURCE
"""

from __future__ import annotations

import datetime as dt
import sys

import pywikibot
from pywikibot import pagegenerators

from wikibot import plan, settings
from wikibot.sources import SourceSpec, read_source


def main(argv: list[str]) -> int:
    """Read every page of the list in batches of 50."""
    config = settings.load(argv[0])
    source = read_source(SourceSpec(argv[1]))
    family, _, code = (config.site or "devwiki:fr").partition(":")
    site = pywikibot.Site(code, family)
    titles = [p.title for p in plan.plans(source, config, dt.date(2026, 1, 1))]
    pages = pagegenerators.PreloadingGenerator((pywikibot.Page(site, t) for t in titles), groupsize=50)
    total = sum(len(page.text) for page in pages)
    print(f"read {len(titles)} pages, {total} characters")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
