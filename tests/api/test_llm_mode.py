"""LLM mode through the API, against a real fake OpenAI-compatible endpoint: markers, refusals, fallbacks."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace

import httpx
import pytest

from assistant import strings
from assistant.answering import AnswerService
from assistant.api.app import create_app
from assistant.factory import build_chat_model
from assistant.services import Services

from fakes.openai_server import FakeOpenAI, Script
from helpers.live import serve

QUESTION = "Was sagt die Charta zu Gießereien?"


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


@pytest.fixture(scope="module")
def llm_url(api_services: Services, fake: FakeOpenAI) -> Iterator[str]:
    settings = api_services.settings.model_copy(deep=True)
    settings.llm.base_url, settings.llm.model, settings.llm.timeout_s = fake.base_url, "fake-model", 2.0
    chat = build_chat_model(settings.llm)
    answerer = AnswerService(api_services.retriever, chat, settings.retrieval)
    services = replace(api_services, settings=settings, chat=chat, answerer=answerer)
    with serve(create_app(services)) as url:
        yield url


def ask(url: str, question: str = QUESTION) -> dict:  # type: ignore[type-arg]
    return httpx.post(f"{url}/api/chat", json={"question": question}, timeout=30).json()


def test_valid_markers_are_kept_and_invalid_ones_removed(llm_url, fake):
    fake.script = Script(
        reply="Gießereien bekommen ein Förderprogramm für Schmelzöfen [1]. Dazu gibt es mehr [9]."
    )
    body = ask(llm_url)
    assert body["mode"] == "llm" and body["refused"] is False
    assert "[9]" not in body["answer"] and "[1]" in body["answer"]
    assert [c["n"] for c in body["citations"]] == [1]
    sent = fake.requests[-1]
    assert sent["model"] == "fake-model" and "TEXTSTELLEN" in json.dumps(sent["messages"], ensure_ascii=False)


def test_answer_without_valid_citation_falls_back_to_extractive(llm_url, fake):
    fake.script = Script(reply="Das weiß ich einfach so, ganz ohne Quelle [42].")
    body = ask(llm_url)
    assert body["mode"] == "extractive" and body["note"] == strings.LLM_FALLBACK_NOTE
    assert body["citations"] and "[1]" in body["answer"]


def test_model_refusal_becomes_the_fixed_refusal(llm_url, fake):
    fake.script = Script(reply=strings.REFUSAL)
    body = ask(llm_url)
    assert body["refused"] is True and body["answer"].startswith(strings.REFUSAL)


@pytest.mark.parametrize("script", [Script(delay_s=5.0), Script(status=500), Script(malformed=True)])
def test_endpoint_failures_fall_back_to_extractive_with_a_note(llm_url, fake, script):
    fake.script = script
    body = ask(llm_url)
    assert body["mode"] == "extractive" and body["note"] == strings.LLM_FALLBACK_NOTE and body["citations"]


def test_stream_drops_sentences_with_invalid_markers_on_the_fly(llm_url, fake):
    fake.script = Script(
        reply="Förderprogramm für Schmelzöfen [1]. Noch etwas Erfundenes [12].", piece_chars=3
    )
    response = httpx.post(f"{llm_url}/api/chat/stream", json={"question": QUESTION}, timeout=30)
    events = [block for block in response.text.split("\n\n") if block.strip()]
    deltas = "".join(
        json.loads(b.split("data: ", 1)[1])["text"] for b in events if b.startswith("event: delta")
    )
    done = json.loads(events[-1].split("data: ", 1)[1])
    assert "[12]" not in deltas and "Erfundenes" not in deltas and "[1]" in deltas
    assert done["mode"] == "llm" and [c["n"] for c in done["citations"]] == [1]


def test_out_of_scope_question_is_refused_without_asking_the_model(llm_url, fake):
    before = len(fake.requests)
    body = ask(llm_url, "Wie hoch ist die Gewerbesteuer in Plauen?")
    assert body["refused"] is True and len(fake.requests) == before
