"""Text as a wiki can store it."""

from __future__ import annotations

import functools
import re
import unicodedata
import urllib.parse

URL_SAFE = "-._:/?#@!$&()*+,;=%"
# A link made only of what quote() keeps (letters, digits, "_.-" and URL_SAFE; "~" it keeps but
# safe_url encodes), and without "__" or "&#", is already in safe_url's form.
_URL_KEPT = re.compile(f"[A-Za-z0-9_{re.escape(URL_SAFE)}]*")
_NOT_ASCII_ALNUM = bytes(b for b in range(128) if not chr(b).isdigit() and not "a" <= chr(b) <= "z")


# Characters a wiki cannot store: control characters (but tab and newlines), surrogates and
# the Unicode noncharacters (U+FDD0-U+FDEF and the last two code points of every plane).
_UNSTORABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"\\U{plane:04x}fffe\\U{plane:04x}ffff" for plane in range(17))
    + "]"
)


def clean_text(value: str) -> str:
    """NFC text without the characters a wiki cannot store (control characters but tab and newlines)."""
    if value.isascii() and value.isprintable():
        return value  # most cells: nothing to normalize or drop
    if not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    return _UNSTORABLE.sub("", value)


@functools.lru_cache(maxsize=32768)
def safe_url(url: str) -> str:
    """A link percent-encoded so that it cannot break out of a template parameter.

    Idempotent (``%`` is kept), so a link already in this form stays the same: sources store
    links in this form and the wiki shows them back unchanged.
    """
    if _URL_KEPT.fullmatch(url) and "__" not in url and "&#" not in url:
        return url  # most links: nothing to encode
    encoded = urllib.parse.quote(unicodedata.normalize("NFC", url.strip()), safe=URL_SAFE)
    while "__" in encoded:
        encoded = encoded.replace("__", "_%5F")
    return encoded.replace("~", "%7E").replace("&#", "%26#")


@functools.lru_cache(maxsize=8192)
def squash(text: str) -> str:
    """Lowercase letters and digits only, accents removed: the key names are compared on."""
    if text.isascii():
        # the same, without decomposing: bytes.translate drops every ASCII byte but [a-z0-9]
        return text.lower().encode("ascii").translate(None, _NOT_ASCII_ALNUM).decode("ascii")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed.casefold() if ch.isalnum() and not unicodedata.combining(ch))
