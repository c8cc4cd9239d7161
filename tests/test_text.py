"""The fast paths of text.py give exactly what the general path gives (properties)."""

from __future__ import annotations

import unicodedata
import urllib.parse

from hypothesis import given
from hypothesis import strategies as st

from wikibot.text import URL_SAFE, safe_url, squash


def general_squash(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed.casefold() if ch.isalnum() and not unicodedata.combining(ch))


def general_safe_url(url: str) -> str:
    encoded = urllib.parse.quote(unicodedata.normalize("NFC", url.strip()), safe=URL_SAFE)
    while "__" in encoded:
        encoded = encoded.replace("__", "_%5F")
    return encoded.replace("~", "%7E").replace("&#", "%26#")


URLISH = st.text(alphabet=st.sampled_from("aZ09-._~:/?#[]@!$&'()*+,;=% \"<>|{}é_"), max_size=40)


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
def test_squash_of_ascii_is_the_general_squash(text: str) -> None:
    assert squash(text) == general_squash(text)


@given(st.text(max_size=30))
def test_squash_of_any_text_is_the_general_squash(text: str) -> None:
    assert squash(text) == general_squash(text)


@given(URLISH)
def test_safe_url_is_the_general_encoding(url: str) -> None:
    assert safe_url(url) == general_safe_url(url)


@given(st.text(max_size=30).map(lambda s: "https://x.example/" + s))
def test_safe_url_of_any_link_is_the_general_encoding(url: str) -> None:
    assert safe_url(url) == general_safe_url(url)
    assert safe_url(safe_url(url)) == safe_url(url)
