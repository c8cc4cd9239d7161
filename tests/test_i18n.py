"""Messages: every shipped language has every key, with the same arguments; qqq documents each."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from wikibot import l10n, vocabulary

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "wikibot" / "i18n" / "keepiton"
SHIPPED = sorted(p.stem for p in FOLDER.glob("*.json") if p.stem != "qqq")
ENGLISH = json.loads((FOLDER / "en.json").read_text("utf-8"))


def keys(lang: str) -> list[str]:
    return [k for k in json.loads((FOLDER / f"{lang}.json").read_text("utf-8")) if k != "@metadata"]


def test_french_english_and_arabic_are_shipped() -> None:
    assert {"fr", "en", "ar"} <= set(SHIPPED)


@pytest.mark.parametrize("lang", [*SHIPPED, "qqq"])
def test_every_shipped_language_has_every_key_and_no_other(lang: str) -> None:
    assert keys(lang) == keys("en"), f"{lang}: missing {sorted(set(keys('en')) - set(keys(lang)))}"
    assert l10n.untranslated(lang if lang != "qqq" else "en") == ()


@pytest.mark.parametrize("lang", SHIPPED)
def test_translations_keep_the_arguments_and_plural_forms(lang: str) -> None:
    messages = json.loads((FOLDER / f"{lang}.json").read_text("utf-8"))
    for key, text in ENGLISH.items():
        if key == "@metadata":
            continue
        assert set(re.findall(r"\$\d", messages[key])) == set(re.findall(r"\$\d", text)), (lang, key)
        for forms in re.findall(r"\{\{PLURAL:\$\d\|([^}]*)\}\}", messages[key]):
            assert forms.count("|") == 1, (lang, key)


@pytest.mark.parametrize("field", vocabulary.FIELDS)
def test_every_vocabulary_key_has_a_message_in_every_language(field: str) -> None:
    for lang in [*SHIPPED, "qqq"]:
        messages = json.loads((FOLDER / f"{lang}.json").read_text("utf-8"))
        missing = [k for k in vocabulary.keys(field) if f"keepiton-{field}-{k}" not in messages]
        assert not missing, (lang, missing)


def test_every_message_the_code_asks_for_exists() -> None:
    asked = set()
    for path in (ROOT / "wikibot").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "message"
                and len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant)
            ):
                asked.add(f"keepiton-{node.args[1].value}")
    assert asked and asked <= set(ENGLISH), sorted(asked - set(ENGLISH))


def test_a_language_not_shipped_falls_back_to_english_and_lists_what_it_lacks() -> None:
    assert l10n.message("de", "references") == ENGLISH["keepiton-references"]
    assert set(l10n.untranslated("de")) == set(keys("en"))
    assert l10n.format_date(__import__("datetime").date(2024, 1, 15), "de") == "15 Januar 2024"


def test_the_national_area_reads_as_the_national_scope_so_the_row_template_hides_it() -> None:
    for lang in SHIPPED:
        assert l10n.message(lang, "area-nationwide") == l10n.message(lang, "scope-national"), lang


@pytest.mark.parametrize("lang", ["fr", "en", "ar", "de", "es", "ru", "sw", "fa", "tr"])
def test_dates_are_written_as_cldr_writes_d_mmmm_y(lang: str) -> None:
    import datetime as dt

    import babel.dates

    for date in (dt.date(2009, 5, 24), dt.date(2024, 1, 1), dt.date(2021, 12, 31), dt.date(2016, 2, 29)):
        cldr = l10n.native_digits(babel.dates.format_date(date, l10n.DATE_PATTERN, locale=lang), lang)
        assert l10n.format_date(date, lang) == cldr
        assert l10n.parse_date(cldr, lang) == date
