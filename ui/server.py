"""Compose the one ASGI app: API + Gradio UI at /ui + widget files, all on one port."""

from __future__ import annotations

import gc

from fastapi import FastAPI
from fastapi.responses import RedirectResponse

from assistant.api.app import create_app
from assistant.errors import AssistantError
from assistant.services import Services


def settle_index(services: Services) -> None:
    """Load the index before serving and take its objects out of the cyclic garbage collector.

    Under load a full collection walked the snapshot's objects (chunks, vocabularies) and held the
    interpreter for ~0.2–0.4 s, stalling every request, /api/health included; `gc.freeze` moves what
    exists now into the permanent generation (reference counting still frees it).
    """
    try:
        services.retriever.snapshot()
    except AssistantError:
        return  # no index yet: it loads on the first request after an ingest
    gc.collect()
    gc.freeze()


def build_asgi(services: Services) -> FastAPI:
    """The API app with the UI and widget mounted onto it."""
    app = create_app(services)
    from ui.widget_routes import install_widget_routes

    install_widget_routes(app, services)
    if services.settings.ui.enabled:
        import gradio as gr

        from ui.app import build_ui, theme
        from ui.render import CSS
        from ui.views_tabs import CSS as VIEWS_CSS

        # No run history: it would keep questions in the visitor's browser storage. No uploads: the
        # public UI has no file input, so Gradio's /upload is blocked by the edge (assistant.api.policy)
        # and, behind it, refuses every byte (max_file_size=0). No monitoring, MCP, PWA or SSR.
        app = gr.mount_gradio_app(
            app,
            build_ui(services),
            path="/ui",
            css=CSS + VIEWS_CSS,
            theme=theme(),
            footer_links=[],
            run_history=False,
            max_file_size=0,
            enable_monitoring=False,
            mcp_server=False,
            pwa=False,
            ssr_mode=False,
        )

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/ui/" if services.settings.ui.enabled else "/docs")

    settle_index(services)
    return app
