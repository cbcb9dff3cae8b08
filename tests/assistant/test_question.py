"""Question analysis: normalisation, answer types, parts questions, spelling against the index."""

from __future__ import annotations

import pytest

from assistant.answering import Question
from assistant.question import (
    AnswerType,
    analyse,
    answer_type,
    asks_for_parts,
    counted_noun,
    normalize_question,
)
from assistant.services import Services
from assistant.types import Filters


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Fach\u200bkräfte", "Fachkräfte"),  # zero-width space
        ("Fachkra\u0308fte", "Fachkräfte"),  # decomposed umlaut
        ("\u202eWasserstoff\u202c", "Wasserstoff"),  # bidi controls
        ("Рrozesswärme", "Prozesswärme"),  # Cyrillic Р inside a Latin word
        ("Москва", "Москва"),  # a Cyrillic word stays Cyrillic
        ("  viele   Leerzeichen ", "viele Leerzeichen"),
    ],
)
def test_normalisation(raw: str, clean: str) -> None:
    assert normalize_question(raw) == clean


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Wie viel Geld bekommt das Projekt?", AnswerType.AMOUNT),
        ("Was kostet die Beratung?", AnswerType.AMOUNT),
        ("Wann war das Forum in Plauen?", AnswerType.DATE),
        ("Wie viele Leute waren da?", AnswerType.NUMBER),
        ("Wie ist die Telefonnummer der IHK?", AnswerType.CONTACT),
        ("Wer ist der Ansprechpartner für Lotsen?", AnswerType.PERSON),
        ("Wer gehört zum Konsortium?", AnswerType.ORGANISATION),
        ("Wo fand der Kongress statt?", AnswerType.PLACE),
        ("Welche Handlungsfelder hat die Charta?", AnswerType.LIST),
        ("Was ist Circular Cars?", AnswerType.DEFINITION),
        ("Was hat sich beim Wasserstoff geändert?", AnswerType.COMPARISON),
        ("Erzähl mir von der Region.", AnswerType.OTHER),
    ],
)
def test_answer_types(question: str, kind: AnswerType) -> None:
    assert answer_type(question) is kind


def test_questions_for_parts_name_their_noun() -> None:
    assert asks_for_parts("Welche Handlungsfelder hat die Charta 2.0?") == "handlungsfelder"
    assert "teil" in (asks_for_parts("Aus welchen Teilen besteht das Konzept?") or "")
    assert asks_for_parts("Wer gehört zum Konsortium?") is None
    assert asks_for_parts("forum 2023 zwickau – welche tischgruppen gabs?") == "tischgruppen"


def _analyse(services: Services, text: str, history: list[tuple[str, str]] | None = None):  # type: ignore[no-untyped-def]
    snap = services.retriever.snapshot()
    return analyse(text, history or [], Filters(), snap)


def test_everyday_words_the_index_never_saw_are_neutral(answer_services: Services) -> None:
    analysis = _analyse(
        answer_services, "Bekommen unsere Kabelbaumflechter Plätze in der Fachkräfte-Akademie?"
    )
    assert analysis.terms.unknown  # the index never saw "Kabelbaumflechter"
    assert all(term not in analysis.terms.weights for term in analysis.terms.unknown)
    assert analysis.terms.weights  # the known topic words still count


def test_misspelt_and_folded_words_are_mapped_to_the_index(answer_services: Services) -> None:
    analysis = _analyse(answer_services, "Was gibt es im Vogtlnad zur Foerderung?")
    assert analysis.plan.filters.districts and "Vogtlandkreis" in analysis.plan.filters.districts


def test_history_questions_search_every_version(answer_services: Services) -> None:
    analysis = _analyse(answer_services, "Was wurde aus dem Fonds der ersten Charta?")
    assert analysis.plan.filters.versions is None and analysis.spread_versions
    named = _analyse(answer_services, "Was sagt die erste Charta zum Fonds?")
    assert named.plan.filters.versions == ("1.0",)


def test_a_guessed_document_type_that_contradicts_other_cues_is_dropped(answer_services: Services) -> None:
    analysis = _analyse(answer_services, "Was hat das Forum im Vogtland zur Charta 1.0 beigetragen?")
    assert analysis.empty_reason is None
    assert answer_services.retriever.snapshot().matching_documents(analysis.plan.filters)


def test_event_ordinals_resolve_to_the_nth_year_of_that_event(answer_services: Services) -> None:
    analysis = _analyse(answer_services, "Was kam beim ersten Zukunftsforum heraus?")
    assert analysis.plan.filters.date_from == "2024-01-01"  # the test corpus has forums of 2024 only


def test_bad_input_never_breaks_analysis(answer_services: Services) -> None:
    for text in ("x", "🚗🚗🚗", "und oder aber", "a" * 2000, "What does the Charta say about Wasserstoff?"):
        answer = answer_services.answerer.answer(Question(text))
        assert answer.answer and (answer.refused or answer.citations)


def test_a_business_giving_its_own_size_does_not_make_it_a_topic(answer_services: Services) -> None:
    analysis = _analyse(
        answer_services,
        "Wir sind ein Betrieb mit 40 Leuten und 70 % Verbrenner-Umsatz, was bringt uns die Akademie?",
    )
    assert "40" not in analysis.terms.weights and "70" not in analysis.terms.weights


def test_a_new_compound_of_german_words_is_no_typo(answer_services: Services) -> None:
    from assistant.vocabulary import correct_spelling

    snap = answer_services.retriever.snapshot()
    assert correct_spelling("Tranformationsfnods", snap) == "transformationsfonds"  # a typo (two edits)
    # "Bonus" is a German word: the name of another programme, not a misspelt "Transformationsfonds"
    assert correct_spelling("Transformationsbonus", snap) == "Transformationsbonus"


@pytest.mark.parametrize(
    ("question", "counted"),
    [
        ("Wie viele Teilnehmerplätze hat der Software-Lernpfad?", "Teilnehmerplätze"),
        ("Wie viele neue Stellen sind entstanden?", "Stellen"),
        ("wie viele module hat das?", "module"),
        ("Und wie viele waren in Chemnitz dabei?", None),
        ("wie viele waren dabei?", None),
        ("Wann war das Forum?", None),
    ],
)
def test_what_a_how_many_question_counts(question: str, counted: str | None) -> None:
    assert counted_noun(question) == counted
