"""Pywikibot family for the local dev wikis (``make devwiki``).

``fr`` is served on ``DEVWIKI_PORT`` (default 8181), ``en`` on ``DEVWIKI_EN_PORT``
(default 8182), ``ar`` on ``DEVWIKI_AR_PORT`` (default 8183); all at the root path over
plain HTTP on 127.0.0.1.
"""

import os

from pywikibot import family


class Family(family.Family):
    name = "devwiki"
    langs = {  # noqa: RUF012 (pywikibot reads a class attribute)
        "fr": f"127.0.0.1:{os.environ.get('DEVWIKI_PORT') or 8181}",
        "en": f"127.0.0.1:{os.environ.get('DEVWIKI_EN_PORT') or 8182}",
        "ar": f"127.0.0.1:{os.environ.get('DEVWIKI_AR_PORT') or 8183}",
    }

    def scriptpath(self, code):
        return ""

    def protocol(self, code):
        return "http"
