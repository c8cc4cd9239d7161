"""Text as a wiki can store it."""

from __future__ import annotations

import unicodedata
import urllib.parse

URL_SAFE = "-._:/?#@!$&()*+,;=%"


def clean_text(value: str) -> str:
    """NFC text without the characters a wiki cannot store (control characters but tab and newlines)."""
    value = unicodedata.normalize("NFC", value)
    return "".join(
        ch
        for ch in value
        if ch in "\t\n\r"
        or (
            unicodedata.category(ch) not in ("Cc", "Cs")
            and not (0xFDD0 <= ord(ch) <= 0xFDEF or ord(ch) & 0xFFFE == 0xFFFE)
        )
    )


def safe_url(url: str) -> str:
    """A link percent-encoded so that it cannot break out of a template parameter.

    Idempotent (``%`` is kept), so a link already in this form stays the same: sources store
    links in this form and the wiki shows them back unchanged.
    """
    encoded = urllib.parse.quote(unicodedata.normalize("NFC", url.strip()), safe=URL_SAFE)
    while "__" in encoded:
        encoded = encoded.replace("__", "_%5F")
    return encoded.replace("~", "%7E").replace("&#", "%26#")
