"""What the views read from one index generation: sections, stored chunk vectors, term statistics.

Everything here is computed lazily once per index generation (`generation_cache`) from the loaded
snapshot; no passage is embedded again. Only public documents are ever read (`PUBLIC`).
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from assistant.analysis import analyze
from assistant.families import superseded_by
from assistant.snapshot import IndexSnapshot
from assistant.types import Chunk, DocumentMeta, Filters

PUBLIC = Filters()  # audience "public" only: the views are anonymous
T = TypeVar("T")

# Two-column PDF pages can put several numbered headings into one chunk ("4.3 Kunststofftechnik …
# 4.4 Elektronik und\nLeistungselektronik …"); a numbered line starts a new section there.
_INLINE_HEADING = re.compile(r"(?m)^(\d+(?:\.\d+)+)\s+(\S.*)$")
_CONTINUES = {"und", "oder", "für", "der", "die", "des", "technische", "technischen"}
_NUMBERING = re.compile(r"^\s*(?:\d+(?:\.\d+)*|[A-Z]|[IVX]+)[.)]?\s+")


@dataclass(frozen=True)
class Section:
    """A contiguous passage of one document under one heading."""

    doc_id: str
    heading: str  # leaf heading without numbering
    path: tuple[str, ...]  # full heading path as printed
    text: str
    chunk_ids: tuple[str, ...]
    page: str
    page_index: int

    @property
    def title(self) -> str:
        """Heading path for display."""
        return " › ".join(self.path)


def strip_numbering(heading: str) -> str:
    """'4.3 Kunststofftechnik' → 'Kunststofftechnik'."""
    return _NUMBERING.sub("", heading).strip()


def _inline_parts(chunk: Chunk) -> list[tuple[tuple[str, ...], str]]:
    """Split a chunk at numbered headings inside its text; the lead keeps the chunk's own section."""
    matches = list(_INLINE_HEADING.finditer(chunk.text))
    if not matches:
        return [(chunk.section, chunk.text)]
    parts: list[tuple[tuple[str, ...], str]] = []
    lead = chunk.text[: matches[0].start()].strip()
    if len(lead) >= 60:  # shorter leads are chapter headings that spilled into the chunk
        parts.append((chunk.section, lead))
    parent = chunk.section[:-1] if len(chunk.section) > 1 else chunk.section
    for i, match in enumerate(matches):
        body = chunk.text[match.end() : matches[i + 1].start() if i + 1 < len(matches) else len(chunk.text)]
        heading = f"{match[1]} {match[2].strip()}"
        body = body.lstrip("\n")
        words = heading.split()
        if words and words[-1].lower() in _CONTINUES and body:
            first, _, rest = body.partition(" ")
            heading, body = f"{heading} {first}", rest
        parts.append(((*parent, heading), body.strip()))
    return parts


def sections_of(chunks: Iterable[Chunk]) -> list[Section]:
    """Group the chunks of one document (in reading order) into sections; title pages are left out."""
    groups: list[tuple[tuple[str, ...], list[str], list[Chunk]]] = []
    for chunk in sorted(chunks, key=lambda c: c.ordinal):
        for path, text in _inline_parts(chunk):
            if not path or not text:
                continue
            if groups and groups[-1][0] == path:
                groups[-1][1].append(text)
                if chunk not in groups[-1][2]:
                    groups[-1][2].append(chunk)
            else:
                groups.append((path, [text], [chunk]))
    return [
        Section(
            doc_id=members[0].doc_id,
            heading=strip_numbering(path[-1]),
            path=path,
            text="\n".join(texts),
            chunk_ids=tuple(c.chunk_id for c in members),
            page=members[0].page_start,
            page_index=members[0].page_index,
        )
        for path, texts, members in groups
    ]


def chunk_vectors(snap: IndexSnapshot, ids: list[str]) -> np.ndarray:
    """The stored vectors of chunks (rows in the order of `ids`, L2-normalised); never re-embeds."""
    if not ids:
        return np.zeros((0, 1), dtype=np.float32)
    found = snap.vectors.get_vectors(ids)  # type: ignore[attr-defined]
    dim = len(next(iter(found.values()))) if found else 1
    matrix = np.array([found.get(cid, [0.0] * dim) for cid in ids], dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


def public_docs(snap: IndexSnapshot) -> dict[str, DocumentMeta]:
    """Public documents only: internal ones never reach a view."""
    return {d: m for d, m in snap.documents.items() if PUBLIC.matches(m)}


def superseded(snap: IndexSnapshot, meta: DocumentMeta) -> str | None:
    """The newest public version of the document's series if it is an older one (once per generation)."""
    table: dict[str, str | None] = generation_cache(
        snap, "superseded", lambda: {d: superseded_by(snap, m) for d, m in public_docs(snap).items()}
    )
    return table.get(meta.doc_id)


def chunks_by_doc(snap: IndexSnapshot) -> dict[str, list[Chunk]]:
    """Public chunks grouped by document, in reading order (computed once per generation)."""
    return generation_cache(snap, "chunks-by-doc", lambda: _group_chunks(snap))


def _group_chunks(snap: IndexSnapshot) -> dict[str, list[Chunk]]:
    allowed = public_docs(snap)
    grouped: dict[str, list[Chunk]] = {}
    for chunk in snap.chunks:
        if chunk.doc_id in allowed:
            grouped.setdefault(chunk.doc_id, []).append(chunk)
    for members in grouped.values():
        members.sort(key=lambda c: c.ordinal)
    return grouped


class TermStats:
    """Document frequencies of analysed terms over a set of texts, for idf-weighted overlap."""

    def __init__(self, texts: Iterable[str], analyzer: Callable[[str], list[str]] = analyze) -> None:
        self.df: Counter[str] = Counter()
        self.n = 0
        for text in texts:
            self.n += 1
            self.df.update(set(analyzer(text)))

    def idf(self, term: str) -> float:
        """Smoothed idf; unseen terms weigh most."""
        return math.log(1 + (self.n + 1) / (self.df.get(term, 0) + 0.5))

    def coverage(self, query_terms: set[str], passage_terms: set[str]) -> float:
        """The idf-weighted share of the query terms that the passage contains (0..1)."""
        total = sum(self.idf(t) for t in query_terms)
        if total == 0:
            return 0.0
        return sum(self.idf(t) for t in query_terms & passage_terms) / total


def generation_key(snap: IndexSnapshot) -> tuple[Any, ...]:
    """Identifies one index generation."""
    return (snap.state.generation, snap.state.collection, snap.state.last_ingest, id(snap))


_cache: dict[tuple[Any, ...], dict[str, Any]] = {}
_cache_lock = threading.Lock()


def generation_cache(snap: IndexSnapshot, name: str, build: Callable[[], T]) -> T:
    """Compute `build()` once per index generation and name; keeps the two newest generations."""
    key = generation_key(snap)
    with _cache_lock:
        slot = _cache.setdefault(key, {})
        if name in slot:
            return slot[name]  # type: ignore[no-any-return]
        lock = slot.setdefault(f"lock:{name}", threading.Lock())
    with lock:
        if name not in slot:
            slot[name] = build()
        with _cache_lock:
            while len(_cache) > 2:
                _cache.pop(next(iter(_cache)))
        return slot[name]  # type: ignore[no-any-return]
