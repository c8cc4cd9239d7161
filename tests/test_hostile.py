"""Hostile input: malformed files and settings, each a clear error or a rejected row, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import FIGURES, ROOT, run_pwb
from wikibot.errors import WikibotError
from wikibot.settings import load
from wikibot.sources import SourceSpec, read_source

HEADER = (ROOT / "wikibot/data/sample_stop.csv").read_text("utf-8").splitlines()[0]
FRAGMENTS = [
    HEADER,
    HEADER.replace(",", ";"),
    "\n",
    ",",
    ";",
    "\t",
    '"',
    '""',
    "2020-01-01",
    "13/45/2020",
    "Iran",
    "Atlantis",
    "Ongoing",
    "\x00",
    "\ufeff",
    "é",
    "=SUM(A1)",
    "1e309",
    "-1",
    "2020",
    " ",
    "\r\n",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=30), max_size=40).map("".join)
    | st.binary(max_size=300)
)
def test_malformed_sources_never_crash(tmp_path: Path, content: str | bytes) -> None:
    path = tmp_path / "fuzz.csv"
    path.write_bytes(content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content)
    try:
        result = read_source(SourceSpec(str(path)))
    except WikibotError as exc:
        assert "\n" not in str(exc) and str(path) in str(exc)
    else:
        assert result.rows >= len(result.incidents) or result.rows == 0
    FIGURES["hostile inputs: malformed sources read, tracebacks 0"] += 1


CORPUS = {
    "empty.csv": b"",
    "header-only.csv": HEADER.encode(),
    "binary.csv": bytes(range(256)),
    "wrong-delimiter.csv": HEADER.replace(",", "|").encode(),
    "duplicate-columns.csv": (HEADER + ",country\n").encode(),
    "huge-field.csv": (HEADER + "\nActual,2020-01-01,Iran," + "x" * 200_000 + "," * 43 + "2020\n").encode(),
    "invalid-dates.csv": (HEADER + "\nActual,2020-02-30,Iran" + "," * 44 + "2020\n").encode(),
    "end-before-start.csv": (
        HEADER + "\nActual,2020-02-10,Iran" + "," * 12 + "2020-01-01" + "," * 31 + "2020\n"
    ).encode(),
    "unknown-country.csv": (HEADER + "\nActual,2020-02-10,Atlantis" + "," * 44 + "2020\n").encode(),
    "latin1.csv": (HEADER + "\nActual,2020-02-10,Côte d'Ivoire" + "," * 44 + "2020\n").encode("latin-1"),
    "not-json.json": b"{oops",
    "json-scalar.json": b"42",
    "not-xlsx.xlsx": b"PK\x03\x04 not really a zip",
}
SETTINGS = {
    "not-a-mapping.yaml": "- a\n- b\n",
    "bad-yaml.yaml": "list: [oops\n",
    "wrong-types.yaml": "site: 42\nlist: {page: 1}\n",
    "no-year.yaml": "list:\n  page: Liste\n  index: Index\n",
    "bad-layout.yaml": "source: {layout: nope}\nlist: {}\n",
    "bad-safety.yaml": "safety: {min_fraction: lots}\n",
}


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_the_malformed_file_corpus(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(CORPUS[name])
    try:
        result = read_source(SourceSpec(str(path)))
    except WikibotError as exc:
        assert "\n" not in str(exc)
    else:
        assert result.incidents or result.rejected or result.rows == 0
    FIGURES["hostile inputs: malformed sources read, tracebacks 0"] += 1


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_the_malformed_settings_corpus(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(SETTINGS[name])
    with pytest.raises(WikibotError) as info:
        load(str(path))
    assert "\n" not in str(info.value) and str(path) in str(info.value)
    FIGURES["hostile inputs: malformed settings, tracebacks 0"] += 1


@pytest.mark.parametrize(
    "name", ["binary.csv", "duplicate-columns.csv", "not-json.json", "not-xlsx.xlsx", "empty.csv"]
)
def test_scripts_give_one_line_for_malformed_sources(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(CORPUS[name])
    run = run_pwb("read_source", f"-source:{path}")
    assert run.code == 1 and "Traceback" not in run.stderr
    assert [line for line in run.stderr.splitlines() if line.startswith("error:")] == [
        run.stderr.strip().splitlines()[-1]
    ]
    FIGURES["hostile inputs: scripts on malformed sources, tracebacks 0"] += 1


def test_read_source_on_the_sample_prints_what_it_holds(tmp_path: Path) -> None:
    """The README's first command on its happy path: exit 0, the counts, the report file."""
    report = tmp_path / "source.json"
    run = run_pwb("read_source", f"-source:{ROOT / 'wikibot/data/sample_stop.csv'}", report=report)
    assert run.code == 0, run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    assert run.report["source"]["incidents"] == len(run.report["incidents"]) > 0
