"""Editors' decisions remembered for good (#24): removed rows and corrected values, whatever the
number of editor revisions since, the source correcting a removed shutdown's key, the record on
the wiki surviving a lost run record, and what a page still at its settled revision costs."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from unittest import mock

import mwparserfromhell
import pytest

from tests.memwiki import MemoryWiki
from tests.test_runner import LISTS, NOW, PAGE_2022, SAMPLE, TODAY, synced
from wikibot import decisions, export, listpage, plan, runner
from wikibot.listpage import Attribution
from wikibot.model import SourceResult

RECORD = "User:KeepItOnBot/decisions.json"
real_row_keys = plan.row_keys


def ids_on(text: str) -> list[str]:
    code = mwparserfromhell.parse(text, skip_style_tags=True)
    return [
        str(t.get("id").value).strip()
        for t in code.filter_templates(recursive=False)
        if t.has("id") and str(t.get("id").value).strip()
    ]


def remove_row(wiki: MemoryWiki, ident: str, title: str = PAGE_2022) -> None:
    code = mwparserfromhell.parse(wiki.text(title), skip_style_tags=True)
    (row,) = [
        t
        for t in code.filter_templates(recursive=False)
        if t.has("id") and t.get("id").value.strip() == ident
    ]
    code.remove(row)
    wiki.edit(title, str(code).replace("\n\n{{", "\n{{"), summary="row removed")


def set_value(wiki: MemoryWiki, ident: str, param: str, value: str, title: str = PAGE_2022) -> None:
    code = mwparserfromhell.parse(wiki.text(title), skip_style_tags=True)
    (row,) = [
        t
        for t in code.filter_templates(recursive=False)
        if t.has("id") and t.get("id").value.strip() == ident
    ]
    row.get(param).value = value + "\n"
    wiki.edit(title, str(code), summary="correction")


def busy(wiki: MemoryWiki, times: int, title: str = PAGE_2022) -> None:
    """Editors' revisions that decide nothing: a paragraph added outside the region, each time."""
    for n in range(times):
        wiki.edit(title, wiki.text(title) + f"\nUn paragraphe de plus ({n}).\n", user=f"Lecteur{n % 3}")


def reworded(source: SourceResult) -> SourceResult:
    """A source change touching every row (so every row would be written again)."""
    return replace(
        source, incidents=tuple(replace(i, description=i.description + ".") for i in source.incidents)
    )


def sync(wiki: MemoryWiki, source: SourceResult = SAMPLE, **options: object) -> runner.RunReport:
    kwargs: dict[str, object] = {
        "lists": True,
        "with_stats": False,
        "today": TODAY,
        "now": NOW,
        "force": True,
    }
    kwargs.update(options)
    return runner.run(wiki, LISTS, source, **kwargs)  # type: ignore[arg-type]


def first_row(wiki: MemoryWiki) -> str:
    return ids_on(wiki.text(PAGE_2022))[0]


@pytest.mark.parametrize("editor_revisions", [0, 10, 15, 60])
def test_a_removed_row_stays_removed_whatever_the_number_of_editor_revisions(editor_revisions: int) -> None:
    wiki = synced()
    gone = first_row(wiki)
    remove_row(wiki, gone)
    assert sync(wiki).exit_code == 0
    busy(wiki, editor_revisions)
    report = sync(wiki, reworded(SAMPLE))
    assert gone not in ids_on(wiki.text(PAGE_2022))
    page = next(p for p in report.pages if p.title == PAGE_2022)
    assert any(c.id == gone and c.param == "*" for c in page.conflicts)
    assert gone in decisions.read(wiki.text(RECORD), RECORD).of(PAGE_2022).removed


@pytest.mark.parametrize("editor_revisions", [0, 10, 15, 60])
def test_a_corrected_value_stays_the_editors_whatever_the_number_of_editor_revisions(
    editor_revisions: int,
) -> None:
    wiki = synced()
    ident = first_row(wiki)
    set_value(wiki, ident, "zone", "Tout le pays")
    assert sync(wiki).exit_code == 0
    busy(wiki, editor_revisions)
    report = sync(wiki, reworded(SAMPLE))
    assert "|zone=Tout le pays\n" in wiki.text(PAGE_2022)
    page = next(p for p in report.pages if p.title == PAGE_2022)
    assert [(c.id, c.param, c.wiki_value) for c in page.conflicts] == [(ident, "zone", "Tout le pays")]
    (found,) = export.corrections(wiki, LISTS, reworded(SAMPLE), {}, TODAY)
    assert (found.id, found.field, found.wiki_value, found.editor) == (
        ident,
        "zone",
        "Tout le pays",
        "Contributeur",
    )


def test_a_removed_rows_shutdown_keeps_its_id_when_the_source_corrects_its_start_date() -> None:
    wiki = synced()
    gone = first_row(wiki)
    remove_row(wiki, gone)
    assert sync(wiki).exit_code == 0
    busy(wiki, 12)
    ids = runner.run(wiki, LISTS, SAMPLE, lists=True, with_stats=False, today=TODAY, now=NOW).identity
    assert ids is not None
    content = next(c for c, w in ids.ids.items() if w == gone)
    moved = replace(
        SAMPLE,
        incidents=tuple(
            replace(i, start=i.start + dt.timedelta(days=1)) if i.id == content and i.start else i
            for i in SAMPLE.incidents
        ),
    )
    for _ in range(2):
        report = sync(wiki, moved)
        assert report.identity is not None and report.identity.new == ()
        assert gone in report.identity.ids.values()
        assert gone not in ids_on(wiki.text(PAGE_2022)) and report.edits == 0


def test_the_record_lives_on_the_wiki_a_lost_run_record_loses_no_decision() -> None:
    wiki = synced()
    gone, kept = ids_on(wiki.text(PAGE_2022))[:2]
    remove_row(wiki, gone)
    set_value(wiki, kept, "zone", "Tout le pays")
    first = sync(wiki)
    assert first.decisions_page is not None and first.decisions_page.action == "created"
    page = next(p for p in first.pages if p.title == PAGE_2022)
    assert page.action == "unchanged" and page.talk is not None  # the page holds what the bot writes
    assert first.edits == 2  # the record and the talk note
    settled = dict(wiki.seen)
    busy(wiki, 3)
    # the bot writes the page again (every row reworded); the decisions are the record's now
    second = sync(wiki, reworded(SAMPLE), settled=settled)
    assert next(p for p in second.pages if p.title == PAGE_2022).action == "updated"
    assert second.decisions_page is None and all(p.talk is None for p in second.pages)
    for remembered in ({}, settled):  # the run record lost (nothing settled) or not
        report = sync(wiki, reworded(reworded(SAMPLE)), settled=remembered)
        text = wiki.text(PAGE_2022)
        assert gone not in ids_on(text) and "|zone=Tout le pays\n" in text
        assert report.decisions_page is None  # nothing new to record


def test_a_page_at_its_settled_revision_costs_no_history_read() -> None:
    wiki = synced()
    ident = first_row(wiki)
    set_value(wiki, ident, "zone", "Tout le pays")
    sync(wiki)
    settled = dict(wiki.seen)
    before = (wiki.history_reads, wiki.bot_revision_reads)
    for n in range(3):
        report = sync(wiki, reworded(SAMPLE) if n % 2 else SAMPLE, settled=settled)
        assert "|zone=Tout le pays\n" in wiki.text(PAGE_2022)
        settled = dict(wiki.seen)
    assert (wiki.history_reads, wiki.bot_revision_reads) == before
    assert report.exit_code == 0


def test_a_decision_ends_when_the_source_agrees_or_the_editor_puts_the_row_back() -> None:
    wiki = synced()
    gone, kept = ids_on(wiki.text(PAGE_2022))[:2]
    before = wiki.text(PAGE_2022)
    remove_row(wiki, gone)
    set_value(wiki, kept, "zone", "Tout le pays")
    sync(wiki)
    wiki.edit(PAGE_2022, before)  # an editor undoes both
    sync(wiki)
    assert decisions.read(wiki.text(RECORD), RECORD).of(PAGE_2022) == decisions.PageDecisions()
    assert wiki.text(PAGE_2022) == before


def test_a_record_the_bot_did_not_write_refuses_the_run_in_one_line() -> None:
    wiki = synced()
    wiki.edit(RECORD, json.dumps({"version": 1, "pages": {PAGE_2022: {"kept": {"x": 3}}}}), user="Admin")
    report = sync(wiki, reworded(SAMPLE))
    assert report.exit_code == 3 and report.edits == 0
    (reason,) = report.refused
    assert RECORD in reason and "\n" not in reason and "delete it" in reason


def test_the_record_round_trips_and_says_who_decided() -> None:
    by = Attribution("Contributeur", 12, 11, "2026-01-01T00:00:12Z", ("<ref>x</ref>",))
    page = decisions.PageDecisions().with_found(
        {("kio-1", "zone"): "Tout le pays", ("kio-2", "note"): None},
        {"kio-3": {"id": "kio-3", "pays": "Inde"}},
        {("kio-1", "zone"): by, ("kio-3", decisions.REMOVED): by},
    )
    record = decisions.Decisions().having("Page", page)
    again = decisions.read(record.text(), RECORD)
    assert again == record and again.text() == record.text()
    assert again.of("Page").removed_by["kio-3"] == by
    assert decisions.read("", RECORD) == decisions.Decisions()
    assert decisions.Decisions().having("Page", decisions.PageDecisions()).pages == {}


def test_the_record_is_written_as_mediawiki_stores_a_json_page() -> None:
    """Tabs, ``<``, ``>``, ``&`` escaped, other characters as they are, no final newline: the
    dev wiki's test checks the stored page is this text byte for byte."""
    page = decisions.PageDecisions().with_found({("kio-1", "zone"): "Région <b> & côte\u2028"}, {}, {})
    text = decisions.Decisions().having("Page", page).text()
    assert '\t\t\t\t\t"zone": {\n\t\t\t\t\t\t"value": "Région \\u003Cb\\u003E \\u0026 côte\\u2028"' in text
    assert not text.endswith("\n") and "\n " not in text
    assert decisions.read(text, RECORD).of("Page") == page


def test_a_page_holding_its_plan_with_the_decisions_kept_is_not_parsed_and_a_new_source_value_is() -> None:
    wiki = synced()
    gone, kept = ids_on(wiki.text(PAGE_2022))[:2]
    remove_row(wiki, gone)
    set_value(wiki, kept, "zone", "Tout le pays")
    sync(wiki)  # the decisions recorded
    settled = dict(wiki.seen)
    later = replace(  # a source change on the other years' pages only
        SAMPLE,
        incidents=tuple(
            i if 2022 in i.years else replace(i, description=i.description + ".") for i in SAMPLE.incidents
        ),
    )
    merged: list[str] = []
    parsed: list[str] = []
    with (
        mock.patch.object(
            plan, "merge", side_effect=lambda *a, **k: merged.append(a[3]) or listpage.merge(*a, **k)
        ),
        mock.patch.object(plan, "row_keys", side_effect=lambda *a: parsed.append(a[2]) or real_row_keys(*a)),
    ):
        report = sync(wiki, later, settled=settled)
    assert PAGE_2022 not in merged and PAGE_2022 not in parsed and merged  # the others were merged
    assert next(p for p in report.pages if p.title == PAGE_2022).action == "unchanged"
    assert "|zone=Tout le pays\n" in wiki.text(PAGE_2022) and gone not in ids_on(wiki.text(PAGE_2022))
    # the source's value of the kept field changes: the page is merged, the value kept, the editor told
    assert report.identity is not None
    content = next(c for c, w in report.identity.ids.items() if w == kept)
    area = tuple(replace(i, area="Tout le territoire") if i.id == content else i for i in later.incidents)
    changed = replace(later, incidents=area)
    again = sync(wiki, changed, settled=dict(wiki.seen))
    page = next(p for p in again.pages if p.title == PAGE_2022)
    assert [(c.id, c.source_value) for c in page.conflicts if c.param == "zone"] == [
        (kept, "Tout le territoire")
    ]
    assert page.talk is not None and "|zone=Tout le pays\n" in wiki.text(PAGE_2022)


def test_a_parameter_the_bot_does_not_own_is_no_decision_and_costs_no_history_read() -> None:
    wiki = synced()
    ident = first_row(wiki)
    code = mwparserfromhell.parse(wiki.text(PAGE_2022), skip_style_tags=True)
    (row,) = [
        t
        for t in code.filter_templates(recursive=False)
        if t.has("id") and t.get("id").value.strip() == ident
    ]
    row.add("note", "Une note d'un contributeur")
    wiki.edit(PAGE_2022, str(code))
    for _ in range(3):  # full paths, the run record lost each time
        report = sync(wiki, reworded(SAMPLE) if _ == 1 else SAMPLE)
        assert report.decisions_page is None and "|note=Une note d'un contributeur" in wiki.text(PAGE_2022)
    assert wiki.history_reads == 0 and RECORD not in wiki.pages


def test_a_correction_on_a_row_gone_from_the_source_is_kept_when_the_row_comes_back() -> None:
    """Found by the soak (seed 27, cycle 53): the source dropped a row an editor had corrected
    (list.missing keep: the row stays), then listed it again with new wording; the editor's value
    was written over because the record forgot it while the row was missing."""
    wiki = synced()
    ident = first_row(wiki)
    set_value(wiki, ident, "zone", "Tout le pays")
    ids = sync(wiki).identity
    assert ids is not None
    content = next(c for c, w in ids.ids.items() if w == ident)
    without = replace(SAMPLE, incidents=tuple(i for i in SAMPLE.incidents if i.id != content))
    report = sync(wiki, without)
    assert ident in next(p for p in report.pages if p.title == PAGE_2022).missing
    assert (ident, "zone") in decisions.read(wiki.text(RECORD), RECORD).of(PAGE_2022).kept
    report = sync(wiki, reworded(SAMPLE))  # back, its description reworded
    text = wiki.text(PAGE_2022)
    assert "|zone=Tout le pays\n" in text and ids_on(text).count(ident) == 1
    page = next(p for p in report.pages if p.title == PAGE_2022)
    assert [(c.id, c.param) for c in page.conflicts] == [(ident, "zone")]
    assert page.talk is None  # the source's zone is the one the editor was told about already
