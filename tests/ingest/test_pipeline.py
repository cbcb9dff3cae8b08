"""The ingest pipeline end to end: real loaders, the bundled e5 model, Chroma in a temp dir."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from assistant.backends.chroma_store import ChromaStore, open_client
from assistant.errors import EmbedderMismatch, IngestLocked
from assistant.index import StoreLayout, read_state
from assistant.types import Filters
from ingest.locking import ingest_lock
from ingest.pipeline import CHANGED, NEW, REMOVED, SKIPPED, UNCHANGED, run_ingest

from helpers.corpus import DOCS, settings_for, write_corpus


def _chroma_count(settings, state) -> int:  # type: ignore[no-untyped-def]
    client = open_client("embedded", StoreLayout(settings.store.path).chroma_dir)
    return ChromaStore(client, state.collection, embedder=state.embedder, dim=state.dim).count()


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "corpus")


def test_first_ingest_writes_a_complete_generation(tmp_path, corpus, e5):
    settings = settings_for(tmp_path)
    report = run_ingest(settings, corpus, embedder=e5)
    state = read_state(StoreLayout(settings.store.path))
    assert state is not None and state.generation == 1 and report.changed
    assert {o.status for o in report.outcomes} == {NEW}
    assert set(state.documents) == set(DOCS)
    assert report.chunk_count == state.chunk_count == _chroma_count(settings, state) > 0
    assert report.embedded_chunks == report.chunk_count and report.embedded_tokens > 0
    assert state.embedder == e5.name and state.dim == 384


def test_unchanged_corpus_is_not_read_again(tmp_path, corpus, e5):
    settings = settings_for(tmp_path)
    run_ingest(settings, corpus, embedder=e5)
    again = run_ingest(settings, corpus, embedder=e5)
    assert not again.changed and again.generation == 1 and again.embedded_chunks == 0
    assert {o.status for o in again.outcomes} == {UNCHANGED}


def test_changed_document_reembeds_only_its_changed_chunks(tmp_path, corpus, e5):
    settings = settings_for(tmp_path)
    first = run_ingest(settings, corpus, embedder=e5)
    path = corpus / "documents/charta-3-0.md"
    path.write_text(path.read_text(encoding="utf-8").replace("40 Prozent", "45 Prozent"), encoding="utf-8")
    second = run_ingest(settings, corpus, embedder=e5)
    changed = next(o for o in second.outcomes if o.doc_id == "charta-3-0")
    assert changed.status == CHANGED and changed.added == 1 and changed.deleted == 1
    assert second.embedded_chunks == 1 and second.generation == 2
    state = read_state(StoreLayout(settings.store.path))
    assert state is not None and _chroma_count(settings, state) == first.chunk_count


def test_removed_file_loses_its_chunks(tmp_path, corpus, e5):
    settings = settings_for(tmp_path)
    run_ingest(settings, corpus, embedder=e5)
    (corpus / "documents/forum-erzgebirge-2024.md").unlink()
    report = run_ingest(settings, corpus, embedder=e5)
    removed = next(o for o in report.outcomes if o.doc_id == "forum-erzgebirge-2024")
    assert removed.status == REMOVED and removed.deleted >= 1
    state = read_state(StoreLayout(settings.store.path))
    assert state is not None and "forum-erzgebirge-2024" not in state.documents
    client = open_client("embedded", StoreLayout(settings.store.path).chroma_dir)
    store = ChromaStore(client, state.collection, embedder=state.embedder, dim=state.dim)
    hits = store.search(e5.embed_query("Pendlerbus Annaberg"), 10, Filters(audiences=("public", "internal")))
    assert all(not cid.startswith("forum-erzgebirge") for cid, _ in hits)


def test_manifest_problems_are_messages_not_crashes(tmp_path, corpus, e5):
    manifest = corpus / "manifest.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8")
        + "- doc_id: fehlt\n  file: documents/gibt-es-nicht.pdf\n  title: Fehlt\n",
        encoding="utf-8",
    )
    (corpus / "documents/Zukunftsforum-Chemnitz-2024.md").write_text(
        "# Forum\n\nChemnitz plant ein Batterie-Labor.\n"
    )
    report = run_ingest(settings_for(tmp_path), corpus, embedder=e5)
    assert any("gibt-es-nicht.pdf" in w and "missing" in w for w in report.warnings)
    assert any("Zukunftsforum-Chemnitz-2024.md" in w and "inferred" in w for w in report.warnings)
    state = read_state(StoreLayout(tmp_path / "store"))
    assert state is not None
    inferred = state.documents["zukunftsforum-chemnitz-2024"]
    assert (inferred.doc_type, inferred.district, inferred.audience) == (
        "forum_report",
        "Stadt Chemnitz",
        "public",
    )


def test_bad_files_get_a_status_and_the_run_goes_on(tmp_path, corpus, e5):
    (corpus / "documents/leer.pdf").write_bytes(b"")
    (corpus / "documents/tabelle.xlsx").write_bytes(b"PK\x03\x04 not really")
    report = run_ingest(settings_for(tmp_path), corpus, embedder=e5)
    statuses = {o.path: (o.status, o.reason) for o in report.outcomes}
    assert statuses["documents/leer.pdf"] == (SKIPPED, "leere Datei")
    assert statuses["documents/tabelle.xlsx"] == (SKIPPED, "nicht unterstütztes Format (.xlsx)")
    assert sum(1 for o in report.outcomes if o.status == NEW) == len(DOCS)


def test_other_embedder_is_refused_until_rebuild(tmp_path, corpus, e5, minilm):
    settings = settings_for(tmp_path)
    run_ingest(settings, corpus, embedder=e5)
    with pytest.raises(EmbedderMismatch, match="itas ingest --rebuild"):
        run_ingest(settings, corpus, embedder=minilm)
    rebuilt = run_ingest(settings, corpus, embedder=minilm, rebuild=True)
    state = read_state(StoreLayout(settings.store.path))
    assert state is not None and state.embedder == minilm.name and state.dim == 384 == minilm.dim
    assert rebuilt.generation == 2


class FailingEmbedder:
    """A real embedder that breaks down after its first batch, like a process running out of memory."""

    def __init__(self, inner) -> None:  # type: ignore[no-untyped-def]
        self.inner, self.name, self.dim, self.calls = inner, inner.name, inner.dim, 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.calls += 1
        if self.calls > 1:
            raise RuntimeError("embedding backend died")
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


def _many_paragraphs(n: int) -> str:
    return "# Neu\n\n" + "\n\n".join(
        f"Absatz {i}: Die Unternehmen im Landkreis planen Maßnahme Nummer {i} zur Qualifizierung von "
        f"Beschäftigten im Bereich {i % 7} mit einem eigenen Budget und Partnern aus der Region."
        for i in range(n)
    )


def test_failed_ingest_keeps_the_previous_index_serving(tmp_path, corpus, e5):
    settings = settings_for(tmp_path)
    first = run_ingest(settings, corpus, embedder=e5)
    (corpus / "documents/neu.md").write_text(_many_paragraphs(250), encoding="utf-8")
    with pytest.raises(RuntimeError, match="backend died"):
        run_ingest(settings, corpus, embedder=FailingEmbedder(e5))
    state = read_state(StoreLayout(settings.store.path))
    assert state is not None and state.generation == 1 and _chroma_count(settings, state) == first.chunk_count


def test_killed_ingest_keeps_the_previous_index_serving(tmp_path, corpus, e5):
    settings = settings_for(tmp_path)
    first = run_ingest(settings, corpus, embedder=e5)
    cached = _cache_rows(StoreLayout(settings.store.path))  # chunk and sentence vectors of the first run
    (corpus / "documents/neu.md").write_text(_many_paragraphs(250), encoding="utf-8")
    env = {**os.environ, "ITAS_STORE__PATH": str(settings.store.path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "ingest", str(corpus)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    layout = StoreLayout(settings.store.path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not _cache_grew(layout, cached):
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    state = read_state(layout)
    assert state is not None and state.generation == 1 and _chroma_count(settings, state) == first.chunk_count
    again = run_ingest(settings, corpus, embedder=e5)  # picks up where it was killed: cached vectors reused
    assert again.generation == 2 and again.embedded_chunks < again.chunk_count - first.chunk_count


def _cache_grew(layout: StoreLayout, rows: int) -> bool:
    import sqlite3

    if not layout.vector_cache.exists():
        return False
    try:
        with sqlite3.connect(layout.vector_cache) as db:
            return int(db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]) > rows
    except sqlite3.Error:
        return False


def test_second_ingest_at_the_same_time_is_refused(tmp_path, corpus, e5):
    settings = settings_for(tmp_path)
    with (
        ingest_lock(StoreLayout(settings.store.path).lock_file),
        pytest.raises(IngestLocked, match="another ingest"),
    ):
        run_ingest(settings, corpus, embedder=e5)


def test_vectors_are_normalised_and_cached_by_content(tmp_path, corpus, e5):
    settings = settings_for(tmp_path)
    run_ingest(settings, corpus, embedder=e5)
    from ingest.vector_cache import VectorCache

    cache = VectorCache(StoreLayout(settings.store.path).vector_cache)
    rows = cache._db.execute("SELECT vector FROM vectors").fetchall()
    cache.close()
    norms = [float(np.linalg.norm(np.frombuffer(r[0], dtype=np.float32))) for r in rows]
    assert norms and all(abs(n - 1.0) < 1e-3 for n in norms)


def test_a_newer_pipeline_reads_every_file_again_but_reuses_vectors(tmp_path, corpus, e5):
    settings = settings_for(tmp_path)
    run_ingest(settings, corpus, embedder=e5)
    layout = StoreLayout(settings.store.path)
    state = read_state(layout)
    assert state is not None
    state.pipeline = 0  # as if an older version of the ingest code had built it
    from assistant.index import write_state

    write_state(layout, state)
    again = run_ingest(settings, corpus, embedder=e5)
    assert again.changed and not any(o.reused for o in again.outcomes) and again.embedded_chunks == 0


def _cache_rows(layout: StoreLayout) -> int:
    import sqlite3

    with sqlite3.connect(layout.vector_cache) as db:
        return int(db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0])


def test_every_sentence_of_every_chunk_has_a_stored_vector(tmp_path, corpus, e5):
    from assistant.index import load_chunks
    from assistant.sentence_index import SENTENCES_FILE, SentenceVectors, chunk_sentences

    settings = settings_for(tmp_path)
    report = run_ingest(settings, corpus, embedder=e5)
    layout = StoreLayout(settings.store.path)
    state = read_state(layout)
    assert state is not None
    chunks = load_chunks(layout.chunks_file(state.generation), state.documents)
    vectors = SentenceVectors.load(layout.generation_dir(state.generation) / SENTENCES_FILE, len(chunks))
    assert vectors is not None and report.embedded_sentences > 0
    for position, chunk in enumerate(chunks):
        sentences = chunk_sentences(chunk)
        assert len(vectors.rows(position)) == len(sentences)
    # the stored vector of a sentence is the embedding of that sentence
    probe = chunk_sentences(chunks[0])[0]
    expected = e5.embed_array([probe])[0]
    assert float(vectors.rows(0)[0].astype("float32") @ expected) > 0.99
    again = run_ingest(settings, corpus, embedder=e5)  # nothing new: no sentence is embedded again
    assert again.embedded_sentences == 0
