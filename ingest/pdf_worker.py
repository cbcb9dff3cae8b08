"""Read PDFs into cleaned, sectioned text blocks with pypdf.

Hostile or broken PDFs can make pypdf loop, recurse or inflate streams to gigabytes, so
`ingest.loaders` calls `load_pdf` only inside the bounded worker (`ingest.worker`: a forked child
under time, memory and output limits); parsing and cleaning both run there.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from assistant.types import TextBlock
from ingest import cleaning, pdf_text
from ingest.loader_base import Loaded
from ingest.pdf_sections import match_bookmarks
from ingest.pdf_spaces import extract_texts

ProblemKind = Literal["encrypted", "corrupt", "memory", "no_text_layer", "declared_length", "limit"]


@dataclass(frozen=True)
class RawPdf:
    """What the child extracts: raw page texts, printed labels and the flattened outline."""

    pages: list[str]
    labels: list[str]
    outline: list[tuple[int, str, int]]  # (depth starting at 1, title, 0-based page index)
    respaced: int = 0  # pages read with the corrected word-gap threshold (`ingest.pdf_spaces`)


class PdfProblem(Exception):
    """The PDF could not be read; `kind` says why (mapped to a German status by the loader)."""

    def __init__(self, kind: ProblemKind, detail: str = "") -> None:
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind: ProblemKind = kind


def load_pdf(path: Path) -> Loaded:
    """Return the cleaned text blocks and the page count of a PDF (run inside the ingest worker).

    Pages whose pypdf text lost its word spaces or looks like a table or columns are read again
    from glyph positions (`ingest.pdf_layout`); the report notes how many glued pages were mended.

    Raises:
        PdfProblem: the file cannot be read or has no text layer.
    """
    _check_frame(path)
    raw = read_pdf(path)
    if not raw.pages:
        raise PdfProblem("corrupt", "no pages")
    texts = [cleaning.normalize_text(text) for text in raw.pages]
    if not any(ch.isalnum() for text in texts for ch in text):
        raise PdfProblem("no_text_layer")
    texts, reread = _reread(path, texts)
    repaired = raw.respaced + reread
    vocab = pdf_text.vocabulary(texts)
    texts = [pdf_text.resolve_cell_breaks(text, vocab) for text in texts]
    texts = [pdf_text.rejoin_fragments(text, vocab) for text in cleaning.strip_repeating_lines(texts)]
    # A table of contents repeats every heading with a page number: noise for retrieval and answers.
    texts = [cleaning.drop_leader_lines("" if cleaning.is_table_of_contents(t) else t) for t in texts]
    texts = [cleaning.join_hyphenation(text) for text in _join_page_breaks(texts)]
    notes = [f"{repaired} Seiten mit verlorenen Wortabständen repariert"] if repaired else []
    return Loaded(_blocks(texts, raw), len(raw.pages), notes)


def _reread(path: Path, texts: list[str]) -> tuple[list[str], int]:
    """Replace glued or table-like pages by their re-read text; count the glued pages mended."""
    from ingest.pdf_layout import read_layouts

    chosen = pdf_text.pages_to_reread(texts)
    if not chosen:
        return texts, 0
    texts = list(texts)
    repaired = 0
    for index, layout in read_layouts(path, chosen).items():
        text = cleaning.normalize_text(layout.text)
        if not any(ch.isalnum() for ch in text):
            continue  # nothing found from positions (e.g. text drawn as Type3 glyphs): keep pypdf's
        repaired += pdf_text.is_glued(texts[index]) and not pdf_text.is_glued(text)
        texts[index] = text
    return texts, repaired


def _join_page_breaks(texts: list[str]) -> list[str]:
    """Carry a word hyphenated at the foot of a page over from the next page's first line."""
    out = list(texts)
    for index in range(len(out) - 1):
        head, nxt = out[index].rstrip(), out[index + 1].lstrip()
        if not head.endswith("-") or not nxt or not head[-2:-1].isalpha() or not nxt[0].islower():
            continue
        first_line, _, rest = nxt.partition("\n")
        word, _, tail = first_line.partition(" ")
        out[index] = cleaning.join_hyphenation(f"{head}\n{word}")
        out[index + 1] = f"{tail}\n{rest}".strip("\n") if tail else rest
    return out


def _check_frame(path: Path) -> None:
    """Reject files without a PDF header or end marker (truncated downloads) before parsing."""
    with path.open("rb") as handle:
        head = handle.read(1024)
        handle.seek(max(0, path.stat().st_size - 4096))
        tail = handle.read()
    if b"%PDF-" not in head or b"%%EOF" not in tail:
        raise PdfProblem("corrupt", "no %PDF- header or %%EOF marker")


def _blocks(texts: list[str], raw: RawPdf) -> list[TextBlock]:
    blocks: list[TextBlock] = []
    section: cleaning.Section = ()
    for index, text in enumerate(texts):
        lines = text.split("\n")
        if raw.outline:
            on_page = [(depth, title) for depth, title, page in raw.outline if page == index]
            lines, levels, unprinted = match_bookmarks(lines, on_page)
            for depth, title in unprinted:  # unprinted bookmarks open at the page top
                section = cleaning.open_heading(section, depth, title)
        else:
            levels = cleaning.heading_levels(lines)
        runs = cleaning.split_at_headings(lines, levels, section)
        for run_section, body in runs:
            reflowed = cleaning.reflow_lines("\n".join(body), infer_paragraphs=True)
            path = cleaning.section_path(run_section)
            blocks += [
                TextBlock(p, raw.labels[index], index + 1, path) for p in cleaning.paragraphs(reflowed)
            ]
        section = runs[-1][0]
    return blocks


def read_pdf(path: Path) -> RawPdf:
    """Parse `path` with pypdf in this process (the caller runs it inside the ingest worker).

    Raises:
        PdfProblem: encrypted, corrupt or over one of pypdf's own limits.
        MemoryError: left to the worker, which reports the memory limit.
    """
    try:
        return RawPdf(*_extract(str(path)))
    except (MemoryError, RecursionError):
        raise
    except Exception as exc:
        raise PdfProblem(_classify(exc), f"{type(exc).__name__}: {exc}") from exc


def _classify(exc: Exception) -> ProblemKind:
    from pypdf.errors import FileNotDecryptedError, LimitReachedError

    if isinstance(exc, FileNotDecryptedError):
        return "encrypted"
    if isinstance(exc, LimitReachedError):
        # pypdf raises this for its own resource caps (decompression output, token counts), for
        # structural cycles and for declared lengths/sizes over its maximum (a /Length bomb); only
        # the first is a memory problem.
        message = str(exc).lower()
        if "declared" in message:
            return "declared_length"
        if any(word in message for word in ("cycl", "loop", "circular")):
            return "corrupt"
        if any(word in message for word in ("decompress", "decoding", "output", "memory", "buffer")):
            return "memory"
        return "limit"  # counts and depths: filters, xref entries, /N, array streams, outline depth
    return "corrupt"


def _extract(path: str) -> tuple[list[str], list[str], list[tuple[int, str, int]], int]:
    from pypdf import PasswordType, PdfReader
    from pypdf.errors import FileNotDecryptedError

    reader = PdfReader(path, strict=False)
    # Owner-password-only PDFs open with the empty user password and are fine to read.
    if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
        raise FileNotDecryptedError("password required")
    pages, respaced = extract_texts(reader)
    labels = list(reader.page_labels)
    if len(labels) != len(pages):
        labels = [str(i) for i in range(1, len(pages) + 1)]
    return pages, labels, _outline(reader), respaced


def _outline(reader: Any) -> list[tuple[int, str, int]]:
    flat: list[tuple[int, str, int]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
                continue
            page = reader.get_destination_page_number(item)
            title = str(getattr(item, "title", "") or "").strip()
            if title and page is not None and page >= 0:
                flat.append((depth, title, page))

    try:
        walk(reader.outline, 1)
    except Exception:  # a broken outline must not cost the text; fall back to heading detection
        return []
    return flat
