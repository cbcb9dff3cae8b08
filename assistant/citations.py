"""Turn hits into numbered citations with a link that opens the source at its page."""

from __future__ import annotations

from assistant.snapshot import IndexSnapshot
from assistant.types import Citation, Hit

QUOTE_CHARS = 500


def document_url(doc_id: str, page_index: int) -> str:
    """Link to the original file, opened at the physical page."""
    return f"/api/documents/{doc_id}/file#page={page_index}"


def trim_quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """Shorten a quote at a word boundary."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def make_citation(n: int, hit: Hit, quote: str, snap: IndexSnapshot) -> Citation:
    """Build citation number n for a hit; `quote` is the supporting passage."""
    chunk, meta = hit.chunk, hit.chunk.meta
    return Citation(
        n=n,
        doc_id=chunk.doc_id,
        title=meta.title,
        doc_type=meta.doc_type,
        version=meta.version,
        district=meta.district,
        date=meta.date,
        page=chunk.page_label,
        section=chunk.section_title,
        quote=trim_quote(quote),
        superseded_by=snap.superseded_by(meta),
        url=document_url(chunk.doc_id, chunk.page_index),
    )
