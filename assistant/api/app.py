"""Create the FastAPI app over the services: middleware, error handlers, routes."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware

from assistant import strings
from assistant.api.errors import error_response, install_error_handlers
from assistant.api.ratelimit import RateLimiter
from assistant.api.routes import router
from assistant.services import Services

DESCRIPTION = """
Fragen zur ITAS-Charta und zu den Berichten der Zukunftsforen – mit Quellenangaben.

Every answer carries numbered citations (document, version, page, section, quoted passage).
Only public documents are searched. Errors come as `{"detail": "<German message>", "request_id": "…"}`.
"""


def _same_origin(request: Request, origin: str) -> bool:
    return origin == f"{request.url.scheme}://{request.headers.get('host', '')}"


def create_app(services: Services) -> FastAPI:
    """Build the API app; the UI and widget are mounted onto it by `ui.server`."""
    app = FastAPI(title="ITAS-Charta-Assistent API", version="0.1.0", description=DESCRIPTION)
    app.state.services = services
    app.state.limiter = RateLimiter(services.settings.api.rate_limit_per_minute)
    allowed = set(services.settings.api.allowed_origins)
    install_error_handlers(app)

    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        """Give every request an id; refuse API calls from origins that are not allowed."""
        request.state.request_id = uuid.uuid4().hex[:12]
        origin = request.headers.get("origin")
        is_api = request.url.path.startswith("/api/")
        if is_api and origin and origin not in allowed and not _same_origin(request, origin):
            return error_response(request, 403, strings.ORIGIN_FORBIDDEN)
        response = await call_next(request)
        response.headers["X-Request-ID"] = request.state.request_id
        return response

    # Exact origins only and no credentials: the widget needs neither cookies nor auth headers.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=sorted(allowed),
        allow_credentials=False,
        allow_methods=["GET", "POST"],
        allow_headers=["Content-Type"],
        expose_headers=["Retry-After", "X-Request-ID"],
        max_age=600,
    )
    app.include_router(router)
    return app
