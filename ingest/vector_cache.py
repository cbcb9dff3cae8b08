"""Vectors cached by (embedder, chunk content hash), so unchanged text is never embedded twice."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np


class VectorCache:
    """A small SQLite table of float32 vectors."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path))
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS vectors (embedder TEXT, hash TEXT, vector BLOB, "
            "PRIMARY KEY (embedder, hash))"
        )

    def get_many(self, embedder: str, hashes: list[str]) -> dict[str, np.ndarray]:
        """Return the cached vectors among `hashes`."""
        found: dict[str, np.ndarray] = {}
        unique = list(dict.fromkeys(hashes))
        for start in range(0, len(unique), 500):
            part = unique[start : start + 500]
            marks = ",".join("?" * len(part))
            rows = self._db.execute(
                f"SELECT hash, vector FROM vectors WHERE embedder = ? AND hash IN ({marks})",
                [embedder, *part],
            )
            for digest, blob in rows:
                found[digest] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, embedder: str, items: dict[str, np.ndarray]) -> None:
        """Store vectors."""
        self._db.executemany(
            "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
            [(embedder, digest, np.asarray(v, dtype=np.float32).tobytes()) for digest, v in items.items()],
        )
        self._db.commit()

    def close(self) -> None:
        """Close the database."""
        self._db.close()
