"""The one table that says what every public route may cost: rate-limit bucket, body limit, or blocked.

Every route of the served app (API, widget, docs, and the Gradio mount) is listed here by the path
template it is declared with. `tests/security/test_route_walk.py` walks `app.routes` (mounts included)
and fails on any route missing from this table, so a route added later gets a decision, not a default.
At run time a path that matches no rule is treated as a question (the strictest bucket), never waved
through.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from starlette.routing import BaseRoute, Mount, compile_path


class Cost(StrEnum):
    """How a route is limited."""

    QUESTION = "question"  # costs CPU (retrieval, answers, any Gradio event): the questions bucket
    REQUEST = "request"  # cheap (files, metadata, health): the generous requests bucket
    BLOCKED = "blocked"  # never served on the public app (uploads, Gradio dev and history features)


@dataclass(frozen=True)
class Rule:
    """The policy of one route template."""

    template: str
    cost: Cost
    large_body: bool = False  # Gradio calls carry the whole chat history: ui.max_body_kb instead of api's
    declared: bool = True  # False: a path no route declares (the mount's redirect from /ui to /ui/)

    @property
    def regex(self) -> re.Pattern[str]:
        return _compiled(self.template)


_CACHE: dict[str, re.Pattern[str]] = {}


def _compiled(template: str) -> re.Pattern[str]:
    if template not in _CACHE:
        _CACHE[template] = compile_path(template)[0]
    return _CACHE[template]


Q, R, X = Cost.QUESTION, Cost.REQUEST, Cost.BLOCKED
_G = "/ui/gradio_api"

API_RULES: tuple[Rule, ...] = (
    Rule("/api/chat", Q),
    Rule("/api/chat/stream", Q),
    Rule("/api/search", Q),
    Rule("/api/documents", R),
    Rule("/api/documents/{doc_id}/file", R),
    Rule("/api/health", R),
    # Views (assistant/api/views_routes.py): whatever embeds or builds a view costs a question.
    Rule("/api/compare", Q),
    Rule("/api/sectors/match", Q),
    Rule("/api/districts/{district_id}", Q),
    Rule("/api/sectors/{code}", Q),
    Rule("/api/series", R),
    Rule("/api/districts", R),
    Rule("/api/sectors", R),
    Rule("/", R),
    Rule("/openapi.json", R),
    Rule("/docs", R),
    Rule("/docs-static/{path:path}", R),
    Rule("/widget.js", R),
    Rule("/widget.css", R),
    Rule("/widget-demo", R),
)

# Gradio 6: the page, its assets and the queue are served; every event (queue/join, call, run, api,
# component_server) is a question. Uploads, files, media streams, run history, monitoring, MCP and
# the vibe-coding editor are blocked: the public UI has no file input and no operator features.
# Blocked entries may name routes Gradio only adds with an option on (run history): kept on purpose.
GRADIO_RULES: tuple[Rule, ...] = (
    Rule("/ui", R, declared=False),
    Rule("/ui/", R),
    Rule("/ui/config", R),
    Rule("/ui/config/", R),
    Rule("/ui/static/{path:path}", R),
    Rule("/ui/assets/{path:path}", R),
    Rule("/ui/svelte/{path:path}", R),
    Rule("/ui/favicon.ico", R),
    Rule("/ui/theme.css", R),
    Rule("/ui/robots.txt", R),
    Rule("/ui/pwa_icon/{size}", R),
    Rule("/ui/pwa_icon", R),
    Rule("/ui/manifest.json", R),
    Rule("/ui/openapi.json", R),
    Rule(f"{_G}/deep_link", R),
    Rule(f"{_G}/user/", R),
    Rule(f"{_G}/user", R),
    Rule(f"{_G}/login_check/", R),
    Rule(f"{_G}/login_check", R),
    Rule(f"{_G}/token/", R),
    Rule(f"{_G}/token", R),
    Rule(f"{_G}/app_id/", R),
    Rule(f"{_G}/app_id", R),
    Rule(f"{_G}/info", R),
    Rule(f"{_G}/info/", R),
    Rule(f"{_G}/openapi.json", R),
    Rule(f"{_G}/theme.css", R),
    Rule(f"{_G}/startup-events", R),
    Rule(f"{_G}/heartbeat/{{session_hash}}", R),
    Rule(f"{_G}/queue/data", R),
    Rule(f"{_G}/queue/status", R),
    Rule(f"{_G}/call/{{api_name}}/{{event_id}}", R),
    Rule(f"{_G}/call/v2/{{api_name}}/{{event_id}}", R),
    Rule(f"{_G}/cancel", R, large_body=True),
    Rule(f"{_G}/reset", R, large_body=True),
    Rule(f"{_G}/reset/", R, large_body=True),
    Rule(f"{_G}/queue/join", Q, large_body=True),
    Rule(f"{_G}/api/{{api_name}}/", Q, large_body=True),
    Rule(f"{_G}/api/{{api_name}}", Q, large_body=True),
    Rule(f"{_G}/run/{{api_name}}/", Q, large_body=True),
    Rule(f"{_G}/run/{{api_name}}", Q, large_body=True),
    Rule(f"{_G}/call/v2/{{api_name}}/", Q, large_body=True),
    Rule(f"{_G}/call/v2/{{api_name}}", Q, large_body=True),
    Rule(f"{_G}/call/{{api_name}}/", Q, large_body=True),
    Rule(f"{_G}/call/{{api_name}}", Q, large_body=True),
    Rule(f"{_G}/component_server/", Q, large_body=True),
    Rule(f"{_G}/component_server", Q, large_body=True),
    Rule("/ui/login/", X),
    Rule("/ui/login", X),
    Rule("/ui/logout", X),
    Rule("/ui/monitoring", X),
    Rule("/ui/monitoring/summary", X),
    Rule("/ui/monitoring/{key}", X),
    Rule(f"{_G}/upload", X),
    Rule(f"{_G}/upload_progress", X),
    Rule(f"{_G}/process_recording", X),
    Rule(f"{_G}/file={{path_or_url:path}}", X),
    Rule(f"{_G}/file/{{path:path}}", X),
    Rule(f"{_G}/proxy={{url_path:path}}", X),
    Rule(f"{_G}/stream/{{event_id}}", X),
    Rule(f"{_G}/stream/{{event_id}}/close", X),
    Rule(f"{_G}/stream/{{session_hash}}/{{run}}/{{component_id}}/playlist.m3u8", X),
    Rule(f"{_G}/stream/{{session_hash}}/{{run}}/{{component_id}}/{{segment_id}}.{{ext}}", X),
    Rule(f"{_G}/stream/{{session_hash}}/{{run}}/{{component_id}}/playlist-file", X),
    Rule(f"{_G}/custom_component/{{id}}/{{environment}}/{{type}}/{{file_name}}", X),
    Rule(f"{_G}/dev/reload", X),
    Rule(f"{_G}/runs/", X),
    Rule(f"{_G}/runs", X),
    Rule(f"{_G}/run-history/connect", X),
    Rule(f"{_G}/run-history/buckets", X),
    Rule(f"{_G}/run-history/records", X),
    Rule(f"{_G}/run-history/records/{{endpoint}}/{{record_id}}/assets/{{asset_id}}", X),
    Rule(f"{_G}/vibe-edit", X),
    Rule(f"{_G}/vibe-edit/", X),
    Rule(f"{_G}/undo-vibe-edit", X),
    Rule(f"{_G}/undo-vibe-edit/", X),
    Rule(f"{_G}/vibe-code", X),
    Rule(f"{_G}/vibe-code/", X),
    Rule(f"{_G}/vibe-starter-queries", X),
    Rule(f"{_G}/vibe-starter-queries/", X),
)

RULES: tuple[Rule, ...] = API_RULES + GRADIO_RULES
BY_TEMPLATE: dict[str, Rule] = {rule.template: rule for rule in RULES}
UNKNOWN = Rule("*", Cost.QUESTION)
# Templates overlap (`call/{api_name}/{event_id}` also matches `call/v2/x`): the stricter rule wins.
_STRICT_FIRST: tuple[Rule, ...] = tuple(sorted(RULES, key=lambda r: [X, Q, R].index(r.cost)))


def classify(path: str, rules: Sequence[Rule] = _STRICT_FIRST) -> Rule:
    """The rule for a request path; an unlisted path costs a question (strictest, never free)."""
    for rule in rules:
        if rule.regex.match(path):
            return rule
    return UNKNOWN


def route_templates(routes: Sequence[BaseRoute], prefix: str = "") -> Iterator[tuple[str, frozenset[str]]]:
    """Every (path template, methods) the app serves, mounted apps included (`/ui/gradio_api/queue/join`)."""
    from fastapi.routing import iter_route_contexts

    for context in iter_route_contexts(routes):
        route: Any = context.original_route
        if isinstance(route, Mount):
            inner = route.app
            while not hasattr(inner, "routes") and hasattr(inner, "app"):
                inner = inner.app  # middleware around a mounted app
            if hasattr(inner, "routes"):
                yield from route_templates(inner.routes, prefix + route.path)
            else:  # a plain ASGI app such as StaticFiles
                yield f"{prefix}{route.path}/{{path:path}}", frozenset({"GET", "HEAD"})
        elif context.path is not None:
            yield prefix + context.path, frozenset(context.methods or {"GET"})
