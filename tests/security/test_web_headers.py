"""Headers and privacy defaults of the served app: CSP per page, widget files, sandboxed originals, logs."""

from __future__ import annotations

import logging
import re
import stat

import httpx
import pytest
from webstack import WEB_ORIGIN, HostileCorpus, Served

from assistant.api.accesslog import AccessLogMiddleware
from assistant.api.headers import inline_script_hashes
from assistant.filemodes import DIR_MODE, FILE_MODE


def directives(csp: str) -> dict[str, list[str]]:
    parts = (d.strip().split() for d in csp.split(";") if d.strip())
    return {p[0]: p[1:] for p in parts}


@pytest.mark.parametrize("path", ["/ui/", "/docs", "/widget-demo"])
def test_pages_have_a_strict_csp_with_their_inline_scripts_hashed(limited_app: Served, path: str) -> None:
    response = httpx.get(limited_app.url + path, timeout=30)
    policy = directives(response.headers["content-security-policy"])
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    scripts = policy["script-src"]
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    assert set(inline_script_hashes(response.content)) <= set(scripts)
    assert policy["img-src"] == ["'self'", "data:"] and policy["connect-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'", WEB_ORIGIN]
    sources = [s for name, values in policy.items() if name != "frame-ancestors" for s in values]
    assert not [s for s in sources if re.match(r"https?:", s)]  # no outside host may serve anything


def test_docs_page_loads_nothing_from_a_cdn(limited_app: Served) -> None:
    page = httpx.get(limited_app.url + "/docs").text
    assert "cdn.jsdelivr.net" not in page and "/docs-static/swagger-ui-bundle.js" in page
    bundle = httpx.get(limited_app.url + "/docs-static/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and "javascript" in bundle.headers["content-type"]
    # An unknown path counts as a question (the policy's safe default), so after other tests spent this
    # client's small allowance it is 429 instead of 404; either way no ReDoc page is served.
    redoc = httpx.get(limited_app.url + "/redoc")
    assert redoc.status_code in (404, 429) and "redoc" not in redoc.text.lower()


def test_widget_files_have_their_types_and_caching(limited_app: Served) -> None:
    for path, kind in (
        ("/widget.js", "text/javascript; charset=utf-8"),
        ("/widget.css", "text/css; charset=utf-8"),
    ):
        response = httpx.get(limited_app.url + path)
        assert response.headers["content-type"] == kind
        assert response.headers["cache-control"] == "public, max-age=300"
        assert response.headers["x-content-type-options"] == "nosniff"


def test_an_html_original_is_served_in_a_sandbox(limited_app: Served) -> None:
    response = httpx.get(limited_app.url + "/api/documents/seite/file")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    policy = directives(response.headers["content-security-policy"])
    assert "sandbox" in policy and policy["default-src"] == ["'none'"] and "script-src" not in policy


def test_documents_list_passes_only_http_source_urls(limited_app: Served) -> None:
    docs = {d["doc_id"]: d for d in httpx.get(limited_app.url + "/api/documents").json()}
    assert docs["pruefstand-0"]["source_url"] is None  # the manifest said javascript:alert(…)
    assert all(
        d["source_url"] is None or d["source_url"].startswith(("http://", "https://")) for d in docs.values()
    )


def test_gradio_is_served_without_analytics_and_uploads(limited_app: Served) -> None:
    config = httpx.get(limited_app.url + "/ui/config").json()
    assert config["analytics_enabled"] is False
    upload = httpx.post(limited_app.url + "/ui/gradio_api/upload", files={"files": ("a.txt", b"x" * 10)})
    assert upload.status_code == 403


def test_store_is_private(hostile_corpus: HostileCorpus) -> None:
    store = hostile_corpus.store
    assert stat.S_IMODE(store.stat().st_mode) == DIR_MODE
    state = store / "state.json"
    assert stat.S_IMODE(state.stat().st_mode) == FILE_MODE
    loose = [p for p in store.rglob("*") if not p.is_symlink() and stat.S_IMODE(p.stat().st_mode) & 0o077]
    assert loose == []


def test_access_log_has_no_client_address_and_no_query(caplog: pytest.LogCaptureFixture) -> None:
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/api/search",
        "query_string": b"q=Geheimnis",
        "client": ("203.0.113.9", 5),
    }
    caplog.set_level(logging.INFO, logger="itas.access")
    line = AccessLogMiddleware(lambda *a: None).line(scope, 200, 12.3)
    assert line == '"GET /api/search" 200 12ms'
    full = AccessLogMiddleware(lambda *a: None, client_ip=True, query=True).line(scope, 200, 12.3)
    assert full == '203.0.113.9 "GET /api/search?q=Geheimnis" 200 12ms'


def test_served_requests_are_logged_privately(limited_app: Served, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="itas.access")
    httpx.get(
        limited_app.url + "/api/search",
        params={"q": "Geheimnis Prüfstand"},
        headers={"X-Forwarded-For": "198.51.100.7"},
    )
    lines = [r.getMessage() for r in caplog.records if r.name == "itas.access"]
    assert any(line.startswith('"GET /api/search" 200') for line in lines)
    assert not any("Geheimnis" in line or "198.51.100.7" in line for line in lines)


def test_chroma_client_has_telemetry_off(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from assistant.backends.chroma_store import open_client

    client = open_client("embedded", tmp_path / "chroma")
    assert client.get_settings().anonymized_telemetry is False
