"""The mapping the answer service uses when a question describes a business."""

from __future__ import annotations

from assistant.answering import Question
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


def test_business_context_names_the_charter_profile_and_the_offer(view_services: Services) -> None:
    snap = view_services.index.get()
    context = business_context("Wir sind ein Spritzgießer – was bietet uns die Charta?", snap)
    assert context is not None
    docs = [snap.by_id[cid].doc_id for cid in context.passages]
    assert docs == ["charta-3-0", "angebote"]  # the current charter's profile, then the offer
    assert "Kunststoff" in snap.by_id[context.passages[0]].text


def test_a_business_question_is_answered_from_the_charter_profile_and_the_offer(
    view_services: Services,
) -> None:
    answer = view_services.answerer.answer(
        Question("Wir sind ein Spritzgießer mit 60 Leuten. Was hat ITAS für uns?")
    )
    assert not answer.refused
    assert {"charta-3-0", "angebote"} <= {c.doc_id for c in answer.citations}
    # the abstention model knows that the question names a sector the catalogue knows
    assert view_services.answerer.gather(Question("Wir sind ein Spritzgießer. Was hat ITAS für uns?")).sector
    assert not view_services.answerer.gather(Question("Was steht zur Kunststofftechnik?")).sector
    assert "Circular Cars" in answer.answer and "Flamingo" not in answer.answer


def test_telegraphic_self_descriptions_describe_a_business(view_services: Services) -> None:
    snap = view_services.index.get()
    for text in (
        "Spritzgießer hier, 60 Leute – was bietet uns die Charta?",
        "Kunststoffspritzguss, 45 Mitarbeiter.",
    ):
        context = business_context(text, snap)
        assert context is not None and context.sectors[0]["code"] == "22", text
    assert business_context("Wie viele Leute kamen zum Forum der Kunststoffverarbeiter?", snap) is None


def test_the_pinned_passages_are_the_ones_closest_to_the_question(
    view_services: Services, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from assistant.views import sectors
    from assistant.views.corpus import chunk_vectors

    snap = view_services.index.get()
    plastics, hydrogen = (
        next(c.chunk_id for c in snap.chunks if c.doc_id == "charta-3-0" and word in c.text)
        for word in ("Kunststoffverarbeiter", "Wasserstoff")
    )
    offer = next(c.chunk_id for c in snap.chunks if c.doc_id == "angebote")
    view = {
        "groups": [
            {"key": "current", "passages": [{"chunk_id": plastics}, {"chunk_id": hydrogen}]},
            {"key": "offers", "passages": [{"chunk_id": offer}]},
        ]
    }
    monkeypatch.setattr(sectors, "sector_view", lambda snap, code: view)
    asked = chunk_vectors(snap, [hydrogen])[0]  # a question about exactly that passage
    assert sectors._best_passages(snap, "22", asked) == [hydrogen, plastics, offer]
    assert sectors._best_passages(snap, "22", None) == [plastics, hydrogen, offer]  # the view's own order
