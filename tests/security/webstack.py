"""Helpers of the web security tests: the hostile corpus, settings, the running stacks, a stand-in website.

The corpus carries XSS payloads in titles (manifest and file names), section headings, text and a
`javascript:` source URL; one HTML original checks the sandbox of `/api/documents/{id}/file`.
(A module of its own, not conftest: several test folders have a conftest, so `import conftest` is
ambiguous in the full suite.)
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml
from xss_payloads import PAYLOADS

from assistant.services import Services, build_services
from assistant.settings import Settings

WEB_ORIGIN = "http://allowed.example:8123"
QUESTIONS_PER_MINUTE = 3
TOPIC = "Der Prüfstand {n} in Zwickau prüft Batteriemodule für Elektroautos"
QUESTION = "Was prüft der Prüfstand in Zwickau?"
# File names cannot hold "/", so the file-name titles use vectors without one.
FILE_NAME_PAYLOADS = [p for p in PAYLOADS if "/" not in p and len(p) < 120][:4]


def _doc_text(n: int, payloads: list[str]) -> str:
    lines = [f"# Abschnitt {n} {payloads[0]}", ""]
    lines += [f"{TOPIC.format(n=n)}, Prüfung {i}: {p}." for i, p in enumerate(payloads[1:], 1)]
    return "\n".join(lines) + "\n"


def write_hostile_corpus(root: Path) -> None:
    """Eight documents, every string a visitor can see carrying payloads; one HTML original."""
    docs = root / "documents"
    docs.mkdir(parents=True)
    entries: list[dict[str, Any]] = []
    for n in range(6):
        chunk = list(PAYLOADS[n * 8 : n * 8 + 8])
        (docs / f"pruefstand-{n}.md").write_text(_doc_text(n, chunk[1:]), encoding="utf-8")
        entry = {"doc_id": f"pruefstand-{n}", "file": f"documents/pruefstand-{n}.md"}
        entry |= {"title": f"Prüfstand {n} {chunk[0]}", "doc_type": "study", "date": f"2025-01-0{n + 1}"}
        entries.append(
            {**entry, "audience": "public", "url": "javascript:alert('X-url')" if n == 0 else None}
        )
    for n, payload in enumerate(FILE_NAME_PAYLOADS, start=6):
        name = f"pruefstand {payload}.md"
        (docs / name).write_text(_doc_text(n, list(PAYLOADS[48 + n * 6 : 54 + n * 6])), encoding="utf-8")
    page = "<html><body><h1>Seite</h1><p>Der Prüfstand in Plauen.</p><script>alert('html')</script></body></html>"
    (docs / "seite.html").write_text(page, encoding="utf-8")
    entries.append({"doc_id": "seite", "file": "documents/seite.html", "title": "Seite", "doc_type": "other"})
    manifest = {"documents": [{k: v for k, v in e.items() if v is not None} for e in entries]}
    (root / "manifest.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")


@dataclass(frozen=True)
class HostileCorpus:
    """The ingested corpus and its store."""

    corpus: Path
    store: Path
    tmp: Path


def web_settings(corpus: HostileCorpus, **groups: dict[str, Any]) -> Settings:
    """Settings over the hostile corpus; `groups` override (e.g. api={...}, llm={...})."""
    base: dict[str, dict[str, Any]] = {
        "store": {"path": corpus.store},
        "ingest": {"corpus_path": corpus.corpus},
        "feedback": {"path": corpus.tmp / "feedback.sqlite"},
        "api": {"allowed_origins": [WEB_ORIGIN], "rate_limit_per_minute": 0, "requests_per_minute": 0},
    }
    for key, value in groups.items():
        base.setdefault(key, {}).update(value)
    return Settings(_env_file=None, **base)  # type: ignore[arg-type]


def web_services(corpus: HostileCorpus, e5: Any, **groups: dict[str, Any]) -> Services:
    return build_services(web_settings(corpus, **groups), embedder=e5)


@dataclass(frozen=True)
class Served:
    """A running full app (API + widget + docs + Gradio) and its base URL."""

    app: Any
    url: str


@dataclass(frozen=True)
class XssStack:
    """The app with an LLM endpoint that answers with every payload, and a website embedding the widget."""

    api: str
    site: str


def site_server(port: int, api: str) -> ThreadingHTTPServer:
    """A stand-in website that embeds the widget with the one documented tag."""
    page = (
        '<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Gemeinde</title></head><body>'
        f'<h1>Gemeinde</h1><script src="{api}/widget.js" data-title="ITAS-Assistent" defer></script>'
        "</body></html>"
    ).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
