"""Filters detected in German questions: versions, document types, districts, years, follow-ups."""

from __future__ import annotations

import pytest

from assistant.query_filters import detect_filters, is_elliptical
from assistant.types import DocumentMeta, Filters


@pytest.mark.parametrize(
    ("question", "versions"),
    [
        ("Was sagt die Charta 2.0 zu Fachkräften?", ("2.0",)),
        ("Was steht in der ITAS-Charta 3.0?", ("3.0",)),
        ("Was steht in Version 3 zur Mobilität?", ("3.0",)),
        ("Wie war das in der ersten Fassung?", ("1.0",)),
        ("Was sagte die erste Charta zur Logistik?", ("1.0",)),
        ("Was änderte die zweite Charta?", ("2.0",)),
        ("Was hat sich zwischen 1.0 und 3.0 geändert?", ("1.0", "3.0")),
        ("Vergleiche Charta 1.0 mit Charta 2.0", ("1.0", "2.0")),
    ],
)
def test_charter_versions(question: str, versions: tuple[str, ...]) -> None:
    detected = detect_filters(question)
    assert detected.versions == versions
    assert detected.doc_types == ("charta",)
    assert detected.date_from is None and detected.date_to is None


def test_current_charter_sets_no_version_but_the_current_flag() -> None:
    detected = detect_filters("Was sagt die aktuelle Charta zu Wasserstoff?")
    assert detected.versions is None
    assert detected.current_only is True
    assert detected.doc_types == ("charta",)
    assert detect_filters("Was steht in der neuesten Fassung?").current_only is True


def test_charta_without_version_is_no_filter() -> None:
    detected = detect_filters("Was steht in der Charta zur Kreislaufwirtschaft?")
    assert not detected.found
    assert detected.stripped_question == "Was steht in der Charta zur Kreislaufwirtschaft?"


@pytest.mark.parametrize(
    ("question", "doc_type"),
    [
        ("Was wurde im Zukunftsforum besprochen?", "forum_report"),
        ("Welche Ergebnisse hatten die Zukunftsforen?", "forum_report"),
        ("Was kam im Forum heraus?", "forum_report"),
        ("Welche Workshops gab es?", "forum_report"),
        ("Was ergab der Kongress?", "kongress"),
        ("Was steht in der Kongressdokumentation?", "kongress"),
        ("Was regelt das Verstetigungskonzept?", "verstetigungskonzept"),
        ("Wie wird die Verstetigung finanziert?", "verstetigungskonzept"),
    ],
)
def test_document_types(question: str, doc_type: str) -> None:
    assert detect_filters(question).doc_types == (doc_type,)


@pytest.mark.parametrize(
    ("question", "district"),
    [
        ("Was sagt das Forum im Erzgebirge?", "Erzgebirgskreis"),
        ("Zahlen für den Erzgebirgskreis", "Erzgebirgskreis"),
        ("Welche erzgebirgischen Betriebe machen mit?", "Erzgebirgskreis"),
        ("Gibt es Projekte in Annaberg-Buchholz?", "Erzgebirgskreis"),
        ("Was passiert in Aue?", "Erzgebirgskreis"),
        ("Und im Vogtland?", "Vogtlandkreis"),
        ("Was wünschen sich die Vogtländer?", "Vogtlandkreis"),
        ("Was plant der Vogtlandkreis?", "Vogtlandkreis"),
        ("Wie ist die Lage in Plauen?", "Vogtlandkreis"),
        ("Welche Themen hat Mittelsachsen?", "Landkreis Mittelsachsen"),
        ("Was wurde in Freiberg gesagt?", "Landkreis Mittelsachsen"),
        ("Mittweida und die Hochschullandschaft", "Landkreis Mittelsachsen"),
        ("Was sagt man in Döbeln?", "Landkreis Mittelsachsen"),
        ("Was plant Zwickau?", "Landkreis Zwickau"),
        ("Was plant der Landkreis Zwickau?", "Landkreis Zwickau"),
        ("Welche Ideen haben die Zwickauer?", "Landkreis Zwickau"),
        ("Was tut sich in Chemnitz?", "Stadt Chemnitz"),
        ("Was plant die Stadt Chemnitz?", "Stadt Chemnitz"),
        ("Was plant die STADT CHEMNITZ?", "Stadt Chemnitz"),
    ],
)
def test_districts(question: str, district: str) -> None:
    assert detect_filters(question).districts == (district,)


@pytest.mark.parametrize(
    "question",
    [
        "Was plant die Region Südwestsachsen?",
        "Was sagt die TU Chemnitz dazu?",
        "Welche Rolle spielt die Hochschule Mittweida?",
        "Was ist die Wirtschaftsregion Chemnitz-Zwickau?",
    ],
)
def test_region_and_institution_names_set_no_district(question: str) -> None:
    assert detect_filters(question).districts is None


def test_two_districts_keep_the_order_of_mention() -> None:
    assert detect_filters("Vergleiche Zwickau und Plauen").districts == ("Landkreis Zwickau", "Vogtlandkreis")


@pytest.mark.parametrize(
    ("question", "date_from", "date_to"),
    [
        ("Was geschah beim Forum 2024?", "2024-01-01", "2024-12-31"),
        ("Was hat der Kongress im Jahr 2023 beschlossen?", "2023-01-01", "2023-12-31"),
        ("Berichte von 2023 bis 2024", "2023-01-01", "2024-12-31"),
        ("Foren zwischen 2022 und 2024", "2022-01-01", "2024-12-31"),
        ("Welche Foren gibt es seit 2023?", "2023-01-01", None),
        ("Was galt laut Charta bis 2022?", None, "2022-12-31"),
        ("Welche Berichte gab es vor 2024?", None, "2023-12-31"),
        ("Ergebnisse 2023 und 2024", "2023-01-01", "2024-12-31"),
        ("Was hat das Zukunftsforum im Vogtlandkreis 2024 vorgeschlagen?", "2024-01-01", "2024-12-31"),
    ],
)
def test_years_that_name_a_source_filter_documents(
    question: str, date_from: str | None, date_to: str | None
) -> None:
    detected = detect_filters(question)
    assert (detected.date_from, detected.date_to) == (date_from, date_to)


@pytest.mark.parametrize(
    "question",
    [
        "Wie viele Lotsen gab es Ende 2023?",
        "Was geschah 2024?",
        "Wer hat seit 2023 Anspruch? Gibt es ein Forum?",
    ],
)
def test_years_that_are_part_of_the_topic_stay_in_the_question(question: str) -> None:
    detected = detect_filters(question)
    assert (detected.date_from, detected.date_to) == (None, None)
    assert "202" in detected.stripped_question


@pytest.mark.parametrize(
    ("question", "ordinal"),
    [
        ("Was kam beim ersten Forum raus?", ("forum_report", 1)),
        ("Wann war der 3. ITAS-Kongress?", ("kongress", 3)),
        ("Wo fand das zweite Zukunftsforum statt?", ("forum_report", 2)),
        ("Was sagt die erste Charta?", None),
    ],
)
def test_event_ordinals(question: str, ordinal: tuple[str, int] | None) -> None:
    assert detect_filters(question).event_ordinal == ordinal


@pytest.mark.parametrize(
    "question", ["Was sagt die Charta 2.0?", "Was bedeutet Industrie 4.0?", "Kulturhauptstadt Chemnitz 2025"]
)
def test_version_numbers_and_names_set_no_year(question: str) -> None:
    detected = detect_filters(question)
    assert detected.date_from is None and detected.date_to is None


def test_industrie_4_0_is_no_charter_version() -> None:
    assert detect_filters("Was bedeutet Industrie 4.0 für Zulieferer?").versions is None
    assert detect_filters("Was bringt Web 2.0?").versions is None


def test_combined_filters_and_stripped_question() -> None:
    detected = detect_filters("Was wurde 2024 im Zukunftsforum im Vogtland zur Logistik gesagt?")
    assert detected.doc_types == ("forum_report",)
    assert detected.districts == ("Vogtlandkreis",)
    assert (detected.date_from, detected.date_to) == ("2024-01-01", "2024-12-31")
    assert detected.stripped_question == "Was wurde zur Logistik gesagt?"


def test_to_filters_matches_the_right_documents() -> None:
    filters = detect_filters("Was sagt die Charta 2.0 zu Fachkräften?").to_filters()
    assert isinstance(filters, Filters)
    assert filters.matches(DocumentMeta(doc_id="c2", title="Charta 2.0", doc_type="charta", version="2.0"))
    assert not filters.matches(
        DocumentMeta(doc_id="c3", title="Charta 3.0", doc_type="charta", version="3.0")
    )


@pytest.mark.parametrize(
    "question",
    [
        "Und im Vogtland?",
        "Und 2024?",
        "Was ist mit Logistik?",
        "Wie sieht es im Erzgebirge aus?",
        "Und was sagt die Charta 2.0 dazu?",
        "Im Landkreis Zwickau?",
        "Und dort?",
    ],
)
def test_elliptical_follow_ups(question: str) -> None:
    assert is_elliptical(question)


@pytest.mark.parametrize(
    "question",
    [
        "Welche Maßnahmen zur Fachkräftesicherung nennt die Charta 3.0?",
        "Was wurde im Zukunftsforum Vogtland zur Logistik gesagt?",
        "Und welche Maßnahmen zur Fachkräftesicherung sieht die Charta 3.0 für Zulieferer im Erzgebirge vor?",
        "Was steht in der Charta zur Kreislaufwirtschaft?",
        "",
    ],
)
def test_self_contained_questions_are_not_elliptical(question: str) -> None:
    assert not is_elliptical(question)
