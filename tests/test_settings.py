"""Settings: profiles validated whole, unknown keys refused by name, on-wiki settings applied or refused."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from wikibot import cli, settings
from wikibot.errors import SettingsError

ROOT = Path(__file__).resolve().parents[1]
DEVWIKI = yaml.safe_load((ROOT / "wikibot" / "profiles" / "devwiki.yaml").read_text("utf-8"))


def write(tmp_path: Path, data: object, name: str = "profile.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return path


def with_change(path: tuple[str, ...], value: object) -> dict[str, object]:
    data = yaml.safe_load(yaml.safe_dump(DEVWIKI))
    target = data
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "key", "hint"),
    [
        (("saftey",), "saftey", "safety"),
        (("langauge",), "langauge", "language"),
        (("safety", "min_fractoin"), "min_fractoin", "min_fraction"),
        (("list", "mising"), "mising", "missing"),
        (("source", "locaton"), "locaton", "location"),
        (("stats", "chrat"), "chrat", "chart"),
        (("install", "helper"), "helper", "helpers"),
        (("list", "params", "strat"), "strat", "start"),
        (("source", "layout"), None, None),  # replaced below by a layout with a bad key
    ],
)
def test_a_misspelt_key_anywhere_is_refused_with_its_name_the_file_and_the_closest_key(
    tmp_path: Path, path: tuple[str, ...], key: str | None, hint: str | None
) -> None:
    if key is None:
        data = with_change(path, {"columns": {"start": "a", "country": "b"}, "detcet": ["a"]})
        key, hint = "detcet", "detect"
    else:
        data = with_change(path, 0.5 if "fract" in key else "x")
    profile = write(tmp_path, data)
    with pytest.raises(SettingsError) as raised:
        settings.load(str(profile))
    message = str(raised.value)
    assert str(profile) in message and repr(key) in message and f"did you mean {hint!r}" in message
    assert raised.value.exit_code == 2


def test_a_misspelt_key_in_a_several_wiki_file_is_refused_too(tmp_path: Path) -> None:
    profile = write(tmp_path, {"targets": [{"name": "fr", "profile": "devwiki", "profil": "x"}]}, "many.yaml")
    with pytest.raises(SettingsError, match="target #1: unknown key 'profil'; did you mean 'profile'"):
        settings.load_run(str(profile))
    profile = write(tmp_path, {"targets": [{"profile": "devwiki"}], "safty": {}}, "many.yaml")
    with pytest.raises(SettingsError, match="unknown key 'safty'; did you mean 'safety'"):
        settings.load_run(str(profile))


def test_the_cli_edge_turns_a_settings_error_into_exit_2_and_one_line(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    profile = write(tmp_path, with_change(("saftey",), {}))
    code = cli.run(lambda: settings.load(str(profile)) and 0)
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and err[0].startswith("error: settings ") and "'saftey'" in err[0]


@pytest.mark.parametrize("name", ["devwiki", "devwiki-en", "devwiki-ar", "frwiki", "enwiki"])
def test_every_shipped_profile_loads(name: str) -> None:
    loaded = settings.load(name)
    assert loaded.list.templates["row"] and loaded.lang in ("fr", "en", "ar")
    assert Path(loaded.source.location).is_absolute() or "://" in loaded.source.location


@pytest.mark.parametrize(
    ("name", "report_page"),
    [
        ("devwiki", "Utilisateur:{bot}/Rapport"),
        ("devwiki-en", "User:{bot}/Report"),
        ("devwiki-ar", "مستخدم:{bot}/تقرير"),
    ],
)
def test_the_report_page_is_titled_in_the_wikis_language(name: str, report_page: str) -> None:
    assert settings.load(name).safety.report_page == report_page


@pytest.mark.parametrize(
    ("path", "value", "error"),
    [
        (("list", "categories"), ["Catégorie:Censure"], "without their namespace"),
        (("list", "categories"), "Censure", "'categories' must be list"),
        (("list", "country_links"), {"MM": ""}, "every value of 'country_links' must be a non-empty name"),
        (("source", "citation"), {"urll": "x"}, "unknown key 'urll'; did you mean 'url'"),
        (("list", "templates", "carried_over"), None, "'templates' must name carried_over"),
    ],
)
def test_the_page_settings_are_checked(
    tmp_path: Path, path: tuple[str, ...], value: object, error: str
) -> None:
    data = with_change(path, value)
    if value is None:
        del data["list"]["templates"]["carried_over"]
    with pytest.raises(SettingsError, match=error):
        settings.load(str(write(tmp_path, data)))


def test_categories_country_links_and_the_data_sets_citation_are_read(tmp_path: Path) -> None:
    data = with_change(("list", "categories"), ["Censure d'Internet"])
    data["list"]["country_links"] = {"MM": "Birmanie"}
    data["source"]["citation"] = {"url": "https://docs.example/d/1/", "title": "Feuille STOP"}
    loaded = settings.load(str(write(tmp_path, data)))
    assert loaded.list.categories == ("Censure d'Internet",)
    assert loaded.row_spec().country_links == {"MM": "Birmanie"}
    cited = loaded.dataset_citation()
    assert (cited.url, cited.title, cited.publisher) == (
        "https://docs.example/d/1/",
        "Feuille STOP",
        "Access Now",
    )


WIKI_PAGE_CASES = [
    # (page text, what to check on the result, or the error expected)
    ('{"safety": {"min_fraction": 0.5}}', lambda s: s.safety.min_fraction == 0.5, None),
    (
        "Réglages du bot :\n<syntaxhighlight lang=yaml>\nlist:\n  missing: mark\n</syntaxhighlight>",
        lambda s: s.list.missing == "mark",
        None,
    ),
    (
        "<pre>\nlist:\n  params:\n    area: lieu\n</pre>",
        lambda s: s.list.params["area"] == "lieu" and s.list.params["start"] == "début",
        None,
    ),
    ("", lambda s: s.list.missing == "keep", None),
    ("site: wikipedia:fr", None, "section 'site' cannot be set on the wiki"),
    ("safety:\n  lock_file: /tmp/x", None, "safety.lock_file cannot be set on the wiki"),
    ("safety:\n  min_fraction: 7", None, "'min_fraction' must be a number from 0 to 1"),
    ("list: [oops", None, "invalid YAML/JSON"),
    ("- a list", None, "must be a mapping of sections"),
    ("list: 3", None, "'list' must be a mapping"),
]


@pytest.mark.parametrize(("text", "check", "error"), WIKI_PAGE_CASES)
def test_on_wiki_settings_are_applied_whole_or_refused_whole(text: str, check, error: str | None) -> None:  # type: ignore[no-untyped-def]
    base = settings.load("devwiki")
    if error is None:
        assert check(settings.with_wiki_settings(base, text, "Utilisateur:Bot/Réglages"))
    else:
        with pytest.raises(SettingsError) as raised:
            settings.with_wiki_settings(base, text, "Utilisateur:Bot/Réglages")
        assert "[[Utilisateur:Bot/Réglages]]" in str(raised.value) and error in str(raised.value)
