"""View tests: two small corpora ingested once per session, served by a real uvicorn server."""

from __future__ import annotations

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
