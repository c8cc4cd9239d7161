"""Country names as the STOP data writes them → ISO 3166-1 alpha-2 codes (pycountry).

UN-style names ("Iran (Islamic Republic of)") match pycountry's "Iran, Islamic Republic of"
once punctuation and spaces are dropped; the few names that still differ are aliases below.
Entities without an ISO code (Somaliland) keep their name and get no code: they are never
rejected.  A multi-country cell ("Burundi; Kenya; Rwanda") is split on ";" only, since
"Tanzania, United Republic of" holds a comma.
"""

from __future__ import annotations

import functools

from wikibot.model import Country
from wikibot.text import squash

ALIASES = {
    "russia": "RU",
    "turkey": "TR",
    "congodemocraticrepublicofthe": "CD",
    "democraticrepublicofthecongo": "CD",
    "democraticrepubliccongo": "CD",
    "democraticrepublicofdrc": "CD",  # IODA
    "drc": "CD",
    "drcongo": "CD",
    "congobrazzaville": "CG",
    "republicofthecongo": "CG",
    "kosovo": "XK",  # user-assigned code used by the EU, CLDR and Wikidata
    "palestine": "PS",
    "stateofpalestine": "PS",
    "laos": "LA",
    "syria": "SY",
    "northkorea": "KP",
    "southkorea": "KR",
    "ivorycoast": "CI",
    "vietnam": "VN",
    "bolivia": "BO",
    "venezuela": "VE",
    "iran": "IR",
    "tanzania": "TZ",
    "moldova": "MD",
    "eswatini": "SZ",
    "swaziland": "SZ",
    "burma": "MM",
    "czechrepublic": "CZ",
    "macedonia": "MK",
    "unitedstates": "US",
    "usa": "US",
    "uk": "GB",
}
# Entities the data names that have no ISO 3166-1 code: kept by name.
WITHOUT_CODE = {"somaliland", "nagornokarabakh", "transnistria", "northerncyprus"}


@functools.cache
def _index() -> dict[str, str]:
    import pycountry  # loaded only when a name must be looked up (not for a cached source)

    index: dict[str, str] = {}
    for country in pycountry.countries:
        fields = dict(country)  # a pycountry record as a dict: no exception for a field it lacks
        for attr in ("name", "official_name", "common_name", "alpha_2", "alpha_3"):
            value = fields.get(attr)
            if value:
                index.setdefault(squash(value), fields["alpha_2"])
    index.update(ALIASES)
    return index


@functools.lru_cache(maxsize=4096)
def lookup(name: str) -> Country | None:
    """The Country for one name; None when the name holds no letters at all."""
    clean = " ".join(name.split())
    key = squash(clean)
    if not key or not any(ch.isalpha() for ch in key):
        return None
    code = _index().get(key)
    if code is None and key not in WITHOUT_CODE:
        import pycountry

        try:
            code = pycountry.countries.lookup(clean).alpha_2
        except LookupError:
            code = None
    return Country(code, clean)


def split_countries(cell: str) -> list[str]:
    """The country names in one cell, split on ';' (never on ',')."""
    return [part.strip() for part in cell.split(";") if part.strip()]


def is_known(country: Country, extra_without_code: frozenset[str] = frozenset()) -> bool:
    """True when the country has an ISO code or is a known entity without one."""
    return country.code is not None or squash(country.name) in WITHOUT_CODE | extra_without_code
