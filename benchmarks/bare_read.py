"""The limit of the comparison: a Python process that imports pywikibot, logs in and reads the
same pages in one batch — and nothing else (no source, no merge).

python -m benchmarks.bare_read SETTINGS TITLES_FILE
"""

from __future__ import annotations

import sys
from pathlib import Path

import pywikibot
from pywikibot import pagegenerators

from wikibot import settings


def main(argv: list[str]) -> int:
    """Log in, then read every title of TITLES_FILE (one a line) in batches of 50."""
    config = settings.load(argv[0])
    titles = Path(argv[1]).read_text("utf-8").splitlines()
    family, _, code = (config.site or "devwiki:fr").partition(":")
    site = pywikibot.Site(code, family)
    site.login()
    pages = pagegenerators.PreloadingGenerator((pywikibot.Page(site, t) for t in titles), groupsize=50)
    total = sum(len(page.text) for page in pages)
    print(f"read {len(titles)} pages, {total} characters")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
