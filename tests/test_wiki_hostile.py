"""Any string in any source field round-trips exactly (source → wiki → export) and never becomes
markup on the rendered page: no template, link, category, reference, signature or magic word."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.conftest import FIGURES, ROOT, run_pwb, write_profile
from tests.wikiclient import Editor
from wikibot import l10n
from wikibot.export import incident_record
from wikibot.sources import SourceSpec, read_source

pytestmark = pytest.mark.wiki
HEADER = (ROOT / "wikibot/data/sample_stop.csv").read_text("utf-8").splitlines()[0].split(",")
TEXT_FIELDS = ("area_name", "gov_justification", "actual_cause", "ordered_by", "event", "other_affected")
MARKUP = [
    "[[",
    "]]",
    "{{",
    "}}",
    "{{{",
    "|",
    "<ref>",
    "</ref>",
    "~~~~",
    "~~~",
    "__NOTOC__",
    "__TOC__",
    "#REDIRECT [[X]]",
    "''",
    "'''",
    "http://x.example/a",
    "[http://x.example y]",
    "&amp;",
    "&lt;",
    "<nowiki>",
    "-",
    "*",
    "#",
    ":",
    ";",
    "=",
    "{|",
    "|}",
    "!!",
    "[[Category:X]]",
    "{{subst:X}}",
    "<br>",
    "ISBN 978-0-00-000000-0",
    "RFC 1234",
    "\u200f",
    "😀",
    "é",
    " ",
    "\n",
    "\t",
]
# Any text a spreadsheet cell can hold: control characters (but tab and newline) are no CSV text.
CELL_TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=8)
HOSTILE = st.lists(st.sampled_from(MARKUP) | CELL_TEXT, min_size=1, max_size=6).map("".join)


def write_source(path: Path, values: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, HEADER)
        writer.writeheader()
        for n, value in enumerate(values):
            row = dict.fromkeys(HEADER, "")
            row.update(
                start_date=(dt.date(2024, 1, 1) + dt.timedelta(days=n)).isoformat(),
                country="Iran",
                count_year="2024",
                info_source_link=f"https://x.example/{n}",
                shutdown_status="Ended",
            )
            row[TEXT_FIELDS[n % len(TEXT_FIELDS)]] = value
            row[TEXT_FIELDS[(n + 1) % len(TEXT_FIELDS)]] = value[::-1]
            writer.writerow(row)


@settings(
    max_examples=4,
    deadline=None,
    phases=[Phase.generate],  # each example is a real sync: no shrinking, the failing values are printed
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(HOSTILE, min_size=50, max_size=50))
def test_hostile_strings_round_trip_and_make_no_markup(
    devwiki: str, tmp_path_factory, values: list[str]
) -> None:
    tmp = tmp_path_factory.mktemp("hostile")
    source = tmp / "hostile.csv"
    write_source(source, values)
    profile = write_profile(tmp, source)
    run = run_pwb("sync_incidents", f"-settings:{profile}", "-always", report=tmp / "r.json")
    assert run.code == 0, run.stderr[-3000:]
    assert "Traceback" not in run.stderr
    normalized = read_source(SourceSpec(str(source)))
    out = tmp / "export.json"
    assert run_pwb("export_list", f"-settings:{profile}", f"-out:{out}").code == 0
    exported = json.loads(out.read_text("utf-8"))
    assert exported == sorted(
        (incident_record(i) for i in normalized.incidents), key=lambda r: (r["start"], r["country"], r["id"])
    )
    title = next(p["title"] for p in run.report["pages"] if p["title"].endswith("2024"))
    parsed = Editor(devwiki).get(
        action="parse", page=title, prop="links|templates|categories|externallinks|properties|text"
    )["parse"]
    # the only links: the countries' articles (the bot's own markup); the profile's category
    countries = {l10n.country_name(c, "fr") for i in normalized.incidents for c in i.countries}
    assert {link["title"] for link in parsed["links"]} <= countries
    assert [c["category"] for c in parsed["categories"]] == ["Censure_d'Internet"]
    used = {t["title"] for t in parsed["templates"]}
    assert (
        {
            "Modèle:Coupure Internet",
            "Modèle:Coupure Internet/début",
            "Modèle:Coupure Internet/fin",
            "Modèle:Lien web",  # the data set's citation, once
        }
        <= used
        <= {
            "Modèle:Coupure Internet",
            "Modèle:Coupure Internet/début",
            "Modèle:Coupure Internet/fin",
            "Modèle:Coupure Internet/commencées avant",
            "Modèle:Lien web",
            "Module:Biblio",
        }
    )
    urls = {link["url"] if isinstance(link, dict) else link for link in parsed["externallinks"]}
    assert urls == {f"https://x.example/{n}" for n in range(len(values))} | {
        "https://www.accessnow.org/keepiton-data-spreadsheet/"
    }
    assert parsed["properties"] in ([], {})
    assert parsed["text"].count('class="reference"') == len(values) + 1  # and the caption's
    assert parsed["text"].count('<tr id="kio-') == len(values)
    FIGURES["hostile inputs: strings through the wiki and back, lost or turned into markup 0"] += len(values)
