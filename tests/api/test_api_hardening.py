"""Malformed and oversized requests get German errors with a request id; nothing English leaks out."""

from __future__ import annotations

import httpx
import pytest

from assistant import strings

JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        (b'{"question": "\xff\xfe G\xc3"}', 400, strings.INVALID_BODY),  # invalid UTF-8
        (b"[" * 20000 + b"]" * 20000, 400, strings.INVALID_BODY),  # nested deeper than the parser goes
        (b'{"question": ', 422, "Ungültige Anfrage – 13: Ungültiges JSON."),  # cut off
        (b"[1, 2]", 422, "Ungültige Anfrage – Ungültiger Wert."),  # not an object
        (b'{"question": ["a"]}', 422, "Ungültige Anfrage – question: Ungültiger Wert."),
    ],
)
def test_malformed_bodies_get_german_errors(base_url: str, body: bytes, status: int, detail: str) -> None:
    response = httpx.post(f"{base_url}/api/chat", content=body, headers=JSON, timeout=30)
    assert (response.status_code, response.json()["detail"]) == (status, detail)
    assert response.json()["request_id"] == response.headers["x-request-id"]


def test_oversized_chat_body_is_refused_before_parsing(base_url: str) -> None:
    body = b'{"question": "Gie\xc3\x9fereien?", "pad": "' + b"a" * (128 * 1024) + b'"}'
    response = httpx.post(f"{base_url}/api/chat", content=body, headers=JSON, timeout=30)
    assert response.status_code == 413
    assert response.json()["detail"] == "Die Anfrage ist zu groß (höchstens 128 KB)."


def test_the_largest_valid_chat_request_fits_the_body_limit(base_url: str) -> None:
    history = [{"role": ("user", "assistant")[i % 2], "content": "ä" * 4000} for i in range(10)]
    body = {"question": "Gießereien " + "ü" * 1980, "history": history}
    response = httpx.post(f"{base_url}/api/chat", json=body, timeout=60)
    assert response.status_code == 200


def test_chunked_body_without_length_is_counted(base_url: str) -> None:
    """A client that declares no length at all (chunked, raw socket): the edge counts what arrives."""
    import socket

    host, port = base_url.removeprefix("http://").split(":")
    payload = b'{"question": "' + b"a" * 200_000 + b'"}'
    head = f"POST /api/chat HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(head.encode() + f"{len(payload):x}\r\n".encode() + payload + b"\r\n0\r\n\r\n")
        reply = sock.recv(4096).decode("utf-8", "replace")
    assert reply.startswith("HTTP/1.1 413") and "Die Anfrage ist zu gro" in reply


@pytest.mark.parametrize(
    ("method", "path", "status", "detail"),
    [
        ("PUT", "/api/chat", 405, strings.METHOD_NOT_ALLOWED),
        ("GET", "/api/gibt-es-nicht", 404, strings.NOT_FOUND),
        ("GET", "/api/search", 422, "Ungültige Anfrage – query.q: Pflichtfeld fehlt."),
    ],
)
def test_routing_errors_are_german(base_url: str, method: str, path: str, status: int, detail: str) -> None:
    response = httpx.request(method, base_url + path)
    assert (response.status_code, response.json()["detail"]) == (status, detail)


def test_health_answers_without_touching_the_answer_pool(base_url: str) -> None:
    health = httpx.get(f"{base_url}/api/health").json()
    assert health["status"] == "ok" and health["index"]["chunks"] > 0
