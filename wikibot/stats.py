"""Yearly figures computed from the incidents, Access Now's reported figures, and the wikitext
that serves them: the statistics data template, the inline templates and the statistics table.

Pure: incidents and the reported-figures file in, strings and frozen records out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import mwparserfromhell
import yaml

from wikibot import l10n, vocabulary, yamlfile
from wikibot.errors import SettingsError
from wikibot.listpage import template_key
from wikibot.model import Country, Incident, Rejected
from wikibot.render import RowData, escape
from wikibot.text import safe_url

# A breakdown's name → the incident field whose values it counts (and the messages' group).
BREAKDOWNS = {"by_trigger": "cause", "by_type": "type", "by_extent": "extent", "by_scope": "scope"}
# Counts of a year, each a figure of its own (``flags``: the data's yes/no columns).
FLAG_KEYS = {"elections": "election", "violence": "violence", "hr_abuse": "hr-abuse"}
COUNT_KEYS = (
    *FLAG_KEYS,
    "ongoing",  # counted in the year and not ended by 31 December
    "over_a_year",  # of those, started more than a year before 31 December
    "foreign_orders",  # ordered by an authority of a state that is none of the shutdown's countries
    "foreign_states",  # how many such states
    "foreign_countries",  # how many countries such shutdowns were in
    "new_countries",  # countries with a shutdown in the year and in no earlier year of the data
)
YEAR_KEYS = (
    "shutdowns",
    "countries",
    "longest",
    "reported_shutdowns",
    "reported_countries",
    "first_reported_shutdowns",
    "first_reported_countries",
    *COUNT_KEYS,
    *(f"reported_{k}" for k in COUNT_KEYS),
)
CATEGORY_KEYS = (*BREAKDOWNS, *(f"reported_{k}" for k in BREAKDOWNS))  # {{T|key|year|category}}
LATEST_KEYS = ("members", "member_countries")
META_KEYS = ("as_of", "citation")
COUNTRY_KEYS = ("shutdowns", "reported_shutdowns", "citation")  # also per country: |country=CODE
KEYS = YEAR_KEYS + CATEGORY_KEYS + LATEST_KEYS + META_KEYS
TOP_COUNTRIES = 5
LONGEST = 10  # the longest shutdowns listed per year
RECORDED_SHARE = 0.5  # a yes/no column is counted in a year only when at least this share answers it
# The fields of a per-country row (the profile maps each to its template's parameter name).
COUNTRY_PARAMS = ("country", "code", "year", "shutdowns", "reported", "explanation", "sources")


@dataclass(frozen=True)
class Longest:
    """One of a year's longest shutdowns: its length in days to its end, or to 31 December (or
    the data's date) while it goes on."""

    id: str
    start: dt.date
    end: dt.date | None  # None: not ended by the year's end
    countries: tuple[Country, ...]
    days: int


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
    orders: tuple[tuple[str, str, int], ...] = ()  # (where, the other state whose authority ordered, n)
    rejected: int = 0  # the year's source rows that could not become incidents (not counted)
    by_extent: tuple[tuple[str, int], ...] = ()
    flags: tuple[tuple[str, int | None], ...] = ()  # elections/violence/hr_abuse (None: not recorded)
    over_a_year: int = 0  # of ongoing_at_end, those started more than a year before 31 December
    foreign_orders: int = 0
    longest: tuple[Longest, ...] = ()
    new_countries: tuple[str, ...] | None = None  # None: the first year of the data (nothing before)

    def breakdown(self, name: str) -> tuple[tuple[str, int], ...]:
        """A breakdown's categories and counts (``BREAKDOWNS``)."""
        return {
            "by_trigger": self.by_cause,
            "by_type": self.by_type,
            "by_extent": self.by_extent,
            "by_scope": self.by_scope,
        }[name]

    def count(self, key: str) -> int | None:
        """One of ``COUNT_KEYS`` (None: the data does not record it for the year)."""
        if key in FLAG_KEYS:
            return dict(self.flags).get(key)
        return {
            "ongoing": self.ongoing_at_end,
            "over_a_year": self.over_a_year,
            "foreign_orders": self.foreign_orders,
            "foreign_states": len({by for _, by, _ in self.orders}),
            "foreign_countries": len({where for where, _, _ in self.orders}),
            "new_countries": len(self.new_countries) if self.new_countries is not None else None,
        }[key]

    def as_report(self) -> dict[str, Any]:
        """The run report's view of the year."""
        return {
            "shutdowns": self.shutdowns,
            "countries": self.countries,
            "ongoing_at_end": self.ongoing_at_end,
            "longest_days": self.longest_days,
            "by_type": dict(self.by_type),
            "by_extent": dict(self.by_extent),
            "by_scope": dict(self.by_scope),
            "by_cause": dict(self.by_cause),
            "by_justification": dict(self.by_justification),
            "top_countries": dict(self.top_countries),
            "orders": [{"in": where, "ordered_by": by, "shutdowns": n} for where, by, n in self.orders],
            "longest": [
                {
                    "id": item.id,
                    "start": item.start.isoformat(),
                    "end": item.end.isoformat() if item.end else None,
                    "countries": [c.key for c in item.countries],
                    "days": item.days,
                }
                for item in self.longest
            ],
            "first_time_countries": list(self.new_countries) if self.new_countries is not None else None,
        }


def _sorted_counts(counter: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def compute(
    incidents: Iterable[Incident], rejected: Iterable[Rejected] = (), until: dt.date | None = None
) -> dict[int, YearStats]:
    """The figures of every counted year (a multi-country incident counts each of its countries);
    ``until``: the data's date, where a shutdown still going on stops being counted."""
    per_year: dict[int, list[Incident]] = {}
    for incident in incidents:
        for year in incident.years:
            per_year.setdefault(year, []).append(incident)
    not_read = Counter(r.year for r in rejected if r.year is not None)
    result: dict[int, YearStats] = {}
    seen: set[str] = set()
    for year in sorted(per_year):
        items = per_year[year]
        year_end = dt.date(year, 12, 31)
        countries: Counter[str] = Counter(c.key for i in items for c in i.countries)
        durations = [d for i in items if (d := i.duration_days) is not None]
        ongoing = [i for i in items if _ongoing_at(i, year_end)]
        orders = _orders(items)
        result[year] = YearStats(
            year=year,
            shutdowns=len(items),
            countries=len(countries),
            by_type=_sorted_counts(Counter(k for i in items for k in (i.types or ("unknown",)))),
            by_scope=_sorted_counts(Counter(i.scope for i in items)),
            by_cause=_sorted_counts(Counter(i.cause or "unknown" for i in items)),
            by_justification=_sorted_counts(Counter(i.justification or "unknown" for i in items)),
            ongoing_at_end=len(ongoing),
            longest_days=max(durations) if durations else None,
            top_countries=_sorted_counts(countries)[:TOP_COUNTRIES],
            carried_over=sum(1 for i in items if i.start.year < year),
            multi_country=sum(1 for i in items if len(i.countries) > 1),
            by_country=_sorted_counts(countries),
            orders=orders,
            rejected=not_read.get(year, 0),
            by_extent=_sorted_counts(Counter(k for i in items for k in (i.extents or ("unknown",))))
            if any(i.extents for i in items)
            else (),
            flags=tuple((key, _flag_count(items, flag)) for key, flag in FLAG_KEYS.items()),
            over_a_year=sum(1 for i in ongoing if i.start < _year_before(year_end)),
            foreign_orders=sum(1 for i in items if _foreign(i)),
            longest=_longest(items, min(year_end, until) if until else year_end),
            new_countries=tuple(sorted(set(countries) - seen)) if result else None,
        )
        seen |= set(countries)
    return result


def _ongoing_at(incident: Incident, day: dt.date) -> bool:
    """True when the data says the shutdown had not ended by that day."""
    if incident.end is None:
        return incident.status == "ongoing"
    return incident.end > day


def _year_before(day: dt.date) -> dt.date:
    return day.replace(year=day.year - 1)


def _flag_count(items: list[Incident], flag: str) -> int | None:
    """How many of the year's shutdowns the data reports with a flag, or None when fewer than
    ``RECORDED_SHARE`` of them answer the column at all (an empty column is no count of zero)."""
    answered = sum(1 for i in items if flag in i.recorded)
    if answered < RECORDED_SHARE * len(items):
        return None
    return sum(1 for i in items if flag in i.flags)


def _foreign(incident: Incident) -> str | None:
    """The other state whose authority ordered the shutdown (its code), if the vocabulary says so."""
    if not incident.decision_maker:
        return None
    _, state = vocabulary.authority(incident.decision_maker)
    if state is None or state in {c.code for c in incident.countries}:
        return None
    return state


def _orders(items: list[Incident]) -> tuple[tuple[str, str, int], ...]:
    """Shutdowns in a country ordered by an authority of another state, counted per pair."""
    moved: Counter[tuple[str, str]] = Counter()
    for incident in items:
        state = _foreign(incident)
        if state is not None:
            for country in incident.countries:
                moved[(country.key, state)] += 1
    return tuple((where, by, n) for (where, by), n in sorted(moved.items(), key=lambda kv: (-kv[1], kv[0])))


def _longest(items: list[Incident], until: dt.date) -> tuple[Longest, ...]:
    """The year's longest shutdowns (to their end, or to ``until`` while going on); a shutdown
    whose end the data does not know and that it does not say is going on is left out."""
    found = []
    for incident in items:
        if incident.end is not None and incident.end <= until:
            end: dt.date | None = incident.end
            days = (incident.end - incident.start).days + 1
        elif _ongoing_at(incident, until) and incident.start <= until:
            end, days = None, (until - incident.start).days + 1
        else:
            continue
        found.append(Longest(incident.id, incident.start, end, incident.countries, days))
    found.sort(key=lambda item: (-item.days, item.start, item.id))
    return tuple(found[:LONGEST])


def unknown_authorities(incidents: Iterable[Incident]) -> tuple[tuple[str, int], ...]:
    """Decision-maker wordings ``data/authorities.yaml`` does not know, with their shutdowns (most
    first): counted nowhere until a maintainer adds them."""
    unknown: Counter[str] = Counter(
        i.decision_maker
        for i in incidents
        if i.decision_maker and not vocabulary.authority(i.decision_maker)[0]
    )
    return _sorted_counts(unknown)


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
    # year → "ongoing", "by_trigger/conflict"… → the report's figure of that count or category
    breakdowns: dict[int, dict[str, Reported]] = field(default_factory=dict)

    def breakdown(self, year: int, key: str, category: str = "") -> Reported | None:
        """A published count (``COUNT_KEYS``) or a breakdown's category, if the report gives it."""
        return self.breakdowns.get(year, {}).get(f"{key}/{category}" if category else key)

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
    breakdowns: dict[int, dict[str, Reported]] = {}
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
        if entry.get("breakdowns") is not None:
            breakdowns[year] = _breakdowns(
                entry["breakdowns"], entry["first"], f"{where}: yearly {year} breakdowns"
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
    return ReportedFigures(first, revised, coalition, by_country, breakdowns)


def _breakdowns(data: Any, first: dict[str, Any], where: str) -> dict[str, Reported]:
    """A report's counts and breakdowns of one year: ``ongoing: 47``, ``by_trigger: {conflict: 74}``;
    a figure is a number, or a mapping with ``value`` (and a ``note`` in the source's words, its
    own ``source``/``url``/``as_of``); the rest comes from the year's ``first`` entry."""
    if not isinstance(data, dict):
        raise SettingsError(f"{where}: must map counts ({', '.join(COUNT_KEYS)}) and breakdowns to figures")
    inherited = {k: v for k, v in first.items() if k in ("as_of", "source", "url")}
    result = {}

    def figure(value: Any, at: str) -> Reported:
        given = value if isinstance(value, dict) else {"value": value}
        unknown = set(given) - {"value", "note", "source", "url", "as_of"}
        if unknown:
            raise SettingsError(f"{at}: unknown key {sorted(unknown)[0]!r} (value, note, source, url, as_of)")
        body = {
            **inherited,
            **{k: v for k, v in given.items() if k != "value"},
            "shutdowns": given.get("value"),
        }
        if body["shutdowns"] is None:
            raise SettingsError(f"{at}: 'value' is missing")
        return _reported(body, at)

    for key, value in data.items():
        if key in COUNT_KEYS:
            result[key] = figure(value, f"{where} {key}")
        elif key in BREAKDOWNS:
            if not isinstance(value, dict):
                raise SettingsError(f"{where} {key}: must map categories to figures")
            known = categories_of(key)
            for category, number in value.items():
                if str(category) not in known:
                    raise SettingsError(
                        f"{where} {key}: unknown category {category!r} (one of {', '.join(known)})"
                    )
                result[f"{key}/{category}"] = figure(number, f"{where} {key} {category}")
        else:
            raise SettingsError(
                f"{where}: unknown figure {key!r} (one of {', '.join((*COUNT_KEYS, *BREAKDOWNS))})"
            )
    return result


def categories_of(breakdown: str) -> tuple[str, ...]:
    """The categories a breakdown can hold (the keys of its vocabulary)."""
    field_ = BREAKDOWNS[breakdown]
    if field_ == "cause":
        return vocabulary.keys("cause")
    return {
        "type": ("shutdown", "throttling", "unknown"),
        "extent": ("full-network", "service-based", "unknown"),
        "scope": ("local", "regional", "national", "unknown"),
    }[field_]


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
    unknown_deciders: tuple[tuple[str, int], ...] = ()  # decision makers no vocabulary entry names
    accessed: str = ""  # the day (ISO) the data set's citation gives as its access date, when it has one

    def value(self, key: str, qualifier: str = "", country: str = "", category: str = "") -> int | str | None:
        """The figure a key (and a year, or 'members' for dates and citations) stands for; with a
        country (an ISO code), that country's figure of the year; with a category, that category
        of a breakdown (``by_trigger``…).  An approximate coalition size reads "more than N"."""
        year = int(qualifier) if qualifier.strip().isdigit() else None
        if country:
            return self.country_value(key, year, country.strip().upper())
        stats = self.years.get(year) if year is not None else None
        if key in CATEGORY_KEYS:
            category = category.strip()
            if year is None or not category:
                return None
            if key.startswith("reported_"):
                figure = self.reported.breakdown(year, key.removeprefix("reported_"), category)
                return figure.shutdowns if figure else None
            if stats is None or category not in (*categories_of(key), *dict(stats.breakdown(key))):
                return None
            return dict(stats.breakdown(key)).get(category, 0)
        if key in YEAR_KEYS:
            if year is None:
                return None
            if key in COUNT_KEYS:
                return stats.count(key) if stats else None
            if key.removeprefix("reported_") in COUNT_KEYS:
                figure = self.reported.breakdown(year, key.removeprefix("reported_"))
                return figure.shutdowns if figure else None
            latest, first = self.reported.latest(year), self.reported.first.get(year)
            return {
                "shutdowns": stats.shutdowns if stats else None,
                "countries": stats.countries if stats else None,
                "longest": stats.longest_days if stats else None,
                "reported_shutdowns": latest.shutdowns if latest else None,
                "reported_countries": latest.countries if latest else None,
                "first_reported_shutdowns": first.shutdowns if first else None,
                "first_reported_countries": first.countries if first else None,
            }[key]
        members = self.coalition_figure(qualifier if key in LATEST_KEYS else "")
        if key == "members":
            return self.approximate(members.shutdowns, members.approximate) if members else None
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

    def coalition_figure(self, year: str = "") -> Reported | None:
        """The coalition's latest published size, or the latest one published in a year."""
        if not year.strip().isdigit():
            return self.reported.members
        return next((m for m in reversed(self.reported.coalition) if m.as_of[:4] == year.strip()), None)

    def approximate(self, number: int | None, approximate: bool) -> int | str | None:
        """A figure as published: "more than 300" when the source gives it as a lower bound."""
        if number is None or not approximate:
            return number
        return l10n.message(
            self.lang, "stats-more-than", l10n.format_number(number, self.lang, self.numerals)
        )

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
        if key in LATEST_KEYS:  # {{T|members}}: the latest size; {{T|members|2021}}: that year's
            value = data.value(key)
            latest = value if value is not None else error
            published = sorted({c.as_of[:4] for c in data.reported.coalition})
            cases = "".join(f" | {y} = {v}" for y in published if (v := data.value(key, y)) is not None)
            lines.append(
                f" | {label} = {{{{#switch:{{{{{{2|}}}}}}{cases} | = {latest} | #default = {error} }}}}"
            )
            continue
        if key in CATEGORY_KEYS:  # {{T|key|year|category}}: a breakdown's category that year
            group = BREAKDOWNS[key.removeprefix("reported_")]
            lines.append(f" | {label} = {{{{#switch:{{{{{{2|}}}}}}")
            for year in years:
                cases = ""
                for category in categories_of(key.removeprefix("reported_")):
                    value = data.value(key, str(year), category=category)
                    if value is not None:
                        cases += f" | {_case_names(category, group, data.lang)} = {value}"
                if cases:
                    lines.append(f"   | {year} = {{{{#switch:{{{{{{3|}}}}}}{cases} | #default = {error} }}}}")
            lines.append(f"   | #default = {error} }}}}")
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


def _case_names(category: str, group: str, lang: str) -> str:
    """A category as a #switch case: its key, and its word in the wiki's language when that differs
    and can stand in a case (no | = { })."""
    label = l10n.value_label(lang, group, category)
    if label == category or any(ch in label for ch in "|={}"):
        return category
    return f"{category} | {label}"


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
        category = str(node.get("3").value).strip() if node.has("3") else ""
        if key in CATEGORY_KEYS:  # a category by its key or its word in the wiki's language
            group = BREAKDOWNS[key.removeprefix("reported_")]
            category = l10n.value_from_label(data.lang, group, category) or category
        value = data.value(key, qualifier, country, category) if key and key != "citation" else None
        if value is None:
            unknown.append("|".join(p for p in (name, qualifier, category) if p))
            continue
        figure = data.coalition_figure(qualifier) if key == "members" else None
        if figure is not None and figure.approximate and _after_more_than(code, node, data.lang):
            value = figure.shutdowns  # "plus de {{T|membres}}": the sentence says it already
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


def _after_more_than(code: mwparserfromhell.wikicode.Wikicode, node: Any, lang: str) -> bool:
    """True when the text just before a template (at the page's top level) ends with the words
    of "more than" in the wiki's language: an editor wrote "plus de {{T|membres}}"."""
    try:
        at = code.index(node)
    except ValueError:
        return False
    words = l10n.message(lang, "stats-more-than", "").strip().casefold()
    return at > 0 and str(code.nodes[at - 1]).rstrip().casefold().endswith(words)


def compared(computed: int | None, reported: Reported | None) -> dict[str, Any]:
    """A computed figure beside the published one, as the run report gives it (the bot's
    comparison: nothing on a reader's page says why two figures differ)."""
    number = reported.shutdowns if reported else None
    return {
        "computed": computed,
        "reported": number,
        "difference": computed - number if computed is not None and number is not None else None,
    }


def year_report(data: StatsData, year: int) -> dict[str, Any]:
    """Every figure of a year beside Access Now's where it published one (``stats.by_year.YYYY``)."""
    stats = data.years.get(year)
    latest = data.reported.latest(year)
    countries = replace(latest, shutdowns=latest.countries) if latest else None
    result: dict[str, Any] = {
        "shutdowns": compared(stats.shutdowns if stats else None, latest),
        "countries": compared(stats.countries if stats else None, countries),
    }
    for key in COUNT_KEYS:
        result[key] = compared(stats.count(key) if stats else None, data.reported.breakdown(year, key))
    for name in BREAKDOWNS:
        counts = dict(stats.breakdown(name)) if stats else {}
        published = {
            k.split("/", 1)[1] for k in data.reported.breakdowns.get(year, {}) if k.startswith(name + "/")
        }
        result[name] = {
            category: compared(
                counts.get(category, 0) if stats else None, data.reported.breakdown(year, name, category)
            )
            for category in sorted(counts.keys() | published)
        }
    return result


def revised_note(data: StatsData) -> str:
    """The one neutral note beside a computed figure that differs from the published one."""
    return l10n.message(
        data.lang, "stats-revisions-note", l10n.format_as_of(data.as_of, data.lang, data.numerals)
    )


def differs(data: StatsData, year: int) -> bool:
    """True when a computed total of the year differs from Access Now's latest published one."""
    stats, latest = data.years.get(year), data.reported.latest(year)
    if stats is None or latest is None:
        return False
    return (latest.shutdowns is not None and latest.shutdowns != stats.shutdowns) or (
        latest.countries is not None and latest.countries != stats.countries
    )


def table_rows(data: StatsData, names: dict[str, str]) -> tuple[RowData, ...]:
    """One statistics table row per year: computed beside published and revised; where they
    differ, the note that Access Now revises its data after publishing."""
    refs = References(data)
    rows = []
    for year in sorted(data.years.keys() | data.reported.first.keys()):
        stats = data.years.get(year)
        first, revised = data.reported.first.get(year), data.reported.revised.get(year)

        def number(value: int | None) -> str:  # plain digits: the row template shows them (formatnum)
            return str(value) if value is not None else ""

        sources = "".join(refs.cite(figure) for figure in (first, revised) if figure is not None)
        if differs(data, year):
            sources += refs.note("keepiton-revisions", revised_note(data))
        params = (
            (names["year"], str(year)),
            (names["shutdowns"], number(stats.shutdowns if stats else None)),
            (names["countries"], number(stats.countries if stats else None)),
            (names["reported_shutdowns"], number(first.shutdowns if first else None)),
            (names["reported_countries"], number(first.countries if first else None)),
            (names["revised_shutdowns"], number(revised.shutdowns if revised else None)),
            (names["revised_countries"], number(revised.countries if revised else None)),
            (names["sources"], sources),
        )
        rows.append(RowData(str(year), params, (year,)))
    return tuple(rows)


class References:
    """Named references: each published source cited once in full, then by its name.  Reports
    are cited with a plain link (the same <ref> wherever the bot writes it: the statistics rows,
    the tables template), so the wiki's citation template weighs on no page."""

    def __init__(self, data: StatsData) -> None:
        self.data = replace(data, plain=True)
        self.defined: set[str] = set()

    def cite(self, figure: Reported) -> str:
        """The figure's source: a full named <ref> the first time, a short one after."""
        name = ref_name(figure)
        if name in self.defined:
            return f'<ref name="{name}" />'
        self.defined.add(name)
        return self.data.ref(name, figure)

    def note(self, name: str, text: str) -> str:
        """A named note (its text the first time, its name after)."""
        if name in self.defined:
            return f'<ref name="{name}" />'
        self.defined.add(name)
        return f'<ref name="{name}">{escape(text)}</ref>'


def ref_name(figure: Reported) -> str:
    """One name per published source (a report cited for several years is one reference)."""
    return "keepiton-" + hashlib.sha1(f"{figure.source}|{figure.url}".encode()).hexdigest()[:8]


def chart_rows(years: dict[int, YearStats]) -> Sequence[tuple[int, int, int]]:
    """(year, shutdowns, countries) for the chart."""
    return [(y, s.shutdowns, s.countries) for y, s in sorted(years.items())]
