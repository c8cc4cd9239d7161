"""check_list's lint of the list pages: a table of rows on a page → the kinds of finding."""

from __future__ import annotations

import datetime as dt

import pytest

from wikibot import checks, settings
from wikibot.checks import Finding
from wikibot.identity import Ambiguous, Identity
from wikibot.model import Country, Incident, SourceResult

FR = settings.load("devwiki")
EN = settings.load("devwiki-en")
TITLE = "Liste des coupures d'Internet en 2020"
REF = "<ref>{{Lien web |url=https://example.org/a |titre=example.org}}</ref>"


def row(**params: str | None) -> str:
    """A French row: a clean one, with the parameters given changed (None: left out)."""
    values: dict[str, str | None] = {
        "id": "a",
        "début": "1 mars 2020",
        "fin": "2 mars 2020",
        "pays": "Kenya",
        "sources": REF,
    }
    values.update(params)
    return "{{Coupure Internet" + "".join(f"|{k}={v}" for k, v in values.items() if v is not None) + "}}"


def page(*rows: str) -> str:
    return "Intro.\n{{Coupure Internet/début}}\n" + "\n".join(rows) + "\n{{Coupure Internet/fin}}\n"


CHECK_CASES = [
    # (rows on the page, the source's ids (None: -nosource), the findings (kind, id))
    ((row(),), {"a"}, []),
    ((row(),), None, []),
    ((row(début="1er mars 2020"),), {"a"}, []),
    ((row(début="2020-03-01", fin="2020-03-02"),), {"a"}, []),  # ISO, as an editor may write it
    ((row(fin=""),), {"a"}, []),  # still going
    ((row(pays="Somaliland ; Kenya"),), {"a"}, []),  # a territory without a code is known
    ((row(pays="Côte d&#39;Ivoire"),), {"a"}, []),  # escaped names are read unescaped
    ((row(sources="[https://example.org/a a link]"),), {"a"}, []),  # a bare link is a source
    ((row(),), set(), [("not-in-source", "a")]),
    ((row(), row()), {"a"}, [("duplicate-id", "a")]),  # once, however many copies
    ((row(), row(), row()), {"a"}, [("duplicate-id", "a")]),
    ((row(id="b"), row()), {"a"}, [("not-in-source", "b")]),
    ((row(id=""),), {"a"}, [("row-without-id", "ligne 1")]),
    ((row(), row(id=None)), {"a"}, [("row-without-id", "ligne 2")]),
    ((row(id=None),), set(), [("row-without-id", "ligne 1")]),  # no id: not reported missing too
    ((row(début=""),), {"a"}, [("missing-field", "a")]),
    ((row(début=None),), {"a"}, [("missing-field", "a")]),
    ((row(pays=""),), {"a"}, [("missing-field", "a")]),
    ((row(début="hier"),), {"a"}, [("bad-date", "a")]),
    ((row(début="31 février 2020", fin=""),), {"a"}, [("bad-date", "a")]),
    ((row(fin="demain"),), {"a"}, [("bad-date", "a")]),
    ((row(début="hier", fin="demain"),), {"a"}, [("bad-date", "a"), ("bad-date", "a")]),
    ((row(fin="1 février 2020"),), {"a"}, [("end-before-start", "a")]),
    ((row(début="2020-03-01", fin="2020-02-28"),), {"a"}, [("end-before-start", "a")]),
    ((row(pays="Atlantide"),), {"a"}, [("unknown-country", "a")]),
    ((row(pays="Kenya ; Atlantide ; Utopie"),), {"a"}, [("unknown-country", "a"), ("unknown-country", "a")]),
    ((row(sources=""),), {"a"}, [("no-source", "a")]),
    ((row(sources="voir le rapport"),), {"a"}, [("no-source", "a")]),
    ((row(cause="manifestations", justification="sécurité publique / maintien de l&#39;ordre"),), {"a"}, []),
    ((row(cause="Émeutes"),), {"a"}, [("unknown-term", "a")]),  # in no vocabulary: shown untranslated
    (
        (row(id="", début="", pays="", sources=""),),
        None,
        [
            ("row-without-id", "ligne 1"),
            ("missing-field", "ligne 1"),
            ("missing-field", "ligne 1"),
            ("no-source", "ligne 1"),
        ],
    ),
    ((row(), row(id="b", fin="1 mars 2019")), {"a", "b"}, [("end-before-start", "b")]),
]


@pytest.mark.parametrize(("rows", "source_ids", "found"), CHECK_CASES)
def test_check_page(rows: tuple[str, ...], source_ids: set[str] | None, found: list[tuple[str, str]]) -> None:
    findings = checks.check_page(TITLE, page(*rows), FR, source_ids)
    assert [(f.kind, f.id) for f in findings] == found
    assert {f.title for f in findings} <= {TITLE}


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("Intro without markers.", "no bot region"),
        ("{{Coupure Internet/début}}\n{{Coupure Internet/début}}\n{{Coupure Internet/fin}}", "2 header"),
        ("{{Coupure Internet/fin}}\n{{Coupure Internet/début}}", "footer template comes before"),
    ],
)
def test_a_broken_region_is_one_finding(text: str, detail: str) -> None:
    (finding,) = checks.check_page(TITLE, text, FR, {"a"})
    assert (finding.kind, finding.id, finding.title) == ("broken-region", "", TITLE)
    assert detail in finding.detail


@pytest.mark.parametrize(
    ("row_text", "detail"),
    [
        (row(début="hier"), "début=hier n'est pas une date"),
        (row(fin="demain"), "fin=demain n'est pas une date"),
        (row(début=""), "début est vide"),
        (row(pays=""), "pays est vide"),
        (row(pays="Atlantide"), "pays inconnu : Atlantide"),
        (row(fin="1 février 2020"), "se termine le 1 février 2020, avant son début (1 mars 2020)"),
        (row() + row(), "2 lignes portent cet identifiant"),
        (
            row(ordonnée_par="x").replace("ordonnée_par", "ordonnée par"),
            "ordonnée par=x n'est dans aucun vocabulaire du robot : affiché tel quel, sans traduction "
            "(à ajouter dans wikibot/data/vocabulary.yaml)",
        ),
    ],
)
def test_details_name_the_wiki_s_own_parameter(row_text: str, detail: str) -> None:
    (finding,) = checks.check_page(TITLE, page(row_text), FR, None)
    assert finding.detail == detail


def test_english_rows_are_checked_with_english_names_and_dates() -> None:
    text = (
        "{{Internet shutdown row/header}}\n"
        "{{Internet shutdown row|id=a|start=1 March 2020|end=2 March 2020|countries=Kenya|sources=[https://x.org]}}\n"
        "{{Internet shutdown row|id=b|start=1 mars 2020|countries=Kenia|sources=[https://x.org]}}\n"
        "{{Internet shutdown row/footer}}"
    )
    findings = checks.check_page("List of Internet shutdowns in 2020", text, EN, {"a", "b"})
    assert [(f.kind, f.id, f.detail) for f in findings] == [
        ("bad-date", "b", "start=1 mars 2020 is not a date"),
        ("unknown-country", "b", "unknown country: Kenia"),
    ]


def test_every_kind_is_listed() -> None:
    found = {kind for _, _, kinds in CHECK_CASES for kind, _ in kinds} | {"broken-region", "ambiguous-match"}
    assert found == set(checks.KINDS)


# ------------------------------------------------------------------------------- ambiguous

KE = Country("KE", "Kenya")
INCIDENT = Incident("kio-1", (KE, Country("UG", "Uganda")), dt.date(2021, 1, 13), years=(2021, 2022))
SOURCE = SourceResult("sheet.csv", "combined", 1, (INCIDENT,), ())


@pytest.mark.parametrize(
    ("config", "candidates", "title", "ident", "detail"),
    [
        (
            FR,
            (("kio-x", 0.91), ("kio-y", 0.884)),
            "Liste des coupures d'Internet en 2021",
            "kio-x",
            "la coupure de la source commencée le 13 janvier 2021 (Kenya, Ouganda) ressemble autant aux "
            "lignes kio-x (0.91), kio-y (0.88) : aucune n'est mise à jour ; corrigez la ligne qui n'est pas "
            "cette coupure",
        ),
        (
            EN,
            (("w2", 0.7), ("w1", 0.7), ("w3", 0.66)),
            "List of Internet shutdowns in 2021",
            "w2",
            "the source's shutdown that started on 13 January 2021 (Kenya, Uganda) resembles rows "
            "w2 (0.70), w1 (0.70), w3 (0.66) equally: none of them is updated; "
            "correct the row that is not this shutdown",
        ),
    ],
)
def test_ambiguous_names_the_first_year_page_the_best_row_and_every_candidate(
    config: settings.Settings,
    candidates: tuple[tuple[str, float], ...],
    title: str,
    ident: str,
    detail: str,
) -> None:
    ids = Identity(
        {"kio-1": "kio-1"},
        ambiguous=(Ambiguous("kio-1", ("KE", "UG"), "2021-01-13", candidates),),
        withheld=frozenset({"kio-1"}),
    )
    assert checks.ambiguous(ids, SOURCE, config) == [Finding(title, "ambiguous-match", ident, detail)]


def test_no_ambiguous_case_no_finding() -> None:
    assert checks.ambiguous(Identity({"kio-1": "kio-1"}, matched=1), SOURCE, FR) == []


# ---------------------------------------------------------------------------- findings_text


@pytest.mark.parametrize(
    ("findings", "lang", "text"),
    [
        ([], "fr", "Aucun problème trouvé sur les listes."),
        ([], "en", "No problem found on the lists."),
        (
            [Finding("P", "no-source", "a", "no source link")],
            "fr",
            '{| class="wikitable sortable"\n'
            "! Page !! Problème !! Ligne !! Détail\n"
            "|-\n"
            "| [[:P]] || sans source || a || no source link\n"
            "|}",
        ),
        (
            [Finding("P", "no-source", "a", "no source link")],
            "en",
            '{| class="wikitable sortable"\n! Page !! Problem !! Row !! Detail\n|-\n'
            "| [[:P]] || no source || a || no source link\n|}",
        ),
        (  # sorted by page, then kind, then id
            [
                Finding("Q", "bad-date", "b", "x"),
                Finding("P", "no-source", "b", "y"),
                Finding("P", "bad-date", "c", "z"),
                Finding("P", "bad-date", "a", "w"),
            ],
            "en",
            '{| class="wikitable sortable"\n! Page !! Problem !! Row !! Detail\n'
            "|-\n| [[:P]] || not a date || a || w\n"
            "|-\n| [[:P]] || not a date || c || z\n"
            "|-\n| [[:P]] || no source || b || y\n"
            "|-\n| [[:Q]] || not a date || b || x\n|}",
        ),
        (  # what editors wrote shows as text, never as markup or a broken table
            [Finding("P|Q", "bad-date", "a||b", "début='{{subst:x}} [[y]] ~~~~' is not a date")],
            "en",
            '{| class="wikitable sortable"\n! Page !! Problem !! Row !! Detail\n|-\n'
            "| [[:P&#124;Q]] || not a date || a&#124;&#124;b || "
            "début='&#123;&#123;subst:x&#125;&#125; &#91;&#91;y&#93;&#93; "
            "&#126;&#126;&#126;&#126;' is not a date\n|}",
        ),
    ],
)
def test_findings_text(findings: list[Finding], lang: str, text: str) -> None:
    assert checks.findings_text(findings, lang) == text


def test_findings_as_json() -> None:
    assert Finding("P", "no-source", "b", "no source link").as_dict() == {
        "title": "P",
        "kind": "no-source",
        "id": "b",
        "detail": "no source link",
    }
