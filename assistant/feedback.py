"""Store 👍/👎 feedback on answers in SQLite: what was asked and answered, never who asked."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from assistant.filemodes import FILE_MODE

Rating = Literal["up", "down"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    timestamp TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL,
    settings TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT NOT NULL DEFAULT ''
)
"""
MAX_COMMENT_CHARS = 2000


@dataclass(frozen=True)
class FeedbackEntry:
    """One rating of one answer; deliberately without any client address or identifier."""

    question: str
    answer: str
    rating: Rating
    citations: list[dict[str, Any]] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)  # filters and answer mode at the time
    comment: str = ""


class FeedbackStore:
    """Append-only feedback table in one SQLite file (created on first use)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.touch(mode=FILE_MODE, exist_ok=True)
        os.chmod(self.path, FILE_MODE)  # visitors' comments: readable by the service user only
        with self._connect() as conn:
            conn.execute(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=10)
        try:
            with conn:
                yield conn
        finally:
            conn.close()

    def add(self, entry: FeedbackEntry) -> int:
        """Store one rating and return its row id.

        Raises:
            ValueError: if the rating is neither "up" nor "down".
        """
        if entry.rating not in ("up", "down"):
            raise ValueError(f"rating must be 'up' or 'down', not {entry.rating!r}")
        row = (
            datetime.now(UTC).isoformat(timespec="seconds"),
            entry.question,
            entry.answer,
            json.dumps(entry.citations, ensure_ascii=False),
            json.dumps(entry.settings, ensure_ascii=False, default=str),
            entry.rating,
            entry.comment.strip()[:MAX_COMMENT_CHARS],
        )
        with self._lock, self._connect() as conn:
            cursor = conn.execute(
                "INSERT INTO feedback (timestamp, question, answer, citations, settings, rating, comment) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            return int(cursor.lastrowid or 0)

    def count(self, rating: Rating | None = None) -> int:
        """Number of stored ratings, optionally of one kind."""
        with self._connect() as conn:
            if rating is None:
                return int(conn.execute("SELECT COUNT(*) FROM feedback").fetchone()[0])
            query = "SELECT COUNT(*) FROM feedback WHERE rating = ?"
            return int(conn.execute(query, (rating,)).fetchone()[0])

    def rows(self) -> list[dict[str, Any]]:
        """All stored ratings, oldest first (for export and review)."""
        with self._connect() as conn:
            conn.row_factory = sqlite3.Row
            rows = conn.execute("SELECT * FROM feedback ORDER BY id").fetchall()
        out = []
        for row in rows:
            item = dict(row)
            item["citations"] = json.loads(item["citations"])
            item["settings"] = json.loads(item["settings"])
            out.append(item)
        return out
