"""The wiki-side templates shipped with the bot (``wikibot/templates/<lang>/<role>.wiki``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from wikibot import l10n
from wikibot.errors import SettingsError
from wikibot.pagesync import action_of
from wikibot.runreport import TitledAction
from wikibot.settings import HELPER_TITLES, Settings
from wikibot.wikiport import Wiki

MARKER = "<!-- keepiton-wikibot: installed by pwb install_templates"
FALLBACK = "en"  # templates for a language the bot does not ship (parameters named by the profile)
LIST_ROLES = ("row", "header", "footer", "carried_over", "index_row", "index_header", "index_footer")
TEMPLATE_NS, MODULE_NS, CATEGORY_NS = 10, 828, 14
# The Lua module the dev wiki's citation template calls (named as on the Wikipedia of the language).
CITATION_MODULES = {"fr": "Biblio"}
CITATION_MODULE = "Citation/CS1"


@dataclass(frozen=True)
class WikiTemplate:
    """One template (or Lua module) to install: its title (without namespace), role and text."""

    title: str
    role: str
    text: str
    namespace: int = TEMPLATE_NS


def shipped_languages() -> tuple[str, ...]:
    """The languages the templates are shipped in."""
    folder = resources.files("wikibot").joinpath("templates")
    return tuple(sorted(p.name for p in folder.iterdir() if p.is_dir()))


def shipped_text(lang: str, role: str, suffix: str = ".wiki") -> str:
    """The shipped wikitext of a template role in a language (English for a language not shipped)."""
    for code in (lang, FALLBACK):
        source = resources.files("wikibot").joinpath(f"templates/{code}/{role}{suffix}")
        if source.is_file():
            return source.read_text("utf-8")
    raise SettingsError(
        f"templates: no shipped {role!r} template; shipped languages: {', '.join(shipped_languages())}"
    )


def templates_for(settings: Settings) -> list[WikiTemplate]:
    """The templates a profile needs, helpers included where the profile asks for them."""
    items = [WikiTemplate(settings.list.templates[r], r, shipped_text(settings.lang, r)) for r in LIST_ROLES]
    if settings.stats:
        stats = settings.stats
        for role, title in (
            ("stats_header", stats.templates["header"]),
            ("stats_row", stats.templates["row"]),
            ("stats_footer", stats.templates["footer"]),
            ("inline", stats.inline_template),
        ):
            items.append(WikiTemplate(title, role, shipped_text(settings.lang, role)))
        if stats.countries_page:
            for role in ("country_header", "country_row", "country_footer"):
                items.append(
                    WikiTemplate(
                        stats.templates[role], f"stats_{role}", shipped_text(settings.lang, f"stats_{role}")
                    )
                )
    if settings.install_helpers:
        items.append(
            WikiTemplate(
                settings.list.templates["citation"], "citation", shipped_text(settings.lang, "citation")
            )
        )
        items.append(
            WikiTemplate(
                CITATION_MODULES.get(settings.lang, CITATION_MODULE),
                "citation_module",
                shipped_text(settings.lang, "citation_module", ".lua"),
                MODULE_NS,
            )
        )
        items.append(
            WikiTemplate(HELPER_TITLES.get(settings.lang, "Tl"), "m", shipped_text(settings.lang, "m"))
        )
        # the categories the bot gives its pages exist on a real wiki; a dev wiki gets them here
        categories = [*settings.list.categories, *(settings.stats.categories if settings.stats else ())]
        text = f"{MARKER} -->\n" + l10n.message(settings.lang, "dev-category")
        items.extend(WikiTemplate(name, "category", text, CATEGORY_NS) for name in dict.fromkeys(categories))
    return items


def may_overwrite(existing: str) -> bool:
    """True when an existing template was installed by the bot (or is empty)."""
    return not existing.strip() or MARKER in existing


def install(wiki: Wiki, items: Sequence[WikiTemplate], summary_text: str, force: bool) -> list[TitledAction]:
    """Save each template whose text differs; never one the bot did not install, unless forced."""
    titles = {item.title: wiki.full_title(item.title, item.namespace) for item in items}
    pages = wiki.read(list(titles.values()))
    results = []
    for item in items:
        page = pages[titles[item.title]]
        if page.text.rstrip() == item.text.rstrip():
            results.append(TitledAction(page.title, "unchanged"))
        elif page.text and not may_overwrite(page.text) and not force:
            results.append(
                TitledAction(
                    page.title, "refused", "it exists and was not installed by the bot; -force overwrites it"
                )
            )
        else:
            saved = wiki.save(page.title, page.text, item.text, summary_text)
            results.append(TitledAction(page.title, action_of(saved, page.exists), saved.reason))
    return results
