"""The fast paths of text handling give exactly what the general paths give (properties)."""

from __future__ import annotations

import datetime as dt
import unicodedata
import urllib.parse

from hypothesis import given
from hypothesis import strategies as st

from wikibot.sources.normalize import URL_SPLIT, parse_date, sources_of_cell, split_sources, text
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


def general_split_sources(value: str) -> tuple[str, ...]:
    links: list[str] = []
    for part in URL_SPLIT.split(value):
        part = part.strip().rstrip(",;")
        if part.lower().startswith(("http://", "https://")) and safe_url(part) not in links:
            links.append(safe_url(part))
    return tuple(links)


LINKISH = st.lists(
    st.sampled_from(
        [
            "https://a.example/x",
            "HTTP://b.example",
            "http://c.example/é",
            ";",
            ",",
            " ",
            "\t",
            "\xa0",
            "\u2003",
            "%20",
            "x",
            "https://d.example/a_b",
            "_",
            "&#",
            "~",
            "\n",
            "\x1c",
            "https://e.example/q?a=1&b=(2)",
        ]
    ),
    max_size=12,
).map("".join)


@given(LINKISH)
def test_split_sources_is_the_general_split(value: str) -> None:
    assert split_sources(value) == general_split_sources(value)


CELLISH = st.lists(
    st.one_of(st.sampled_from(["  ", "\x00", "\x7f", "\r\n", "\x0b"]), LINKISH), max_size=4
).map("".join)


@given(CELLISH)
def test_the_sources_of_a_cell_are_the_split_of_its_text(cell: str) -> None:
    assert sources_of_cell(cell) == split_sources(text(cell))


DATEISH = st.one_of(
    st.text(alphabet=st.sampled_from("0123456789-/ .:T\t\u0661Z"), min_size=8, max_size=12),
    st.dates().map(dt.date.isoformat),
    st.dates().map(lambda d: d.strftime("%Y-%d-%m")),
    st.dates().map(lambda d: d.isoformat().replace("0", "\u0660")),
)


def read_date(cell: str, formats: tuple[str, ...]) -> object:
    try:
        return parse_date(cell, formats)
    except ValueError:
        return "not a date"


@given(DATEISH, st.sampled_from([(), ("%Y-%d-%m",), ("%d-%m-%Y",)]))
def test_an_iso_date_cell_reads_as_the_same_cell_with_spaces(cell: str, formats: tuple[str, ...]) -> None:
    """Clean ISO cells take a fast path; the general path (spaces trimmed) reads them alike,
    ISO before the layout's own formats."""
    assert read_date(cell, formats) == read_date(f" {cell}  ", formats)
