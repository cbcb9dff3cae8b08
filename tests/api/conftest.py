"""One small generated corpus, ingested once, served by a real uvicorn server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.api.app import create_app
from assistant.services import Services, build_services
from ingest.pipeline import run_ingest

from helpers.corpus import settings_for, write_corpus
from helpers.live import serve

ALLOWED_ORIGIN = "http://allowed.example:8123"


@pytest.fixture(scope="session")
def api_services(tmp_path_factory: pytest.TempPathFactory, e5) -> Services:  # type: ignore[no-untyped-def]
    tmp: Path = tmp_path_factory.mktemp("api")
    write_corpus(tmp / "corpus")
    settings = settings_for(tmp, api={"allowed_origins": [ALLOWED_ORIGIN], "rate_limit_per_minute": 0})
    run_ingest(settings, tmp / "corpus", embedder=e5)
    return build_services(settings, embedder=e5)


@pytest.fixture(scope="session")
def base_url(api_services: Services) -> Iterator[str]:
    with serve(create_app(api_services)) as url:
        yield url
