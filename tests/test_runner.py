"""The runner over an in-memory wiki: what a run decides, without a server (the dev wiki tests the rest)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from tests.memwiki import MemoryWiki
from wikibot import checks, export, runner, settings, wikitemplates
from wikibot.errors import SettingsError
from wikibot.settings import Target
from wikibot.sources import SourceSpec, read_source

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = read_source(SourceSpec(str(ROOT / "wikibot" / "data" / "sample_stop.csv")))
CONFIG = settings.load("devwiki")
LISTS = replace(CONFIG, stats=None)
TODAY = dt.date(2026, 1, 1)
NOW = dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)
PAGE_2022 = "Liste des coupures d'Internet en 2022"
REPORT_PAGE = "Utilisateur:KeepItOnBot/Rapport"  # the default title, in the wiki's language


def run(wiki: MemoryWiki, config: settings.Settings = LISTS, **options: object) -> runner.RunReport:
    kwargs: dict[str, object] = {
        "lists": True,
        "with_stats": config.stats is not None,
        "today": TODAY,
        "now": NOW,
    }
    kwargs.update(options)
    return runner.run(wiki, config, SAMPLE, **kwargs)  # type: ignore[arg-type]


def synced() -> MemoryWiki:
    wiki = MemoryWiki()
    assert run(wiki).exit_code == 0
    return wiki


def test_a_first_run_creates_every_page_and_the_next_one_edits_nothing() -> None:
    wiki = MemoryWiki()
    first = run(wiki)
    years = sorted({y for i in SAMPLE.incidents for y in i.years})
    assert [p.action for p in first.pages] == ["created"] * (len(years) + 1)
    assert first.edits == len(years) + 1 and first.report_page is not None
    assert first.report_page.action == "created"
    saves = wiki.saves_by_bot()
    second = run(wiki)
    assert second.edits == 0 and {p.action for p in second.pages} == {"unchanged"}
    assert second.report_page is not None and second.report_page.action == "unchanged"
    assert wiki.saves_by_bot() == saves
    data = second.as_json()
    assert set(data) == {"source", "simulate", "identity", "pages", "edits", "uploads", "report_page"}
    assert set(data["pages"][0]) == {
        "title",
        "action",
        "added",
        "updated",
        "kept",
        "missing",
        "conflicts",
        "revid",
    }


@pytest.mark.parametrize(
    ("stop_page", "runs"),
    [(None, True), ("run", True), ("  Run \n", True), ("stop", False), ("", False)],
)
def test_the_stop_page_is_read_before_the_first_save(stop_page: str | None, runs: bool) -> None:
    wiki = MemoryWiki()
    if stop_page is not None:
        wiki.edit("User:KeepItOnBot/Stop", stop_page, user="Admin")
    report = run(wiki)
    assert report.exit_code == 0
    assert bool(report.stopped) is not runs
    assert (report.edits > 0) is runs
    assert (wiki.text(PAGE_2022) != "") is runs


def test_a_source_much_smaller_than_the_wiki_is_refused_unless_forced() -> None:
    wiki = synced()
    few = replace(SAMPLE, incidents=SAMPLE.incidents[:2])
    refused = runner.run(wiki, LISTS, few, lists=True, with_stats=False, today=TODAY, now=NOW)
    assert refused.exit_code == 3 and refused.edits == 0 and refused.refused
    assert "refus" in wiki.text(REPORT_PAGE).lower() or refused.refused[0] in wiki.text(REPORT_PAGE)
    forced = runner.run(wiki, LISTS, few, lists=True, with_stats=False, force=True, today=TODAY, now=NOW)
    assert forced.exit_code == 0 and forced.forced == refused.refused


def test_an_editors_value_is_kept_and_reported_as_a_conflict() -> None:
    wiki = synced()
    text = wiki.text(PAGE_2022)
    wiki.edit(PAGE_2022, text.replace("|zone=nationale\n", "|zone=Tout le pays\n", 1))
    changed = replace(
        SAMPLE, incidents=tuple(replace(i, description=i.description + ".") for i in SAMPLE.incidents)
    )
    report = runner.run(wiki, LISTS, changed, lists=True, with_stats=False, today=TODAY, now=NOW)
    page = next(p for p in report.pages if p.title == PAGE_2022)
    assert [c.param for c in page.conflicts] == ["zone"]
    assert "|zone=Tout le pays\n" in wiki.text(PAGE_2022)


def test_an_edit_conflict_is_read_again_merged_again_and_saved() -> None:
    wiki = synced()
    wiki.conflict_next_save.add(PAGE_2022)
    changed = replace(
        SAMPLE, incidents=tuple(replace(i, description=i.description + "!") for i in SAMPLE.incidents)
    )
    report = runner.run(wiki, LISTS, changed, lists=True, with_stats=False, today=TODAY, now=NOW)
    page = next(p for p in report.pages if p.title == PAGE_2022)
    assert page.action == "updated"
    assert "Une phrase ajoutée pendant ce temps." in wiki.text(PAGE_2022)  # the other edit stays


@pytest.mark.parametrize(
    ("damage", "action", "code"),
    [
        (lambda t: t + "\n{{nobots}}", "skipped", 0),
        (lambda t: "#REDIRECT [[Ailleurs]]", "refused", 3),
        (lambda t: t.replace("{{Coupure Internet/fin}}", ""), "refused", 3),
    ],
)
def test_a_page_the_bot_may_not_or_cannot_write_is_left_alone(damage, action: str, code: int) -> None:  # type: ignore[no-untyped-def]
    wiki = synced()
    wiki.edit(PAGE_2022, damage(wiki.text(PAGE_2022)))
    before = wiki.text(PAGE_2022)
    changed = replace(
        SAMPLE, incidents=tuple(replace(i, description=i.description + "?") for i in SAMPLE.incidents)
    )
    report = runner.run(wiki, LISTS, changed, lists=True, with_stats=False, today=TODAY, now=NOW)
    page = next(p for p in report.pages if p.title == PAGE_2022)
    assert (page.action, report.exit_code) == (action, code) and page.reason
    assert wiki.text(PAGE_2022) == before
    assert any(p.action == "updated" for p in report.pages if p.title != PAGE_2022)


def test_a_failed_save_is_that_pages_failure_and_exit_1() -> None:
    wiki = synced()
    wiki.fail_next_save[PAGE_2022] = "LockedPageError: protected"
    changed = replace(
        SAMPLE, incidents=tuple(replace(i, description=i.description + "~") for i in SAMPLE.incidents)
    )
    report = runner.run(wiki, LISTS, changed, lists=True, with_stats=False, today=TODAY, now=NOW)
    page = next(p for p in report.pages if p.title == PAGE_2022)
    assert page.action == "failed" and "protected" in page.reason and report.exit_code == 1


def test_simulate_saves_nothing_and_counts_no_edit() -> None:
    wiki = MemoryWiki(simulate=True)
    report = run(wiki)
    assert report.simulate and report.edits == 0 and wiki.pages == {}
    assert {p.action for p in report.pages} == {"created"}  # what a real run would do


def test_invalid_on_wiki_settings_refuse_the_run_with_exit_2() -> None:
    wiki = MemoryWiki()
    assert CONFIG.wiki_settings
    wiki.edit(CONFIG.wiki_settings, "safety:\n  min_fraction: 7\n", user="Admin")
    report = run(wiki)
    assert report.exit_code == 2 and "min_fraction" in report.refused[0]
    assert wiki.text(PAGE_2022) == "" and "min_fraction" in wiki.text(REPORT_PAGE)


def test_statistics_template_page_chart_and_inline_figures_are_written_once() -> None:
    wiki = MemoryWiki()
    wiki.edit("Article", "La coalition compte {{Chiffre KeepItOn|membres|valeur=1}} membres.")
    first = run(wiki, CONFIG)
    assert first.exit_code == 0 and first.stats is not None
    assert first.stats.template_action == "created" and first.stats.chart.action == "uploaded"
    assert [i.action for i in first.stats.inline] == ["updated"]
    assert "valeur=1}}" not in wiki.text("Article")
    second = run(wiki, CONFIG)
    assert second.stats is not None and second.edits == 0 and second.uploads == 0
    assert second.stats.chart.action == "unchanged" and [i.action for i in second.stats.inline] == [
        "unchanged"
    ]


def test_year_pages_name_the_data_template_only_when_it_exists() -> None:
    wiki = MemoryWiki()
    lists_only = run(wiki, CONFIG, with_stats=False)  # a profile with statistics, never run yet
    assert lists_only.exit_code == 0 and lists_only.stats is None
    assert "|statistiques=" not in wiki.text(PAGE_2022)  # no red link to a template that is not there
    wiki.reads = 0
    assert run(wiki, CONFIG, with_stats=False).edits == 0 and wiki.reads == 1  # asked in the one batch
    run(wiki, CONFIG)  # the statistics run writes the template and the year pages name it
    assert "|statistiques=Statistiques KeepItOn" in wiki.text(PAGE_2022)
    assert run(wiki, CONFIG, with_stats=False).edits == 0  # now it exists: lists-only runs keep it


def test_several_wikis_one_failing_leaves_the_others_updated() -> None:
    wikis = {"a": MemoryWiki(), "c": MemoryWiki()}

    def connect(config: settings.Settings) -> MemoryWiki:
        if config.site == "broken:xx":
            raise SettingsError("settings broken.yaml: site 'broken:xx' is unknown to pywikibot")
        return wikis[config.site or ""]

    targets = [
        Target("a", replace(CONFIG, site="a")),
        Target("b", replace(CONFIG, site="broken:xx")),
        Target("c", replace(CONFIG, site="c")),
    ]
    report = runner.run_many(targets, connect, SAMPLE, force=False, today=TODAY, now=NOW, describe=str)
    assert [w.exit_code for w in report.wikis] == [0, 2, 0] and report.exit_code == 2
    assert all(w.text(PAGE_2022) for w in wikis.values())
    data = report.as_json()
    assert data["wikis"]["b"]["error"].startswith("settings broken.yaml")
    assert data["edits"] == sum(w.report.edits for w in report.wikis if w.report)


@pytest.mark.parametrize(
    ("existing", "force", "action"),
    [
        (None, False, "created"),
        ("shipped", False, "unchanged"),
        ("{{Un modèle écrit à la main}}", False, "refused"),
        ("{{Un modèle écrit à la main}}", True, "updated"),
        (wikitemplates.MARKER + " -->\nune ancienne version", False, "updated"),
    ],
)
def test_templates_are_installed_only_over_the_bots_own(
    existing: str | None, force: bool, action: str
) -> None:
    wiki = MemoryWiki()
    items = wikitemplates.templates_for(LISTS)[:1]
    if existing is not None:
        wiki.edit(f"Modèle:{items[0].title}", items[0].text if existing == "shipped" else existing)
    (result,) = wikitemplates.install(wiki, items, "installation", force)
    assert result.action == action


def test_check_list_writes_its_maintenance_page_only_when_the_findings_change() -> None:
    wiki = synced()
    wiki.edit(
        PAGE_2022,
        wiki.text(PAGE_2022).replace(
            "{{Coupure Internet/fin}}", "{{Coupure Internet|pays=Tchad}}\n{{Coupure Internet/fin}}"
        ),
    )
    first = checks.check_list(wiki, LISTS, SAMPLE, {}, TODAY, "Projet:Maintenance")
    assert [(f.kind, f.id) for f in first.findings] == [
        ("missing-field", "ligne 6"),  # no start date
        ("no-source", "ligne 6"),
        ("row-without-id", "ligne 6"),
    ]
    assert first.maintenance is not None and first.maintenance.action == "created"
    again = checks.check_list(wiki, LISTS, SAMPLE, {}, TODAY, "Projet:Maintenance")
    assert again.maintenance is not None and again.maintenance.action == "unchanged"


def test_export_reads_back_what_the_sync_wrote() -> None:
    from wikibot.export import incident_record

    records, problems = export.read_back(synced(), LISTS)
    assert problems == []
    expected = sorted(
        (incident_record(i) for i in SAMPLE.incidents), key=lambda r: (r["start"], r["country"], r["id"])
    )
    assert records == expected


def correct_area(wiki: MemoryWiki, title: str = PAGE_2022) -> None:
    wiki.edit(
        title, wiki.text(title).replace("|zone=nationale\n", "|zone=Tout le pays<ref>Un article</ref>\n", 1)
    )


def test_a_kept_correction_is_noted_once_on_the_talk_page_and_again_when_the_source_changes() -> None:
    wiki = synced()
    correct_area(wiki)
    first = run(wiki)
    (page,) = [p for p in first.pages if p.title == PAGE_2022]
    assert [c.param for c in page.conflicts] == ["zone"] and page.conflicts[0].by is not None
    assert page.talk is not None and page.talk.action == "created"
    note = wiki.text(f"Talk:{PAGE_2022}")
    assert note.count("\n== ") + note.startswith("== ") == 1 and note.rstrip().endswith("~~~~")
    assert "[[User:Contributeur|Contributeur]]" in note and "[[Special:Diff/" in note
    assert "« zone »" in note and "« nationale »" in note and "Tout le pays" in note
    assert "avec une référence ajoutée" in note
    second = run(wiki)
    assert all(p.talk is None for p in second.pages) and wiki.text(f"Talk:{PAGE_2022}") == note
    corrected = page.conflicts[0].id
    changed = replace(
        SAMPLE,
        incidents=tuple(
            replace(i, area="Tout le territoire") if i.id == corrected else i for i in SAMPLE.incidents
        ),
    )
    third = runner.run(wiki, LISTS, changed, lists=True, with_stats=False, today=TODAY, now=NOW)
    assert next(p for p in third.pages if p.title == PAGE_2022).talk is not None
    again = wiki.text(f"Talk:{PAGE_2022}")
    assert again.startswith(note.rstrip()) and again.count("== Corrections") == 2
    assert "« Tout le territoire »" in again[len(note) :]


@pytest.mark.parametrize(
    ("talk_text", "simulate", "action"),
    [
        ("{{nobots}}", False, "skipped"),
        (None, True, "created"),  # shown, not saved
    ],
)
def test_a_note_respects_nobots_and_simulate(talk_text: str | None, simulate: bool, action: str) -> None:
    wiki = synced()
    correct_area(wiki)
    if talk_text is not None:
        wiki.edit(f"Talk:{PAGE_2022}", talk_text)
    wiki.simulate = simulate
    report = run(wiki)
    page = next(p for p in report.pages if p.title == PAGE_2022)
    assert page.talk is not None and page.talk.action == action
    assert wiki.text(f"Talk:{PAGE_2022}") == (talk_text or "")


def test_an_editors_figure_on_the_index_page_survives_the_next_sync() -> None:
    wiki = synced()
    index = LISTS.list.index
    wiki.edit(index, wiki.text(index).replace("|coupures=5\n", "|coupures=6\n", 1))
    changed = replace(SAMPLE, incidents=SAMPLE.incidents[:-1])  # a source change: the index is merged again
    report = runner.run(wiki, LISTS, changed, lists=True, with_stats=False, force=True, today=TODAY, now=NOW)
    outcome = next(p for p in report.pages if p.title == index)
    assert "|coupures=6\n" in wiki.text(index)
    assert [c.param for c in outcome.conflicts] == ["coupures"] and outcome.talk is not None


def test_the_corrections_report_lists_each_value_an_editor_changed_with_who_and_where() -> None:
    wiki = synced()
    correct_area(wiki)
    (found,) = export.corrections(wiki, LISTS, SAMPLE, {}, TODAY)
    assert (found.page, found.field, found.source_value, found.editor) == (
        PAGE_2022,
        "zone",
        "nationale",
        "Contributeur",
    )
    assert found.wiki_value == "Tout le pays<ref>Un article</ref>" and found.refs == (
        "<ref>Un article</ref>",
    )
    assert found.diff_url.startswith("http://wiki.test/index.php?diff=") and found.id.startswith("kio-")
    assert export.corrections(synced(), LISTS, SAMPLE, {}, TODAY) == []  # a wiki no one corrected


def test_a_no_op_run_reads_the_wiki_once() -> None:
    wiki = synced()
    wiki.reads = 0
    report = run(wiki)
    assert report.edits == 0 and wiki.reads == 1  # the on-wiki settings, the pages, the index, the report


def test_on_wiki_settings_that_rename_the_pages_are_read_then_written() -> None:
    wiki = MemoryWiki()
    assert CONFIG.wiki_settings
    wiki.edit(CONFIG.wiki_settings, 'list:\n  page: "Coupures de {year}"\n', user="Admin")
    report = run(wiki)
    assert report.exit_code == 0 and wiki.text("Coupures de 2022") and not wiki.text(PAGE_2022)


# ------------------------------------------------------------------------ the parser's limits


def test_a_page_that_would_pass_the_limits_with_the_citation_template_is_saved_without_it() -> None:
    wiki = MemoryWiki(weights={"Lien web": 3_000_000})  # a citation template grown far past the limit
    report = run(wiki)
    assert report.exit_code == 0
    years = [p for p in report.pages if p.title != CONFIG.list.index]
    for page in years:
        text = wiki.text(page.title)
        assert page.action == "created" and page.limits is not None
        assert "{{Lien web" not in text and '<ref name="keepiton-stop-data">[https://' in text
        assert not wiki.parse_report(page.title, text).categories  # it fits, every reference kept
    parses = wiki.parses
    again = run(wiki)  # the page holds its fallback form: nothing to parse, nothing to save
    assert again.edits == 0 and wiki.parses == parses


def test_a_page_the_wiki_counts_past_a_limit_now_is_written_again_without_the_template() -> None:
    wiki = synced()
    year = wiki.read([PAGE_2022])[PAGE_2022]
    assert "{{Lien web" in year.text and not year.categories
    wiki.weights["Lien web"] = 3_000_000  # the template grew after the bot saved the page
    assert wiki.read([PAGE_2022])[PAGE_2022].categories  # the wiki counts it past a limit now
    report = run(wiki)
    (page,) = [p for p in report.pages if p.title == PAGE_2022]
    assert page.action == "updated" and "{{Lien web" not in wiki.text(PAGE_2022)
    assert not wiki.read([PAGE_2022])[PAGE_2022].categories


def test_a_page_past_the_limits_in_every_form_is_refused_with_the_reason() -> None:
    wiki = MemoryWiki(post_expand_limit=2_000)
    report = run(wiki)
    assert report.exit_code == 3
    refused = [p for p in report.pages if p.action == "refused"]
    assert refused and all("post-expand include size" in p.reason for p in refused)
    assert all(not wiki.pages.get(p.title) for p in refused)  # nothing saved
    report_page = wiki.text(REPORT_PAGE)
    assert all(p.title in report_page for p in refused) and "post-expand include size" in report_page


def test_the_data_template_is_saved_before_the_year_pages_that_show_it() -> None:
    wiki = MemoryWiki()
    assert run(wiki, CONFIG).exit_code == 0
    order = sorted(
        (r.revid, title) for title, history in wiki.pages.items() for r in history if r.user == wiki.user
    )
    titles = [title for _, title in order]
    template = wiki.full_title(CONFIG.stats.template, 10)  # type: ignore[union-attr]
    assert titles.index(template) < titles.index(PAGE_2022)
    assert titles.index(CONFIG.stats.countries_page) < titles.index(CONFIG.stats.page)  # type: ignore[union-attr]
