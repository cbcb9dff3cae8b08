"""Sentence vectors of one index generation: every sentence of every chunk, embedded at ingest.

The extractive answerer scores the sentences of the retrieved chunks by cosine with the question's
vector, which retrieval has computed anyway, so semantic sentence evidence costs no embedding at
question time. Ingest writes the file (`sentences.npz`) inside the generation folder, before the
generation switch, so readers see the vectors of exactly the chunks they serve.

Layout: row `offsets[i] + j` holds sentence j (in `split_sentences` order) of chunk i (chunk order of
chunks.jsonl). Vectors are stored as float16: half the size, and cosine ranking is unaffected at the
third decimal.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.sentences import split_sentences
from assistant.types import Chunk

SENTENCES_FILE = "sentences.npz"
FORMAT_VERSION = 1


def chunk_sentences(chunk: Chunk) -> list[str]:
    """The sentences of a chunk, exactly as ingest embedded them and the answerer scores them."""
    return split_sentences(chunk.text)


@dataclass(frozen=True)
class SentenceVectors:
    """Sentence vectors of one generation, addressed by chunk position and sentence position."""

    offsets: np.ndarray  # int64, len(chunks) + 1
    vectors: np.ndarray  # float16, (n_sentences, dim), rows L2-normalised

    def rows(self, chunk_position: int) -> np.ndarray:
        """The vectors of one chunk's sentences, in sentence order."""
        return self.vectors[self.offsets[chunk_position] : self.offsets[chunk_position + 1]]

    def cosines(self, chunk_position: int, query: np.ndarray) -> np.ndarray:
        """Cosine of each sentence of a chunk with a (normalised) query vector."""
        return self.rows(chunk_position).astype(np.float32) @ query

    @classmethod
    def build(cls, per_chunk: list[np.ndarray], dim: int) -> SentenceVectors:
        """Stack per-chunk sentence matrices (chunk order) into one store."""
        counts = np.array([len(m) for m in per_chunk], dtype=np.int64)
        offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        filled = [m for m in per_chunk if len(m)]
        vectors = np.concatenate(filled).astype(np.float16) if filled else np.zeros((0, dim), np.float16)
        return cls(offsets, vectors)

    def save(self, path: Path) -> None:
        """Write to `path` (inside a generation folder that is not yet live)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npz")
        with tmp.open("wb") as fh:
            np.savez(fh, offsets=self.offsets, vectors=self.vectors, format=np.array([FORMAT_VERSION]))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path, n_chunks: int) -> SentenceVectors | None:
        """Read the file; None when it is missing, of another format or not aligned with the chunks."""
        if not path.is_file():
            return None
        with np.load(path) as data:
            if int(data["format"][0]) != FORMAT_VERSION or len(data["offsets"]) != n_chunks + 1:
                return None
            return cls(data["offsets"].astype(np.int64), data["vectors"])
