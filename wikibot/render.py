"""Incident → row template text, and back.  Escaping lives here and nowhere else.

Every value from the source goes through ``escape``: the characters that could open markup
(``[ ] { } | < > ' ~ &``, ``__`` and ``://``) become HTML entities, which MediaWiki shows
as the characters themselves and never as markup, and ``unescape`` gives the value back
exactly.  The only markup the bot writes in a row is its own: links to the countries'
articles and one ``<ref>`` per source link, a plain external link (``safe_url``) — never the
wiki's citation template, whose weight (a Lua module on Wikipedia) would take a year page past
the parser's limits.  Dates are ISO and numbers plain digits: the row template shows them in
the wiki's own language and digits (``#time``, ``formatnum``) and sorts on them.
"""

from __future__ import annotations

import functools
import hashlib
import html
import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import mwparserfromhell
from mwparserfromhell.nodes import Text, Wikilink

from wikibot import l10n
from wikibot.model import Country, Incident
from wikibot.text import clean_text, safe_url

ROW_FIELDS = (
    "id",
    "start",
    "end",
    "duration",
    "status",
    "countries",
    "area",
    "scope",
    "type",
    "extent",
    "network",
    "services",
    "justification",
    "cause",
    "ordered_by",
    "description",
    "sources",
)
MISSING_FIELD = "missing"
ITEM_SEPARATORS = ";؛"  # list items are split on these (the Latin and the Arabic semicolon)
ACCESS_HOLE = (
    "\x00"  # where a citation's access date goes; never in escaped text (control characters are dropped)
)
# A value needs the character-by-character escape when it holds any of these (see escape).
_NEEDS_ESCAPE = re.compile(r"&(?=\S)|[<>\[\]{}|\n\r\t]|''|~~|__|://|^[-*#:;'~\s]|['~\s]$")
_ENTITIES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "[": "&#91;",
    "]": "&#93;",
    "{": "&#123;",
    "}": "&#125;",
    "|": "&#124;",
    "'": "&#39;",
    "~": "&#126;",
    "\n": "&#10;",
    "\r": "&#13;",
    "\t": "&#9;",
    "*": "&#42;",
    "#": "&#35;",
    ":": "&#58;",
    ";": "&#59;",
}


@dataclass(frozen=True)
class RowSpec:
    """How rows look on one wiki: template names, parameter names, language."""

    lang: str
    row_template: str
    params: dict[str, str]  # internal field → the template's parameter name
    country_links: Mapping[str, str] = field(default_factory=dict)  # country key → article title

    def param(self, field: str) -> str:
        """The template parameter name of an internal field."""
        return self.params.get(field, field)

    @functools.cached_property
    def shown(self) -> tuple[tuple[str, str], ...]:
        """(field, parameter) of every field the rows hold, in row order (``id`` always)."""
        return tuple((f, self.param(f)) for f in ROW_FIELDS if f in self.params or f == "id")


@dataclass(frozen=True)
class RowData:
    """The bot-owned parameters of one row, in order, and where the row sorts.

    ``group`` 1 puts a row in the page's second table: on a year page, the shutdowns counted in
    the year that started before it (carried over), so that the page opens on its year.
    """

    id: str
    params: tuple[tuple[str, str], ...]
    sort_key: tuple[Any, ...] = ()
    group: int = 0

    @property
    def order(self) -> tuple[Any, ...]:
        """Where the row goes on its page: its group, then its sort key."""
        return (self.group, *self.sort_key)

    def get(self, name: str) -> str:
        """The value of one parameter ('' if absent)."""
        return next((v for k, v in self.params if k == name), "")

    def with_id(self, ident: str, id_param: str = "id") -> RowData:
        """The same row under another id (the id the wiki knows the incident by)."""
        params = tuple((k, escape(ident) if k == id_param else v) for k, v in self.params)
        return replace(self, id=ident, params=params, sort_key=(*self.sort_key[:-1], ident))


@functools.lru_cache(maxsize=65536)
def escape(value: str, always: str = "") -> str:
    """Text as wikitext that shows exactly that text and never becomes markup.

    Characters in ``always`` are encoded wherever they are (';' in list items, whose
    separator it is).
    """
    value = clean_text(value)
    if not _NEEDS_ESCAPE.search(value) and not (always and any(c in value for c in always)):
        return value  # most values: nothing that could make markup
    out: list[str] = []
    for position, char in enumerate(value):
        nxt = value[position + 1 : position + 2]
        if char in always:
            out.append(f"&#{ord(char)};")
        elif char in "*#:;":
            # only where they could make markup: at the start, or ':' in '://'
            if position == 0 or (char == ":" and value[position + 1 : position + 3] == "//"):
                out.append(_ENTITIES[char])
            else:
                out.append(char)
        elif char == "_" and nxt == "_":
            out.append("&#95;")
        elif char in "'~" and (position in (0, len(value) - 1) or char in (nxt, value[position - 1])):
            out.append(_ENTITIES[char])
        elif char in "'~":
            out.append(char)
        elif char == "-" and position == 0:
            out.append("&#45;")
        elif char == "&" and (not nxt or nxt.isspace()):
            out.append(char)  # shown as itself: no entity can start here ("Jammu & Kashmir")
        elif char in _ENTITIES:
            out.append(_ENTITIES[char])
        else:
            out.append(char)
    # MediaWiki trims named parameter values: whitespace at either end becomes an entity
    for positions in (range(len(value)), reversed(range(len(value)))):
        for position in positions:
            if not value[position].isspace():
                break
            out[position] = f"&#{ord(value[position])};"
    return "".join(out)


def unescape(wikitext: str) -> str:
    """The text an escaped value stands for (HTML entities decoded)."""
    return html.unescape(wikitext)


@functools.lru_cache(maxsize=16384)
def host_of(url: str) -> str:
    """The host of a link without 'www.' (or the link itself when it has none)."""
    host = urllib.parse.urlsplit(url).hostname or url
    return host.removeprefix("www.")


_SLUG_WORD = re.compile(r"[^\W\d_]{2,}")


@functools.lru_cache(maxsize=16384)
def link_label(url: str) -> str:
    """What a source link is called in its reference: the words of its address's last readable
    segment (most news sites make it from the headline) with the site, else the site alone.

    ``https://www.example.com/news/mobile-internet-suspended-in-kulgam-118041100183_1.html`` →
    ``Mobile internet suspended in kulgam (example.com)``.  The address is all the data says
    about a link: nothing is made up, and nothing is claimed of a page the bot never opened.
    """
    site = host_of(url)
    path = urllib.parse.unquote(urllib.parse.urlsplit(url).path)
    for segment in reversed([p for p in path.split("/") if p]):
        stem = re.sub(r"\.[a-z0-9]{2,5}$", "", segment, flags=re.IGNORECASE)
        words = re.split(r"[-_+.\s]+", stem)
        while words and not _SLUG_WORD.fullmatch(words[-1]):
            words.pop()  # trailing ids and numbers
        if len(words) >= 3 and sum(1 for w in words if _SLUG_WORD.fullmatch(w)) >= 3:
            text = " ".join(words)
            return f"{text[:1].upper()}{text[1:]} ({site})"
    return site


def references(urls: tuple[str, ...]) -> str:
    """One named <ref> per source link: a plain external link with its label (``link_label``).

    The name comes from the link, so that a link several rows cite is one reference; its text
    depends on the link alone, as Cite wants of every copy of a named reference.
    """
    refs = []
    for url in urls:
        name = "kio-" + hashlib.sha1(url.encode()).hexdigest()[:10]
        refs.append(f'<ref name="{name}">[{safe_url(url)} {escape(link_label(url))}]</ref>')
    return "".join(refs)


@dataclass(frozen=True)
class DatasetCitation:
    """The data set, as a year page's table cites it: through the wiki's citation template, or
    (``plain``) as a plain external link when that template would take a page past the limits.

    ``accessed``: the bot read the data set at this address, so the citation gets an access date
    (a hole, ``ACCESS_HOLE``, filled with the day of the run that writes the page).
    """

    name: str  # the <ref> name
    url: str
    title: str
    publisher: str
    language: str
    accessed: bool
    template: str
    params: Mapping[str, str]  # url / title / publisher / language / accessdate → the template's names
    lang: str

    def ref(self, plain: bool = False) -> str:
        """The named <ref> citing the data set."""
        if plain:
            body = f"[{safe_url(self.url)} {escape(self.title)}], {escape(self.publisher)}"
            if self.accessed:
                body += l10n.message(
                    self.lang, "citation-plain-accessed", f"{{{{#time:j F Y|{ACCESS_HOLE}}}}}"
                )
            return f'<ref name="{self.name}">{body}.</ref>'
        names = {"url": "url", "title": "title", "publisher": "publisher", "language": "language"}
        names.update(self.params)
        parts = [
            f"{names['url']}={safe_url(self.url)}",
            f"{names['title']}={escape(self.title)}",
            f"{names['publisher']}={escape(self.publisher)}",
        ]
        if self.language != self.lang:
            parts.append(f"{names['language']}={escape(self.language)}")
        if self.accessed:
            parts.append(f"{names.get('accessdate', 'access-date')}={ACCESS_HOLE}")
        return f'<ref name="{self.name}">{{{{{self.template} |{" |".join(parts)}}}}}</ref>'


def country_links(countries: tuple[Country, ...], spec: RowSpec) -> str:
    """The countries, each linked to its article (``country_links`` in the settings can name
    another article than the country's name), joined with the language's separator."""
    items = []
    for country in countries:
        name = l10n.country_name(country, spec.lang)
        target = spec.country_links.get(country.key, name)
        if _LINKABLE.fullmatch(name) and _LINKABLE.fullmatch(target):
            items.append(f"[[{target}]]" if target == name else f"[[{target}|{name}]]")
        else:
            items.append(escape(name, always=ITEM_SEPARATORS))
    return l10n.message(spec.lang, "list-separator").join(items)


# A name that can be an article's title and a link's text as it is (no markup, no separator).
_LINKABLE = re.compile(r"(?!\s)(?!.*\s$)(?!.*'')(?!.*~~)[^\[\]{}|#<>&:;؛_\n\r\t]+")


def join_items(values: list[str] | tuple[str, ...], lang: str) -> str:
    """List items (already plain text) escaped and joined with the language's separator (' ; ')."""
    return l10n.message(lang, "list-separator").join(escape(v, always=ITEM_SEPARATORS) for v in values)


def split_items(wikitext: str) -> list[str]:
    """The items of a list written by join_items: split on ';' or '؛' outside HTML entities, unescaped."""
    items: list[str] = [""]
    for node in mwparserfromhell.parse(wikitext, skip_style_tags=True).nodes:
        if isinstance(node, Text):
            first, *rest = str(node.value).replace("؛", ";").split(";")
            items[-1] += first
            items.extend(rest)
        elif isinstance(node, Wikilink):  # a linked country: its text as shown
            items[-1] += str(node.text if node.text is not None else node.title)
        else:
            items[-1] += str(node)
    return [unescape(item).strip() for item in items if item.strip()]


def join_labels(spec: RowSpec, group: str, values: tuple[str, ...]) -> str:
    """Localized vocabulary values joined with the language's separator."""
    return join_items([l10n.value_label(spec.lang, group, v) for v in values], spec.lang)


def sort_key(incident: Incident) -> tuple[Any, ...]:
    """Where a row goes: start date, then country (the default order)."""
    return (incident.start, tuple(c.key for c in incident.countries), incident.id)


def incident_row(incident: Incident, spec: RowSpec) -> RowData:
    """The bot-owned parameters of an incident's row."""
    lang = spec.lang
    values = {
        "id": escape(incident.id),
        "start": incident.start.isoformat(),
        "end": incident.end.isoformat() if incident.end else "",
        "duration": str(d) if (d := incident.duration_days) is not None else "",
        "status": escape(l10n.value_label(lang, "status", incident.status)),
        "countries": country_links(incident.countries, spec),
        "area": escape(l10n.value_label(lang, "area", incident.area)),
        "scope": escape(l10n.value_label(lang, "scope", incident.scope)),
        "type": join_labels(spec, "type", incident.types),
        "extent": join_labels(spec, "extent", incident.extents),
        "network": join_labels(spec, "network", incident.networks),
        "services": join_items(incident.services, lang),
        "justification": escape(l10n.value_label(lang, "justification", incident.justification)),
        "cause": escape(l10n.value_label(lang, "cause", incident.cause)),
        "ordered_by": escape(l10n.value_label(lang, "ordered_by", incident.ordered_by)),
        "description": escape(incident.description),
        "sources": references(incident.sources),
    }
    params = tuple((param, values[field]) for field, param in spec.shown)
    return RowData(incident.id, params, sort_key(incident))


def row_text(row: RowData, template: str) -> str:
    """A row template call, one parameter a line (readable diffs)."""
    lines = [f"{{{{{template}"]
    lines.extend(f"|{name}={value}" for name, value in row.params)
    lines.append("}}")
    return "\n".join(lines)


def source_urls(wikitext: str) -> tuple[str, ...]:
    """The links cited in a sources value (citation templates' url, or bare links)."""
    urls: list[str] = []
    code = mwparserfromhell.parse(wikitext, skip_style_tags=True)
    for template in code.filter_templates():
        for param in template.params:
            value = str(param.value).strip()
            if value.lower().startswith(("http://", "https://")) and value not in urls:
                urls.append(value)
                break
    if not urls:
        for link in code.filter_external_links():
            if str(link.url) not in urls:
                urls.append(str(link.url))
    return tuple(urls)


def read_row(values: dict[str, str], spec: RowSpec) -> dict[str, Any]:
    """A row's parameters back as incident fields (the inverse of incident_row), for export."""
    lang = spec.lang

    def get(field: str) -> str:
        return values.get(spec.param(field), "").strip()

    def split(text: str) -> list[str]:
        return split_items(text) if text else []

    def labels(group: str, field: str) -> list[str]:
        return [l10n.value_from_label(lang, group, p) or p for p in split(get(field))]

    def vocabulary_value(group: str, field: str) -> str:
        text = unescape(get(field))
        return l10n.value_from_label(lang, group, text) or text

    found: list[Country] = []
    for name in split(get("countries")):
        found.append(l10n.country_from_name(name, lang) or Country(None, name))
    start, end = l10n.parse_date(unescape(get("start")), lang), l10n.parse_date(unescape(get("end")), lang)
    record: dict[str, Any] = {
        "id": unescape(get("id")),
        "country": [c.code or c.name for c in found],
        "start": start.isoformat() if start else unescape(get("start")),
        "end": end.isoformat() if end else (unescape(get("end")) or None),
        "status": l10n.value_from_label(lang, "status", unescape(get("status"))) or unescape(get("status")),
        "scope": l10n.value_from_label(lang, "scope", unescape(get("scope"))) or unescape(get("scope")),
        "type": labels("type", "type"),
        "extent": labels("extent", "extent"),
        "network": labels("network", "network"),
        "services": split(get("services")),
        "area": vocabulary_value("area", "area"),
        "justification": vocabulary_value("justification", "justification"),
        "cause": vocabulary_value("cause", "cause"),
        "ordered_by": vocabulary_value("ordered_by", "ordered_by"),
        "description": unescape(get("description")),
        "sources": list(source_urls(get("sources"))),
    }
    known = {spec.param(f) for f in ROW_FIELDS}
    for name, value in values.items():
        if name not in known and name.strip():
            record[name] = value.strip()
    return record
