"""Walk every route of the served app (API, widget, docs, Gradio mount) and check its policy over HTTP.

A route somebody adds later without an entry in `assistant.api.policy` fails the first test; every
listed route is then requested for real: security headers on the answer, 403 for blocked routes, 413
for a body over the limit (declared or streamed without Content-Length), 429 for question routes once
the client's allowance is used up.
"""

from __future__ import annotations

import itertools
import json
import re

import httpx
import pytest
from webstack import QUESTIONS_PER_MINUTE, Served

from assistant import strings
from assistant.api.policy import BY_TEMPLATE, Cost, classify, route_templates

_PARAM = re.compile(r"\{[^}]+\}")
_ADDRESSES = (f"10.{a}.{b}.{c}" for a, b, c in itertools.product(range(1, 250), range(256), range(1, 255)))


def concrete(template: str) -> str:
    """A request path for a template: every parameter becomes 'x'."""
    return _PARAM.sub("x", template)


def walk(served: Served) -> list[tuple[str, str, str]]:
    """(template, method, path) for every route, one method each (GET preferred)."""
    methods: dict[str, set[str]] = {}
    for template, declared in route_templates(served.app.routes):
        methods.setdefault(template, set()).update(declared)
    out = []
    for template, found in sorted(methods.items()):
        method = "GET" if "GET" in found else sorted(found - {"HEAD"} or found)[0]
        out.append((template, method, concrete(template)))
    return out


def request(served: Served, method: str, path: str, **kwargs: object) -> httpx.Response:
    """One request from a fresh client address (trusted X-Forwarded-For on loopback); headers only."""
    headers = {"X-Forwarded-For": next(_ADDRESSES), **kwargs.pop("headers", {})}  # type: ignore[dict-item]
    url = served.url + path
    with (
        httpx.Client(timeout=30) as client,
        client.stream(method, url, headers=headers, **kwargs) as response,
    ):  # type: ignore[arg-type]
        if response.status_code != 200 or "event-stream" not in response.headers.get("content-type", ""):
            response.read()  # an event stream (heartbeat) would never end: its headers are enough
        return response


def blocked(response: httpx.Response) -> str:
    """The body the edge sends for a blocked route (with this response's request id)."""
    body = {"detail": strings.ROUTE_BLOCKED, "request_id": response.headers["x-request-id"]}
    return json.dumps(body, ensure_ascii=False)


def test_every_route_has_a_policy(limited_app: Served) -> None:
    templates = {template for template, _ in route_templates(limited_app.app.routes)}
    unknown = sorted(templates - set(BY_TEMPLATE))
    assert not unknown, f"routes without an entry in assistant/api/policy.py: {unknown}"
    expected = {t for t, rule in BY_TEMPLATE.items() if rule.declared and rule.cost is not Cost.BLOCKED}
    stale = sorted(expected - templates)
    assert not stale, f"policy entries for routes the app no longer has: {stale}"
    assert len(templates) > 80  # the Gradio mount was walked, not only the API


def test_every_route_answers_with_the_security_headers(limited_app: Served) -> None:
    for template, method, path in walk(limited_app):
        response = request(limited_app, method, path)
        where = f"{method} {path}"
        assert response.status_code < 500, where
        assert response.headers["x-content-type-options"] == "nosniff", where
        assert response.headers["referrer-policy"] == "no-referrer", where
        assert len(response.headers["x-request-id"]) == 12, where
        csp = response.headers["content-security-policy"]
        assert "frame-ancestors" in csp or "sandbox" in csp, where
        if response.headers.get("content-type", "").startswith("text/html"):
            assert "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";")[0], where
            assert "'unsafe-eval'" not in csp and "img-src 'self' data:" in csp, where
        if BY_TEMPLATE[template].cost is Cost.BLOCKED:
            assert (response.status_code, response.content.decode()) == (403, blocked(response)), where


def test_every_route_refuses_a_body_over_its_limit(limited_app: Served) -> None:
    settings = limited_app.app.state.services.settings
    for template, method, path in walk(limited_app):
        rule = BY_TEMPLATE[template]
        limit_kb = settings.ui.max_body_kb if rule.large_body else settings.api.max_body_kb
        response = request(
            limited_app, "POST" if method == "GET" else method, path, content=b"x" * (limit_kb * 1024 + 1)
        )
        where = f"{method} {path}"
        if rule.cost is Cost.BLOCKED:
            assert response.status_code == 403, where
            continue
        assert response.status_code == 413, where
        assert response.json()["detail"] == strings.BODY_TOO_LARGE.format(limit=limit_kb), where


@pytest.mark.parametrize("path", ["/api/chat", "/api/chat/stream", "/ui/gradio_api/queue/join"])
def test_a_streamed_body_without_length_is_counted(limited_app: Served, path: str) -> None:
    def body():  # chunked transfer: no Content-Length header at all
        for _ in range(80):
            yield b'{"question": "' + b"a" * 8192

    response = request(
        limited_app, "POST", path, content=body(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413 and "content-length" not in response.request.headers
    assert response.json()["detail"].startswith("Die Anfrage ist zu groß")


def test_every_question_route_is_rate_limited(limited_app: Served) -> None:
    question_routes = [(t, m, p) for t, m, p in walk(limited_app) if BY_TEMPLATE[t].cost is Cost.QUESTION]
    assert {"/api/chat", "/api/search", "/ui/gradio_api/queue/join"} <= {t for t, _, _ in question_routes}
    for _, method, path in question_routes:
        client = {"X-Forwarded-For": next(_ADDRESSES)}
        codes = [
            request(limited_app, method, path, headers=client).status_code
            for _ in range(QUESTIONS_PER_MINUTE)
        ]
        limited = request(limited_app, method, path, headers=client)
        assert 429 not in codes and limited.status_code == 429, f"{method} {path}: {codes}"
        assert re.fullmatch(
            r"Zu viele Fragen in kurzer Zeit\. Bitte in \d+ Sekunden erneut versuchen\.",
            limited.json()["detail"],
        )
        assert int(limited.headers["retry-after"]) > 0


def test_api_and_gradio_share_one_allowance_per_client(limited_app: Served) -> None:
    client = {"X-Forwarded-For": next(_ADDRESSES)}
    for _ in range(QUESTIONS_PER_MINUTE):
        assert (
            request(
                limited_app, "POST", "/api/chat", json={"question": "Prüfstand?"}, headers=client
            ).status_code
            == 200
        )
    for method, path in [
        ("GET", "/api/search?q=Pr%C3%BCfstand"),
        ("POST", "/api/chat/stream"),
        ("POST", "/ui/gradio_api/queue/join"),
        ("POST", "/ui/gradio_api/call/respond"),
    ]:
        assert request(limited_app, method, path, json={}, headers=client).status_code == 429, path
    other = {"X-Forwarded-For": next(_ADDRESSES)}  # another visitor is not affected
    assert request(limited_app, "GET", "/api/search?q=Pr%C3%BCfstand", headers=other).status_code == 200


def test_unlisted_paths_count_as_questions() -> None:
    assert classify("/api/something-new").cost is Cost.QUESTION
    assert classify("/ui/gradio_api/upload").cost is Cost.BLOCKED
    assert classify("/api/documents/abc/file").cost is Cost.REQUEST


def test_cheap_routes_have_an_allowance_too() -> None:
    """The requests bucket, on the edge alone around a trivial app (no server needed)."""
    import asyncio

    from starlette.responses import PlainTextResponse

    from assistant.api.edge import EdgeConfig, EdgeMiddleware

    async def ok(scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        await PlainTextResponse("ok")(scope, receive, send)

    config = EdgeConfig(
        frozenset(), "'self'", questions_per_minute=5, requests_per_minute=2, max_body_kb=1, ui_max_body_kb=1
    )
    transport = httpx.ASGITransport(app=EdgeMiddleware(ok, config))

    async def run() -> list[httpx.Response]:
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return [await client.get("/api/health") for _ in range(3)]

    codes = asyncio.run(run())
    assert [r.status_code for r in codes] == [200, 200, 429]
    assert re.fullmatch(
        r"Zu viele Anfragen in kurzer Zeit\. Bitte in \d+ Sekunden erneut versuchen\.",
        codes[2].json()["detail"],
    )
