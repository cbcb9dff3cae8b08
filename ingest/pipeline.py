"""Ingest: load → clean → chunk → embed → write a new index generation, incrementally."""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from assistant import strings
from assistant.errors import EmbedderMismatch, IngestError, PruneRequired
from assistant.factory import build_embedder
from assistant.filemodes import private_store
from assistant.index import FileRecord, IndexState, StoreLayout, load_chunks, read_state
from assistant.protocols import Embedder
from assistant.settings import Settings
from assistant.types import Chunk, DocumentMeta, TextBlock
from ingest.chunking import chunk_document
from ingest.corpus_walk import CorpusFiles, walk_corpus
from ingest.generation import embed_chunks, write_generation
from ingest.loader_base import too_many_chunks
from ingest.loaders import SkipFile, load_file, supported_extensions
from ingest.locking import ingest_lock
from ingest.manifest import MANIFEST_NAME, Manifest, infer_meta, load_manifest, with_file_metadata

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]

# Bump when loading, cleaning or chunking changes its output: every file is then read again
# (vectors of unchanged text still come from the cache).
PIPELINE_VERSION = 6
NEW, CHANGED, UNCHANGED, SKIPPED, REMOVED = "neu", "geändert", "unverändert", "übersprungen", "entfernt"
_IGNORED_NAMES = {MANIFEST_NAME, "README.md", "generate.py"}


@dataclass
class FileOutcome:
    """What happened to one file in this run."""

    path: str
    doc_id: str
    status: str
    reason: str = ""
    added: int = 0
    updated: int = 0
    deleted: int = 0
    pages: int = 0
    reused: bool = False  # taken over from the previous generation without reading the file
    parse_s: float = 0.0  # wall-clock seconds in the bounded parse worker
    peak_rss_mb: float | None = None  # the worker's peak resident memory (None: not measured)


@dataclass
class IngestReport:
    """Summary of one ingest run."""

    outcomes: list[FileOutcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    generation: int = 0
    changed: bool = False
    chunk_count: int = 0
    embedded_chunks: int = 0
    embedded_sentences: int = 0
    embedded_tokens: int = 0
    pages: int = 0
    timings_s: dict[str, float] = field(default_factory=dict)

    def total(self, attr: str) -> int:
        """Sum a per-file counter (added, updated, deleted)."""
        return sum(getattr(o, attr) for o in self.outcomes)

    @property
    def skipped(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == SKIPPED]


def discover_files(corpus: Path) -> list[str]:
    """Corpus files relative to the root: everything under documents/ if present, else the root."""
    return walk_corpus(corpus, _IGNORED_NAMES).files


def _discover(corpus: Path, report: IngestReport) -> list[str]:
    """Files to read; entries the walk refuses (links out of the corpus, FIFOs, ...) go to the report."""
    walk: CorpusFiles = walk_corpus(corpus, _IGNORED_NAMES)
    for rel, reason in walk.refused.items():
        report.outcomes.append(FileOutcome(rel, "", SKIPPED, reason, reused=True))
    return walk.files


def file_sha256(path: Path) -> str:
    """Content hash of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_corpus(corpus: Path, files: list[str]) -> None:
    """Refuse a run that could only empty the index: a missing folder or one without supported files.

    Raises:
        IngestError: with a German message naming the path (the index is not touched).
    """
    if not corpus.is_dir():
        raise IngestError(strings.INGEST_NO_FOLDER.format(path=corpus))
    if not any(Path(rel).suffix.lower() in supported_extensions() for rel in files):
        extensions = ", ".join(sorted(supported_extensions()))
        raise IngestError(strings.INGEST_NO_FILES.format(path=corpus, extensions=extensions))


def check_removals(
    state: IndexState | None, documents: dict[str, DocumentMeta], report: IngestReport
) -> None:
    """Refuse to drop more than half of the indexed documents in one run unless pruning was asked for.

    Raises:
        PruneRequired: listing what would be removed (German message; the index is not touched).
    """
    if state is None or not state.documents:
        return
    gone = sorted(set(state.documents) - set(documents))
    if len(gone) * 2 <= len(state.documents):
        return
    names = [f"{state.documents[d].title} ({state.documents[d].path or d})" for d in gone]
    message = strings.INGEST_PRUNE_NEEDED.format(
        n=len(gone), total=len(state.documents), names="; ".join(names)
    )
    raise PruneRequired(message, removed=names, report=report)


def resolve_metas(
    files: list[str], manifest: Manifest, report: IngestReport, corpus: Path | None = None
) -> dict[str, DocumentMeta]:
    """Metadata per file: the manifest's, or inferred defaults (with the PDF's own title/date) and a warning."""
    metas: dict[str, DocumentMeta] = {}
    used = {m.doc_id for m in manifest.entries.values()}
    for rel in files:
        meta = manifest.entries.get(rel)
        if meta is None:
            meta = infer_meta(rel) if corpus is None else with_file_metadata(infer_meta(rel), corpus / rel)
            base, n = meta.doc_id, 2
            while meta.doc_id in used:
                meta = DocumentMeta(**{**meta.__dict__, "doc_id": f"{base}-{n}"})
                n += 1
            report.warnings.append(f"{rel}: not in {MANIFEST_NAME}; ingested with inferred metadata")
        used.add(meta.doc_id)
        metas[rel] = meta
    return metas


@dataclass
class _Run:
    """Everything one run needs; keeps the step functions' signatures short."""

    settings: Settings
    corpus: Path
    layout: StoreLayout
    state: IndexState | None
    rebuild: bool
    report: IngestReport
    previous: dict[str, list[Chunk]]
    progress: Progress | None
    notice: str = ""  # the manifest's sample notice: on every page, so it carries no information


def drop_phrase(blocks: list[TextBlock], phrase: str) -> list[TextBlock]:
    """Remove a boilerplate phrase from every block; drop blocks left without words."""
    if not phrase:
        return blocks
    pattern = re.compile(r"(?:Hinweis:\s*)?" + r"\s+".join(map(re.escape, phrase.split())))
    kept = []
    for block in blocks:
        text = pattern.sub(" ", block.text).strip()
        if any(ch.isalnum() for ch in text):
            kept.append(replace(block, text=text) if text != block.text else block)
    return kept


def _process_file(run: _Run, rel: str, meta: DocumentMeta) -> tuple[FileOutcome, list[Chunk], FileRecord]:
    path = run.corpus / rel
    sha = file_sha256(path)
    old = run.state.files.get(rel) if run.state else None
    old_meta = run.state.documents.get(meta.doc_id) if run.state else None
    old_chunks = run.previous.get(old.doc_id, []) if old else []
    current = run.state is not None and run.state.pipeline == PIPELINE_VERSION
    if old is not None and old.sha256 == sha and old.doc_id == meta.doc_id and current and not run.rebuild:
        if old.status != "ok":  # skipped before, same bytes: skipped again without reading it
            return FileOutcome(rel, meta.doc_id, SKIPPED, old.status, reused=True), [], old
        if old_meta == meta:
            return FileOutcome(rel, meta.doc_id, UNCHANGED, pages=old.pages, reused=True), old_chunks, old
    ing = run.settings.ingest
    started = time.perf_counter()
    try:
        doc = load_file(
            path,
            meta,
            max_bytes=int(ing.max_file_mb * 1024 * 1024),
            pdf_timeout_s=ing.pdf_timeout_s,
            pdf_memory_mb=ing.pdf_memory_mb,
            max_chars=ing.max_chars,
            corpus_root=run.corpus,
        )
        doc.blocks = drop_phrase(doc.blocks, run.notice)
    except SkipFile as skip:
        outcome = FileOutcome(rel, meta.doc_id, SKIPPED, skip.reason, deleted=len(old_chunks))
        if skip.usage is not None:
            outcome.parse_s, outcome.peak_rss_mb = skip.usage.seconds, skip.usage.peak_rss_mb
        return outcome, [], FileRecord(meta.doc_id, sha, skip.reason)
    finally:
        run.report.timings_s["parse"] = run.report.timings_s.get("parse", 0.0) + time.perf_counter() - started
    started = time.perf_counter()
    chunks = chunk_document(doc, size=ing.chunk_size, overlap=ing.chunk_overlap)
    run.report.timings_s["chunk"] = run.report.timings_s.get("chunk", 0.0) + time.perf_counter() - started
    old_ids, new_ids = {c.chunk_id for c in old_chunks}, {c.chunk_id for c in chunks}
    status = CHANGED if old else NEW
    outcome = FileOutcome(
        rel,
        meta.doc_id,
        status,
        added=len(new_ids - old_ids),
        updated=len(new_ids & old_ids),
        deleted=len(old_ids - new_ids),
        pages=doc.pages,
        reason="; ".join(doc.notes),  # e.g. hidden HTML text that was left out
    )
    if doc.usage is not None:
        outcome.parse_s, outcome.peak_rss_mb = doc.usage.seconds, doc.usage.peak_rss_mb
    if len(chunks) > ing.max_chunks:
        outcome.status, outcome.reason = SKIPPED, too_many_chunks(len(chunks), ing.max_chunks)
        outcome.added = outcome.updated = 0
        outcome.deleted = len(old_ids)
        return outcome, [], FileRecord(meta.doc_id, sha, outcome.reason)
    if not chunks:
        outcome.status, outcome.reason = SKIPPED, "kein verwertbarer Text"
        return outcome, [], FileRecord(meta.doc_id, sha, outcome.reason)
    return outcome, chunks, FileRecord(meta.doc_id, sha, "ok", len(chunks), doc.pages)


def _check_embedder(state: IndexState | None, embedder: Embedder, rebuild: bool) -> None:
    if state is None or rebuild or (state.embedder, state.dim) == (embedder.name, embedder.dim):
        return
    raise EmbedderMismatch(
        f"the index was built with embedder {state.embedder} ({state.dim} dimensions), but "
        f"{embedder.name} ({embedder.dim}) is configured; re-index with `itas ingest --rebuild`"
    )


def check_index_embedder(settings: Settings, embedder: Embedder) -> None:
    """Refuse to use an index built by another embedder (also called by the reader)."""
    _check_embedder(read_state(StoreLayout(settings.store.path)), embedder, rebuild=False)


def run_ingest(
    settings: Settings,
    corpus: Path | None = None,
    *,
    rebuild: bool = False,
    prune: bool = False,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Bring the index in line with the corpus; the live index switches only when complete.

    Raises:
        IngestError: the corpus folder is missing or holds no supported file.
        PruneRequired: the run would remove more than half of the indexed documents and `prune`
            is not set. In both cases the index stays as it was.
    """
    corpus = (corpus or settings.ingest.corpus_path).resolve()
    check_corpus(corpus, discover_files(corpus) if corpus.is_dir() else [])
    layout = StoreLayout(settings.store.path)
    report = IngestReport()
    started = time.perf_counter()
    with private_store(layout.root), ingest_lock(layout.lock_file, settings.ingest.lock_wait_s):
        state = read_state(layout)
        embedder = embedder or build_embedder(settings.embedder)
        _check_embedder(state, embedder, rebuild)
        manifest = load_manifest(corpus)
        report.warnings.extend(manifest.errors)
        metas = resolve_metas(_discover(corpus, report), manifest, report, corpus)
        previous: dict[str, list[Chunk]] = {}
        if state is not None:
            for chunk in load_chunks(layout.chunks_file(state.generation), state.documents):
                previous.setdefault(chunk.doc_id, []).append(chunk)
        run = _Run(settings, corpus, layout, state, rebuild, report, previous, progress, manifest.notice)
        chunks, records, documents = _collect(run, metas)
        if not prune:
            check_removals(state, documents, report)
        report.changed = rebuild or state is None or not all(o.reused for o in report.outcomes)
        report.pages = sum(o.pages for o in report.outcomes)
        report.chunk_count = len(chunks)
        if report.changed:
            vectors = embed_chunks(
                chunks, embedder, layout, report, progress, with_sentences=settings.ingest.sentence_vectors
            )
            write_started = time.perf_counter()
            report.generation = write_generation(
                settings,
                layout,
                state,
                chunks,
                vectors,
                IndexState(
                    0,
                    "",
                    embedder.name,
                    embedder.dim,
                    str(corpus),
                    "",
                    records,
                    documents,
                    pipeline=PIPELINE_VERSION,
                ),
            )
            report.timings_s["write"] = time.perf_counter() - write_started
        else:
            report.generation = state.generation if state else 0
    report.timings_s["total"] = time.perf_counter() - started
    return report


def _collect(
    run: _Run, metas: dict[str, DocumentMeta]
) -> tuple[list[Chunk], dict[str, FileRecord], dict[str, DocumentMeta]]:
    chunks: list[Chunk] = []
    records: dict[str, FileRecord] = {}
    documents: dict[str, DocumentMeta] = {}
    for number, (rel, meta) in enumerate(metas.items(), start=1):
        outcome, file_chunks, record = _process_file(run, rel, meta)
        run.report.outcomes.append(outcome)
        records[rel] = record
        if file_chunks:
            documents[meta.doc_id] = meta
            chunks.extend(file_chunks)
        if run.progress:
            run.progress("read", number, len(metas))
    if run.state is not None:
        for rel, old in run.state.files.items():
            if rel not in metas:
                gone = len(run.previous.get(old.doc_id, []))
                run.report.outcomes.append(FileOutcome(rel, old.doc_id, REMOVED, deleted=gone))
    return chunks, records, documents
