"""The mapping the answer service uses when a question describes a business."""

from __future__ import annotations

from assistant.services import Services
from assistant.views.sectors import business_context, match_sectors


def test_business_question_gets_sectors_and_charter_terms(view_services: Services) -> None:
    snap = view_services.index.get()
    context = business_context("Wir sind ein Spritzgießer – was bietet uns die Charta?", snap)
    assert context is not None
    assert context.sectors[0] == {
        "code": "22",
        "title": "Herstellung von Gummi- und Kunststoffwaren",
        "score": 1.0,
    }
    assert context.terms[0] == "Kunststofftechnik"
    assert "Flamingo" not in " ".join(context.terms)  # internal documents never feed the expansion
    assert all("spritzgie" not in t.lower() for t in context.terms)  # nothing the question already says


def test_business_context_uses_a_handed_query_vector(view_services: Services) -> None:
    snap = view_services.index.get()
    text = "Wir fahren mit unseren Lastwagen Waren quer durch Europa."
    assert business_context(text, snap) is None  # no keyword, no vector: no guess
    match_sectors("Wir sind ein Spritzgießer.", view_services.embedder)  # embeds the division profiles once
    context = business_context(text, snap, view_services.embedder.embed_query(text))
    assert context is not None and context.sectors[0]["code"] == "49"


def test_questions_that_describe_no_business_get_none(view_services: Services) -> None:
    snap = view_services.index.get()
    for text in ("Was steht in der Charta zur Kunststofftechnik?", "Wie viele Unternehmen gibt es?", ""):
        assert business_context(text, snap) is None
    assert business_context("Wir sind eine Familie aus Plauen.", snap) is None  # first person, no sector
