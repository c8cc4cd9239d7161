"""The naive peer: the best simple bot a user writes in an afternoon.

It regenerates every year page and the index from the data, whole, reads each page and saves it
only when the text differs (pywikibot's usual save), without merging what editors wrote. Prints
how many pages it saved.

    python -m benchmarks.naive_bot SETTINGS SOURCE
"""

from __future__ import annotations

import datetime as dt
import sys

import pywikibot
from pywikibot import pagegenerators

from wikibot import plan, settings
from wikibot.sources import SourceSpec, read_source


def main(argv: list[str]) -> int:
    """Render every page, save the ones whose text changed."""
    config = settings.load(argv[0])
    source = read_source(SourceSpec(argv[1]))
    family, _, code = (config.site or "devwiki:fr").partition(":")
    site = pywikibot.Site(code, family)
    plans = {p.title: p for p in plan.plans(source, config, dt.date(2026, 1, 1))}
    saved = 0
    pages = pagegenerators.PreloadingGenerator((pywikibot.Page(site, t) for t in plans), groupsize=50)
    for page in pages:
        text = plans[page.title()].new_text()
        if page.exists() and page.text.rstrip() == text.rstrip():
            continue
        page.text = text
        page.save(summary="naive bot", bot=True, asynchronous=False)
        saved += 1
    print(f"saved: {saved}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
