"""Query planning: filters from the question, follow-ups with and without an LLM."""

from __future__ import annotations

from assistant.backends.openai_chat import OpenAICompatibleChat
from assistant.planning import plan_query, topic_of
from assistant.settings import LLMSettings
from assistant.types import Filters

from fakes.openai_server import FakeOpenAI, Script

HISTORY = [("user", "Was kam beim Zukunftsforum im Erzgebirge zu Fachkräften heraus?"), ("assistant", "…")]


def test_filters_named_in_the_question_become_relaxable_filters() -> None:
    plan = plan_query("Was kam beim Zukunftsforum im Vogtland zu Fachkräften heraus?", [], Filters())
    assert plan.filters.districts == ("Vogtlandkreis",) and plan.filters.doc_types == ("forum_report",)
    assert set(plan.auto_fields) == {"districts", "doc_types"} and "Vogtland" not in plan.focus


def test_explicit_filters_win_over_detected_ones() -> None:
    plan = plan_query("Was sagt die Charta 2.0 zu Logistik?", [], Filters(versions=("3.0",)))
    assert plan.filters.versions == ("3.0",) and "versions" not in plan.auto_fields


def test_charter_questions_prefer_charter_documents_and_districts_stay_soft() -> None:
    plan = plan_query("Ich hab ne Gießerei im Erzgebirge, was sagt die Charta dazu?", [], Filters())
    assert plan.filters.doc_types == ("charta", "verstetigungskonzept")
    assert plan.filters.districts == ("Erzgebirgskreis", None)
    assert "Gießerei" in plan.focus and "Charta" not in plan.focus and "hab" not in plan.focus


def test_follow_up_without_llm_keeps_topic_and_takes_the_new_district() -> None:
    plan = plan_query("Und im Vogtland?", HISTORY, Filters())
    assert plan.filters.districts == ("Vogtlandkreis",) and plan.filters.doc_types == ("forum_report",)
    assert "Fachkräften" in plan.query and "Fachkräften" in plan.focus


def test_follow_up_with_llm_is_condensed_by_the_model() -> None:
    condensed = "Was kam beim Zukunftsforum im Vogtland zu Fachkräften heraus?"
    with FakeOpenAI(Script(reply=condensed)) as fake:
        chat = OpenAICompatibleChat(LLMSettings(base_url=fake.base_url, model="fake-model", timeout_s=5))
        plan = plan_query("Und im Vogtland?", HISTORY, Filters(), chat=chat)
        sent = fake.requests[-1]["messages"][-1]["content"]
    assert plan.query == condensed and plan.filters.districts == ("Vogtlandkreis",)
    assert "Erzgebirge" in sent and "Und im Vogtland?" in sent


def test_follow_up_falls_back_to_carry_over_when_the_llm_fails() -> None:
    with FakeOpenAI(Script(status=500)) as fake:
        chat = OpenAICompatibleChat(LLMSettings(base_url=fake.base_url, model="fake-model", timeout_s=5))
        plan = plan_query("Und im Vogtland?", HISTORY, Filters(), chat=chat)
    assert "Fachkräften" in plan.query and plan.filters.districts == ("Vogtlandkreis",)


def test_topic_drops_source_and_filler_words() -> None:
    assert topic_of("Was steht in der ITAS-Charta zu Logistik?") == "Was in der zu Logistik?"
    assert topic_of("Ich hab ne Gießerei, was sagt das Forum dazu?") == "Ich Gießerei, was das ?"


def test_an_unknown_charter_version_is_still_a_version_filter() -> None:
    assert plan_query("Was steht in der ITAS-Charta 4.0?", [], Filters()).filters.versions == ("4.0",)
    assert plan_query("Was sagt die Charta 3 zu Logistik?", [], Filters()).filters.versions == ("3.0",)
