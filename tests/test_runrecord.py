"""The run record: JSON only, keyed by what decides the output, never trusted over the pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wikibot.runrecord import Entry, RunRecord, code_digest, run_key, unchanged

ENTRY = Entry("k1", {"A": 3, "B": None, "Stop": None}, {"kio-1": "kio-old"}, ("Too big",))


def test_an_entry_comes_back_as_it_was_saved_and_other_wikis_are_kept(tmp_path: Path) -> None:
    record = RunRecord.at(str(tmp_path / "wikibot.lock"), "devwiki:fr|Index")
    other = RunRecord(record.path, "devwiki:en|Index")
    assert record.path.name == "wikibot.run.json"
    assert record.save(ENTRY) == "" and other.save(Entry("k2", {"X": 1})) == ""
    assert record.load() == (ENTRY, "")
    assert other.load()[0].revisions == {"X": 1}
    data = json.loads(record.path.read_text("utf-8"))
    assert data["version"] == 1 and set(data["wikis"]) == {"devwiki:fr|Index", "devwiki:en|Index"}


@pytest.mark.parametrize(
    ("content", "warning"),
    [
        (b"\x80\x04\x95garbage", "unreadable"),  # a pickle, or anything else: never loaded as code
        (b"{not json", "unreadable"),
        (b'{"version": 9, "wikis": {}}', "not a version 1 run record"),
        (b"[1, 2]", "not a version 1 run record"),
        (b'{"version": 1, "wikis": {"w": {"key": "k", "revisions": 5}}}', "malformed"),
    ],
)
def test_an_unreadable_or_foreign_record_is_ignored_with_one_warning(
    tmp_path: Path, content: bytes, warning: str
) -> None:
    record = RunRecord(tmp_path / "r.json", "w")
    record.path.write_bytes(content)
    entry, said = record.load()
    assert entry == Entry() and warning in said and "\n" not in said
    assert record.save(ENTRY) == "" and record.load() == (ENTRY, "")  # rewritten whole


def test_a_record_that_cannot_be_written_costs_the_shortcut_only(tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("a file where the folder should be")
    record = RunRecord(tmp_path / "cache" / "wikibot.run.json", "w")
    assert "not written" in record.save(ENTRY)
    assert record.load()[0] == Entry()


@pytest.mark.parametrize(
    ("now", "embedded", "over", "same"),
    [
        ({"A": 3, "B": None, "Stop": None}, frozenset({"A"}), frozenset(), True),
        ({"A": 4, "B": None, "Stop": None}, frozenset(), frozenset(), False),  # an editor's revision
        ({"A": 3, "B": 7, "Stop": None}, frozenset(), frozenset(), False),  # a page created
        ({"A": 3, "B": None, "Stop": 12}, frozenset(), frozenset(), False),  # the stop page written
        ({"A": 3, "B": None, "Stop": None}, frozenset({"New article"}), frozenset(), False),
        ({"A": 3, "B": None, "Stop": None}, None, frozenset(), False),  # too many to list
        ({"A": 3, "B": None, "Stop": None}, frozenset(), frozenset({"A"}), False),  # past a limit
        ({"A": 3, "B": None}, frozenset(), frozenset(), False),  # a page the wiki did not answer for
    ],
)
def test_nothing_changed_only_when_every_recorded_page_is_where_the_run_left_it(
    now: dict[str, int | None], embedded: frozenset[str] | None, over: frozenset[str], same: bool
) -> None:
    assert unchanged(ENTRY, "k1", now, embedded, over) is same
    assert not unchanged(ENTRY, "k2", now, embedded, over)  # another key: another source or bot
    assert not unchanged(Entry(), "", now, embedded, over)  # no record


def test_the_key_changes_with_the_bytes_and_the_settings_and_holds_the_code() -> None:
    assert run_key("bytes1", "settings") == run_key("bytes1", "settings")
    assert run_key("bytes1", "settings") != run_key("bytes2", "settings")
    assert run_key("bytes1", "settings") != run_key("bytes1", "other settings")
    assert len(code_digest()) == 16  # the bot's files and its libraries' versions
