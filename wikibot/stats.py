"""Yearly figures computed from the incidents, Access Now's reported figures, and the wikitext
that serves them: the statistics data template, the inline templates and the statistics table.

Pure: incidents and the reported-figures file in, strings and frozen records out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mwparserfromhell
import yaml

from wikibot import l10n, yamlfile
from wikibot.countries import COUNTED_APART, authority_of
from wikibot.errors import SettingsError
from wikibot.listpage import template_key
from wikibot.model import Country, Incident, Rejected
from wikibot.render import RowData, escape
from wikibot.text import safe_url

YEAR_KEYS = (
    "shutdowns",
    "countries",
    "ongoing",
    "longest",
    "reported_shutdowns",
    "reported_countries",
    "first_reported_shutdowns",
    "first_reported_countries",
)
LATEST_KEYS = ("members", "member_countries")
META_KEYS = ("as_of", "citation")
COUNTRY_KEYS = ("shutdowns", "reported_shutdowns", "citation")  # also per country: |country=CODE
KEYS = YEAR_KEYS + LATEST_KEYS + META_KEYS
TOP_COUNTRIES = 5
# The fields of a per-country row (the profile maps each to its template's parameter name).
COUNTRY_PARAMS = ("country", "code", "year", "shutdowns", "reported", "explanation", "sources")


@dataclass(frozen=True)
class YearStats:
    """The figures of one counted year, computed from the incidents."""

    year: int
    shutdowns: int
    countries: int
    by_type: tuple[tuple[str, int], ...]
    by_scope: tuple[tuple[str, int], ...]
    by_cause: tuple[tuple[str, int], ...]
    by_justification: tuple[tuple[str, int], ...]
    ongoing_at_end: int  # counted in the year, not ended by 31 December
    longest_days: int | None  # the longest ended shutdown counted in the year, days
    top_countries: tuple[tuple[str, int], ...]
    carried_over: int  # counted in the year but started before it
    multi_country: int  # incidents listing several countries
    by_country: tuple[tuple[str, int], ...] = ()  # every country (key) with the shutdowns located there
    orders: tuple[tuple[str, str, int], ...] = ()  # (where, ordered by another state, shutdowns)
    rejected: int = 0  # the year's source rows that could not become incidents (not counted)
    territories: tuple[str, ...] = ()  # territories the data counts apart from their state, in the year

    def as_report(self) -> dict[str, Any]:
        """The run report's view of the year."""
        return {
            "shutdowns": self.shutdowns,
            "countries": self.countries,
            "ongoing_at_end": self.ongoing_at_end,
            "longest_days": self.longest_days,
            "by_type": dict(self.by_type),
            "by_scope": dict(self.by_scope),
            "by_cause": dict(self.by_cause),
            "by_justification": dict(self.by_justification),
            "top_countries": dict(self.top_countries),
        }


def _sorted_counts(counter: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def compute(incidents: Iterable[Incident], rejected: Iterable[Rejected] = ()) -> dict[int, YearStats]:
    """The figures of every counted year (a multi-country incident counts each of its countries)."""
    per_year: dict[int, list[Incident]] = {}
    for incident in incidents:
        for year in incident.years:
            per_year.setdefault(year, []).append(incident)
    not_read = Counter(r.year for r in rejected if r.year is not None)
    result = {}
    for year in sorted(per_year):
        items = per_year[year]
        year_end = dt.date(year, 12, 31)
        countries: Counter[str] = Counter(c.key for i in items for c in i.countries)
        durations = [d for i in items if (d := i.duration_days) is not None]
        result[year] = YearStats(
            year=year,
            shutdowns=len(items),
            countries=len(countries),
            by_type=_sorted_counts(Counter(k for i in items for k in (i.types or ("unknown",)))),
            by_scope=_sorted_counts(Counter(i.scope for i in items)),
            by_cause=_sorted_counts(Counter(i.cause or "unknown" for i in items)),
            by_justification=_sorted_counts(Counter(i.justification or "unknown" for i in items)),
            ongoing_at_end=sum(
                1 for i in items if (i.end is None and i.status == "ongoing") or (i.end and i.end > year_end)
            ),
            longest_days=max(durations) if durations else None,
            top_countries=_sorted_counts(countries)[:TOP_COUNTRIES],
            carried_over=sum(1 for i in items if i.start.year < year),
            multi_country=sum(1 for i in items if len(i.countries) > 1),
            by_country=_sorted_counts(countries),
            orders=_orders(items),
            rejected=not_read.get(year, 0),
            territories=tuple(sorted(k for k in countries if _sovereign(k) in countries)),
        )
    return result


def _sovereign(key: str) -> str | None:
    """The state a territory the data counts apart is usually counted with (None: not such a one)."""
    return COUNTED_APART.get(key) or COUNTED_APART.get(key.casefold())


def _orders(items: list[Incident]) -> tuple[tuple[str, str, int], ...]:
    """Shutdowns located in one country and ordered by another state's authorities, counted."""
    moved: Counter[tuple[str, str]] = Counter()
    for incident in items:
        authority = authority_of(incident.decision_maker) if incident.decision_maker else None
        if authority is None:
            continue
        for country in incident.countries:
            if country.key != authority:
                moved[(country.key, authority)] += 1
    return tuple((where, by, n) for (where, by), n in sorted(moved.items()))


@dataclass(frozen=True)
class Reported:
    """A published figure and where it was published."""

    shutdowns: int | None
    countries: int | None
    as_of: str
    source: str
    url: str = ""
    approximate: bool = False
    note: str = ""  # what the figure includes, in the source's words ("including 7 in Ukraine")


@dataclass(frozen=True)
class ReportedFigures:
    """Access Now's yearly totals (first and revised) and the coalition's size over time."""

    first: dict[int, Reported]
    revised: dict[int, Reported]
    coalition: tuple[Reported, ...]  # shutdowns = members, countries = member countries; by as_of
    by_country: dict[int, dict[str, Reported]] = field(default_factory=dict)  # year → code → figure

    def latest(self, year: int) -> Reported | None:
        """The latest published figure of a year (the revision if there is one)."""
        return self.revised.get(year) or self.first.get(year)

    @property
    def members(self) -> Reported | None:
        """The latest coalition figure."""
        return self.coalition[-1] if self.coalition else None


def _reported(data: Any, where: str) -> Reported:
    if not isinstance(data, dict):
        raise SettingsError(f"{where}: must be a mapping with a figure, as_of and source")
    for key in ("as_of", "source"):
        if not data.get(key):
            raise SettingsError(f"{where}: '{key}' is missing")
    numbers = {}
    for key in ("shutdowns", "countries", "members"):
        value = data.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
            raise SettingsError(f"{where}: '{key}' must be a whole number, not {value!r}")
        numbers[key] = value
    return Reported(
        shutdowns=numbers["shutdowns"] if numbers["members"] is None else numbers["members"],
        countries=numbers["countries"],
        as_of=str(data["as_of"]),
        source=str(data["source"]),
        url=str(data.get("url") or ""),
        approximate=bool(data.get("approximate", False)),
        note=str(data.get("note") or ""),
    )


def load_reported(text: str, where: str) -> ReportedFigures:
    """Parse and check a reported-figures file (YAML); errors name the entry."""
    try:
        data = yamlfile.load(text)
    except yaml.YAMLError as exc:
        raise SettingsError(f"{where}: invalid YAML ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(data, dict) or not isinstance(data.get("yearly", {}), dict):
        raise SettingsError(
            f"{where}: must hold 'yearly' (year: {{first, revised}}) and 'coalition' (a list)"
        )
    first, revised = {}, {}
    by_country: dict[int, dict[str, Reported]] = {}
    for year, entry in (data.get("yearly") or {}).items():
        if not isinstance(year, int) or not isinstance(entry, dict) or "first" not in entry:
            raise SettingsError(f"{where}: yearly entry {year!r} must be a year holding 'first'")
        first[year] = _reported(entry["first"], f"{where}: yearly {year} first")
        if entry.get("revised"):
            revised[year] = _reported(entry["revised"], f"{where}: yearly {year} revised")
        countries = entry.get("by_country") or {}
        if not isinstance(countries, dict):
            raise SettingsError(f"{where}: yearly {year} by_country must map country codes to figures")
        for code, figure in countries.items():
            if not isinstance(figure, dict):
                raise SettingsError(f"{where}: yearly {year} by_country {code!r} must be a mapping")
            inherited = {k: v for k, v in entry["first"].items() if k in ("as_of", "source", "url")}
            by_country.setdefault(year, {})[str(code)] = _reported(
                {**inherited, **figure}, f"{where}: yearly {year} by_country {code}"
            )
    coalition_data = data.get("coalition") or []
    if not isinstance(coalition_data, list):
        raise SettingsError(f"{where}: 'coalition' must be a list")
    coalition = tuple(
        sorted(
            (_reported(e, f"{where}: coalition #{n + 1}") for n, e in enumerate(coalition_data)),
            key=lambda r: r.as_of,
        )
    )
    return ReportedFigures(first, revised, coalition, by_country)


def load_reported_file(path: Path) -> ReportedFigures:
    """The reported figures from a file."""
    try:
        return load_reported(path.read_text("utf-8"), str(path))
    except FileNotFoundError:
        raise SettingsError(
            f"reported figures {path}: no such file; check stats.reported in the settings"
        ) from None


@dataclass(frozen=True)
class StatsData:
    """Everything the statistics templates serve."""

    years: dict[int, YearStats]
    reported: ReportedFigures
    as_of: str  # the date of the data the figures come from
    lang: str
    citation_template: str
    citation_params: dict[str, str]
    source_name: str
    plain: bool = False  # cite without the citation template (a page that would pass the limits with it)
    numerals: str | None = None  # the wiki's digits (l10n.format_number), asked of the wiki

    def value(self, key: str, qualifier: str = "", country: str = "") -> int | str | None:
        """The figure a key (and a year, or 'members' for dates and citations) stands for; with a
        country (an ISO code), that country's figure of the year."""
        year = int(qualifier) if qualifier.strip().isdigit() else None
        if country:
            return self.country_value(key, year, country.strip().upper())
        if key in YEAR_KEYS:
            if year is None:
                return None
            stats, latest, first = (
                self.years.get(year),
                self.reported.latest(year),
                self.reported.first.get(year),
            )
            return {
                "shutdowns": stats.shutdowns if stats else None,
                "countries": stats.countries if stats else None,
                "ongoing": stats.ongoing_at_end if stats else None,
                "longest": stats.longest_days if stats else None,
                "reported_shutdowns": latest.shutdowns if latest else None,
                "reported_countries": latest.countries if latest else None,
                "first_reported_shutdowns": first.shutdowns if first else None,
                "first_reported_countries": first.countries if first else None,
            }[key]
        members = self.reported.members
        if key == "members":
            return members.shutdowns if members else None
        if key == "member_countries":
            return members.countries if members else None
        if key == "as_of":
            if qualifier in ("members", "member_countries"):
                return members.as_of if members else None
            if year is not None:
                latest = self.reported.latest(year)
                return latest.as_of if latest else None
            return self.as_of
        if key == "citation":
            return self.citation(qualifier)
        return None

    def country_value(self, key: str, year: int | None, code: str) -> int | str | None:
        """A country's shutdowns in a year (``shutdowns``), Access Now's figure (``reported_shutdowns``)
        and its citation (``citation``)."""
        if year is None:
            return None
        stats = self.years.get(year)
        figure = self.reported.by_country.get(year, {}).get(code)
        if key == "shutdowns":
            return dict(stats.by_country).get(code, 0) if stats else None
        if key == "reported_shutdowns":
            return figure.shutdowns if figure else None
        if key == "citation" and figure is not None:
            return self.ref(ref_name(figure), figure)
        return None

    def citation(self, qualifier: str = "") -> str | None:
        """A named <ref> for the data, the coalition figure ('members') or a year's report."""
        if qualifier in ("members", "member_countries"):
            figure = self.reported.members
            return self.ref("keepiton-coalition", figure) if figure else None
        if qualifier.strip().isdigit():
            year = int(qualifier)
            figure = self.reported.latest(year)
            return self.ref(f"keepiton-{year}", figure) if figure else None
        stop = Reported(
            None, None, self.as_of, self.source_name, "https://www.accessnow.org/keepiton-data-spreadsheet/"
        )
        return self.ref("keepiton-stop", stop)

    def ref(self, name: str, figure: Reported) -> str:
        """A named <ref> citing one published figure."""
        names = self.citation_params
        if figure.url and self.plain:
            body = f"[{safe_url(figure.url)} {escape(figure.source)}]"
        elif figure.url:
            body = (
                f"{{{{{self.citation_template} |{names.get('url', 'url')}={safe_url(figure.url)} "
                f"|{names.get('title', 'title')}={escape(figure.source)}}}}}"
            )
        else:
            body = escape(figure.source)
        return f'<ref name="{name}">{body}</ref>'


def aliases(lang: str) -> dict[str, tuple[str, ...]]:
    """Each English key with its localized aliases (from the messages)."""
    result = {}
    for key in KEYS:
        words = [w.strip() for w in l10n.messages(lang).get(f"keepiton-stats-alias-{key}", "").split(",")]
        result[key] = (key, *[w for w in words if w and w != key])
    return result


def resolve_key(name: str, lang: str) -> str | None:
    """The English key a name or alias stands for."""
    wanted = name.strip().casefold().replace(" ", "_")
    for key, names in aliases(lang).items():
        if wanted in {n.casefold().replace(" ", "_") for n in names}:
            return key
    return None


def data_template_text(data: StatsData, doc: str) -> str:
    """The statistics data template: {{T|key|year}} → the figure, by #switch (no Lua needed)."""
    names = aliases(data.lang)
    # {{T|key|year|default=…}}: what to show when there is no such figure (an error, else)
    error = (
        "{{{default|"
        + '<strong class="error">'
        + escape(l10n.message(data.lang, "stats-unknown"))
        + "</strong>}}}"
    )
    years = sorted(data.years.keys() | data.reported.first.keys())
    members = " | ".join(names["members"] + names["member_countries"])
    codes = sorted({k for s in data.years.values() for k, _ in s.by_country if len(k) == 2 and k.isupper()})
    codes = sorted(set(codes) | {c for figures in data.reported.by_country.values() for c in figures})
    country_param = l10n.message(data.lang, "stats-country-param")
    lines = ["<includeonly>{{#switch:{{{1|}}}"]
    for key in KEYS:
        label = " | ".join(names[key])
        if key in LATEST_KEYS:
            value = data.value(key)
            lines.append(f" | {label} = {value if value is not None else error}")
            continue
        per_country = key in COUNTRY_KEYS
        if per_country:  # {{T|key|year|country=CODE}}: the country's figure, else the year's
            lines.append(f" | {label} = {{{{#switch:{{{{{{{country_param}|}}}}}}")
            for code in codes:
                values = [(y, data.value(key, str(y), code)) for y in years]
                cases = "".join(f" | {y} = {v}" for y, v in values if v is not None)
                lines.append(f"   | {code} = {{{{#switch:{{{{{{2|}}}}}}{cases} | #default = {error} }}}}")
            lines.append("   | #default = {{#switch:{{{2|}}}")
        else:
            lines.append(f" | {label} = {{{{#switch:{{{{{{2|}}}}}}")
        for year in years:
            value = data.value(key, str(year))
            if value is not None:
                lines.append(f"   | {year} = {value}")
        if key in META_KEYS:
            lines.append(f"   | {members} = {data.value(key, 'members') or error}")
            lines.append(f"   | = {data.value(key, '')}")
        lines.append(f"   | #default = {error} }}}}" + (" }}" if per_country else ""))
    lines.append(f" | #default = {error}")
    lines.append("}}</includeonly><noinclude>")
    lines.append(doc.rstrip())
    lines.append("</noinclude>")
    return "\n".join(lines) + "\n"


def update_inline(text: str, template: str, data: StatsData, value_param: str) -> tuple[str, int, list[str]]:
    """Fill the value parameter of every inline statistics template on a page.

    ``{{T|members|value=243}}`` → ``{{T|members|value=300}}``; the template's other parameters,
    its spacing and the rest of the page stay as they are. Returns the new text, the number of
    values changed and the keys that could not be resolved.
    """
    code = mwparserfromhell.parse(text, skip_style_tags=True)
    wanted = template_key(template)
    changed = 0
    unknown: list[str] = []
    for node in code.filter_templates():
        if template_key(str(node.name)) != wanted or not node.has("1"):
            continue
        name = str(node.get("1").value).strip()
        key = resolve_key(name, data.lang)
        qualifier = str(node.get("2").value).strip() if node.has("2") else ""
        country_param = l10n.message(data.lang, "stats-country-param")
        country = str(node.get(country_param).value).strip() if node.has(country_param) else ""
        value = data.value(key, qualifier, country) if key and key != "citation" else None
        if value is None:
            unknown.append(f"{name}|{qualifier}" if qualifier else name)
            continue
        shown = (
            l10n.format_number(value, data.lang, data.numerals)
            if isinstance(value, int)
            else escape(str(value))
        )
        current = str(node.get(value_param).value).strip() if node.has(value_param) else None
        if current == shown:
            continue
        if node.has(value_param):
            param = node.get(value_param)
            old = str(param.value)
            param.value = old[: len(old) - len(old.lstrip())] + shown + old[len(old.rstrip()) :]
        else:
            node.add(value_param, shown)
        changed += 1
    return str(code), changed, unknown


@dataclass(frozen=True)
class Gap:
    """Why a computed figure differs from the published one: each part the bot measured, with the
    number it accounts for, and the rest, said plainly.  ``gap == sum(counts) + unexplained``."""

    computed: int
    reported: int
    explained: tuple[tuple[str, int], ...] = ()  # (reason, count)
    rest: str = ""  # what is left: the data read and the report compared, with their dates

    @property
    def gap(self) -> int:
        """Computed minus reported."""
        return self.computed - self.reported

    @property
    def unexplained(self) -> int:
        """What no measured reason accounts for."""
        return self.gap - sum(count for _, count in self.explained)

    def report(self) -> dict[str, Any]:
        """As the run report writes it."""
        return {
            "computed": self.computed,
            "reported": self.reported,
            "gap": self.gap,
            "explained": [{"reason": reason, "count": count} for reason, count in self.explained],
            "unexplained": self.unexplained,
        }

    def text(self, label: str, lang: str, numerals: str | None = None) -> str:
        """One line for a table cell: the gap, each part with its number, then the rest."""
        if not self.gap:
            return ""
        parts = [f"{reason} ({signed(count, lang, numerals)})" for reason, count in self.explained]
        if self.unexplained:
            parts.append(f"{self.rest} ({signed(self.unexplained, lang, numerals)})")
        separator = l10n.message(lang, "list-separator")
        return l10n.message(lang, "stats-gap", label, signed(self.gap, lang, numerals), separator.join(parts))


def signed(number: int, lang: str, numerals: str | None = None) -> str:
    """A number with its sign: +6, −2 (the minus sign, not a hyphen)."""
    return ("+" if number > 0 else "−" if number < 0 else "") + l10n.format_number(
        abs(number), lang, numerals
    )


def _fits(remaining: int, count: int) -> bool:
    """True when a reason's count accounts for part of what is left (same sign, no more than it)."""
    return count != 0 and (count > 0) == (remaining > 0) and abs(count) <= abs(remaining)


def year_gaps(year: int, stats: YearStats | None, data: StatsData) -> tuple[Gap | None, Gap | None]:
    """The year's shutdowns and countries against the latest published figures (None: nothing to compare)."""
    latest = data.reported.latest(year)
    if stats is None or latest is None:
        return None, None
    lang = data.lang

    def rest(computed: int, reported: int) -> str:
        return _rest(data, computed, latest.as_of, reported)

    shutdowns = None
    if latest.shutdowns is not None:
        reasons = []
        gap = stats.shutdowns - latest.shutdowns
        if _fits(gap, -stats.rejected):  # rows Access Now counts that the bot could not read
            reasons.append((l10n.message(lang, "stats-reason-rejected", stats.rejected), -stats.rejected))
        shutdowns = Gap(
            stats.shutdowns, latest.shutdowns, tuple(reasons), rest(stats.shutdowns, latest.shutdowns)
        )
    countries = None
    if latest.countries is not None:
        reasons = []
        gap = stats.countries - latest.countries
        if _fits(gap, len(stats.territories)):  # counted apart here, with their state in the report
            names = ", ".join(_name(k, lang) for k in stats.territories)
            reasons.append((l10n.message(lang, "stats-reason-territories", names), len(stats.territories)))
        countries = Gap(
            stats.countries, latest.countries, tuple(reasons), rest(stats.countries, latest.countries)
        )
    return shutdowns, countries


def country_gap(year: int, code: str, stats: YearStats | None, data: StatsData) -> Gap | None:
    """A country's shutdowns in a year against Access Now's per-country figure, if it published one.

    Access Now sometimes counts a shutdown for the state whose authorities ordered it, the data
    for the country where it happened (its ``decision_maker`` names the other state): when
    counting that way brings the figure nearer, each such move is a reason with its count.
    """
    figure = data.reported.by_country.get(year, {}).get(code)
    if figure is None or figure.shutdowns is None:
        return None
    lang = data.lang
    computed = dict(stats.by_country).get(code, 0) if stats else 0
    moves = []
    for where, by, n in stats.orders if stats else ():
        if where == code:  # happened here, ordered from abroad: the report counts it there
            moves.append((l10n.message(lang, "stats-reason-ordered-from", _name(by, lang)), n))
        elif by == code:  # ordered by this state's authorities elsewhere: the report counts it here
            moves.append((l10n.message(lang, "stats-reason-ordered-in", _name(where, lang)), -n))
    gap = computed - figure.shutdowns
    moved = sum(n for _, n in moves)
    reasons = tuple(moves) if abs(gap - moved) < abs(gap) else ()
    return Gap(computed, figure.shutdowns, reasons, _rest(data, computed, figure.as_of, figure.shutdowns))


def _rest(data: StatsData, computed: int, as_of: str, reported: int) -> str:
    """What no measured reason accounts for, in words: both figures with their dates."""
    lang = data.lang
    return l10n.message(
        lang,
        "stats-reason-rest",
        l10n.format_as_of(data.as_of or "?", lang, data.numerals),
        l10n.format_number(computed, lang, data.numerals),
        l10n.format_as_of(as_of, lang, data.numerals),
        l10n.format_number(reported, lang, data.numerals),
    )


def _name(key: str, lang: str) -> str:
    """A country key (ISO code, or a name for an entity without one) in the wiki's language."""
    country = Country(key, key) if len(key) == 2 and key.isupper() else Country(None, key)
    return l10n.country_name(country, lang)


def table_rows(data: StatsData, names: dict[str, str]) -> tuple[RowData, ...]:
    """One statistics table row per year: computed beside reported, the difference explained."""
    lang = data.lang
    refs = References(data)
    rows = []
    for year in sorted(data.years.keys() | data.reported.first.keys()):
        stats = data.years.get(year)
        first, revised = data.reported.first.get(year), data.reported.revised.get(year)

        def number(value: int | None) -> str:  # plain digits: the row template shows them (formatnum)
            return str(value) if value is not None else ""

        sources = "".join(refs.cite(figure) for figure in (first, revised) if figure is not None)
        shutdowns, countries = year_gaps(year, stats, data)
        why = [
            gap.text(l10n.message(lang, label), lang, data.numerals)
            for gap, label in ((shutdowns, "stats-gap-shutdowns"), (countries, "stats-gap-countries"))
            if gap is not None
        ]
        params = (
            (names["year"], str(year)),
            (names["shutdowns"], number(stats.shutdowns if stats else None)),
            (names["countries"], number(stats.countries if stats else None)),
            (names["reported_shutdowns"], number(first.shutdowns if first else None)),
            (names["reported_countries"], number(first.countries if first else None)),
            (names["revised_shutdowns"], number(revised.shutdowns if revised else None)),
            (names["revised_countries"], number(revised.countries if revised else None)),
            (names["explanation"], escape(l10n.message(lang, "list-separator").join(w for w in why if w))),
            (names["sources"], sources),
        )
        rows.append(RowData(str(year), params, (year,)))
    return tuple(rows)


class References:
    """Named references: each published source cited once in full, then by its name."""

    def __init__(self, data: StatsData) -> None:
        self.data = data
        self.defined: set[str] = set()

    def cite(self, figure: Reported) -> str:
        """The figure's source: a full named <ref> the first time, a short one after."""
        name = ref_name(figure)
        if name in self.defined:
            return f'<ref name="{name}" />'
        self.defined.add(name)
        return self.data.ref(name, figure)


def ref_name(figure: Reported) -> str:
    """One name per published source (a report cited for several years is one reference)."""
    return "keepiton-" + hashlib.sha1(f"{figure.source}|{figure.url}".encode()).hexdigest()[:8]


def country_rows(data: StatsData, names: dict[str, str]) -> tuple[RowData, ...]:
    """One row per country and year (the latest year first, then by count): shutdowns located there,
    Access Now's figure where published."""
    lang = data.lang
    refs = References(data)
    rows = []
    for year in sorted(data.years.keys() | data.reported.by_country.keys()):
        stats = data.years.get(year)
        counts = dict(stats.by_country) if stats else {}
        published = data.reported.by_country.get(year, {})
        for key in sorted(counts.keys() | published.keys()):
            figure = published.get(key)
            gap = country_gap(year, key, stats, data)
            reported = ""
            if figure is not None and figure.shutdowns is not None:
                reported = str(figure.shutdowns)
                if figure.note:
                    reported += f" ({escape(figure.note)})"
            params = (
                (names["country"], escape(_name(key, lang))),
                (names["code"], escape(key)),
                (names["year"], str(year)),
                (names["shutdowns"], str(counts.get(key, 0))),
                (names["reported"], reported),
                (
                    names["explanation"],
                    escape(gap.text(l10n.message(lang, "stats-gap-shutdowns"), lang, data.numerals))
                    if gap
                    else "",
                ),
                (names["sources"], refs.cite(figure) if figure is not None else ""),
            )
            rows.append(RowData(f"{key}-{year}", params, (-year, -counts.get(key, 0), key)))  # newest first
    return tuple(rows)


def chart_rows(years: dict[int, YearStats]) -> Sequence[tuple[int, int, int]]:
    """(year, shutdowns, countries) for the chart."""
    return [(y, s.shutdowns, s.countries) for y, s in sorted(years.items())]
