"""Yearly figures computed from the incidents, Access Now's reported figures, and the wikitext
that serves them: the statistics data template, the inline templates and the statistics table.

Pure: incidents and the reported-figures file in, strings and frozen records out.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mwparserfromhell
import yaml

from wikibot import l10n, yamlfile
from wikibot.errors import SettingsError
from wikibot.listpage import template_key
from wikibot.model import Incident
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
KEYS = YEAR_KEYS + LATEST_KEYS + META_KEYS
TOP_COUNTRIES = 5


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


def compute(incidents: Iterable[Incident]) -> dict[int, YearStats]:
    """The figures of every counted year (a multi-country incident counts each of its countries)."""
    per_year: dict[int, list[Incident]] = {}
    for incident in incidents:
        for year in incident.years:
            per_year.setdefault(year, []).append(incident)
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
        )
    return result


@dataclass(frozen=True)
class Reported:
    """A published figure and where it was published."""

    shutdowns: int | None
    countries: int | None
    as_of: str
    source: str
    url: str = ""
    approximate: bool = False


@dataclass(frozen=True)
class ReportedFigures:
    """Access Now's yearly totals (first and revised) and the coalition's size over time."""

    first: dict[int, Reported]
    revised: dict[int, Reported]
    coalition: tuple[Reported, ...]  # shutdowns = members, countries = member countries; by as_of

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
    for year, entry in (data.get("yearly") or {}).items():
        if not isinstance(year, int) or not isinstance(entry, dict) or "first" not in entry:
            raise SettingsError(f"{where}: yearly entry {year!r} must be a year holding 'first'")
        first[year] = _reported(entry["first"], f"{where}: yearly {year} first")
        if entry.get("revised"):
            revised[year] = _reported(entry["revised"], f"{where}: yearly {year} revised")
    coalition_data = data.get("coalition") or []
    if not isinstance(coalition_data, list):
        raise SettingsError(f"{where}: 'coalition' must be a list")
    coalition = tuple(
        sorted(
            (_reported(e, f"{where}: coalition #{n + 1}") for n, e in enumerate(coalition_data)),
            key=lambda r: r.as_of,
        )
    )
    return ReportedFigures(first, revised, coalition)


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

    def value(self, key: str, qualifier: str = "") -> int | str | None:
        """The figure a key (and a year, or 'members' for dates and citations) stands for."""
        year = int(qualifier) if qualifier.strip().isdigit() else None
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
        if figure.url:
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
    error = '<strong class="error">' + escape(l10n.message(data.lang, "stats-unknown")) + "</strong>"
    years = sorted(data.years.keys() | data.reported.first.keys())
    members = " | ".join(names["members"] + names["member_countries"])
    lines = ["<includeonly>{{#switch:{{{1|}}}"]
    for key in KEYS:
        label = " | ".join(names[key])
        if key in LATEST_KEYS:
            value = data.value(key)
            lines.append(f" | {label} = {value if value is not None else error}")
            continue
        lines.append(f" | {label} = {{{{#switch:{{{{{{2|}}}}}}")
        for year in years:
            value = data.value(key, str(year))
            if value is not None:
                lines.append(f"   | {year} = {value}")
        if key in META_KEYS:
            lines.append(f"   | {members} = {data.value(key, 'members') or error}")
            lines.append(f"   | = {data.value(key, '')}")
        lines.append(f"   | #default = {error} }}}}")
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
        value = data.value(key, qualifier) if key and key != "citation" else None
        if value is None:
            unknown.append(f"{name}|{qualifier}" if qualifier else name)
            continue
        shown = l10n.format_number(value, data.lang) if isinstance(value, int) else escape(str(value))
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


def explanation(year: int, stats: YearStats | None, data: StatsData) -> str:
    """One line saying why the computed figures differ from the published ones (empty if they agree)."""
    lang = data.lang
    first, revised = data.reported.first.get(year), data.reported.revised.get(year)
    latest = revised or first
    if stats is None or latest is None:
        return ""
    if stats.shutdowns == latest.shutdowns and (latest.countries in (None, stats.countries)):
        if revised and first and revised.shutdowns != first.shutdowns:
            return l10n.message(lang, "stats-why-revised", first.shutdowns or 0, revised.shutdowns or 0)
        return ""
    reasons = []
    if revised and first and revised.shutdowns != first.shutdowns:
        reasons.append(l10n.message(lang, "stats-why-revised", first.shutdowns or 0, revised.shutdowns or 0))
    if stats.carried_over:
        reasons.append(l10n.message(lang, "stats-why-carried", stats.carried_over, year))
    if stats.multi_country and latest.countries not in (None, stats.countries):
        reasons.append(l10n.message(lang, "stats-why-split", stats.multi_country))
    if not reasons:
        reasons.append(l10n.message(lang, "stats-why-updated"))
    return l10n.message(lang, "list-separator").join(reasons)


def table_rows(data: StatsData, names: dict[str, str]) -> tuple[RowData, ...]:
    """One statistics table row per year: computed beside reported, the difference explained."""
    lang = data.lang
    rows = []
    for year in sorted(data.years.keys() | data.reported.first.keys()):
        stats = data.years.get(year)
        first, revised = data.reported.first.get(year), data.reported.revised.get(year)

        def number(value: int | None) -> str:
            return l10n.format_number(value, lang) if value is not None else ""

        sources = "".join(
            data.ref(f"keepiton-{year}-{kind}", figure)
            for kind, figure in (("first", first), ("revised", revised))
            if figure is not None
        )

        params = (
            (names["year"], str(year)),
            (names["shutdowns"], number(stats.shutdowns if stats else None)),
            (names["countries"], number(stats.countries if stats else None)),
            (names["reported_shutdowns"], number(first.shutdowns if first else None)),
            (names["reported_countries"], number(first.countries if first else None)),
            (names["revised_shutdowns"], number(revised.shutdowns if revised else None)),
            (names["revised_countries"], number(revised.countries if revised else None)),
            (names["explanation"], escape(explanation(year, stats, data))),
            (names["sources"], sources),
        )
        rows.append(RowData(str(year), params, (year,)))
    return tuple(rows)


def chart_rows(years: dict[int, YearStats]) -> Sequence[tuple[int, int, int]]:
    """(year, shutdowns, countries) for the chart."""
    return [(y, s.shutdowns, s.countries) for y, s in sorted(years.items())]
