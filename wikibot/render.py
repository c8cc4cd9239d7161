"""Incident → row template text, and back.  Escaping lives here and nowhere else.

Every value from the source goes through ``escape``: the characters that could open markup
(``[ ] { } | < > ' ~ &``, ``__`` and ``://``) become HTML entities, which MediaWiki shows
as the characters themselves and never as markup, and ``unescape`` gives the value back
exactly.  Source links go through ``safe_url`` (percent-encoding) into the wiki's citation
template, the only markup the bot writes inside a row.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
import urllib.parse
from dataclasses import dataclass, replace
from typing import Any

import mwparserfromhell
from mwparserfromhell.nodes import Text

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
_NEEDS_ESCAPE = re.compile(r"[&<>\[\]{}|\n\r\t]|''|~~|__|://|^[-*#:;'~\s]|['~\s]$")
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
    citation_template: str
    citation_params: dict[str, str]  # url / title / accessdate → the citation template's names

    def param(self, field: str) -> str:
        """The template parameter name of an internal field."""
        return self.params.get(field, field)

    @functools.cached_property
    def shown(self) -> tuple[tuple[str, str], ...]:
        """(field, parameter) of every field the rows hold, in row order (``id`` always)."""
        return tuple((f, self.param(f)) for f in ROW_FIELDS if f in self.params or f == "id")


@dataclass(frozen=True)
class RowData:
    """The bot-owned parameters of one row, in order, and where the row sorts."""

    id: str
    params: tuple[tuple[str, str], ...]  # citations hold ACCESS_HOLE for their access date
    sort_key: tuple[Any, ...] = ()
    accessed: str = ""  # the localized access date that fills ACCESS_HOLE

    def values(self) -> tuple[tuple[str, str], ...]:
        """The parameters with the access date filled in."""
        return tuple((k, v.replace(ACCESS_HOLE, self.accessed)) for k, v in self.params)

    def get(self, name: str) -> str:
        """The value of one parameter ('' if absent), access date filled in."""
        return next((v for k, v in self.values() if k == name), "")

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
    """The host of a link without 'www.', used as the citation's title."""
    host = urllib.parse.urlsplit(url).hostname or url
    return host.removeprefix("www.")


def citations(urls: tuple[str, ...], spec: RowSpec) -> str:
    """One <ref> with the wiki's citation template per source link (access date left as a hole)."""
    names = spec.citation_params
    when = ACCESS_HOLE
    refs = []
    for url in urls:
        safe = safe_url(url)
        parts = [
            f"{names.get('url', 'url')}={safe}",
            f"{names.get('title', 'title')}={escape(host_of(url))}",
            f"{names.get('accessdate', 'access-date')}={when}",
        ]
        refs.append(f"<ref>{{{{{spec.citation_template} |{' |'.join(parts)}}}}}</ref>")
    return "".join(refs)


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
        else:
            items[-1] += str(node)
    return [unescape(item).strip() for item in items if item.strip()]


def join_labels(spec: RowSpec, group: str, values: tuple[str, ...]) -> str:
    """Localized vocabulary values joined with the language's separator."""
    return join_items([l10n.value_label(spec.lang, group, v) for v in values], spec.lang)


def sort_key(incident: Incident) -> tuple[Any, ...]:
    """Where a row goes: start date, then country (the default order)."""
    return (incident.start, tuple(c.key for c in incident.countries), incident.id)


def incident_row(incident: Incident, spec: RowSpec, accessed: dt.date) -> RowData:
    """The bot-owned parameters of an incident's row."""
    lang = spec.lang
    values = {
        "id": escape(incident.id),
        "start": l10n.format_date(incident.start, lang),
        "end": l10n.format_date(incident.end, lang) if incident.end else "",
        "duration": l10n.format_number(d, lang) if (d := incident.duration_days) is not None else "",
        "status": escape(l10n.value_label(lang, "status", incident.status)),
        "countries": join_items([l10n.country_name(c, lang) for c in incident.countries], lang),
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
        "sources": citations(incident.sources, spec),
    }
    params = tuple((param, values[field]) for field, param in spec.shown)
    return RowData(incident.id, params, sort_key(incident), l10n.format_date(accessed, lang))


def row_text(row: RowData, template: str, filled: bool = True) -> str:
    """A row template call, one parameter a line (readable diffs); holes kept when not filled."""
    lines = [f"{{{{{template}"]
    lines.extend(f"|{name}={value}" for name, value in (row.values() if filled else row.params))
    lines.append("}}")
    return "\n".join(lines)


def cited(wikitext: str) -> tuple[tuple[str, ...], tuple[tuple[str, bool], ...]]:
    """What a sources value cites: its links, and its references by name (with whether each is the
    full one or a short reuse) — two values citing the same way differ at most in access dates."""
    refs = []
    for tag in mwparserfromhell.parse(wikitext, skip_style_tags=True).filter_tags():
        if str(tag.tag).strip().lower() == "ref":
            name = str(tag.get("name").value).strip() if tag.has("name") else ""
            refs.append((name, bool(str(tag.contents).strip())))
    return source_urls(wikitext), tuple(refs)


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
