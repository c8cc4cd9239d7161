"""The merge of rows into a page's region: (page before, rows, page after) tables."""

from __future__ import annotations

import pytest

from wikibot.errors import PageError
from wikibot.listpage import PageSpec, editor_changes, merge, region_text
from wikibot.render import ACCESS_HOLE, RowData

SPEC = PageSpec("R", "H", "F", missing_param="gone", missing_value="yes")
# a year page's spec: the header cites the data set (an access-date hole), the divider opens the
# table of group 1 (the shutdowns that started before the year)
CITED = f'<ref name="d">{{{{C |url=https://data.example |d={ACCESS_HOLE}}}}}</ref>'
YEAR = PageSpec("R", "H", "F", header_params=(("src", CITED),), divider_template="D", accessed="2026-05-01")


def row(ident: str, value: str, key: int, src: str = "", group: int = 0) -> RowData:
    params = [("id", ident), ("v", value)]
    if src:
        params.append(("src", f'<ref name="{src}">[{src} {src}]</ref>'))
    return RowData(ident, tuple(params), (key,), group)


A, B, C = row("a", "1", 1), row("b", "2", 2), row("c", "3", 3)
REGION_AB = "{{H}}\n{{R\n|id=a\n|v=1\n}}\n{{R\n|id=b\n|v=2\n}}\n{{F}}"


@pytest.mark.parametrize(
    ("before", "rows", "after"),
    [
        # unchanged: byte-identical
        ("Intro\n" + REGION_AB + "\nOutro", [A, B], "Intro\n" + REGION_AB + "\nOutro"),
        # a new row goes where it sorts
        (
            "{{H}}\n{{R\n|id=a\n|v=1\n}}\n{{R\n|id=c\n|v=3\n}}\n{{F}}",
            [A, B, C],
            "{{H}}\n{{R\n|id=a\n|v=1\n}}\n{{R\n|id=b\n|v=2\n}}\n{{R\n|id=c\n|v=3\n}}\n{{F}}",
        ),
        # into an empty region
        ("x\n{{H}}\n{{F}}\ny", [A], "x\n{{H}}\n{{R\n|id=a\n|v=1\n}}\n{{F}}\ny"),
        # a changed value: only that parameter changes, an editor's parameter stays
        (
            "{{H}}\n{{R\n|id=a\n|v=0\n|note=editor's\n}}\n{{F}}",
            [A],
            "{{H}}\n{{R\n|id=a\n|v=1\n|note=editor's\n}}\n{{F}}",
        ),
        # spacing of the editor's layout is kept
        ("{{H}}\n{{R | id = a | v = 0 }}\n{{F}}", [A], "{{H}}\n{{R | id = a | v = 1 }}\n{{F}}"),
        # a row without id and text inside the region stay; a missing bot parameter is added
        (
            "{{H}}\n<!-- editors -->\n{{R|v=hand}}\n{{R\n|id=a\n}}\n{{F}}",
            [A],
            "{{H}}\n<!-- editors -->\n{{R|v=hand}}\n{{R\n|id=a\n|v=1\n}}\n{{F}}",
        ),
        # a row gone from the source is kept (default policy)
        (REGION_AB, [A], REGION_AB),
        # case and underscores in template names, and a namespace prefix, are the same template
        ("{{h}}\n{{Template:R\n|id=a\n|v=0\n}}\n{{f}}", [A], "{{h}}\n{{Template:R\n|id=a\n|v=1\n}}\n{{f}}"),
        # an editor's unclosed '' before and after the region is no markup that spans it
        (
            "x ''\n{{H}}\n{{R|v=''|n=0}}\n{{F}}\n''",
            [A],
            "x ''\n{{H}}\n{{R|v=''|n=0}}\n{{R\n|id=a\n|v=1\n}}\n{{F}}\n''",
        ),
        # no newline before the footer: the new row still starts its own line
        ("{{H}}{{F}}", [A], "{{H}}\n{{R\n|id=a\n|v=1\n}}\n{{F}}"),
    ],
)
def test_merge(before: str, rows: list[RowData], after: str) -> None:
    assert merge(before, rows, SPEC, "T").text == after


def test_merge_reports_what_it_did() -> None:
    page = "{{H}}\n{{R\n|id=a\n|v=0\n}}\n{{R\n|id=z\n|v=9\n}}\n{{R|v=hand}}\n{{F}}"
    result = merge(page, [A, B], SPEC, "T")
    assert result.added == ("b",) and result.updated == ("a",) and result.missing == ("z",)
    assert result.rows_without_id == 1 and result.unchanged == 0


def test_missing_rows_marked_or_removed() -> None:
    marked = merge(REGION_AB, [A], PageSpec(**{**SPEC.__dict__, "missing_policy": "mark"}), "T")
    assert marked.text == "{{H}}\n{{R\n|id=a\n|v=1\n}}\n{{R\n|id=b\n|v=2\n|gone=yes\n}}\n{{F}}"
    assert marked.marked == ("b",)
    back = merge(marked.text, [A, B], SPEC, "T")
    assert back.text == REGION_AB and back.updated == ("b",)
    removed = merge(REGION_AB, [A], PageSpec(**{**SPEC.__dict__, "missing_policy": "remove"}), "T")
    assert removed.text == "{{H}}\n{{R\n|id=a\n|v=1\n}}\n{{F}}" and removed.removed == ("b",)


def test_an_editors_change_to_a_bot_value_is_kept_as_a_conflict() -> None:
    edited = REGION_AB.replace("|v=2", "|v=2 (corrected)")
    editors = editor_changes([(REGION_AB, edited)], SPEC, "T")
    source_changed = row("b", "22", 2)
    result = merge(edited, [A, source_changed], SPEC, "T", editors=editors)
    assert result.text == edited
    (conflict,) = result.conflicts
    assert (conflict.id, conflict.param, conflict.wiki_value, conflict.source_value) == (
        "b",
        "v",
        "2 (corrected)",
        "22",
    )


def test_a_row_an_editor_removed_is_not_put_back() -> None:
    edited = "{{H}}\n{{R\n|id=a\n|v=1\n}}\n{{F}}"
    result = merge(edited, [A, B], SPEC, "T", editors=editor_changes([(REGION_AB, edited)], SPEC, "T"))
    assert result.text == edited and result.added == ()
    assert result.conflicts[0].id == "b"


def test_sources_compare_exactly() -> None:
    old = row("a", "1", 1, src="https://x.example")
    page = region_text([old], SPEC)
    assert merge(page, [old], SPEC, "T").text == page
    changed = row("a", "1", 1, src="https://y.example")
    assert "https://y.example" in merge(page, [changed], SPEC, "T").text


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ("No region here", "no bot region"),
        ("{{H}}\n{{R|id=a}}", "1 header and 0 footer"),
        ("{{R|id=a}}\n{{F}}", "0 header and 1 footer"),
        ("{{H}}{{F}}\n{{H}}{{F}}", "2 header and 2 footer"),
        ("{{F}}\n{{H}}", "footer template comes before"),
        ("{{H}}\n{{R|id=a}}\n{{R|id=a}}\n{{F}}", "two rows with id=a"),
    ],
)
def test_a_broken_region_is_refused(page: str, message: str) -> None:
    with pytest.raises(PageError, match=message):
        merge(page, [A, B], SPEC, "T")


def test_the_header_citation_keeps_its_access_date_while_nothing_else_changes() -> None:
    page = "Intro\n" + region_text([A], YEAR) + "\n"
    assert "|d=2026-05-01}}" in page
    later = PageSpec(
        "R", "H", "F", header_params=YEAR.header_params, divider_template="D", accessed="2026-06-02"
    )
    assert merge(page, [A], later, "T", lang="en").text == page  # the fast path
    edited = page.replace("|v=1", "|v=0")  # the slow path: the row is updated, the date stays
    merged = merge(edited, [A], later, "T", lang="en")
    assert merged.text == page and not merged.header_changed
    broken = page.replace("|d=2026-05-01", "|d=not a date")  # no date there: the header is written again
    merged = merge(broken, [A], later, "T", lang="en")
    assert "|d=2026-06-02}}" in merged.text and merged.header_changed


D_AB = "{{H|src=x}}\n{{R\n|id=a\n|v=1\n}}\n{{D}}\n{{R\n|id=b\n|v=2\n}}\n{{F}}"
B1, C1 = row("b", "2", 2, group=1), row("c", "3", 3, group=1)


@pytest.mark.parametrize(
    ("before", "rows", "after"),
    [
        # a new page: the rows of group 1 after the divider
        ("", [A, B1], D_AB),
        # unchanged
        (D_AB, [A, B1], D_AB),
        # a new row of group 0 that sorts after every row of its group: before the divider
        (D_AB, [A, row("e", "5", 5), B1], D_AB.replace("{{D}}", "{{R\n|id=e\n|v=5\n}}\n{{D}}")),
        # a new row of group 1: after the divider, where it sorts
        (D_AB, [A, B1, C1], D_AB.replace("{{F}}", "{{R\n|id=c\n|v=3\n}}\n{{F}}")),
        # no divider yet (a page of an earlier version): added, and the row of group 1 moved after it
        # byte-identical (an editor's parameter goes with it)
        (
            "{{H|src=x}}\n{{R\n|id=b\n|v=2\n|note=n\n}}\n{{R\n|id=a\n|v=1\n}}\n{{F}}",
            [A, B1],
            "{{H|src=x}}\n{{R\n|id=a\n|v=1\n}}\n{{D}}\n{{R\n|id=b\n|v=2\n|note=n\n}}\n{{F}}",
        ),
        # no row of group 1 any more: the divider goes
        (D_AB, [A, row("b", "2", 2)], "{{H|src=x}}\n{{R\n|id=a\n|v=1\n}}\n{{R\n|id=b\n|v=2\n}}\n{{F}}"),
        # rows the bot does not own stay where they are
        (
            D_AB.replace("{{D}}", "{{R|v=hand}}\n{{D}}\n<!-- note -->"),
            [A, B1],
            D_AB.replace("{{D}}", "{{R|v=hand}}\n{{D}}\n<!-- note -->"),
        ),
    ],
)
def test_the_divider_keeps_each_group_in_its_table(before: str, rows: list[RowData], after: str) -> None:
    spec = PageSpec("R", "H", "F", header_params=(("src", "x"),), divider_template="D")
    if not before:
        assert region_text(rows, spec) == after
        return
    assert merge(before, rows, spec, "T").text == after
    assert merge(after, rows, spec, "T").text == after  # and nothing more to do


def test_two_dividers_are_refused() -> None:
    spec = PageSpec("R", "H", "F", divider_template="D")
    with pytest.raises(PageError, match=r"2 \{\{D\}\} templates"):
        merge(D_AB.replace("{{D}}", "{{D}}\n{{D}}"), [A, B1], spec, "T")


def test_an_editors_value_stays_theirs_after_later_bot_edits() -> None:
    # history: bot wrote v=2; an editor set v=2 (corrected); the bot later edited another row
    edited = REGION_AB.replace("|v=2", "|v=2 (corrected)")
    later_bot = edited.replace("|v=1", "|v=11")
    editors = editor_changes([(REGION_AB, edited)], SPEC, "T")
    result = merge(later_bot, [row("a", "11", 1), row("b", "23", 2)], SPEC, "T", editors=editors)
    assert result.text == later_bot and [c.param for c in result.conflicts] == ["v"]


def test_editor_changes_ignore_revisions_without_a_region() -> None:
    changes = editor_changes([("no region", REGION_AB), (REGION_AB, "vandalised")], SPEC, "T")
    assert changes.params == frozenset() and changes.removed_rows == frozenset()
