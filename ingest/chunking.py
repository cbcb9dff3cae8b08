"""Split loaded documents into section-bound, sentence-aligned chunks with stable ids."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby

from langchain_text_splitters import RecursiveCharacterTextSplitter

from assistant.sentences import split_sentences
from assistant.types import Chunk, LoadedDocument, TextBlock

_TOC_SECTION = re.compile(r"^(?:\d+\s+)?(?:Inhalt|Inhaltsverzeichnis|Inhaltsübersicht)$", re.IGNORECASE)
_LONG_SPLIT_SEPARATORS = ["\n", "; ", ", ", " – ", " ", ""]


@dataclass(frozen=True)
class _Unit:
    """One sentence (or piece of an over-long sentence) and the block it came from."""

    text: str
    block: TextBlock
    new_line: bool  # starts a new block or list line, so it is joined with a newline


def chunk_document(doc: LoadedDocument, *, size: int, overlap: int) -> list[Chunk]:
    """Cut a document into chunks of at most about `size` characters that never cross a section.

    Consecutive blocks with the same section path are packed sentence by sentence; about
    `overlap` characters of whole trailing sentences are repeated at the start of the next chunk.
    """
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=size,
        chunk_overlap=min(overlap, size // 2),
        separators=_LONG_SPLIT_SEPARATORS,
        keep_separator="end",
    )
    chunks: list[Chunk] = []
    seen: dict[str, int] = {}
    for section, blocks in groupby(doc.blocks, key=lambda block: block.section):
        if section and _TOC_SECTION.match(section[-1]):
            continue  # a table of contents (DOCX/Markdown/HTML): headings again, with page numbers
        units = list(_units(blocks, splitter, size))
        for group in _pack(units, size=size, overlap=overlap):
            chunk_id = _chunk_id(doc.meta.doc_id, section, _join(group), seen)
            chunks.append(_make_chunk(doc, chunk_id, section, group, len(chunks)))
    return chunks


def _units(
    blocks: Iterator[TextBlock], splitter: RecursiveCharacterTextSplitter, size: int
) -> Iterator[_Unit]:
    for block in blocks:
        for line in block.text.split("\n"):
            first = True
            for sentence in split_sentences(line):
                pieces = splitter.split_text(sentence) if len(sentence) > size else [sentence]
                for piece in (p.strip() for p in pieces):
                    if piece:
                        yield _Unit(piece, block, new_line=first)
                        first = False


def _pack(units: list[_Unit], *, size: int, overlap: int) -> Iterator[list[_Unit]]:
    current: list[_Unit] = []
    for unit in units:
        if current and _length([*current, unit]) > size:
            yield current
            current = _tail(current, overlap)
            if current and _length([*current, unit]) > size:
                current = []
        current.append(unit)
    if current:
        yield current


def _tail(units: list[_Unit], overlap: int) -> list[_Unit]:
    """Whole trailing sentences of at most `overlap` characters (never the whole chunk)."""
    tail: list[_Unit] = []
    for unit in reversed(units[1:]):
        if _length([unit, *tail]) > overlap:
            break
        tail.insert(0, unit)
    return tail


def _join(units: list[_Unit]) -> str:
    parts = [units[0].text]
    for unit in units[1:]:
        parts.append(("\n" if unit.new_line else " ") + unit.text)
    return "".join(parts)


def _length(units: list[_Unit]) -> int:
    return sum(len(unit.text) for unit in units) + len(units) - 1


def _chunk_id(doc_id: str, section: tuple[str, ...], text: str, seen: dict[str, int]) -> str:
    """Content-based id; identical repeats inside one document get "-2", "-3", …"""
    digest = hashlib.sha1("\x1f".join([*section, text]).encode("utf-8")).hexdigest()[:16]
    base = f"{doc_id}:{digest}"
    seen[base] = seen.get(base, 0) + 1
    return base if seen[base] == 1 else f"{base}-{seen[base]}"


def _make_chunk(
    doc: LoadedDocument, chunk_id: str, section: tuple[str, ...], units: list[_Unit], ordinal: int
) -> Chunk:
    first, last = units[0].block, units[-1].block
    return Chunk(
        chunk_id=chunk_id,
        doc_id=doc.meta.doc_id,
        text=_join(units),
        section=section,
        page_start=first.page,
        page_end=last.page,
        page_index=first.page_index,
        ordinal=ordinal,
        meta=doc.meta,
    )


def content_hash(text: str) -> str:
    """Return the sha256 hex digest of a chunk text (key of the vector cache)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
