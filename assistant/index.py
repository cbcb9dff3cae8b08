"""The on-disk index layout shared by ingest (writer) and retrieval (reader).

A store directory holds complete index *generations*. Ingest builds a new generation next to the
current one and then atomically replaces `state.json`; readers only ever follow `state.json`, so a
failed or killed ingest leaves the previous complete index serving.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from assistant.types import Chunk, DocumentMeta

STATE_VERSION = 1


@dataclass(frozen=True)
class StoreLayout:
    """Paths inside one store directory."""

    root: Path

    @property
    def state_file(self) -> Path:
        return self.root / "state.json"

    @property
    def chroma_dir(self) -> Path:
        return self.root / "chroma"

    @property
    def vector_cache(self) -> Path:
        return self.root / "vectors.sqlite"

    @property
    def lock_file(self) -> Path:
        return self.root / "ingest.lock"

    def generation_dir(self, generation: int) -> Path:
        return self.root / "generations" / f"{generation:06d}"

    def chunks_file(self, generation: int) -> Path:
        return self.generation_dir(generation) / "chunks.jsonl"

    def bm25_dir(self, generation: int) -> Path:
        return self.generation_dir(generation) / "bm25"


@dataclass
class FileRecord:
    """What the last ingest knew about one corpus file."""

    doc_id: str
    sha256: str
    status: str  # "ok" or a German skip reason
    chunks: int = 0
    pages: int = 0


@dataclass
class IndexState:
    """The current complete generation and what it was built from."""

    generation: int
    collection: str
    embedder: str
    dim: int
    corpus_root: str
    last_ingest: str
    files: dict[str, FileRecord] = field(default_factory=dict)  # key: path relative to corpus root
    documents: dict[str, DocumentMeta] = field(default_factory=dict)  # key: doc_id
    chunk_count: int = 0
    version: int = STATE_VERSION
    pipeline: int = 0  # ingest.pipeline.PIPELINE_VERSION that built it; older → files are read again

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> IndexState:
        raw: dict[str, Any] = json.loads(text)
        raw["files"] = {k: FileRecord(**v) for k, v in raw.get("files", {}).items()}
        raw["documents"] = {k: DocumentMeta(**v) for k, v in raw.get("documents", {}).items()}
        return cls(**raw)


def read_state(layout: StoreLayout) -> IndexState | None:
    """Read the current state, or None when no complete index exists yet."""
    try:
        return IndexState.from_json(layout.state_file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def write_state(layout: StoreLayout, state: IndexState) -> None:
    """Replace state.json atomically (write, fsync, rename)."""
    tmp = layout.state_file.with_suffix(".json.tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        fh.write(state.to_json())
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, layout.state_file)


def chunk_to_record(chunk: Chunk) -> dict[str, Any]:
    """Serialise a chunk for chunks.jsonl (document metadata is stored once, in the state)."""
    return {
        "id": chunk.chunk_id,
        "doc": chunk.doc_id,
        "text": chunk.text,
        "section": list(chunk.section),
        "p0": chunk.page_start,
        "p1": chunk.page_end,
        "pi": chunk.page_index,
        "o": chunk.ordinal,
    }


def chunk_from_record(record: dict[str, Any], documents: dict[str, DocumentMeta]) -> Chunk:
    """Rebuild a chunk from its chunks.jsonl record."""
    return Chunk(
        chunk_id=record["id"],
        doc_id=record["doc"],
        text=record["text"],
        section=tuple(record["section"]),
        page_start=record["p0"],
        page_end=record["p1"],
        page_index=record["pi"],
        ordinal=record["o"],
        meta=documents[record["doc"]],
    )


def save_chunks(path: Path, chunks: list[Chunk]) -> None:
    """Write all chunks of a generation."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for chunk in chunks:
            fh.write(json.dumps(chunk_to_record(chunk), ensure_ascii=False) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def load_chunks(path: Path, documents: dict[str, DocumentMeta]) -> list[Chunk]:
    """Read all chunks of a generation, in index order."""
    with path.open(encoding="utf-8") as fh:
        return [chunk_from_record(json.loads(line), documents) for line in fh if line.strip()]
