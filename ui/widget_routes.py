"""Serve the website widget: /widget.js (with its German texts and CSS filled in), /widget.css, /widget-demo."""

from __future__ import annotations

import html
import json
from functools import cache
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response

from assistant.services import Services
from ui import strings

WIDGET_DIR = Path(__file__).parent / "widget"
_CACHE = {"Cache-Control": "public, max-age=300"}


@cache
def widget_css() -> str:
    """The widget's stylesheet."""
    return (WIDGET_DIR / "widget.css").read_text(encoding="utf-8")


@cache
def widget_js(max_turns: int) -> str:
    """The widget script with the German texts, the stylesheet and the history limit filled in."""
    source = (WIDGET_DIR / "widget.js").read_text(encoding="utf-8")
    # json.dumps output is a valid JS literal; "</" is escaped in case the file is ever inlined in HTML.
    texts = json.dumps(strings.WIDGET, ensure_ascii=False).replace("</", "<\\/")
    css = json.dumps(widget_css(), ensure_ascii=False).replace("</", "<\\/")
    source = source.replace("/*ITAS_STRINGS*/ {} /*END*/", texts, 1)
    source = source.replace('/*ITAS_CSS*/ "" /*END*/', css, 1)  # inlined: one request, no unstyled flash
    return source.replace("/*ITAS_MAX_TURNS*/ 10 /*END*/", str(int(max_turns)), 1)


def embed_snippet(base_url: str) -> str:
    """The one tag a website adds to embed the widget."""
    src = f"{base_url.rstrip('/')}/widget.js"
    return (
        f'<script src="{html.escape(src)}"\n'
        '        data-title="ITAS-Assistent"\n'
        '        data-color="#005ca9"\n'
        '        data-position="right"\n'
        "        defer></script>"
    )


def demo_page(base_url: str) -> str:
    """A small stand-in website that embeds the widget with the snippet, and shows the snippet."""
    snippet = embed_snippet(base_url)
    return f"""<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(strings.DEMO_TITLE)}</title>
<style>
body {{ font-family: Georgia, serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #222; }}
pre {{ background: #f3f3f3; padding: 1rem; overflow-x: auto; }}
</style>
</head>
<body>
<h1>{html.escape(strings.DEMO_TITLE)}</h1>
<p>{html.escape(strings.DEMO_INTRO)}</p>
<pre id="snippet">{html.escape(snippet)}</pre>
{snippet}
</body>
</html>
"""


def install_widget_routes(app: FastAPI, services: Services) -> None:
    """Add the widget's routes to the app."""
    public_base = services.settings.api.public_base_url
    max_turns = services.settings.api.max_history_turns

    @app.get("/widget.js", include_in_schema=False)
    def widget_script() -> Response:
        return Response(widget_js(max_turns), media_type="text/javascript; charset=utf-8", headers=_CACHE)

    @app.get("/widget.css", include_in_schema=False)
    def widget_stylesheet() -> Response:
        return Response(widget_css(), media_type="text/css; charset=utf-8", headers=_CACHE)

    @app.get("/widget-demo", include_in_schema=False, response_class=HTMLResponse)
    def widget_demo(request: Request) -> HTMLResponse:
        base = public_base or str(request.base_url)
        return HTMLResponse(demo_page(base))
