"""Create the FastAPI app over the services: middleware, error handlers, routes."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from assistant.api.accesslog import AccessLogMiddleware
from assistant.api.docs import install_docs
from assistant.api.edge import EdgeConfig, EdgeMiddleware
from assistant.api.errors import install_error_handlers
from assistant.api.headers import frame_ancestors
from assistant.api.routes import router
from assistant.api.views_routes import router as views_router
from assistant.services import Services
from assistant.settings import Settings

DESCRIPTION = """
Fragen zur ITAS-Charta und zu den Berichten der Zukunftsforen – mit Quellenangaben.

Every answer carries numbered citations (document, version, page, section, quoted passage).
Only public documents are searched. Errors come as `{"detail": "<German message>", "request_id": "…"}`.
Questions (`/api/chat`, `/api/chat/stream`, `/api/search`) share one rate limit per client; request
bodies are limited in size (413).
"""


def edge_config(settings: Settings) -> EdgeConfig:
    """The edge middleware's view of the settings."""
    api = settings.api
    return EdgeConfig(
        allowed_origins=frozenset(api.allowed_origins),
        frame_ancestors=frame_ancestors(api.allowed_origins),
        questions_per_minute=api.rate_limit_per_minute,
        requests_per_minute=api.requests_per_minute,
        max_body_kb=api.max_body_kb,
        ui_max_body_kb=settings.ui.max_body_kb,
    )


def create_app(services: Services) -> FastAPI:
    """Build the API app; the UI and widget are mounted onto it by `ui.server`."""
    app = FastAPI(
        title="ITAS-Charta-Assistent API",
        version="0.1.0",
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
    )
    app.state.services = services
    api = services.settings.api
    install_error_handlers(app)
    # Outermost last: access log → CORS (so refusals still carry CORS headers) → edge → routes.
    app.add_middleware(EdgeMiddleware, config=edge_config(services.settings))
    # Exact origins only and no credentials: the widget needs neither cookies nor auth headers.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=sorted(api.allowed_origins),
        allow_credentials=False,
        allow_methods=["GET", "POST"],
        allow_headers=["Content-Type"],
        expose_headers=["Retry-After", "X-Request-ID"],
        max_age=600,
    )
    if api.access_log:
        app.add_middleware(
            AccessLogMiddleware, client_ip=api.access_log_client_ip, query=api.access_log_query
        )
    install_docs(app)
    app.include_router(router)
    app.include_router(views_router)
    return app
