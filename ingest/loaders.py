"""Load corpus files (PDF, DOCX, Markdown, text, HTML) into cleaned, sectioned text blocks.

Every format is parsed inside the bounded worker (`ingest.worker`): a forked child under the same
time, memory and output limits, whatever the format. Markup that a surface could render (images,
links, active HTML tags) is reduced to its text there too.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from assistant.types import DocumentMeta, LoadedDocument, TextBlock
from ingest import cleaning, corpus_walk
from ingest.docx_loader import load_docx
from ingest.html_loader import load_html
from ingest.loader_base import (
    STATUS_BINARY,
    STATUS_CORRUPT,
    STATUS_CRASH,
    STATUS_MEMORY,
    STATUS_TIMEOUT,
    STATUS_TOO_DEEP,
    STATUS_UNREADABLE,
    STATUS_UNSAFE_DOCX,
    Loaded,
    SkipFile,
    bom_encoding,
    looks_binary,
    make_blocks,
    too_large,
    too_much_text,
)
from ingest.markup import reduce_blocks
from ingest.pdf_worker import PdfProblem, load_pdf
from ingest.worker import LimitExceeded, Limits, TaskFailed, Usage, run_bounded

__all__ = ["STATUS_CORRUPT", "STATUS_UNSAFE_DOCX", "ParsedDocument", "SkipFile", "load_file"]

# German per-file statuses, shown in the ingest report.
STATUS_ENCRYPTED = "passwortgeschützt"
STATUS_NO_TEXT_LAYER = "kein Textlayer – OCR nötig"
STATUS_EMPTY = "leere Datei"
STATUS_NO_TEXT = "kein verwertbarer Text"
STATUS_DECLARED_LENGTH = "beschädigt (angegebene Datenlänge über dem Grenzwert)"
STATUS_PDF_LIMIT = "beschädigt oder überladen (Grenzwert des PDF-Lesers erreicht)"
_PDF_STATUSES = {
    "encrypted": STATUS_ENCRYPTED,
    "corrupt": STATUS_CORRUPT,
    "memory": STATUS_MEMORY,
    "no_text_layer": STATUS_NO_TEXT_LAYER,
    "declared_length": STATUS_DECLARED_LENGTH,
    "limit": STATUS_PDF_LIMIT,
}
_LIMIT_STATUSES = {"timeout": STATUS_TIMEOUT, "memory": STATUS_MEMORY, "crash": STATUS_CRASH}
DEFAULT_MAX_CHARS = 5_000_000


@dataclass
class ParsedDocument(LoadedDocument):
    """A loaded document plus what reading it cost and German notes for the report."""

    notes: list[str] = field(default_factory=list)
    usage: Usage | None = None


def supported_extensions() -> set[str]:
    """Return the file extensions `load_file` understands (lower case, with dot)."""
    return set(_LOADERS) | {".pdf"}


def load_file(
    path: Path,
    meta: DocumentMeta,
    *,
    max_bytes: int,
    pdf_timeout_s: float,
    pdf_memory_mb: int,
    max_chars: int = DEFAULT_MAX_CHARS,
    corpus_root: Path | None = None,
) -> ParsedDocument:
    """Load one file into text blocks in the bounded worker, dispatching on its extension.

    `pdf_timeout_s` and `pdf_memory_mb` (named after the first format that had them) limit the
    worker for every format; `max_chars` caps the text one file may yield. With `corpus_root` the
    worker checks again, right before reading, that the path still resolves inside it (a file
    swapped for a link after the corpus walk is not read).

    Raises:
        SkipFile: the file is unsupported, empty, too large, broken, unsafe, over a limit or has
            no text; `usage` says what reading it cost when the worker ran.
    """
    suffix = path.suffix.lower()
    if suffix not in supported_extensions():
        raise SkipFile(f"nicht unterstütztes Format ({suffix or 'ohne Endung'})")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SkipFile(STATUS_UNREADABLE) from exc
    if size == 0:
        raise SkipFile(STATUS_EMPTY)
    if size > max_bytes:
        raise SkipFile(too_large(size, max_bytes))
    limits = Limits(timeout_s=pdf_timeout_s, memory_mb=pdf_memory_mb, max_chars=max_chars)
    root = str(corpus_root) if corpus_root is not None else None
    task = functools.partial(load_in_worker, suffix, str(path), max_bytes, max_chars, root)
    try:
        loaded, usage = run_bounded(task, limits)
    except TaskFailed as failed:
        raise _skip(failed.status, failed.detail, failed.usage) from failed
    except LimitExceeded as exc:
        status = too_much_text(max_chars) if exc.kind == "output" else _LIMIT_STATUSES[exc.kind]
        raise _skip(status, exc.detail, exc.usage) from exc
    if not loaded.blocks:
        raise _skip(STATUS_NO_TEXT, "", usage)
    return ParsedDocument(meta, loaded.blocks, loaded.pages, notes=loaded.notes, usage=usage)


def _skip(status: str, detail: str, usage: Usage | None) -> SkipFile:
    skip = SkipFile(status, detail)
    skip.usage = usage
    return skip


def load_in_worker(suffix: str, path: str, max_bytes: int, max_chars: int, root: str | None = None) -> Loaded:
    """Worker task: read one file and reduce its markup (runs in the child).

    Raises:
        SkipFile: a status the report shows (sent back to the parent by the worker).
    """
    if root is not None and not corpus_walk.inside(Path(os.path.realpath(root)), Path(path)):
        raise SkipFile(corpus_walk.LINK_OUTSIDE, "resolved outside the corpus at read time")
    try:
        if suffix == ".pdf":
            loaded = load_pdf(Path(path))
        else:
            loaded = _LOADERS[suffix](Path(path), max_bytes, max_chars)
    except PdfProblem as exc:
        raise SkipFile(_PDF_STATUSES[exc.kind], str(exc)) from exc
    except RecursionError as exc:
        raise SkipFile(STATUS_TOO_DEEP, "RecursionError") from exc
    except OSError as exc:
        raise SkipFile(STATUS_UNREADABLE, f"{type(exc).__name__}: {exc}") from exc
    loaded.blocks = reduce_blocks(loaded.blocks)
    return loaded


def _read_text(path: Path, max_chars: int) -> str:
    data = path.read_bytes()
    if len(data) > 4 * max_chars:  # more than 4 bytes per character: over the limit in any encoding
        raise SkipFile(too_much_text(max_chars))
    if looks_binary(data):
        raise SkipFile(STATUS_BINARY)
    text = _decode(data)
    if len(text) > max_chars:  # checked before any cleaning runs over it
        raise SkipFile(too_much_text(max_chars))
    return text


def _decode(data: bytes) -> str:
    for encoding in (bom_encoding(data) or "utf-8-sig", "cp1252"):  # cp1252: older German Windows exports
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")  # decodes any bytes


# --- Markdown, plain text -------------------------------------------------------------------

_ATX = re.compile(r"(#{1,6})(?:[ \t]|$)")
_FENCE = re.compile(r"^\s*(```|~~~)")


def _atx_heading(line: str) -> tuple[int, str] | None:
    """(level, title) of an ATX heading ("## Titel ##"); string methods keep it linear on long lines."""
    stripped = line.strip()
    match = _ATX.match(stripped)
    if not match:
        return None
    title = stripped[match.end() :].strip()
    closing = title.rstrip("#")
    if closing != title and (not closing or closing[-1].isspace()):
        title = closing.strip()
    return len(match.group(1)), title


_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def table_rows(lines: list[str]) -> list[str]:
    """Pipe tables as one "Header: value; …" line per row, as PDF tables are read, so a quoted row keeps
    its column headers and no pipe reaches an answer."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        if "|" in lines[i] and i + 1 < len(lines) and _TABLE_RULE.match(lines[i + 1]):
            header = _cells(lines[i])
            i += 2
            while i < len(lines) and "|" in lines[i] and lines[i].strip():
                pairs = zip(header, _cells(lines[i]), strict=False)
                out.append("; ".join(f"{h}: {v}" if h else v for h, v in pairs if v) + ".")
                i += 1
            continue
        out.append(lines[i])
        i += 1
    return out


def _load_markdown(path: Path, max_bytes: int, max_chars: int) -> Loaded:
    lines = table_rows(cleaning.normalize_text(_read_text(path, max_chars)).split("\n"))
    levels: list[int | None] = []
    in_fence = False
    for i, line in enumerate(lines):
        in_fence = in_fence != bool(_FENCE.match(line))  # "#" in fenced code is no heading
        heading = None if in_fence else _atx_heading(line)
        levels.append(heading[0] if heading else None)
        lines[i] = heading[1] if heading else line  # links and images: reduced for every format
    return Loaded(_text_blocks(lines, levels))


def _load_text(path: Path, max_bytes: int, max_chars: int) -> Loaded:
    lines = cleaning.join_hyphenation(cleaning.normalize_text(_read_text(path, max_chars))).split("\n")
    return Loaded(_text_blocks(lines, cleaning.heading_levels(lines)))


def _text_blocks(lines: list[str], levels: list[int | None]) -> list[TextBlock]:
    blocks: list[TextBlock] = []
    for section, body in cleaning.split_at_headings(lines, levels):
        blocks += make_blocks(cleaning.reflow_lines("\n".join(body)), section)
    return blocks


def _docx(path: Path, max_bytes: int, max_chars: int) -> Loaded:
    return load_docx(path, max_bytes)


def _html(path: Path, max_bytes: int, max_chars: int) -> Loaded:
    return load_html(path, max_bytes)


_LOADERS: dict[str, Callable[[Path, int, int], Loaded]] = {
    ".docx": _docx,
    ".md": _load_markdown,
    ".markdown": _load_markdown,
    ".txt": _load_text,
    ".html": _html,
    ".htm": _html,
}
