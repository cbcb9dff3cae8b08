"""The corpus boundary: nothing outside the corpus root is read, every refusal is reported in German."""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from assistant.index import StoreLayout, load_chunks, read_state
from assistant.types import DocumentMeta
from ingest.corpus_walk import (
    FOLDER_NOT_READABLE,
    HARDLINK_OUTSIDE,
    LINK_BROKEN,
    LINK_OUTSIDE,
    NOT_READABLE,
    walk_corpus,
)
from ingest.loaders import SkipFile, load_file
from ingest.pipeline import NEW, SKIPPED, run_ingest

from helpers.corpus import DOCS, settings_for, write_corpus


@pytest.fixture()
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    (folder / "geheim").mkdir(parents=True)
    (folder / "passwd.txt").write_text("root:x:0:0:root:/root:/usr/sbin/nologin\n", encoding="utf-8")
    (folder / "geheim" / "notiz.md").write_text("# Geheim\n\nNicht öffentlich.\n", encoding="utf-8")
    return folder


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    docs = tmp_path / "corpus" / "documents"
    (docs / "berichte").mkdir(parents=True)
    (docs / "charta.md").write_text("# Charta\n\nText.\n", encoding="utf-8")
    (docs / "berichte" / "forum.md").write_text("# Forum\n\nText.\n", encoding="utf-8")
    return tmp_path / "corpus"


def test_links_out_of_the_corpus_are_refused_files_and_folders(corpus: Path, outside: Path) -> None:
    docs = corpus / "documents"
    (docs / "passwd.txt").symlink_to(outside / "passwd.txt")
    (docs / "etc").symlink_to("/etc")
    (docs / "geheim").symlink_to(outside / "geheim")
    (docs / "relativ.txt").symlink_to(Path("..") / ".." / "outside" / "passwd.txt")
    (docs / "kette.txt").symlink_to(docs / "passwd.txt")  # inside → a link that leads out
    walk = walk_corpus(corpus)
    assert walk.files == ["documents/berichte/forum.md", "documents/charta.md"]
    assert walk.refused == {
        "documents/passwd.txt": LINK_OUTSIDE,
        "documents/etc": LINK_OUTSIDE,
        "documents/geheim": LINK_OUTSIDE,
        "documents/relativ.txt": LINK_OUTSIDE,
        "documents/kette.txt": LINK_OUTSIDE,
    }


def test_links_inside_the_corpus_are_followed_once(corpus: Path) -> None:
    docs = corpus / "documents"
    (docs / "kopie.md").symlink_to(docs / "charta.md")
    (docs / "alias").symlink_to(docs / "berichte")
    (docs / "berichte" / "schleife").symlink_to(docs)  # a loop back up
    walk = walk_corpus(corpus)
    assert walk.refused == {}
    assert "documents/kopie.md" in walk.files and "documents/charta.md" in walk.files
    assert sum(rel.endswith("forum.md") for rel in walk.files) == 1  # the folder is walked once


def test_a_documents_folder_linked_from_outside_is_not_walked(tmp_path: Path, outside: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "documents").symlink_to(outside)
    walk = walk_corpus(corpus)
    assert walk.files == [] and walk.refused == {"documents": LINK_OUTSIDE}


def test_broken_and_looping_links(corpus: Path) -> None:
    docs = corpus / "documents"
    (docs / "weg.md").symlink_to(docs / "gibt-es-nicht.md")
    (docs / "a.md").symlink_to(docs / "b.md")
    (docs / "b.md").symlink_to(docs / "a.md")
    refused = walk_corpus(corpus).refused
    assert refused == {
        "documents/weg.md": LINK_BROKEN,
        "documents/a.md": LINK_BROKEN,
        "documents/b.md": LINK_BROKEN,
    }


def test_hard_link_to_a_file_outside_is_refused(corpus: Path, outside: Path) -> None:
    docs = corpus / "documents"
    os.link(outside / "passwd.txt", docs / "passwd.txt")
    os.link(docs / "charta.md", docs / "charta-zweitname.md")  # both names inside: fine
    walk = walk_corpus(corpus)
    assert walk.refused == {"documents/passwd.txt": HARDLINK_OUTSIDE}
    assert "documents/charta-zweitname.md" in walk.files and "documents/charta.md" in walk.files


def test_fifo_socket_and_device_files_are_never_opened(corpus: Path) -> None:
    docs = corpus / "documents"
    os.mkfifo(docs / "rohr.txt")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(docs / "dose.md"))
    (docs / "null.txt").symlink_to("/dev/null")  # a device outside the corpus
    try:
        refused = walk_corpus(corpus).refused
    finally:
        server.close()
    assert refused == {
        "documents/rohr.txt": "keine reguläre Datei (FIFO) – nicht gelesen",
        "documents/dose.md": "keine reguläre Datei (Socket) – nicht gelesen",
        "documents/null.txt": LINK_OUTSIDE,
    }


def test_unreadable_file_and_folder() -> None:
    # Root reads everything, so as root the walk runs with an unprivileged effective user id.
    corpus = Path(tempfile.mkdtemp(prefix="itas-boundary-"))  # pytest's tmp folders are private
    docs = corpus / "documents"
    try:
        (docs / "berichte").mkdir(parents=True)
        (docs / "offen.md").write_text("# Offen\n", encoding="utf-8")
        (docs / "gesperrt.md").write_text("# Gesperrt\n", encoding="utf-8")
        modes = {
            corpus: 0o755,
            docs: 0o755,
            docs / "offen.md": 0o644,
            docs / "gesperrt.md": 0,
            docs / "berichte": 0,
        }
        for path, mode in modes.items():
            path.chmod(mode)
        with _unprivileged():
            walk = walk_corpus(corpus)
    finally:
        (docs / "berichte").chmod(0o755)
        shutil.rmtree(corpus)
    assert walk.files == ["documents/offen.md"]
    assert walk.refused == {"documents/berichte": FOLDER_NOT_READABLE, "documents/gesperrt.md": NOT_READABLE}


@contextmanager
def _unprivileged() -> Iterator[None]:
    if os.geteuid() != 0:
        yield
        return
    os.seteuid(65534)  # nobody; the real uid stays 0, so the switch back is allowed
    try:
        yield
    finally:
        os.seteuid(0)


def test_ingest_reports_refusals_and_indexes_nothing_from_outside(tmp_path: Path, outside: Path, e5) -> None:  # type: ignore[no-untyped-def]
    docs = {k: v for k, v in DOCS.items() if k == "charta-1-0"}
    corpus = write_corpus(tmp_path / "corpus", docs)
    (corpus / "documents" / "passwd.txt").symlink_to(outside / "passwd.txt")
    (corpus / "documents" / "geheim").symlink_to(outside / "geheim")
    os.mkfifo(corpus / "documents" / "rohr.md")
    settings = settings_for(tmp_path)
    report = run_ingest(settings, corpus, embedder=e5)
    reasons = {o.path: (o.status, o.reason) for o in report.outcomes}
    assert reasons == {
        "documents/charta-1-0.md": (NEW, ""),
        "documents/passwd.txt": (SKIPPED, LINK_OUTSIDE),
        "documents/geheim": (SKIPPED, LINK_OUTSIDE),
        "documents/rohr.md": (SKIPPED, "keine reguläre Datei (FIFO) – nicht gelesen"),
    }
    state = read_state(StoreLayout(settings.store.path))
    assert state is not None and set(state.documents) == {"charta-1-0"}
    texts = [
        c.text
        for c in load_chunks(StoreLayout(settings.store.path).chunks_file(state.generation), state.documents)
    ]
    assert texts and not any("nologin" in t or "Geheim" in t for t in texts)
    again = run_ingest(settings, corpus, embedder=e5)  # refusals alone do not make a new generation
    assert not again.changed and again.generation == state.generation


def test_a_file_swapped_for_a_link_after_the_walk_is_not_read(corpus: Path, outside: Path) -> None:
    docs = corpus / "documents"
    assert "documents/charta.md" in walk_corpus(corpus).files
    (docs / "charta.md").unlink()
    (docs / "charta.md").symlink_to(outside / "passwd.txt")  # between the walk and the read
    meta = DocumentMeta(doc_id="charta", title="Charta")
    limits = {"max_bytes": 1 << 20, "pdf_timeout_s": 20.0, "pdf_memory_mb": 1024}
    with pytest.raises(SkipFile) as caught:
        load_file(docs / "charta.md", meta, corpus_root=corpus, **limits)  # type: ignore[arg-type]
    assert caught.value.reason == LINK_OUTSIDE
    assert load_file(docs / "berichte" / "forum.md", meta, corpus_root=corpus, **limits).blocks  # type: ignore[arg-type]
