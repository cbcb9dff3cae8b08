"""Fixtures of the web security tests: one hostile corpus ingested once, the full app served, Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from webstack import (
    QUESTIONS_PER_MINUTE,
    HostileCorpus,
    Served,
    XssStack,
    site_server,
    web_services,
    web_settings,
    write_hostile_corpus,
)
from xss_payloads import PAYLOADS

from ingest.pipeline import run_ingest

from fakes.openai_server import FakeOpenAI, Script
from helpers.live import serve
from helpers.servers import free_port


@pytest.fixture(scope="session")
def hostile_corpus(tmp_path_factory: pytest.TempPathFactory, e5: Any) -> HostileCorpus:
    tmp = tmp_path_factory.mktemp("web-security")
    write_hostile_corpus(tmp / "corpus")
    found = HostileCorpus(tmp / "corpus", tmp / "store", tmp)
    run_ingest(web_settings(found), found.corpus, embedder=e5)
    return found


@pytest.fixture(scope="session")
def limited_app(hostile_corpus: HostileCorpus, e5: Any) -> Iterator[Served]:
    """The full app with a small question allowance (3 per minute per client)."""
    from ui.server import build_asgi

    app = build_asgi(web_services(hostile_corpus, e5, api={"rate_limit_per_minute": QUESTIONS_PER_MINUTE}))
    with serve(app) as url:
        yield Served(app, url)


@pytest.fixture(scope="session")
def xss_stack(hostile_corpus: HostileCorpus, e5: Any) -> Iterator[XssStack]:
    from ui.server import build_asgi

    reply = " ".join(PAYLOADS) + " [1]"
    port = free_port()
    site = f"http://127.0.0.1:{port}"
    with FakeOpenAI(Script(reply=reply, piece_chars=400)) as llm:
        llm_group = {"base_url": llm.base_url, "model": llm.model, "max_tokens": 8000}
        services = web_services(hostile_corpus, e5, llm=llm_group, api={"allowed_origins": [site]})
        with serve(build_asgi(services)) as api:
            server = site_server(port, api)
            try:
                yield XssStack(api, site)
            finally:
                server.shutdown()


@pytest.fixture(scope="session")
def chromium(browser: Any) -> Any:
    """The run's one Chromium (tests/conftest.py)."""
    return browser
