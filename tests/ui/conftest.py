"""Fixtures of the UI tests: a real server over a tiny ingested corpus, stand-in websites, headless Chromium."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from uistack import (
    UNCITED_LLM_REPLY,
    Stack,
    ThreadedServer,
    Watched,
    host_page,
    page_server,
    write_corpus,
)

from assistant.services import build_services
from assistant.settings import Settings
from ingest.pipeline import run_ingest

from fakes.openai_server import FakeOpenAI, Script
from helpers.servers import free_port

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory, e5: Any) -> Iterator[Stack]:
    """Ingest the corpus, then start three app instances and two stand-in websites."""
    from ui.server import build_asgi

    tmp = tmp_path_factory.mktemp("ui")
    corpus = write_corpus(tmp / "corpus")
    ports = [free_port() for _ in range(5)]
    site = f"http://127.0.0.1:{ports[3]}"

    def app(rate: int, llm: dict[str, str] | None = None) -> Any:
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            store={"path": tmp / "store"},
            ingest={"corpus_path": corpus},
            feedback={"path": tmp / "feedback.sqlite"},
            api={"allowed_origins": [site], "rate_limit_per_minute": rate},
            llm=llm or {},
        )
        return build_asgi(build_services(settings, embedder=e5))

    # The LLM endpoint answers without any citation marker, so `done` replaces the streamed text.
    with FakeOpenAI(Script(reply=UNCITED_LLM_REPLY, piece_chars=8)) as llm:
        main_app = app(0)
        run_ingest(main_app.state.services.settings, corpus, embedder=e5)
        apps = (main_app, app(2), app(0, {"base_url": llm.base_url, "model": llm.model}))
        with (
            ThreadedServer(apps[0], ports[0]) as api,
            ThreadedServer(apps[1], ports[1]) as limited,
            ThreadedServer(apps[2], ports[2]) as with_llm,
        ):
            pages = {"/widget.html": host_page(api.url), "/limited.html": host_page(limited.url)}
            pages["/llm.html"] = host_page(with_llm.url)
            servers = [page_server(ports[3], pages), page_server(ports[4], pages)]
            try:
                foreign = f"http://127.0.0.1:{ports[4]}"
                yield Stack(api.url, limited.url, with_llm.url, site, foreign, tmp / "feedback.sqlite")
            finally:
                for server in servers:
                    server.shutdown()


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    """A fresh desktop page whose dialogs (alert/confirm) and console errors are recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    page = context.new_page()
    dialogs: list[str] = []
    errors: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield Watched(page, dialogs, errors)
    context.close()
