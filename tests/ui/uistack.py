"""Helpers of the UI tests: the fixture corpus, servers in threads, stand-in websites, screenshots."""

from __future__ import annotations

import textwrap
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import uvicorn
import yaml

from helpers.servers import wait_http

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

XSS_TITLE = "ITAS-Charta 3.0 <img src=x onerror=alert(1)><script>alert(2)</script> ${alert(3)}"
XSS_BODY = "<img src=y onerror=alert(4)>"
UNCITED_LLM_REPLY = "Ungestützte Behauptung ohne jeden Beleg."
DOCS: dict[str, dict[str, Any]] = {
    "charta-3-0": {
        "file": "documents/charta-3-0.md",
        "title": XSS_TITLE,
        "doc_type": "charta",
        "version": "3.0",
        "date": "2025-03-01",
        "audience": "public",
        "text": f"""
            # Präambel

            Die ITAS-Charta ist das gemeinsame Leitbild der Automobilregion Südwestsachsen.

            # Gießereien

            Die Charta sieht vor, dass Gießereien bei der Umstellung auf klimaneutrale Schmelzverfahren
            durch Beratung und Förderprogramme unterstützt werden. Markierung {XSS_BODY} bleibt Text.
            """,
    },
    "forum-vogtland": {
        "file": "documents/forum-vogtland.md",
        "title": "Dokumentation Zukunftsforum Vogtland",
        "doc_type": "forum_report",
        "district": "Vogtlandkreis",
        "date": "2024-06-12",
        "audience": "public",
        "text": """
            # Fachkräfte

            Beim Zukunftsforum im Vogtland kam heraus, dass eine regionale Fachkräfteallianz mit den
            Berufsschulen aufgebaut wird, um Fachkräfte für die Transformation zu gewinnen.
            """,
    },
    "notiz-intern": {
        "file": "documents/notiz-intern.md",
        "title": "Interne Notiz",
        "doc_type": "other",
        "date": "2024-05-03",
        "audience": "internal",
        "text": """
            # Nachbereitung

            Das Geheimbudget für den Workshop Flamingo beträgt 4711 Euro.
            """,
    },
}


def write_corpus(root: Path) -> Path:
    """Write the three documents and their manifest; every document is marked as sample."""
    entries = []
    for doc_id, spec in DOCS.items():
        path = root / spec["file"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(spec["text"]).strip() + "\n", encoding="utf-8")
        entries.append({"doc_id": doc_id, "sample": True, **{k: v for k, v in spec.items() if k != "text"}})
    manifest = yaml.safe_dump({"documents": entries}, allow_unicode=True, sort_keys=False)
    (root / "manifest.yaml").write_text(manifest, encoding="utf-8")
    return root


class ThreadedServer:
    """Run an ASGI app with uvicorn in a daemon thread."""

    def __init__(self, app: Any, port: int) -> None:
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.url = f"http://127.0.0.1:{port}"

    def __enter__(self) -> ThreadedServer:
        self.thread.start()
        wait_http(f"{self.url}/api/health")
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def page_server(port: int, pages: dict[str, str]) -> ThreadingHTTPServer:
    """A stand-in website: serves fixed HTML pages by path."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path.split("?")[0])
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write((body or "not found").encode("utf-8"))

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def host_page(api_url: str) -> str:
    """A website page that embeds the widget exactly as the README tells website staff to."""
    return (
        '<!doctype html><html lang="de"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Gemeinde-Website</title>"
        "<style>body{font:20px/1.6 'Comic Sans MS',cursive;color:#a00;background:#ffe}"
        "button{background:lime!important}</style></head><body>"
        "<h1>Gemeinde-Website</h1><p>Willkommen auf unserer Seite.</p>"
        '<a id="before" href="#">Ein Link der Website</a>'
        f'<script src="{api_url}/widget.js" data-title="ITAS-Assistent" data-color="#005ca9" '
        'data-position="right" defer></script></body></html>'
    )


@dataclass(frozen=True)
class Stack:
    """The running servers of the UI tests (base URLs)."""

    api: str  # the full app (API + Gradio + widget), extractive, no rate limit
    limited_api: str  # the same app with 2 questions per minute
    llm_api: str  # the same app with a (fake) LLM endpoint whose answers cite nothing
    site: str  # a website origin on the allowlist
    foreign_site: str  # a website origin not on the allowlist
    feedback_path: Path  # the SQLite file all three apps store feedback in


@dataclass
class Watched:
    """A page with listeners that record every dialog and console error."""

    page: Any
    dialogs: list[str]
    errors: list[str]


def shot(page: Any, name: str, *, full_page: bool = False) -> Path:
    """Save a screenshot to test-artifacts/ (gitignored) and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
