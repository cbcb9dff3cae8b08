"""The HTTP API through a real uvicorn server, on a corpus ingested with the real pipeline."""

from __future__ import annotations

import json
from dataclasses import replace

import httpx
import pytest
from api.conftest import ALLOWED_ORIGIN

from assistant import strings
from assistant.api.app import create_app

from helpers.live import serve


def chat(base_url: str, question: str, **body) -> httpx.Response:  # type: ignore[no-untyped-def]
    return httpx.post(f"{base_url}/api/chat", json={"question": question, **body}, timeout=60)


def test_health_and_documents_list_public_documents_only(base_url):
    health = httpx.get(f"{base_url}/api/health").json()
    assert health["status"] == "ok" and health["mode"] == "extractive" and health["sample_corpus"] is True
    docs = httpx.get(f"{base_url}/api/documents").json()
    assert {d["doc_id"] for d in docs} == {
        "charta-1-0",
        "charta-3-0",
        "forum-vogtland-2024",
        "forum-erzgebirge-2024",
    }
    assert all(d["url"] == f"/api/documents/{d['doc_id']}/file" for d in docs)


def test_answer_cites_the_current_charter_first_and_marks_the_superseded_one(base_url):
    body = chat(base_url, "Was sagt die Charta zu Gießereien?").json()
    assert body["refused"] is False and body["mode"] == "extractive"
    first, *rest = body["citations"]
    assert (first["n"], first["doc_id"], first["page"], first["section"]) == (
        1,
        "charta-3-0",
        "1",
        "2 Gießereien",
    )
    assert first["superseded_by"] is None and first["url"] == "/api/documents/charta-3-0/file#page=1"
    assert "40 Prozent" in first["quote"] and "[1]" in body["answer"]
    old = [c for c in rest if c["doc_id"] == "charta-1-0"]
    assert old and all(c["superseded_by"] == "3.0" for c in old)
    assert "ersetzt durch Charta 3.0" in body["answer"]
    assert set(body["timings_ms"]) >= {"total", "retrieve"}


def test_citation_markers_map_to_citations(base_url):
    body = chat(
        base_url, "Welche Unterstützung gibt es für Automobilzulieferer mit Verbrenner-Komponenten?"
    ).json()
    numbers = {c["n"] for c in body["citations"]}
    import re

    assert {int(n) for n in re.findall(r"\[(\d+)\]", body["answer"])} == numbers
    assert body["citations"][0]["doc_id"] == "charta-3-0" and "12 Monate" in body["answer"]


def test_explicit_filters_restrict_the_sources(base_url):
    body = chat(base_url, "Was steht zu Gießereien?", filters={"versions": ["1.0"]}).json()
    assert body["citations"] and {c["doc_id"] for c in body["citations"]} == {"charta-1-0"}
    assert body["filters"]["versions"] == ["1.0"]


def test_filters_named_in_the_question_are_applied(base_url):
    body = chat(base_url, "Was kam beim Zukunftsforum im Vogtland zu Fachkräften heraus?").json()
    assert {c["doc_id"] for c in body["citations"]} == {"forum-vogtland-2024"}
    assert body["filters"]["districts"] == ["Vogtlandkreis"] and "200 Plätzen" in body["answer"]


def test_follow_up_carries_the_topic_to_another_district(base_url):
    history = [
        {"role": "user", "content": "Was kam beim Zukunftsforum im Vogtland zu Fachkräften heraus?"},
        {"role": "assistant", "content": "…"},
    ]
    body = chat(base_url, "Und im Erzgebirge?", history=history).json()
    assert {c["doc_id"] for c in body["citations"]} == {"forum-erzgebirge-2024"}
    assert "Rückkehrer-Börse" in body["answer"]


def test_internal_documents_never_appear(base_url):
    body = chat(base_url, "Wie hoch ist das Budget für den Geheimworkshop Flamingo?").json()
    assert body["refused"] is True and "4711" not in json.dumps(body)
    hits = httpx.get(f"{base_url}/api/search", params={"q": "Geheimworkshop Flamingo Budget", "k": 20}).json()
    assert all(h["doc_id"] != "notizen-intern" for h in hits)
    assert httpx.get(f"{base_url}/api/documents/notizen-intern/file").status_code == 404


def test_out_of_scope_question_is_refused_with_related_documents(base_url):
    body = chat(base_url, "Wie hoch ist die Gewerbesteuer in Plauen?").json()
    assert body["refused"] is True and body["citations"] == []
    assert body["answer"].startswith(strings.REFUSAL)
    assert strings.RELATED_INTRO in body["answer"] and body["related"]


def _events(response: httpx.Response) -> list[tuple[str, object]]:
    events = []
    for block in response.text.split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if "event" in lines:
            events.append((lines["event"], json.loads(lines["data"])))
    return events


def test_stream_gives_the_same_answer_as_chat(base_url):
    question = "Was sagt die Charta zu Gießereien?"
    plain = chat(base_url, question).json()
    streamed = httpx.post(f"{base_url}/api/chat/stream", json={"question": question}, timeout=60)
    assert streamed.headers["content-type"].startswith("text/event-stream")
    events = _events(streamed)
    kinds = [kind for kind, _ in events]
    assert kinds[-2:] == ["citations", "done"] and set(kinds[:-2]) == {"delta"} and len(kinds) > 3
    text = "".join(data["text"] for kind, data in events if kind == "delta")  # type: ignore[index]
    done = events[-1][1]
    assert text == plain["answer"] == done["answer"]  # type: ignore[index]
    assert events[-2][1] == plain["citations"] == done["citations"]  # type: ignore[index]


def test_source_file_is_served_by_id(base_url):
    response = httpx.get(f"{base_url}/api/documents/charta-3-0/file")
    assert response.status_code == 200 and "Schmelzöfen" in response.text


@pytest.mark.parametrize(
    ("payload", "status", "detail"),
    [
        ({"question": "   "}, 400, strings.EMPTY_QUESTION),
        ({"question": "x" * 2001}, 400, "Die Frage ist zu lang (höchstens 2000 Zeichen)."),
        (
            {"question": "Frage?", "history": [{"role": "user", "content": "a"}] * 11},
            400,
            "Zu viele Gesprächsschritte im Verlauf (höchstens 10).",
        ),
        ({"question": "Frage?", "filters": {"doc_types": ["roman"]}}, 422, "Unbekannter Dokumenttyp „roman“"),
        ({"question": "Frage?", "filters": {"districts": ["Bayern"]}}, 422, "Unbekannter Landkreis „Bayern“"),
        ({"question": "Frage?", "filters": {"versions": ["9.0"]}}, 400, "Unbekannte Charta-Version „9.0“"),
        ({"frage": "Was?"}, 422, "Pflichtfeld fehlt"),
    ],
)
def test_bad_requests_get_german_errors_with_a_request_id(base_url, payload, status, detail):
    response = httpx.post(f"{base_url}/api/chat", json=payload, timeout=30)
    body = response.json()
    assert response.status_code == status and detail in body["detail"]
    assert body["request_id"] == response.headers["x-request-id"] and len(body["request_id"]) == 12
    assert "Traceback" not in response.text and "/tmp" not in response.text


@pytest.mark.parametrize(
    "doc_id", ["gibt-es-nicht", "..%2F..%2Fetc%2Fpasswd", "%2E%2E", "charta-3-0%00", "CHARTA-3-0"]
)
def test_unknown_and_traversing_document_ids_get_404(base_url, doc_id):
    response = httpx.get(f"{base_url}/api/documents/{doc_id}/file")
    assert response.status_code == 404 and response.json()["detail"] in (
        strings.DOCUMENT_NOT_FOUND,
        "Nicht gefunden.",
    )


def test_search_caps_k(base_url):
    hits = httpx.get(f"{base_url}/api/search", params={"q": "Region", "k": 1000}).json()
    assert 0 < len(hits) <= 20 and hits[0]["rank"] == 1


def test_cross_origin_rules(base_url):
    allowed = httpx.post(
        f"{base_url}/api/chat", json={"question": "Gießereien?"}, headers={"Origin": ALLOWED_ORIGIN}
    )
    assert allowed.status_code == 200 and allowed.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    other = httpx.post(
        f"{base_url}/api/chat", json={"question": "Gießereien?"}, headers={"Origin": "http://evil.example"}
    )
    assert other.status_code == 403 and other.json()["detail"] == strings.ORIGIN_FORBIDDEN
    assert "access-control-allow-origin" not in other.headers
    preflight = httpx.options(
        f"{base_url}/api/chat",
        headers={
            "Origin": ALLOWED_ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200 and preflight.headers["access-control-allow-origin"] == ALLOWED_ORIGIN


def test_rate_limit_answers_429_with_retry_after(api_services):
    settings = api_services.settings.model_copy(deep=True)
    settings.api.rate_limit_per_minute = 2
    with serve(create_app(replace(api_services, settings=settings))) as url:
        codes = [chat(url, "Gießereien?").status_code for _ in range(3)]
        limited = chat(url, "Gießereien?")
    assert codes == [200, 200, 429] and limited.status_code == 429
    assert int(limited.headers["retry-after"]) > 0
    assert limited.json()["detail"].startswith("Zu viele Fragen in kurzer Zeit.")


def test_openapi_docs_describe_the_routes(base_url):
    spec = httpx.get(f"{base_url}/openapi.json").json()
    assert "Server-Sent Events" in spec["paths"]["/api/chat/stream"]["post"]["description"]
    assert httpx.get(f"{base_url}/docs").status_code == 200


def test_current_only_hides_superseded_charter_versions(base_url):
    body = chat(base_url, "Was sagt die Charta zu Gießereien?", filters={"current_only": True}).json()
    assert body["citations"] and {c["doc_id"] for c in body["citations"]} == {"charta-3-0"}
    assert body["filters"]["exclude_versions"] == ["1.0"]


def test_typos_and_everyday_words_still_find_the_passage(base_url):
    body = chat(base_url, "Was ist mit Giessereien und Schmelzöfen?").json()
    assert body["refused"] is False and body["citations"][0]["doc_id"] == "charta-3-0"


def test_a_charter_version_that_does_not_exist_is_refused(base_url):
    body = chat(base_url, "Was steht in der Charta 4.0 zu Gießereien?").json()
    assert body["refused"] is True and body["citations"] == []


BAD_QUESTIONS = [
    "x",
    "?",
    "Gießereien " * 180,  # ≈ 2,000 characters
    "🚗🔥🤖",
    "und oder aber der die das",
    "What does the charter say about Gießereien und Wasserstoff?",
    "Was sagt die Charta zu Gie\u200bßereien?",  # zero-width space inside a word
    "Was sagt die Charta zu Gießereien\u202e?",  # bidi override
    "Was sagt die Charta zu Gie\u00dfereien und Wa\u0308rme?",  # decomposed umlaut
    "Was sagt die Сharta zu Gießereien?",  # Cyrillic С
    "\u0000\u0001 Steuerzeichen",
]


@pytest.mark.parametrize("question", BAD_QUESTIONS)
def test_bad_questions_get_a_german_answer_or_message_never_a_500(base_url, question):
    response = chat(base_url, question)
    assert response.status_code in (200, 400, 413, 422)
    body = response.json()
    if response.status_code != 200:
        assert body["detail"] and body["request_id"]
        return
    assert body["answer"]
    assert body["refused"] or body["citations"], "an answer that is not a refusal must cite"
    if body["refused"]:
        assert body["citations"] == []


def test_invisible_characters_do_not_change_the_answer(base_url):
    plain = chat(base_url, "Was sagt die Charta zu Gießereien?").json()
    tricked = chat(base_url, "Was sagt die Charta zu Gie\u200bßere\u00adien?").json()
    assert tricked["refused"] is False and tricked["answer"] == plain["answer"]
