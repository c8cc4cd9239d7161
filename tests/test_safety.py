"""Safety rules (pure): the gate, the stop page, password file permissions, safety settings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from wikibot.errors import SettingsError
from wikibot.model import Country, Incident, SourceResult
from wikibot.safety import SafetySettings, WikiState, gate, may_run, password_file_problem
from wikibot.settings import from_mapping

ROOT = Path(__file__).resolve().parents[1]


def source(per_year: dict[int, int], as_of: str = "2026-05-20") -> SourceResult:
    incidents = tuple(
        Incident(id=f"{y}-{n}", countries=(Country("IR", "Iran"),), start=dt.date(y, 1, 1), years=(y,))
        for y, count in per_year.items()
        for n in range(count)
    )
    return SourceResult("s.csv", "test", len(incidents), incidents, (), as_of=as_of)


@pytest.mark.parametrize(
    ("in_source", "on_wiki", "wiki_date", "reasons"),
    [
        ({2020: 100, 2021: 100}, {2020: 100, 2021: 100}, "2026-05-20", []),
        ({2020: 100, 2021: 110}, {2020: 100, 2021: 100}, "", []),  # growth is fine
        ({}, {}, "", ["holds no incident"]),
        (
            {2020: 100, 2021: 50},
            {2020: 100, 2021: 100},
            "",
            ["fewer than 90%", "2021 would drop from 100 to 50"],
        ),
        ({2020: 100, 2021: 91}, {2020: 100, 2021: 100}, "", []),  # within both limits
        ({2020: 100, 2021: 89}, {2020: 100, 2021: 100}, "", ["2021 would drop from 100 to 89"]),
        ({2020: 200}, {2020: 100, 2021: 100}, "", ["2021 would drop from 100 to 0"]),
        ({2020: 100}, {2020: 100}, "2026-06-01", ["older than the wiki's (2026-06-01)"]),
        ({2020: 1}, {}, "", []),  # a first run: nothing to compare
    ],
)
def test_gate(in_source: dict[int, int], on_wiki: dict[int, int], wiki_date: str, reasons: list[str]) -> None:
    found = gate(source(in_source), WikiState(on_wiki, wiki_date), SafetySettings())
    assert len(found) == len(reasons), found
    for reason, text in zip(reasons, found, strict=True):
        assert reason in text


def test_gate_thresholds_come_from_the_settings() -> None:
    loose = SafetySettings(min_fraction=0.4, max_year_drop=0.6)
    assert gate(source({2020: 100, 2021: 50}), WikiState({2020: 100, 2021: 100}), loose) == []


@pytest.mark.parametrize(
    ("text", "allowed"),
    [
        (None, True),
        ("run", True),
        (" Run \n", True),
        ("stop", False),
        ("", False),
        ("run\nplease stop", False),
    ],
)
def test_stop_page(text: str | None, allowed: bool) -> None:
    assert may_run(text) is allowed


@pytest.mark.parametrize(
    ("mode", "ok"), [(0o100600, True), (0o100400, True), (0o100644, False), (0o100640, False)]
)
def test_password_file_mode(mode: int, ok: bool) -> None:
    assert (password_file_problem(mode) is None) is ok


def profile_with(**safety: object) -> dict[str, object]:
    data = yaml.safe_load((ROOT / "wikibot/profiles/devwiki.yaml").read_text("utf-8"))
    data["safety"] = safety
    return data


@pytest.mark.parametrize(
    ("safety", "message"),
    [
        ({"min_fraction": 2}, "'min_fraction' must be a number from 0 to 1"),
        ({"max_year_drop": "lots"}, "'max_year_drop' must be a number"),
        ({"stop_page": ""}, "'stop_page' must be a non-empty text"),
        ({"colour": "blue"}, "unknown key 'colour'"),
    ],
)
def test_bad_safety_settings(safety: dict[str, object], message: str) -> None:
    with pytest.raises(SettingsError) as info:
        from_mapping(profile_with(**safety), Path("p.yaml"))
    assert message in str(info.value)


def test_safety_settings_read() -> None:
    settings = from_mapping(
        profile_with(min_fraction=0.5, stop_page="Utilisateur:{bot}/Arrêt"), Path("p.yaml")
    )
    assert settings.safety.min_fraction == 0.5 and settings.safety.stop_page == "Utilisateur:{bot}/Arrêt"
