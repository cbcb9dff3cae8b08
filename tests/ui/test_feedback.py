"""FeedbackStore in a real SQLite file, and the Gradio feedback callback that feeds it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from assistant.feedback import FeedbackEntry, FeedbackStore
from ui import strings
from ui.app import new_session, record_feedback

ANSWER = {
    "answer": "Laut ITAS-Charta 3.0: Gießereien werden unterstützt. [1]",
    "mode": "extractive",
    "filters": {"versions": ["3.0"], "audiences": ["public"]},
    "citations": [{"n": 1, "doc_id": "charta-3-0", "page": "4"}],
}


def session_with_answer() -> dict[str, object]:
    return {"turns": [], "last": {"question": "Was sagt die Charta zu Gießereien?", "answer": ANSWER}}


def test_store_adds_counts_and_reads_back(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "sub" / "feedback.sqlite")
    assert store.count() == 0
    store.add(FeedbackEntry("Frage?", "Antwort [1]", "up", [{"n": 1}], {"mode": "llm"}, "  gut  "))
    store.add(FeedbackEntry("Frage 2?", "Antwort", "down"))
    assert (store.count(), store.count("up"), store.count("down")) == (2, 1, 1)
    first = store.rows()[0]
    assert first["citations"] == [{"n": 1}] and first["settings"] == {"mode": "llm"}
    assert first["comment"] == "gut" and first["timestamp"].endswith("+00:00")
    # A second store over the same file sees the same rows (the file is the state).
    assert FeedbackStore(tmp_path / "sub" / "feedback.sqlite").count() == 2


def test_store_rejects_unknown_rating(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "f.sqlite")
    with pytest.raises(ValueError, match="rating must be 'up' or 'down'"):
        store.add(FeedbackEntry("F", "A", "meh"))  # type: ignore[arg-type]


def test_callback_stores_rating_comment_and_filters(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "f.sqlite")
    status = record_feedback(store, "down", "Quelle fehlt", session_with_answer())
    assert status == strings.FEEDBACK_THANKS
    row = store.rows()[0]
    assert (row["question"], row["answer"], row["rating"], row["comment"]) == (
        "Was sagt die Charta zu Gießereien?",
        ANSWER["answer"],
        "down",
        "Quelle fehlt",
    )
    assert row["citations"] == ANSWER["citations"]
    assert row["settings"]["filters"] == {"versions": ["3.0"], "audiences": ["public"]}


def test_callback_without_answer_stores_nothing(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "f.sqlite")
    assert record_feedback(store, "up", "", new_session()) == strings.FEEDBACK_NOTHING
    assert store.count() == 0


def test_no_client_address_is_stored(tmp_path: Path) -> None:
    path = tmp_path / "f.sqlite"
    record_feedback(FeedbackStore(path), "up", "", session_with_answer())
    with sqlite3.connect(path) as conn:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(feedback)")]
        values = conn.execute("SELECT * FROM feedback").fetchone()
    assert columns == ["id", "timestamp", "question", "answer", "citations", "settings", "rating", "comment"]
    assert not any("127.0.0.1" in str(v) or c == "ip" for c, v in zip(columns, values, strict=True))


def test_feedback_file_is_private(tmp_path):
    import stat

    from assistant.feedback import FeedbackStore

    store = FeedbackStore(tmp_path / "fb" / "feedback.sqlite")
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
