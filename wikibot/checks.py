"""Lint the list pages without editing them (pure): what `pwb check_list` finds.

Kinds of finding: broken-region, duplicate-id, row-without-id, missing-field, bad-date,
end-before-start, unknown-country, no-source, not-in-source, ambiguous-match (a source incident
that resembles several rows equally: the bot writes none of them until a person settles it),
unknown-term (a cause, justification or authority in no vocabulary: shown as written, untranslated).
Details are written in the wiki's language.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace

from wikibot import l10n
from wikibot.countries import is_known
from wikibot.errors import PageError
from wikibot.export import index_years
from wikibot.identity import Identity
from wikibot.listpage import all_rows
from wikibot.model import SourceResult
from wikibot.pagesync import action_of, identify
from wikibot.plan import year_spec
from wikibot.render import escape, source_urls, split_items, unescape
from wikibot.runreport import TitledAction
from wikibot.settings import Settings
from wikibot.wikiport import Wiki

KINDS = (
    "broken-region",
    "duplicate-id",
    "row-without-id",
    "missing-field",
    "bad-date",
    "end-before-start",
    "unknown-country",
    "no-source",
    "not-in-source",
    "ambiguous-match",
    "unknown-term",
)
VOCABULARY_FIELDS = ("cause", "justification", "ordered_by")  # controlled: every value has a key


@dataclass(frozen=True, order=True)
class Finding:
    """One defect on one page."""

    title: str
    kind: str
    id: str
    detail: str

    def as_dict(self) -> dict[str, str]:
        """As JSON."""
        return {"title": self.title, "kind": self.kind, "id": self.id, "detail": self.detail}


def check_page(title: str, text: str, settings: Settings, source_ids: set[str] | None) -> list[Finding]:
    """The findings of one year page, described in the wiki's language."""
    lang = settings.lang

    def found(kind: str, row: str, *args: object) -> Finding:
        return Finding(title, kind, row, l10n.message(lang, f"check-detail-{kind}", *args))

    try:
        rows = all_rows(text, year_spec(settings), title)
    except PageError as exc:
        return [found("broken-region", "", str(exc))]
    names = settings.list.params
    findings = []
    ids = Counter(row.get(names["id"], "") for row in rows)
    seen: set[str] = set()
    for n, row in enumerate(rows, start=1):
        ident = row.get(names["id"], "")
        label = ident or l10n.message(lang, "check-row", n)
        if not ident:
            findings.append(found("row-without-id", label))
        elif ids[ident] > 1 and ident not in seen:
            findings.append(found("duplicate-id", ident, ids[ident]))
        seen.add(ident)
        start_text, end_text = (unescape(row.get(names.get(f, f), "")) for f in ("start", "end"))
        start, end = l10n.parse_date(start_text, lang), l10n.parse_date(end_text, lang)
        if not start_text:
            findings.append(found("missing-field", label, names["start"]))
        elif start is None:
            findings.append(found("bad-date", label, names["start"], start_text))
        if end_text and end is None:
            findings.append(found("bad-date", label, names["end"], end_text))
        if start and end and end < start:
            findings.append(
                found("end-before-start", label, l10n.format_date(end, lang), l10n.format_date(start, lang))
            )
        countries = split_items(row.get(names["countries"], ""))
        if not countries:
            findings.append(found("missing-field", label, names["countries"]))
        for name in countries:
            country = l10n.country_from_name(name, lang)
            if country is None or not is_known(country):
                findings.append(found("unknown-country", label, name))
        for field in VOCABULARY_FIELDS:
            value = unescape(row.get(names.get(field, field), "")).strip()
            if value and l10n.value_from_label(lang, field, value) is None:
                findings.append(found("unknown-term", label, names.get(field, field), value))
        if not source_urls(row.get(names["sources"], "")):
            findings.append(found("no-source", label))
        if source_ids is not None and ident and ident not in source_ids:
            findings.append(found("not-in-source", ident))
    return findings


def ambiguous(ids: Identity, source: SourceResult, settings: Settings) -> list[Finding]:
    """An ambiguous-match finding for each source incident the bot could not tell apart."""
    incidents = {i.id: i for i in source.incidents}
    findings = []
    for case in ids.ambiguous:
        incident = incidents[case.content_id]
        rows = ", ".join(f"{wiki_id} ({score:.2f})" for wiki_id, score in case.candidates)
        countries = ", ".join(l10n.country_name(c, settings.lang) for c in incident.countries)
        findings.append(
            Finding(
                settings.list.page_title(incident.years[0]),
                "ambiguous-match",
                case.candidates[0][0],
                l10n.message(
                    settings.lang,
                    "check-detail-ambiguous-match",
                    l10n.format_date(incident.start, settings.lang),
                    countries,
                    rows,
                ),
            )
        )
    return findings


def findings_text(findings: list[Finding], lang: str) -> str:
    """The findings as a wikitext table for a maintenance page (no time in it: saved only on change)."""
    if not findings:
        return l10n.message(lang, "check-clean")
    lines = [
        '{| class="wikitable sortable"',
        "! " + " !! ".join(l10n.message(lang, f"check-{c}") for c in ("page", "kind", "id", "detail")),
    ]
    for f in sorted(findings):
        kind = l10n.message(lang, f"check-kind-{f.kind}")
        lines += ["|-", f"| [[:{escape(f.title)}]] || {escape(kind)} || {escape(f.id)} || {escape(f.detail)}"]
    lines.append("|}")
    return "\n".join(lines)


@dataclass(frozen=True)
class CheckResult:
    """What check_list found, on which pages."""

    findings: tuple[Finding, ...]
    titles: tuple[str, ...]
    maintenance: TitledAction | None = dataclasses.field(default=None)


def check_list(
    wiki: Wiki,
    settings: Settings,
    source: SourceResult | None,
    remembered: Mapping[str, str],
    today: dt.date,
    maintenance_page: str | None = None,
) -> CheckResult:
    """Lint the year pages (those the index names and those the source has); write the findings
    to a maintenance page when one is given (saved only when they change)."""
    years: dict[int, str] = {}
    index = wiki.read([settings.list.index])[settings.list.index]
    findings: list[Finding] = []
    if index.exists:
        try:
            years.update(index_years(index.text, settings))
        except PageError as exc:
            findings.append(Finding(index.title, "broken-region", "", str(exc)))
    if source is not None:
        for year in source.by_year():
            years.setdefault(year, settings.list.page_title(year))
    pages = {t: p for t, p in wiki.read(list(years.values())).items() if p.exists}
    source_ids: set[str] | None = None
    if source is not None:
        ids, _ = identify(wiki, settings, source, pages, remembered, today)
        source_ids = set(ids.ids.values()) | ids.held
        findings.extend(ambiguous(ids, source, settings))
    for title in years.values():
        if title in pages:
            findings.extend(check_page(title, pages[title].text, settings, source_ids))
    result = CheckResult(tuple(sorted(findings)), tuple(pages))
    if maintenance_page is None:
        return result
    page = wiki.read([maintenance_page])[maintenance_page]
    text = findings_text(list(result.findings), settings.lang)
    if page.text.rstrip() == text.rstrip():
        return replace(result, maintenance=TitledAction(page.title, "unchanged"))
    summary_text = l10n.message(settings.lang, "check-summary", len(findings))
    saved = wiki.save(page.title, page.text, text, summary_text)
    return replace(result, maintenance=TitledAction(page.title, action_of(saved, page.exists), saved.reason))
