"""The run report page: what the last run did, as wikitext (pure).

The first line holds the time; the rest is the body, which describes the state the run left
(rows per page, conflicts, rejected rows, refusals), not what it did, so the bot saves the page
only when that state changed and an idle cron run does not edit it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from wikibot import l10n
from wikibot.render import escape

MAX_ROWS = 50


def body_of(text: str) -> str:
    """A report page's text without its first (time) line."""
    return text.partition("\n")[2].strip()


def page_text(report: dict[str, Any], lang: str, when: dt.datetime) -> tuple[str, str]:
    """The time line and the body of the report page."""

    def msg(key: str, *args: object) -> str:
        return l10n.message(lang, f"report-{key}", *args)

    source = report.get("source", {})
    head = msg("time", when.strftime("%Y-%m-%d %H:%M UTC"))
    lines = [
        f"== {msg('source')} ==",
        f"* {msg('location')} : <code>{escape(str(source.get('location', '')))}</code>",
        f"* {msg('version')} : <code>{escape(str(source.get('version', '')))}</code> "
        f"({escape(str(source.get('as_of', '')))})",
        "* "
        + msg("counts", source.get("rows", 0), source.get("incidents", 0), len(source.get("rejected", []))),
    ]
    if report.get("refused"):
        lines.append(f"== {msg('refused')} ==")
        lines.extend(f"* {escape(reason)}" for reason in report["refused"])
    pages = report.get("pages", []) + ([report["stats"]["page"]] if "stats" in report else [])
    if pages:
        lines.append(f"== {msg('pages')} ==")
        lines.append('{| class="wikitable sortable"')
        lines.append(
            f"! {msg('page')} !! {msg('action')} !! + !! ~ !! {msg('missing')} !! {msg('conflicts')}"
        )
        for page in pages:
            lines.append("|-")
            rows = page.get("added", 0) + page.get("updated", 0) + page.get("kept", 0)
            cells = (
                f"[[:{escape(page['title'])}]]",
                escape(page["reason"]) if page.get("reason") else rows,
                len(page.get("missing", [])),
                len(page.get("conflicts", [])),
            )
            lines.append("| " + " || ".join(map(str, cells)))
        lines.append("|}")
    conflicts = [(p["title"], c) for p in pages for c in p.get("conflicts", [])]
    if conflicts:
        lines.append(f"== {msg('conflicts')} ==")
        for title, conflict in conflicts[:MAX_ROWS]:
            wiki, wanted = escape(str(conflict["wiki"])), escape(str(conflict["source"]))
            lines.append(
                f"* [[:{escape(title)}]] <code>{escape(conflict['id'])}</code> {escape(conflict['param'])} : "
                f"{msg('wiki-value')} « {wiki} », {msg('source-value')} « {wanted} »"
            )
    rejected = source.get("rejected", [])
    if rejected:
        lines.append(f"== {msg('rejected')} ==")
        for item in rejected[:MAX_ROWS]:
            lines.append(
                f"* {msg('row')} {item['row']}, <code>{escape(str(item['column']))}</code> = "
                f"« {escape(str(item['value']))} » : {escape(item['reason'])}"
            )
        if len(rejected) > MAX_ROWS:
            lines.append(f"* … {len(rejected) - MAX_ROWS}")
    return head, "\n".join(lines)
