"""Lint the list pages without editing them (pure): what `pwb check_list` finds.

Kinds of finding: broken-region, duplicate-id, row-without-id, missing-field, bad-date,
end-before-start, unknown-country, no-source, not-in-source, ambiguous-match (a source incident
that resembles several rows equally: the bot writes none of them until a person settles it).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from wikibot import l10n
from wikibot.countries import is_known
from wikibot.errors import PageError
from wikibot.identity import Identity
from wikibot.listpage import all_rows
from wikibot.model import SourceResult
from wikibot.plan import year_spec
from wikibot.render import escape, source_urls, split_items, unescape
from wikibot.settings import Settings

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
)


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
    """The findings of one year page."""
    try:
        rows = all_rows(text, year_spec(settings), title)
    except PageError as exc:
        return [Finding(title, "broken-region", "", str(exc))]
    names = settings.list.params
    lang = settings.lang
    findings = []
    ids = Counter(row.get(names["id"], "") for row in rows)
    seen: set[str] = set()
    for n, row in enumerate(rows, start=1):
        ident = row.get(names["id"], "")
        label = ident or f"row {n}"
        if not ident:
            findings.append(Finding(title, "row-without-id", label, "a row without id (added by hand?)"))
        elif ids[ident] > 1 and ident not in seen:
            findings.append(Finding(title, "duplicate-id", ident, f"{ids[ident]} rows share this id"))
        seen.add(ident)
        start_text, end_text = (unescape(row.get(names.get(f, f), "")) for f in ("start", "end"))
        start, end = l10n.parse_date(start_text, lang), l10n.parse_date(end_text, lang)
        if not start_text:
            findings.append(Finding(title, "missing-field", label, f"{names['start']} is empty"))
        elif start is None:
            findings.append(
                Finding(title, "bad-date", label, f"{names['start']}={start_text!r} is not a date")
            )
        if end_text and end is None:
            findings.append(Finding(title, "bad-date", label, f"{names['end']}={end_text!r} is not a date"))
        if start and end and end < start:
            findings.append(
                Finding(title, "end-before-start", label, f"ends {end} before it starts ({start})")
            )
        countries = split_items(row.get(names["countries"], ""))
        if not countries:
            findings.append(Finding(title, "missing-field", label, f"{names['countries']} is empty"))
        for name in countries:
            country = l10n.country_from_name(name, lang)
            if country is None or not is_known(country):
                findings.append(Finding(title, "unknown-country", label, f"unknown country {name!r}"))
        if not source_urls(row.get(names["sources"], "")):
            findings.append(Finding(title, "no-source", label, "no source link"))
        if source_ids is not None and ident and ident not in source_ids:
            findings.append(Finding(title, "not-in-source", ident, "the source no longer has this incident"))
    return findings


def ambiguous(ids: Identity, source: SourceResult, settings: Settings) -> list[Finding]:
    """An ambiguous-match finding for each source incident the bot could not tell apart."""
    incidents = {i.id: i for i in source.incidents}
    findings = []
    for case in ids.ambiguous:
        incident = incidents[case.content_id]
        rows = ", ".join(f"{wiki_id} ({score:.2f})" for wiki_id, score in case.candidates)
        findings.append(
            Finding(
                settings.list.page_title(incident.years[0]),
                "ambiguous-match",
                case.candidates[0][0],
                f"the source's {case.start} {'+'.join(case.countries)} shutdown resembles rows {rows} "
                "equally: none is updated; correct the row that is not this shutdown",
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
        lines += ["|-", f"| [[:{escape(f.title)}]] || {f.kind} || {escape(f.id)} || {escape(f.detail)}"]
    lines.append("|}")
    return "\n".join(lines)
