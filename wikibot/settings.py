"""YAML profile → validated ``Settings``; every mistake is a SettingsError naming file and key.

A profile is a shipped name (``devwiki``, ``devwiki-en``, ``frwiki``, ``enwiki``: files in
``wikibot/profiles/``) or a path.  Relative source paths in a file are read from the file's
own folder.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from wikibot import l10n, yamlfile
from wikibot.errors import SettingsError
from wikibot.render import MISSING_FIELD, ROW_FIELDS, DatasetCitation, RowSpec
from wikibot.safety import SafetySettings
from wikibot.sources import SourceSpec
from wikibot.sources.layouts import Layout, layout_from_mapping, shipped
from wikibot.stats import COUNTRY_PARAMS

DEFAULT_PROFILE = "devwiki"
TEMPLATE_ROLES = (
    "row",
    "header",
    "footer",
    "carried_over",
    "index_row",
    "index_header",
    "index_footer",
    "citation",
)
HELPER_TITLES = {"fr": "M", "en": "Tl", "ar": "قالب"}  # the {{m}} / {{tl}} template the documentation uses
INDEX_FIELDS = ("year", "page", "incidents", "countries", "as_of")
MISSING_POLICIES = ("keep", "mark", "remove")
KNOWN_KEYS = ("site", "language", "source", "list", "install", "stats", "safety", "wiki_settings")
SOURCE_KEYS = ("location", "sheet", "layout", "countries_without_code", "max_bytes", "cache_dir", "citation")
LIST_KEYS = (
    "page",
    "index",
    "templates",
    "params",
    "index_params",
    "citation_params",
    "missing",
    "years",
    "country_links",
    "categories",
)
CITATION_PARAMS = ("url", "title", "accessdate", "publisher", "language")
DATASET_KEYS = ("url", "title", "publisher", "language")
# The data set, as the year pages cite it (settings: source.citation).
DATASET_URL = "https://www.accessnow.org/keepiton-data-spreadsheet/"
DATASET_REF = "keepiton-stop-data"  # the year-page header templates reuse this name
DATASET_TITLE = "#KeepItOn STOP data"  # in English, as published (the citation says so)
STATS_KEYS = (
    "template",
    "inline_template",
    "inline_value_param",
    "page",
    "chart",
    "reported",
    "templates",
    "params",
    "countries_page",
    "country_params",
    "map",
    "categories",
)
STATS_TEMPLATE_ROLES = ("header", "row", "footer", "country_header", "country_row", "country_footer")
# What admins may change from the wiki (the settings page); the rest stays in the file.
WIKI_KEYS = {
    "list": {
        "page",
        "index",
        "missing",
        "years",
        "templates",
        "params",
        "index_params",
        "country_links",
        "categories",
    },
    "stats": set(STATS_KEYS) - {"inline_value_param"},
    "safety": {"min_fraction", "max_year_drop", "stop_page", "run_value", "report_page"},
}


@dataclass(frozen=True)
class ListSettings:
    """Which pages hold the list and how their rows are written."""

    page: str  # with {year}
    index: str
    templates: dict[str, str]
    params: dict[str, str]
    index_params: dict[str, str]
    citation_params: dict[str, str]
    missing: str = "keep"
    years: tuple[int, ...] = ()  # only these years (all when empty)
    country_links: dict[str, str] = field(default_factory=dict)  # country code (or name) → article
    categories: tuple[str, ...] = ()  # given to the pages the bot creates (names, no namespace)

    def page_title(self, year: int) -> str:
        """The title of a year's page."""
        return self.page.replace("{year}", str(year))


STATS_PARAMS = (
    "year",
    "shutdowns",
    "countries",
    "reported_shutdowns",
    "reported_countries",
    "revised_shutdowns",
    "revised_countries",
    "explanation",
    "sources",
)


@dataclass(frozen=True)
class StatsSettings:
    """Where the statistics go: the data template, the inline template, the table page, the chart."""

    template: str
    inline_template: str
    inline_value_param: str
    page: str
    chart: str
    reported: str  # a file path, or "wiki:Title" for a page holding the same YAML
    templates: dict[str, str]
    params: dict[str, str]
    countries_page: str = ""  # shutdowns per country and year ('': not written)
    country_params: dict[str, str] = field(default_factory=dict)
    map: str = ""  # the world map's file title, with {year} ('': no map)
    categories: tuple[str, ...] = ()  # given to the statistics pages the bot creates

    def map_title(self, year: int) -> str:
        """The title of a year's world map file."""
        return self.map.replace("{year}", str(year))


@dataclass(frozen=True)
class Settings:
    """Everything a run needs besides the command line."""

    path: str
    site: str | None  # "family:code"; None: pywikibot's default site
    lang: str
    source: SourceSpec
    list: ListSettings
    install_helpers: bool = False  # dev wikis: citation template and {{m}}/{{tl}} stand-ins
    stats: StatsSettings | None = None
    safety: SafetySettings = field(default_factory=SafetySettings)
    wiki_settings: str | None = None  # a page whose keys override these (see with_wiki_settings)
    raw: dict[str, Any] = field(default_factory=dict, repr=False)
    dataset: dict[str, str] = field(default_factory=dict)  # source.citation: url, title, publisher, language
    numerals: str | None = None  # how the wiki shows {{formatnum:1234567890}}: asked of it by each run

    def row_spec(self) -> RowSpec:
        """How rows are written on this wiki."""
        return RowSpec(
            lang=self.lang,
            row_template=self.list.templates["row"],
            params=self.list.params,
            country_links=self.list.country_links,
        )

    def dataset_citation(self) -> DatasetCitation:
        """How the year pages cite the data set: with an access date only when the bot reads it
        at a web address (it accessed the data set that day), never for a file."""
        return DatasetCitation(
            name=DATASET_REF,
            url=self.dataset.get("url") or DATASET_URL,
            title=self.dataset.get("title") or DATASET_TITLE,
            publisher=self.dataset.get("publisher") or "Access Now",
            language=self.dataset.get("language") or "en",
            accessed=self.source.location.startswith(("http://", "https://")),
            template=self.list.templates["citation"],
            params=self.list.citation_params,
            lang=self.lang,
        )


def profile_path(name_or_path: str | None) -> Path:
    """The file of a shipped profile name, or the path given."""
    name = name_or_path or DEFAULT_PROFILE
    candidate = Path(name)
    if candidate.suffix in (".yaml", ".yml", ".json") or candidate.exists():
        return candidate
    shipped_file = Path(str(resources.files("wikibot").joinpath(f"profiles/{name}.yaml")))
    if not shipped_file.is_file():
        names = sorted(p.stem for p in shipped_file.parent.glob("*.yaml"))
        raise SettingsError(
            f"settings: no profile {name!r}; shipped: {', '.join(names)}, or give a .yaml path"
        )
    return shipped_file


def load(name_or_path: str | None = None) -> Settings:
    """Read and validate a profile."""
    path = profile_path(name_or_path)
    return from_mapping(_read_yaml(path), path)


def _known(data: dict[str, Any], known: Iterable[str], where: str) -> None:
    """Refuse keys nobody reads: a typo must not pass silently with its setting unapplied."""
    unknown = set(data) - set(known)
    if unknown:
        raise SettingsError.unknown_keys(unknown, known, where)


def _get(
    data: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str, default: Any = None
) -> Any:
    value = data.get(key, default)
    if value is None and default is None:
        return None
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        names = " or ".join(k.__name__ for k in kinds)
        raise SettingsError(f"{where}: '{key}' must be {names}, not {type(value).__name__} ({value!r})")
    return value


def _names(
    data: dict[str, Any], key: str, allowed: tuple[str, ...], where: str, any_key: bool = False
) -> dict[str, str]:
    mapping = _get(data, key, dict, where, default={})
    if not any_key:
        _known(mapping, allowed, f"{where}: {key}")
    if not all(isinstance(v, str) and v.strip() for v in mapping.values()):
        raise SettingsError(f"{where}: every value of '{key}' must be a non-empty name")
    return {str(k): str(v).strip() for k, v in mapping.items()}


def from_mapping(data: Any, path: Path) -> Settings:
    """Validate a parsed profile."""
    where = f"settings {path}"
    if not isinstance(data, dict):
        raise SettingsError(f"{where}: must be a mapping of keys (site, language, source, list)")
    _known(data, KNOWN_KEYS, where)
    site = _get(data, "site", str, where)
    lang = _get(data, "language", str, where, default="fr")
    source = _source(_get(data, "source", dict, where, default={}), path, f"{where}: source")
    lst = _get(data, "list", dict, where)
    if lst is None:
        raise SettingsError(f"{where}: 'list' is missing (page titles, templates, parameters)")
    lw = f"{where}: list"
    _known(lst, LIST_KEYS, lw)
    templates = _names(lst, "templates", TEMPLATE_ROLES, lw)
    missing_roles = [r for r in TEMPLATE_ROLES if r not in templates]
    if missing_roles:
        raise SettingsError(f"{lw}: 'templates' must name {', '.join(missing_roles)}")
    page = _get(lst, "page", str, lw)
    if not page or "{year}" not in page:
        raise SettingsError(
            f"{lw}: 'page' must be a title holding {{year}}, e.g. \"List of Internet shutdowns in {{year}}\""
        )
    index = _get(lst, "index", str, lw)
    if not index:
        raise SettingsError(f"{lw}: 'index' (the title of the index page) is missing")
    params = _names(lst, "params", (*ROW_FIELDS, MISSING_FIELD), lw)
    if "id" not in params:
        params = {"id": "id", **params}
    if len(set(params.values())) != len(params):
        raise SettingsError(f"{lw}: two fields share one parameter name in 'params'")
    missing = _get(lst, "missing", str, lw, default="keep")
    if missing not in MISSING_POLICIES:
        raise SettingsError(f"{lw}: 'missing' must be one of {', '.join(MISSING_POLICIES)}, not {missing!r}")
    years = _get(lst, "years", list, lw, default=[])
    if not all(isinstance(y, int) for y in years):
        raise SettingsError(f"{lw}: 'years' must be a list of years")
    install = _get(data, "install", dict, where, default={})
    _known(install, ("helpers",), f"{where}: install")
    return Settings(
        path=str(path),
        site=site,
        lang=lang,
        source=source,
        list=ListSettings(
            page=page,
            index=index,
            templates=templates,
            params=params,
            index_params={**{f: f for f in INDEX_FIELDS}, **_names(lst, "index_params", INDEX_FIELDS, lw)},
            citation_params=_names(lst, "citation_params", CITATION_PARAMS, lw),
            missing=missing,
            years=tuple(years),
            country_links=_names(lst, "country_links", (), lw, any_key=True),
            categories=_categories(lst, lw),
        ),
        install_helpers=bool(_get(install, "helpers", bool, f"{where}: install", default=False)),
        stats=_stats(_get(data, "stats", dict, where), path, f"{where}: stats"),
        safety=_safety(_get(data, "safety", dict, where, default={}), f"{where}: safety", lang),
        wiki_settings=_get(data, "wiki_settings", str, where),
        raw=data,
        dataset=_names(
            _get(data, "source", dict, where, default={}), "citation", DATASET_KEYS, f"{where}: source"
        ),
    )


def _categories(data: dict[str, Any], where: str) -> tuple[str, ...]:
    names = _get(data, "categories", list, where, default=[])
    if not all(isinstance(n, str) and n.strip() and ":" not in n for n in names):
        raise SettingsError(
            f"{where}: 'categories' must be a list of category names without their namespace "
            '("Internet censorship", not "Category:Internet censorship")'
        )
    return tuple(n.strip() for n in names)


def _source(data: dict[str, Any], path: Path, where: str) -> SourceSpec:
    _known(data, SOURCE_KEYS, where)
    location = _get(data, "location", str, where, default="")
    if location and "://" not in location and not Path(location).is_absolute():
        location = str((path.parent / location).resolve())
    layout_value = data.get("layout")
    layout: Layout | None = None
    if isinstance(layout_value, str):
        layout = shipped().get(layout_value)
        if layout is None:
            raise SettingsError(f"{where}: no layout {layout_value!r}; shipped: {', '.join(shipped())}")
    elif isinstance(layout_value, dict):
        layout = layout_from_mapping("custom", layout_value, where)
    elif layout_value is not None:
        raise SettingsError(f"{where}: 'layout' must be a layout name or a mapping")
    without = _get(data, "countries_without_code", list, where, default=[])
    if not all(isinstance(n, str) for n in without):
        raise SettingsError(f"{where}: 'countries_without_code' must be a list of names")
    max_bytes = _get(data, "max_bytes", int, where, default=50 * 1024 * 1024)
    cache_dir = _get(data, "cache_dir", str, where, default=".cache/http")
    return SourceSpec(
        location=location,
        sheet=_get(data, "sheet", str, where),
        layout=layout,
        countries_without_code=frozenset(without),
        cache_dir=Path(cache_dir),
        max_bytes=max_bytes,
    )


def _stats(data: dict[str, Any] | None, path: Path, where: str) -> StatsSettings | None:
    if data is None:
        return None
    _known(data, STATS_KEYS, where)
    values = {}
    for key in ("template", "inline_template", "inline_value_param", "page", "chart", "reported"):
        value = _get(data, key, str, where)
        if not value or not value.strip():
            raise SettingsError(f"{where}: '{key}' is missing")
        values[key] = value.strip()
    reported = values["reported"]
    if not reported.startswith("wiki:") and not Path(reported).is_absolute():
        reported = str((path.parent / reported).resolve())
    templates = _names(data, "templates", STATS_TEMPLATE_ROLES, where)
    if not {"header", "row", "footer"} <= set(templates):
        raise SettingsError(f"{where}: 'templates' must name header, row and footer")
    params = {**{p: p for p in STATS_PARAMS}, **_names(data, "params", STATS_PARAMS, where)}
    countries_page = (_get(data, "countries_page", str, where) or "").strip()
    if countries_page and not {"country_header", "country_row", "country_footer"} <= set(templates):
        raise SettingsError(
            f"{where}: 'countries_page' needs the templates country_header, country_row and country_footer"
        )
    map_title = (_get(data, "map", str, where) or "").strip()
    if map_title and "{year}" not in map_title:
        raise SettingsError(
            f"{where}: 'map' must be a file title holding {{year}}, e.g. \"Map {{year}}.svg\""
        )
    country_params = {
        **{p: p for p in COUNTRY_PARAMS},
        **_names(data, "country_params", COUNTRY_PARAMS, where),
    }
    return StatsSettings(
        template=values["template"],
        inline_template=values["inline_template"],
        inline_value_param=values["inline_value_param"],
        page=values["page"],
        chart=values["chart"],
        reported=reported,
        templates=templates,
        params=params,
        countries_page=countries_page,
        country_params=country_params,
        map=map_title,
        categories=_categories(data, where),
    )


def _safety(data: dict[str, Any], where: str, lang: str = "en") -> SafetySettings:
    defaults = replace(SafetySettings(), report_page=l10n.message(lang, "report-page-title"))
    _known(data, defaults.__dataclass_fields__, where)
    fractions = {}
    for key in ("min_fraction", "max_year_drop"):
        value = data.get(key, getattr(defaults, key))
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise SettingsError(f"{where}: '{key}' must be a number from 0 to 1, not {value!r}")
        fractions[key] = float(value)
    texts = {}
    for key in ("stop_page", "run_value", "report_page", "decisions_page", "lock_file"):
        value = data.get(key, getattr(defaults, key))
        if not isinstance(value, str) or not value.strip():
            raise SettingsError(f"{where}: '{key}' must be a non-empty text, not {value!r}")
        texts[key] = value.strip()
    return SafetySettings(
        min_fraction=fractions["min_fraction"],
        max_year_drop=fractions["max_year_drop"],
        stop_page=texts["stop_page"],
        run_value=texts["run_value"],
        report_page=texts["report_page"],
        decisions_page=texts["decisions_page"],
        lock_file=texts["lock_file"],
    )


@dataclass(frozen=True)
class Target:
    """One wiki of a several-wiki run: a name for the report and its settings."""

    name: str
    settings: Settings


@dataclass(frozen=True)
class MultiSettings:
    """Several wikis fed from one source in one run (``targets`` in a settings file)."""

    path: str
    source: SourceSpec
    targets: tuple[Target, ...]
    safety: SafetySettings


def load_run(name_or_path: str | None = None) -> Settings | MultiSettings:
    """A profile, or a settings file listing several target wikis."""
    path = profile_path(name_or_path)
    data = _read_yaml(path)
    if isinstance(data, dict) and "targets" in data:
        return _multi(data, path)
    return from_mapping(data, path)


def _multi(data: dict[str, Any], path: Path) -> MultiSettings:
    where = f"settings {path}"
    _known(data, ("targets", "source", "safety"), f"{where} (a several-wiki file)")
    targets = data["targets"]
    if not isinstance(targets, list) or not targets:
        raise SettingsError(f"{where}: 'targets' must be a list of {{name, profile}}")
    loaded = []
    for n, item in enumerate(targets, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("profile"), str):
            raise SettingsError(f"{where}: target #{n} must be a mapping with 'profile' (and 'name')")
        _known(item, ("name", "profile"), f"{where}: target #{n}")
        profile = item["profile"]
        candidate = path.parent / profile
        target_settings = load(str(candidate) if candidate.suffix in (".yaml", ".yml") else profile)
        loaded.append(Target(str(item.get("name") or profile), target_settings))
    names = [t.name for t in loaded]
    if len(set(names)) != len(names):
        raise SettingsError(f"{where}: two targets share a name; names: {', '.join(names)}")
    source = _source(_get(data, "source", dict, where, default={}), path, f"{where}: source")
    if not source.location:
        source = loaded[0].settings.source
    return MultiSettings(
        str(path),
        source,
        tuple(loaded),
        _safety(_get(data, "safety", dict, where, default={}), f"{where}: safety"),
    )


def _read_yaml(path: Path) -> Any:
    try:
        return yamlfile.load(path.read_text("utf-8"))
    except FileNotFoundError:
        raise SettingsError(f"settings {path}: no such file") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise SettingsError(
            f"settings {path}:{where} invalid YAML ({getattr(exc, 'problem', exc)})"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"settings {path}: cannot be read ({exc})") from None


def code_block(text: str) -> str:
    """The first <syntaxhighlight> or <pre> block of a page's text, or the whole text if none."""
    import mwparserfromhell

    blocks = [
        t
        for t in mwparserfromhell.parse(text, skip_style_tags=True).filter_tags()
        if str(t.tag).lower() in ("pre", "syntaxhighlight")
    ]
    return str(blocks[0].contents) if blocks else text


def with_wiki_settings(settings: Settings, text: str, title: str) -> Settings:
    """The settings with the keys of an on-wiki settings page applied, or a SettingsError saying why not.

    The page holds JSON (the JSON content model) or a YAML/JSON block in <syntaxhighlight> or
    <pre>. Only the keys in WIKI_KEYS may be set there. The whole result is validated before
    anything is used: invalid on-wiki settings are refused, never half-applied.
    """
    where = f"on-wiki settings [[{title}]]"
    body = code_block(text)
    try:
        data = yamlfile.load(body) if body.strip() else {}
    except yaml.YAMLError as exc:
        raise SettingsError(f"{where}: invalid YAML/JSON ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(data, dict):
        raise SettingsError(f"{where}: must be a mapping of sections (list, stats, safety)")
    merged = {k: (dict(v) if isinstance(v, dict) else v) for k, v in settings.raw.items()}
    for section, values in data.items():
        allowed = WIKI_KEYS.get(section)
        if allowed is None:
            sections = ", ".join(WIKI_KEYS)
            raise SettingsError(
                f"{where}: section {section!r} cannot be set on the wiki; sections: {sections}"
            )
        if not isinstance(values, dict):
            raise SettingsError(f"{where}: {section!r} must be a mapping")
        bad = set(values) - allowed
        if bad:
            names = ", ".join(sorted(allowed))
            raise SettingsError(
                f"{where}: {section}.{sorted(bad)[0]} cannot be set on the wiki; allowed: {names}"
            )
        target = merged.setdefault(section, {})
        for key, value in values.items():
            if isinstance(value, dict) and isinstance(target.get(key), dict):
                target[key] = {**target[key], **value}
            else:
                target[key] = value
    try:
        return from_mapping(merged, Path(settings.path))
    except SettingsError as exc:
        raise SettingsError(f"{where}: {exc}") from None
