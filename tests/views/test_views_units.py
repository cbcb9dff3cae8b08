"""Pure parts of the views: document families, alignment, sentence diff, proposal tables, sector matching."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from assistant.families import CHARTER_SERIES, series_names, series_of, superseded_by, versions_of
from assistant.types import DocumentMeta
from assistant.views import UnknownItem
from assistant.views.alignment import align, heading_similarity
from assistant.views.compare import change_topic, diff_sentences
from assistant.views.proposals import parse_ranking, parse_rows, parse_table
from assistant.views.sector_match import is_business_text, keyword_hits, score_divisions
from assistant.views.sectors import resolve_code


def charter(doc_id: str, version: str, date: str | None = None, **kw: str) -> DocumentMeta:
    return DocumentMeta(
        doc_id, doc_id, doc_type=kw.pop("doc_type", "charta"), version=version, date=date, **kw
    )


@dataclass(frozen=True)
class WithSeries(DocumentMeta):
    series: str | None = None


def test_series_of_derives_the_charter_and_reads_meta_series() -> None:
    assert series_of(charter("c1", "1.0")) == CHARTER_SERIES
    assert series_of(charter("v", "3.0", doc_type="verstetigungskonzept")) is None
    assert series_of(DocumentMeta("f", "f", doc_type="forum_report")) is None
    manual = WithSeries("h", "Handbuch", doc_type="other", version="12", series="debian-handbuch")
    assert series_of(manual) == "debian-handbuch"


def test_versions_sorted_numerically_duplicates_named_internal_hidden() -> None:
    docs = {
        m.doc_id: m
        for m in (
            charter("c10", "10.0", "2030-01-01"),
            charter("c2", "2.0", "2024-06-06"),
            charter("c2-entwurf", "2.0", "2024-03-01"),
            charter("c1", "1.0"),
            charter("c4", "4.0", "2026-01-01", audience="internal"),
        )
    }
    family = versions_of(docs, CHARTER_SERIES)
    assert [(v.version, v.meta.doc_id, v.duplicates) for v in family] == [
        ("1.0", "c1", ()),
        ("2.0", "c2", ("c2-entwurf",)),
        ("10.0", "c10", ()),
    ]
    assert [v.version for v in versions_of(docs, CHARTER_SERIES, audiences=("public", "internal"))][
        -1
    ] == "10.0"
    assert series_names(docs) == [CHARTER_SERIES]


def test_versions_without_dates_pick_deterministically() -> None:
    docs = {m.doc_id: m for m in (charter("b", "1.0"), charter("a", "1.0"))}
    (only,) = versions_of(docs, CHARTER_SERIES)
    assert only.meta.doc_id == "a" and only.duplicates == ("b",)


def test_heading_similarity_knows_compound_parts() -> None:
    assert heading_similarity("Kunststofftechnik", "Kunststofftechnik") == 1.0
    assert heading_similarity("Kunststoff, Werkzeugbau und Textil", "Werkzeug- und Formenbau") > 0.3
    assert heading_similarity("Leitziel", "Logistik") == 0.0


def test_align_is_one_to_one_then_joins_splits() -> None:
    sim = np.array([[0.9, 0.6, 0.1], [0.2, 0.3, 0.1]])
    pairs = align(sim, minimum=0.35, extra=0.5)
    assert [(p.old, p.new) for p in pairs] == [(0, 0), (0, 1)]
    assert align(np.zeros((0, 3))) == []


def test_diff_sentences_marks_changed_added_dropped() -> None:
    before = ["Ziel ist die Fachkräftesicherung.", "Ein Fonds wird geprüft."]
    after = ["Ziel ist die Fachkräftegewinnung.", "Rückkehrende werden angesprochen."]
    kinds = [(d["kind"], d["text"]) for d in diff_sentences(before, after)]
    assert kinds == [
        ("changed", "Ziel ist die Fachkräftegewinnung."),
        ("added", "Rückkehrende werden angesprochen."),
        ("dropped", "Ein Fonds wird geprüft."),
    ]


def test_proposal_tables_in_all_three_shapes() -> None:
    lines = (
        "Vorschlag | Zielgröße | Handlungsfeld\nRohstoffpass | Pilot mit 3 Bauteilfamilien | HF 2 Innovation"
    )
    assert parse_table(lines) == [("Rohstoffpass", "Pilot mit 3 Bauteilfamilien", "HF 2 Innovation")]
    flat = (
        "Vorschlag Zielgröße Handlungsfeld Werkzeugbau-Allianz Westsachsen\n12 Betriebe\n"
        "HF 2 Innovation und Technologietransformation Nachfolge-Sprechstunde mit der IHK monatlich HF 1 Industriepolitik"
    )
    assert parse_table(flat) == [
        ("Werkzeugbau-Allianz Westsachsen", "12 Betriebe", "HF 2 Innovation und Technologietransformation"),
        ("Nachfolge-Sprechstunde mit der IHK", "monatlich", "HF 1 Industriepolitik"),
    ]
    ranked = "Rang Vorschlag Punkte 1 Jugend dauerhaft beteiligen 29 2 Fördermittelzugang vereinfachen 24"
    assert parse_ranking(ranked) == [
        ("Jugend dauerhaft beteiligen", "29 Punkte", None),
        ("Fördermittelzugang vereinfachen", "24 Punkte", None),
    ]


def test_keywords_longest_match_wins_and_short_ones_start_a_word() -> None:
    assert keyword_hits("Wir sind ein Spritzgießer") == {"22": ["Spritzgießer"]}
    assert "24" not in keyword_hits("Kunststoffteile im Spritzguss")  # "Guss" inside "Spritzguss"
    assert "64" not in keyword_hits("Wir pflegen eine Datenbank")  # "Bank" inside "Datenbank"
    assert keyword_hits("Wir machen Kabelbäume für Nutzfahrzeuge")["27"] == ["Kabelbäume"]


def test_business_text_needs_first_person_or_company_wording() -> None:
    assert is_business_text("wir sind ein spritzgiesser")
    assert is_business_text("Müller GmbH, Drehteile")
    assert not is_business_text("Wie viele Unternehmen gibt es in Südwestsachsen?")


def test_score_divisions_without_vector_uses_keywords_only() -> None:
    ranked = score_divisions("Unsere Gießerei liefert Aluminiumguss", None, None)
    assert ranked[0]["code"] == "24" and ranked[0]["keywords"] == ["Aluminiumguss", "Gießerei"]
    assert ranked[0]["dense_z"] is None


@pytest.mark.parametrize(
    ("value", "code"), [("22", "22"), ("c22", "22"), ("22.21", "22"), ("5", "05"), ("c", "C")]
)
def test_resolve_code_spellings(value: str, code: str) -> None:
    assert resolve_code(value)[0] == code


@pytest.mark.parametrize("value", ["", "04", "100", "ZZ", "V"])
def test_resolve_code_rejects_unknown(value: str) -> None:
    with pytest.raises(UnknownItem):
        resolve_code(value)


def test_proposal_rows_as_ingest_writes_recognised_tables() -> None:
    text = (
        "Tabelle 2: Vorschläge\n"
        "Vorschlag: Zwickauer Personalbrücke; Zielgröße: 50 Wechsel im ersten Jahr; Handlungsfeld: HF 3 Arbeit\n"
        "Vorschlag: E-Mobilität zum Anfassen; Zielgröße: 4 Termine; Handlungsfeld: HF 5 \n"
        "Vorschlag: E-Mobilität zum Anfassen; Zielgröße: 4 Termine; Handlungsfeld: HF 5 Regionales Mindset\n"
        "Rang: 3; Vorschlag: Jugend dauerhaft beteiligen; Punkte: 29"
    )
    assert parse_rows(text) == [
        ("Zwickauer Personalbrücke", "50 Wechsel im ersten Jahr", "HF 3 Arbeit"),
        ("E-Mobilität zum Anfassen", "4 Termine", "HF 5 Regionales Mindset"),
        ("Jugend dauerhaft beteiligen", "29 Punkte", None),
    ]


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("Was hat sich beim Thema Wasserstoff seit der ersten Charta geändert?", "Wasserstoff"),
        ("Wie unterscheiden sich Charta 2.0 und 3.0 bei den Fachkräften?", "Fachkräften"),
        ("Was ist seit der Fassung 2.0 beim Batterierecycling neu hinzugekommen?", "Batterierecycling"),
        ("Welche Änderungen gab es zur Kreislaufwirtschaft?", "Kreislaufwirtschaft"),
        ("Was steht in der Charta zu Wasserstoff?", None),
        ("Was ist in 3.0 entfallen?", None),
    ],
)
def test_change_topic(question: str, topic: str | None) -> None:
    assert change_topic(question) == topic


def test_superseded_by_counts_only_visible_versions() -> None:
    docs = {
        m.doc_id: m
        for m in (
            charter("c2", "2.0", "2024-06-06"),
            charter("c3", "3.0"),
            charter("c4", "4.0", audience="internal"),
        )
    }
    assert superseded_by(docs, docs["c2"]) == "3.0"
    assert superseded_by(docs, docs["c3"]) is None  # the internal 4.0 draft does not count
    assert superseded_by(docs, docs["c3"], audiences=("public", "internal")) == "4.0"
    assert superseded_by(docs, DocumentMeta("f", "f", doc_type="forum_report")) is None
