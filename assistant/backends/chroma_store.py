"""Chroma as the vector store: embedded (PersistentClient) or client/server (`chroma run`)."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.errors import BackendUnavailable
from assistant.types import Chunk, Filters

# Chroma accepts at most a few thousand records per call (max_batch_size); stay well below.
_BATCH = 1000


def open_client(mode: str, path: Path, host: str = "127.0.0.1", port: int = 8000) -> Any:
    """Open a Chroma client with telemetry off."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    try:
        if mode == "http":
            return chromadb.HttpClient(host=host, port=port, settings=chroma_settings)
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    except Exception as exc:
        where = f"{host}:{port}" if mode == "http" else str(path)
        raise BackendUnavailable(f"Chroma at {where} is not usable: {exc}") from exc


def date_number(date: str | None) -> int:
    """Turn an ISO date into a sortable int (Chroma compares numbers only)."""
    if not date:
        return 0
    digits = date.replace("-", "")[:8].ljust(8, "0")
    return int(digits) if digits.isdigit() else 0


def chroma_where(filters: Filters) -> dict[str, Any] | None:
    """Translate the project's filters into a Chroma `where` clause."""
    clauses: list[dict[str, Any]] = [{"audience": {"$in": list(filters.audiences)}}]
    for field, values in (
        ("version", filters.versions),
        ("doc_type", filters.doc_types),
        ("district", filters.districts),
    ):
        if values is not None:
            # None stands for "documents without a value", stored as "" (see chunk_metadata)
            clauses.append({field: {"$in": [v or "" for v in values]}})
    if filters.exclude_versions:
        clauses.append({"version": {"$nin": list(filters.exclude_versions)}})
    if filters.date_from:
        clauses.append({"date_num": {"$gte": date_number(filters.date_from)}})
    if filters.date_to:
        clauses.append({"date_num": {"$lte": date_number(filters.date_to)}})
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def _audience_only(filters: Filters) -> bool:
    return all(
        value is None
        for value in (
            filters.versions,
            filters.doc_types,
            filters.districts,
            filters.date_from,
            filters.date_to,
            filters.exclude_versions,
        )
    )


def chunk_metadata(chunk: Chunk) -> dict[str, Any]:
    """Scalar metadata stored with a chunk."""
    meta = chunk.meta.to_metadata()
    meta.pop("path", None)
    meta.update(
        {
            # "" instead of a missing key, so that $nin also matches documents without a value
            "version": chunk.meta.version or "",
            "district": chunk.meta.district or "",
            "section": chunk.section_title,
            "page_start": chunk.page_start,
            "page_end": chunk.page_end,
            "page_index": chunk.page_index,
            "ordinal": chunk.ordinal,
            "date_num": date_number(chunk.meta.date),
        }
    )
    return meta


class ChromaStore:
    """One Chroma collection holding one complete index generation."""

    def __init__(
        self, client: Any, collection: str, *, embedder: str, dim: int, create: bool = False
    ) -> None:
        self.name = collection
        if create:
            self._col = client.create_collection(
                collection,
                metadata={"hnsw:space": "cosine", "embedder": embedder, "dim": dim},
                embedding_function=None,
            )
        else:
            self._col = client.get_collection(collection, embedding_function=None)

    @property
    def embedder(self) -> tuple[str, int]:
        """Name and dimension of the embedder that built this collection."""
        meta = self._col.metadata or {}
        return str(meta.get("embedder", "")), int(meta.get("dim", 0))

    def upsert(self, chunks: Sequence[Chunk], vectors: Sequence[Sequence[float]]) -> None:
        """Insert or replace chunks with their vectors."""
        for start in range(0, len(chunks), _BATCH):
            part = chunks[start : start + _BATCH]
            self._col.upsert(
                ids=[c.chunk_id for c in part],
                embeddings=[list(v) for v in vectors[start : start + _BATCH]],
                documents=[c.text for c in part],
                metadatas=[chunk_metadata(c) for c in part],
            )

    def search(self, vector: Sequence[float], k: int, filters: Filters) -> list[tuple[str, float]]:
        """Return up to k (chunk_id, cosine similarity) pairs, best first."""
        if _audience_only(filters):
            # Chroma's metadata filter turns the HNSW search into a slow scan (≈ 50 ms at 10k chunks);
            # with only the audience to enforce, search unfiltered with headroom and filter here.
            found = self._query(vector, k * 2 + 10, None, include_audience=True)
            allowed = [(cid, score) for cid, score, audience in found if audience in filters.audiences]
            if len(allowed) >= k or len(found) < k * 2 + 10:
                return allowed[:k]
        return [(cid, score) for cid, score, _ in self._query(vector, k, chroma_where(filters))]

    def _query(
        self, vector: Sequence[float], n: int, where: dict[str, Any] | None, *, include_audience: bool = False
    ) -> list[tuple[str, float, str]]:
        include = ["distances", "metadatas"] if include_audience else ["distances"]
        result = self._col.query(query_embeddings=[list(vector)], n_results=n, where=where, include=include)
        ids = result["ids"][0]
        distances = (result.get("distances") or [[]])[0]
        metas = (result.get("metadatas") or [[{}] * len(ids)])[0] if include_audience else [{}] * len(ids)
        return [
            (cid, 1.0 - float(d), str((m or {}).get("audience", "")))
            for cid, d, m in zip(ids, distances, metas, strict=True)
        ]

    def get_vectors(self, ids: Sequence[str]) -> dict[str, list[float]]:
        """The stored vectors of the given chunk ids (absent ids are left out); used by the views."""
        result = self._col.get(ids=list(ids), include=["embeddings"])
        vectors = result.get("embeddings")
        if vectors is None:
            return {}
        return {cid: [float(x) for x in vec] for cid, vec in zip(result["ids"], vectors, strict=True)}

    def delete_doc(self, doc_id: str) -> None:
        """Delete every chunk of a document."""
        self._col.delete(where={"doc_id": doc_id})

    def count(self) -> int:
        """Number of stored chunks."""
        return int(self._col.count())


def drop_collection(client: Any, name: str) -> None:
    """Delete a collection if it exists."""
    with contextlib.suppress(Exception):  # absent already is fine
        client.delete_collection(name)


def collection_names(client: Any) -> list[str]:
    """Names of all collections in the client."""
    return [c if isinstance(c, str) else c.name for c in client.list_collections()]
