"""1,000 randomized editor-edit + sync cycles on the pure merge: no human content is ever lost."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import FIGURES
from wikibot.listpage import PageSpec, editor_changes, merge, region_text
from wikibot.render import RowData

SPEC = PageSpec("R", "H", "F")
WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz éèàç0123456789.,'", min_size=1, max_size=20).map(
    lambda s: s.strip() or "x"
)
CYCLES = int(os.environ.get("MERGE_CYCLES", "1000"))


def rows(values: dict[int, str]) -> list[RowData]:
    return [RowData(f"r{k}", (("id", f"r{k}"), ("v", v)), (k,)) for k, v in sorted(values.items())]


@st.composite
def cycle(draw: st.DrawFn) -> dict[str, object]:
    keys = draw(st.lists(st.integers(0, 30), min_size=1, max_size=8, unique=True))
    old = {k: draw(WORDS) for k in keys}
    notes = draw(st.dictionaries(st.sampled_from(keys), WORDS, max_size=3))
    corrected = draw(st.dictionaries(st.sampled_from(keys), WORDS, max_size=2))
    hand_rows = draw(st.lists(WORDS, max_size=2))
    before, after = draw(WORDS), draw(WORDS)
    new = {
        k: draw(st.one_of(st.just(v), WORDS)) for k, v in old.items() if draw(st.booleans()) or k in corrected
    }
    new.update({k: draw(WORDS) for k in draw(st.lists(st.integers(31, 60), max_size=3, unique=True))})
    return {
        "old": old,
        "notes": notes,
        "corrected": corrected,
        "hand": hand_rows,
        "before": before,
        "after": after,
        "new": new,
    }


@settings(max_examples=CYCLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cycle())
def test_editors_content_survives_any_sync(case: dict[str, object]) -> None:
    old, new = case["old"], case["new"]
    assert isinstance(old, dict) and isinstance(new, dict)
    bot_text = f"{case['before']}\n\n{region_text(rows(old), SPEC)}\n\n{case['after']}\n"
    # the editor's turn: notes, corrections of bot values, rows by hand
    edited = bot_text
    for key, note in case["notes"].items():  # type: ignore[attr-defined]
        edited = edited.replace(f"|id=r{key}\n", f"|id=r{key}\n|note={note}\n", 1)
    for key, value in case["corrected"].items():  # type: ignore[attr-defined]
        edited = edited.replace(f"|id=r{key}\n|v={old[key]}\n", f"|id=r{key}\n|v={value} (fixed)\n", 1)
        edited = edited.replace(f"|id=r{key}\n|note=", f"|id=r{key}\n|note=", 1)
    for n, hand in enumerate(case["hand"]):  # type: ignore[attr-defined]
        edited = edited.replace("{{F}}", f"{{{{R|v={hand}|n={n}}}}}\n{{{{F}}}}", 1)
    editors = editor_changes([(bot_text, edited)], SPEC, "T")
    result = merge(edited, rows(new), SPEC, "T", editors=editors)
    text = result.text
    assert text.startswith(f"{case['before']}\n\n{{{{H}}}}") and text.endswith(
        f"{{{{F}}}}\n\n{case['after']}\n"
    )
    for note in case["notes"].values():  # type: ignore[attr-defined]
        assert f"|note={note}\n" in text
    for value in case["corrected"].values():  # type: ignore[attr-defined]
        if f"|v={value} (fixed)" in edited:
            assert f"|v={value} (fixed)" in text
    for n, hand in enumerate(case["hand"]):  # type: ignore[attr-defined]
        assert f"{{{{R|v={hand}|n={n}}}}}" in text
    for key in old:
        assert f"|id=r{key}\n" in text  # rows gone from the source are kept
    for key, value in new.items():
        assert f"|id=r{key}\n" in text
        if key not in case["corrected"]:  # type: ignore[operator]
            assert f"|v={value}\n" in text.split(f"|id=r{key}\n", 1)[1].split("}}", 1)[0] + "\n"
    assert merge(text, rows(new), SPEC, "T", editors=editors).text == text  # a second sync changes nothing
    FIGURES["merge: editor-edit + sync cycles, human content lost in none"] += 1
