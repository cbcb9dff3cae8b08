"""View tests: two small corpora ingested once per session, served by a real uvicorn server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from views.corpus import DOCS, SINGLE

from assistant.api.app import create_app
from assistant.services import Services, build_services
from ingest.pipeline import run_ingest

from helpers.corpus import settings_for, write_corpus
from helpers.live import serve

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
]
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")


def _services(tmp: Path, docs: dict[str, dict[str, Any]], e5: Any) -> Services:
    write_corpus(tmp / "corpus", docs)
    settings = settings_for(tmp, api={"rate_limit_per_minute": 0})
    run_ingest(settings, tmp / "corpus", embedder=e5)
    return build_services(settings, embedder=e5)


@pytest.fixture(scope="session")
def view_services(tmp_path_factory: pytest.TempPathFactory, e5: Any) -> Services:
    return _services(tmp_path_factory.mktemp("views"), DOCS, e5)


@pytest.fixture(scope="session")
def single_services(tmp_path_factory: pytest.TempPathFactory, e5: Any) -> Services:
    return _services(tmp_path_factory.mktemp("views-single"), SINGLE, e5)


@pytest.fixture(scope="session")
def views_url(view_services: Services) -> Iterator[str]:
    with serve(create_app(view_services)) as url:
        yield url


@pytest.fixture(scope="session")
def single_url(single_services: Services) -> Iterator[str]:
    with serve(create_app(single_services)) as url:
        yield url


@pytest.fixture(scope="session")
def views_ui_url(view_services: Services) -> Iterator[str]:
    """The whole app (API, Gradio UI, widget) over the view corpus."""
    from ui.server import build_asgi

    with serve(build_asgi(view_services)) as url:
        yield url


@pytest.fixture(scope="session")
def chromium(browser: Any) -> Any:
    """The run's one Chromium (tests/conftest.py): a second Playwright in one process fails."""
    return browser


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    """A fresh desktop page; console errors are collected on `page.errors`."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    tab = context.new_page()
    tab.errors = []
    tab.on("pageerror", lambda exc: tab.errors.append(str(exc)))
    yield tab
    context.close()
