"""The on-disk cache of results: keyed by the bot's own code, never a wrong result (pure)."""

from __future__ import annotations

from pathlib import Path

from wikibot.resultcache import KEEP, ResultCache, code_digest, tree_digest


def tree(root: Path) -> Path:
    (root / "sources").mkdir(parents=True)
    (root / "__pycache__").mkdir()
    (root / "a.py").write_text("A = 1\n")
    (root / "sources" / "b.py").write_text("B = 2\n")
    (root / "data.yaml").write_text("x: 1\n")
    (root / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"\x00")
    (root / "notes.txt").write_text("not code\n")
    return root


def test_the_digest_follows_code_and_data_not_byte_code(tmp_path: Path) -> None:
    root = tree(tmp_path / "pkg")
    first = tree_digest(root)
    assert tree_digest(root) == first
    (root / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"\x01")
    (root / "notes.txt").write_text("still not code\n")
    assert tree_digest(root) == first
    for change in (
        lambda: (root / "sources" / "b.py").write_text("B = 3\n"),  # a file in a subfolder
        lambda: (root / "data.yaml").write_text("x: 2\n"),
        lambda: (root / "a.py").rename(root / "c.py"),  # same contents, another name
        lambda: (root / "sources" / "new.py").write_text(""),  # an empty new module
    ):
        before = tree_digest(root)
        change()
        assert tree_digest(root) != before


def test_the_same_tree_elsewhere_has_the_same_digest(tmp_path: Path) -> None:
    assert tree_digest(tree(tmp_path / "one")) == tree_digest(tree(tmp_path / "two"))
    assert len(code_digest()) == 16


def test_a_result_comes_back_and_old_ones_go(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "cache")
    assert cache.get("missing") is None
    for n in range(KEEP + 3):
        cache.put(f"k{n}", {"n": n})
    assert cache.get(f"k{KEEP + 2}") == {"n": KEEP + 2}
    assert len(list((tmp_path / "cache").glob("*.pickle"))) == KEEP
    (tmp_path / "cache" / f"k{KEEP + 2}.pickle").write_bytes(b"not a pickle")
    assert cache.get(f"k{KEEP + 2}") is None  # an unreadable file costs the computation, no error


def test_a_normalized_source_is_keyed_by_its_bytes_and_how_they_are_read(tmp_path: Path) -> None:
    from dataclasses import replace

    from wikibot.sources import SourceSpec, normalized_key
    from wikibot.sources.readers import read_path

    path = tmp_path / "s.csv"
    path.write_text("start_date,country\n2021-01-01,Chad\n")
    raw, spec = read_path(path), SourceSpec(str(path))
    key = normalized_key(raw, spec)
    assert raw.sha256 and normalized_key(replace(raw, sha256=""), spec) == key  # digest computed again: same
    assert normalized_key(replace(raw, data=raw.data + b"2021-01-02,Mali\n", sha256=""), spec) != key
    assert normalized_key(raw, replace(spec, countries_without_code=frozenset({"Atlantis"}))) != key
    assert normalized_key(raw, replace(spec, sheet="2021")) != key
    assert normalized_key(replace(raw, version="other"), spec) == key  # the version names, the bytes decide
