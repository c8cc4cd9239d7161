"""Access Now's controlled vocabularies as stable keys (``wikibot/data/vocabulary.yaml``).

The STOP data names causes, official justifications, kinds of authority and national-scope
areas from short lists ("Protests", "Public safety/ Quell unrest/ Restore public order",
"Executive government", "Nationwide"…), spelt a little differently from sheet to sheet.
Normalization keeps the key of such a value (``protests``, ``public-safety``…); pages show the
key's message in the wiki's language (``keepiton-<field>-<key>``).  Any other value is free
text: kept and shown as written, and reported so that a maintainer can add it to the file.
Wordings are compared on their letters and digits only (case, spaces and punctuation aside).
"""

from __future__ import annotations

import functools
from importlib import resources

from wikibot import yamlfile
from wikibot.text import squash

FIELDS = ("cause", "justification", "ordered_by", "area")


@functools.cache
def _table() -> dict[str, dict[str, str]]:
    """Field → squashed wording (a key itself included) → key."""
    data = yamlfile.load(resources.files("wikibot").joinpath("data/vocabulary.yaml").read_text("utf-8"))
    table: dict[str, dict[str, str]] = {}
    for field in FIELDS:
        words: dict[str, str] = {}
        for key, wordings in data[field]["terms"].items():
            for wording in [key, *wordings]:
                words[squash(wording)] = key
        table[field] = words
    return table


@functools.lru_cache(maxsize=8192)
def key(field: str, value: str) -> str | None:
    """The key a source wording stands for, None for free text (or an empty value)."""
    return _table()[field].get(squash(value)) if value.strip() else None


def normalized(field: str, value: str) -> str:
    """A value as an incident keeps it: its key when it has one, else as written."""
    return key(field, value) or value


def keys(field: str) -> tuple[str, ...]:
    """Every key of a field, in the file's order."""
    return tuple(dict.fromkeys(_table()[field].values()))


def is_national(area: str) -> bool:
    """True when an area's wording means the whole country ("Nationwide", "Entire country"…)."""
    return key("area", area) == "nationwide"


@functools.cache
def _authorities() -> tuple[dict[str, str], frozenset[str]]:
    """Squashed decision-maker wording → state code, and the wordings that name no state."""
    data = yamlfile.load(resources.files("wikibot").joinpath("data/authorities.yaml").read_text("utf-8"))
    states = {squash(w): str(code) for code, wordings in data["states"].items() for w in wordings}
    return states, frozenset(squash(w) for w in data["not_a_state"])


def authority(decision_maker: str) -> tuple[bool, str | None]:
    """Whether a decision-maker wording is known (``data/authorities.yaml``), and the state whose
    authority it names (None: no state's, or unknown).  Never guessed from the words it holds."""
    states, not_a_state = _authorities()
    wording = squash(decision_maker)
    if wording in states:
        return True, states[wording]
    return wording in not_a_state, None
