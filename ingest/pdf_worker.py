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
from ingest import cleaning

ProblemKind = Literal["encrypted", "corrupt", "memory", "no_text_layer", "declared_length", "limit"]


@dataclass(frozen=True)
class RawPdf:
    """What the child extracts: raw page texts, printed labels and the flattened outline."""

    pages: list[str]
    labels: list[str]
    outline: list[tuple[int, str, int]]  # (depth starting at 1, title, 0-based page index)


class PdfProblem(Exception):
    """The PDF could not be read; `kind` says why (mapped to a German status by the loader)."""

    def __init__(self, kind: ProblemKind, detail: str = "") -> None:
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind: ProblemKind = kind


def load_pdf(path: Path) -> tuple[list[TextBlock], int]:
    """Return the cleaned text blocks and the page count of a PDF (run inside the ingest worker).

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
    texts = [cleaning.join_hyphenation(text) for text in cleaning.strip_repeating_lines(texts)]
    # A table of contents repeats every heading with a page number: noise for retrieval and answers.
    texts = ["" if cleaning.is_table_of_contents(text) else text for text in texts]
    return _blocks(texts, raw), len(raw.pages)


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
            on_page = {_key(title): depth for depth, title, page in raw.outline if page == index}
            levels = [on_page.get(_key(line)) for line in lines]
            printed = {_key(line) for line in lines}
            for depth, title, page in raw.outline:  # unprinted bookmarks open at the page top
                if page == index and _key(title) not in printed:
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


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


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


def _extract(path: str) -> tuple[list[str], list[str], list[tuple[int, str, int]]]:
    from pypdf import PasswordType, PdfReader
    from pypdf.errors import FileNotDecryptedError

    reader = PdfReader(path, strict=False)
    # Owner-password-only PDFs open with the empty user password and are fine to read.
    if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
        raise FileNotDecryptedError("password required")
    pages = [page.extract_text() or "" for page in reader.pages]
    labels = list(reader.page_labels)
    if len(labels) != len(pages):
        labels = [str(i) for i in range(1, len(pages) + 1)]
    return pages, labels, _outline(reader)


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
