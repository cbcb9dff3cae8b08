"""The small protocols behind which every swappable part sits."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol, runtime_checkable

from assistant.types import Chunk, Filters, Hit


@runtime_checkable
class Embedder(Protocol):
    """Turns text into vectors; the same method names as LangChain's `Embeddings`."""

    name: str  # identifies model + prefixes; recorded in the index
    dim: int

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages (with the passage prefix where the model wants one)."""
        ...

    def embed_query(self, text: str) -> list[float]:
        """Embed a search query (with the query prefix where the model wants one)."""
        ...


@runtime_checkable
class VectorStore(Protocol):
    """Stores chunk vectors and answers nearest-neighbour queries with a metadata filter."""

    def upsert(self, chunks: Sequence[Chunk], vectors: Sequence[Sequence[float]]) -> None:
        """Insert or replace chunks with their vectors."""
        ...

    def search(self, vector: Sequence[float], k: int, filters: Filters) -> list[tuple[str, float]]:
        """Return up to k (chunk_id, cosine similarity) pairs, best first."""
        ...

    def delete_doc(self, doc_id: str) -> None:
        """Delete every chunk of a document."""
        ...

    def count(self) -> int:
        """Number of stored chunks."""
        ...


@runtime_checkable
class Retriever(Protocol):
    """Finds the chunks that best match a question."""

    def retrieve(self, query: str, k: int, filters: Filters) -> list[Hit]:
        """Return up to k hits, best first."""
        ...


@runtime_checkable
class ChatModel(Protocol):
    """A chat LLM: a list of (role, text) messages in, text out."""

    def complete(self, messages: list[tuple[str, str]]) -> str:
        """Return the whole reply."""
        ...

    def stream(self, messages: list[tuple[str, str]]) -> Iterator[str]:
        """Yield the reply in pieces."""
        ...
