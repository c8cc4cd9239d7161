"""Localized dates, numbers, country names and messages (babel / CLDR, JSON message files).

Messages follow pywikibot's i18n layout: ``wikibot/i18n/keepiton/<lang>.json`` with
``$1``-style arguments and ``{{PLURAL:$1|one|other}}``; English is the fallback.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import unicodedata
from importlib import resources

import babel
import babel.dates
import babel.numbers

from wikibot import countries, yamlfile
from wikibot.model import Country

DATE_PATTERN = "d MMMM y"  # fr "24 février 2021", en "24 February 2021"
PLURAL = re.compile(r"\{\{PLURAL:\$(\d+)\|([^|}]*)\|([^|}]*)\}\}")


@functools.cache
def messages(lang: str) -> dict[str, str]:
    """The messages of a language, English filling the gaps."""
    folder = resources.files("wikibot").joinpath("i18n/keepiton")
    english: dict[str, str] = json.loads(folder.joinpath("en.json").read_text("utf-8"))
    own: dict[str, str] = {}
    if lang != "en" and folder.joinpath(f"{lang}.json").is_file():
        own = json.loads(folder.joinpath(f"{lang}.json").read_text("utf-8"))
    merged = {**english, **own}
    merged.pop("@metadata", None)
    return merged


@functools.cache
def untranslated(lang: str) -> tuple[str, ...]:
    """The message keys a language has no translation of (English stands in for them)."""
    folder = resources.files("wikibot").joinpath("i18n/keepiton")
    english = json.loads(folder.joinpath("en.json").read_text("utf-8"))
    source = folder.joinpath(f"{lang}.json")
    if lang == "en":
        return ()
    own = json.loads(source.read_text("utf-8")) if source.is_file() else {}
    return tuple(k for k in english if k != "@metadata" and k not in own)


@functools.cache
def _locale(lang: str) -> babel.Locale:
    return babel.Locale.parse(lang)


def is_rtl(lang: str) -> bool:
    """True for a language written right to left (CLDR): ar, fa, he, ur…"""
    return bool(_locale(lang).character_order == "right-to-left")


def message(lang: str, key: str, *args: object) -> str:
    """One message with its $N arguments and PLURAL forms filled in."""
    text = messages(lang)[f"keepiton-{key}"]
    if not args:
        return text
    locale = _locale(lang)

    def plural(match: re.Match[str]) -> str:
        value = args[int(match.group(1)) - 1]
        number = value if isinstance(value, int) else 0
        return match.group(2) if locale.plural_form(number) == "one" else match.group(3)

    if "{{PLURAL" in text:
        text = PLURAL.sub(plural, text)
    for position, value in enumerate(args, start=1):
        text = text.replace(f"${position}", str(value))
    return text


def value_label(lang: str, group: str, value: str) -> str:
    """The localized word for a vocabulary value ('status', 'ended') → 'terminée'."""
    return messages(lang).get(f"keepiton-{group}-{value}", value)


@functools.cache
def _labels_back(lang: str, group: str) -> dict[str, str]:
    prefix = f"keepiton-{group}-"
    return {
        text.casefold(): key[len(prefix) :] for key, text in messages(lang).items() if key.startswith(prefix)
    }


def value_from_label(lang: str, group: str, label: str) -> str | None:
    """The vocabulary value a localized word stands for, if any."""
    return _labels_back(lang, group).get(label.strip().casefold())


@functools.cache
def _digit_tables(lang: str) -> tuple[dict[int, str], dict[int, str]]:
    """How the wiki's content language writes numbers, as MediaWiki does (``data/digits.yaml``):
    a table from CLDR's Latin digits and separators to the language's, and one back."""
    text = resources.files("wikibot").joinpath("data/digits.yaml").read_text("utf-8")
    entry = (yamlfile.load(text) or {}).get(lang.lower())
    if not entry:
        return {}, {}
    pairs = dict(zip("0123456789", entry["digits"], strict=True))
    if "group" in entry:
        pairs[","] = entry["group"]
    if "decimal" in entry:
        pairs["."] = entry["decimal"]
    forward = {ord(k): v for k, v in pairs.items() if k != v}
    back = {ord(v): k for k, v in pairs.items() if k != v and len(v) == 1}
    return forward, back


@functools.cache
def _wiki_numerals(numerals: str) -> tuple[dict[int, str], str]:
    """The digits and the group separator of a wiki, from how it shows ``{{formatnum:1234567890}}``
    ("1,234,567,890", "1 234 567 890", "١٬٢٣٤٬٥٦٧٬٨٩٠"); ASCII digits when it is no such number."""
    digits = [c for c in numerals if unicodedata.decimal(c, None) is not None]
    if len(digits) != 10:
        return {}, ","
    table = {ord(latin): own for latin, own in zip("1234567890", digits, strict=True) if latin != own}
    group = numerals[numerals.index(digits[0]) + 1 : numerals.index(digits[1])] or ","
    return table, group


def native_digits(text: str, lang: str, numerals: str | None = None) -> str:
    """Latin digits (and separators) as the wiki writes them: ``numerals`` is how the wiki shows
    ``{{formatnum:1234567890}}`` (asked of it); without it, MediaWiki's default for the language
    (ar "2021" → "٢٠٢١"; Arabic Wikipedia, which turns that default off, shows "2021")."""
    if numerals is not None:
        table, _ = _wiki_numerals(numerals)
        return text.translate(table) if table else text
    forward, _ = _digit_tables(lang)
    return text.translate(forward) if forward else text


def latin_digits(text: str, lang: str) -> str:
    """The inverse of native_digits (any Latin digits left as they are)."""
    _, back = _digit_tables(lang)
    return text.translate(back) if back else text


@functools.lru_cache(maxsize=65536)
def format_date(date: dt.date, lang: str, numerals: str | None = None) -> str:
    """A date in words: fr "24 février 2021", en "24 February 2021", ar "٢٤ فبراير ٢٠٢١".

    CLDR's pattern ``d MMMM y`` with the language's month names, written without calling babel's
    pattern machinery for every date (a list of 2,000 rows holds about as many dates).
    """
    return native_digits(f"{date.day} {_month_names(lang)[date.month]} {date.year}", lang, numerals)


def format_as_of(text: str, lang: str, numerals: str | None = None) -> str:
    """A figure's date as written in the data ("2024", "2025-02", "2025-02-24") in words: fr
    "24 février 2025", "février 2025", "2024"; anything else is returned as it is."""
    parts = text.split("-")
    if not all(p.isdigit() for p in parts) or len(parts) not in (2, 3) or len(parts[0]) != 4:
        return native_digits(text, lang, numerals) if text.isdigit() else text
    try:
        day = dt.date(int(parts[0]), int(parts[1]), int(parts[2]) if len(parts) == 3 else 1)
    except ValueError:
        return text
    if len(parts) == 3:
        return format_date(day, lang, numerals)
    month = babel.dates.get_month_names("wide", "stand-alone", locale=lang)[day.month]
    return native_digits(f"{month} {day.year}", lang, numerals)


@functools.cache
def _month_names(lang: str) -> dict[int, str]:
    return {int(k): str(v) for k, v in babel.dates.get_month_names("wide", "format", locale=lang).items()}


@functools.cache
def _month_numbers(lang: str) -> dict[str, int]:
    names: dict[str, int] = {}
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for number, name in babel.dates.get_month_names(width, context, locale=lang).items():
                names.setdefault(name.casefold().rstrip("."), number)
    return names


@functools.lru_cache(maxsize=65536)
def parse_date(text: str, lang: str) -> dt.date | None:
    """A date written by format_date (or ISO, as an editor may write it); None if not a date."""
    value = " ".join(latin_digits(text, lang).split())
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        pass
    parts = value.replace("1er ", "1 ").split(" ")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[2].isdigit():
        return None
    month = _month_numbers(lang).get(parts[1].casefold().rstrip("."))
    if month is None:
        return None
    try:
        return dt.date(int(parts[2]), month, int(parts[0]))
    except ValueError:
        return None


@functools.lru_cache(maxsize=65536)
def format_number(number: int, lang: str, numerals: str | None = None) -> str:
    """A whole number with the language's grouping and digits: fr "3 411", en "3,411", ar "٣٬٤١١";
    with ``numerals`` (the wiki's ``{{formatnum:1234567890}}``), exactly as the wiki shows it."""
    if numerals is not None:
        table, group = _wiki_numerals(numerals)
        return f"{number:,}".replace(",", group).translate(table)
    return native_digits(babel.numbers.format_decimal(number, locale=lang), lang)


def parse_number(text: str, lang: str = "en") -> int | None:
    """A whole number written by format_number, whatever the grouping; None if not one."""
    digits = "".join(ch for ch in latin_digits(text, lang) if ch not in " ,.'\u202f\xa0\u066c")
    return int(digits) if digits.isascii() and digits.isdigit() else None


@functools.lru_cache(maxsize=65536)
def country_name(country: Country, lang: str) -> str:
    """The CLDR name of a country in the language, or the source's name when it has no code."""
    if country.code:
        name = _locale(lang).territories.get(country.code)
        if name:
            return str(name)
    return country.name


@functools.cache
def _country_codes(lang: str) -> dict[str, str]:
    return {
        str(name).casefold(): code
        for code, name in _locale(lang).territories.items()
        if len(code) == 2 and code.isalpha()
    }


def country_from_name(name: str, lang: str) -> Country | None:
    """The Country a localized name (or an English one) stands for; None when none matches."""
    clean = " ".join(name.split())
    code = _country_codes(lang).get(clean.casefold())
    if code:
        return Country(code, clean)
    return countries.lookup(clean)
