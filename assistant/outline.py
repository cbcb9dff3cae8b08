"""Answers from the document outline: the child headings of a section ("Welche Handlungsfelder …?").

When a document names the parts of something only as headings, no sentence lists them; the outline
does. The outline is read from the section paths the chunks carry.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.snapshot import IndexSnapshot
from assistant.types import Chunk, Hit

MAX_PARTS = 12
_NUMBERING = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?|[A-Z]\.|[IVX]+\.)\s+")


@dataclass(frozen=True)
class OutlineMatch:
    """A section whose heading names the asked parts, with its child headings."""

    hit_rank: int
    chunk: Chunk  # the first chunk of the section (for the citation)
    heading: str
    parts: tuple[str, ...]


def clean_heading(heading: str) -> str:
    """A heading without its numbering ("4.1 Handlungsfeld 1: Industriepolitik" → "Handlungsfeld 1: …")."""
    return _NUMBERING.sub("", heading).strip()


def find_outline(
    noun: str, hits: list[Hit], snap: IndexSnapshot, analyze: Callable[[str], list[str]]
) -> OutlineMatch | None:
    """The first section among the top hits' documents whose heading names `noun` and has ≥ 2 children."""
    wanted = set(analyze(noun))
    if not wanted:
        return None
    seen: set[str] = set()
    for rank, hit in enumerate(hits[:5]):
        doc_id = hit.chunk.doc_id
        if doc_id in seen:
            continue
        seen.add(doc_id)
        found = _in_document(snap.chunks_of(doc_id), wanted, analyze)
        if found:
            chunk, heading, parts = found
            return OutlineMatch(rank, chunk, heading, parts)
    return None


def _in_document(
    chunks: list[Chunk], wanted: set[str], analyze: Callable[[str], list[str]]
) -> tuple[Chunk, str, tuple[str, ...]] | None:
    paths = list(dict.fromkeys(c.section for c in chunks if c.section))
    for path in paths:
        for depth in range(1, len(path) + 1):
            prefix = path[:depth]
            if wanted.isdisjoint(analyze(prefix[-1])):
                continue
            children = tuple(
                dict.fromkeys(
                    clean_heading(p[depth]) for p in paths if p[:depth] == prefix and len(p) > depth
                )
            )
            if len(children) >= 2:
                first = next(c for c in chunks if c.section[:depth] == prefix)
                return first, clean_heading(prefix[-1]), children[:MAX_PARTS]
    return None
