"""The ASGI middleware every request passes first: id, origin, route policy, rate limit, body limit, headers.

It wraps the whole composed app (API, widget, docs and the Gradio mount), so a route added later gets
the same treatment without touching it. The body limit is Starlette's `RequestBodyLimitMiddleware`: it
refuses a too-large `Content-Length` before the body is read and counts the streamed bytes when the
header is missing or lies. Every 413 leaving the app (Starlette's, FastAPI's, Gradio's) is replaced by
the German JSON error here.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.body_limit import RequestBodyLimitMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant import strings
from assistant.api.headers import BASE_HEADERS, csp_for, inline_script_hashes, page_csp
from assistant.api.policy import Cost, Rule, classify
from assistant.api.ratelimit import RateLimiter

_HTML_CAP = 4 * 1024 * 1024  # pages larger than this are sent without script hashes (none are)
_DOCUMENT_FILE = "/api/documents/{doc_id}/file"


@dataclass(frozen=True)
class EdgeConfig:
    """What the edge needs from the settings."""

    allowed_origins: frozenset[str]
    frame_ancestors: str
    questions_per_minute: int
    requests_per_minute: int
    max_body_kb: int
    ui_max_body_kb: int


def client_key(scope: Scope) -> str:
    """The client identity all limits share: the address uvicorn resolved (trusted proxies only)."""
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


def json_error(
    status: int, detail: str, request_id: str, headers: dict[str, str] | None = None
) -> list[Message]:
    """The ASGI messages of a German JSON error with the request id."""
    body = json.dumps({"detail": detail, "request_id": request_id}, ensure_ascii=False).encode("utf-8")
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode("latin-1")) for k, v in (headers or {}).items()]
    return [
        {"type": "http.response.start", "status": status, "headers": raw},
        {"type": "http.response.body", "body": body},
    ]


class EdgeMiddleware:
    """Apply the route policy and the security headers to every HTTP request."""

    def __init__(self, app: ASGIApp, config: EdgeConfig) -> None:
        self.app = app
        self.config = config
        self.questions = RateLimiter(config.questions_per_minute, "questions")
        self.requests = RateLimiter(config.requests_per_minute, "requests")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = uuid.uuid4().hex[:12]
        scope.setdefault("state", {})["request_id"] = request_id
        rule = classify(scope["path"])
        limit_kb = self.config.ui_max_body_kb if rule.large_body else self.config.max_body_kb
        sender = _Sender(
            send, request_id, self.config.frame_ancestors, limit_kb, rule.template == _DOCUMENT_FILE
        )
        refusal = self._refusal(scope, rule)
        if refusal:
            status, detail, headers = refusal
            for message in json_error(status, detail, request_id, headers):
                await sender(message)
            return
        await RequestBodyLimitMiddleware(self.app, limit_kb * 1024)(scope, receive, sender)

    def _refusal(self, scope: Scope, rule: Rule) -> tuple[int, str, dict[str, str]] | None:
        """(status, German detail, headers) if the request must not pass."""
        if rule.cost is Cost.BLOCKED:
            return 403, strings.ROUTE_BLOCKED, {}
        origin = Headers(scope=scope).get("origin")
        if scope["path"].startswith("/api/") and origin and not self._origin_ok(scope, origin):
            return 403, strings.ORIGIN_FORBIDDEN, {}
        limiter, text = (
            (self.questions, strings.RATE_LIMITED)
            if rule.cost is Cost.QUESTION
            else (self.requests, strings.REQUESTS_LIMITED)
        )
        wait = limiter.check(client_key(scope))
        if wait:
            return 429, text.format(seconds=wait), {"Retry-After": str(wait)}
        return None

    def _origin_ok(self, scope: Scope, origin: str) -> bool:
        if origin in self.config.allowed_origins:
            return True
        host = Headers(scope=scope).get("host", "")
        return origin == f"{scope.get('scheme', 'http')}://{host}"


class _Sender:
    """Wrap `send`: add headers, hash a page's inline scripts into its CSP, turn every 413 German."""

    def __init__(
        self, send: Send, request_id: str, ancestors: str, limit_kb: int, document_file: bool
    ) -> None:
        self.send = send
        self.request_id = request_id
        self.ancestors = ancestors
        self.limit_kb = limit_kb
        self.document_file = document_file
        self.replaced = False
        self.held: Message | None = None
        self.chunks: list[bytes] = []
        self.size = 0

    async def __call__(self, message: Message) -> None:
        if self.replaced:
            return  # the app's own 413 body after ours
        if message["type"] == "http.response.start":
            await self._start(message)
        elif message["type"] == "http.response.body" and self.held is not None:
            await self._page_body(message)
        else:
            await self.send(message)

    async def _start(self, message: Message) -> None:
        if message["status"] == 413:
            self.replaced = True
            detail = strings.BODY_TOO_LARGE.format(limit=self.limit_kb)
            start, body = json_error(413, detail, self.request_id)
            await self._start_plain(start)
            await self.send(body)
            return
        await self._start_plain(message)

    async def _start_plain(self, message: Message) -> None:
        headers = MutableHeaders(scope=message)
        for name, value in BASE_HEADERS.items():
            headers[name] = value
        headers["X-Request-ID"] = self.request_id
        csp = csp_for(headers.get("content-type", ""), document_file=self.document_file)
        if csp is None:
            self.held = message  # an HTML page: its CSP needs the hashes of its inline scripts
            return
        headers["Content-Security-Policy"] = csp
        await self.send(message)

    async def _page_body(self, message: Message) -> None:
        assert self.held is not None
        chunk = message.get("body", b"")
        self.chunks.append(chunk)
        self.size += len(chunk)
        more = bool(message.get("more_body", False))
        if more and self.size <= _HTML_CAP:
            return
        body = b"".join(self.chunks)
        hashes = inline_script_hashes(body) if not more else []
        MutableHeaders(scope=self.held)["Content-Security-Policy"] = page_csp(self.ancestors, hashes)
        held, self.held, self.chunks = self.held, None, []
        await self.send(held)
        await self.send({"type": "http.response.body", "body": body, "more_body": more})
