"""Read PDFs into text blocks; pypdf runs in a short-lived child under time and memory limits.

Hostile or broken PDFs can make pypdf loop, recurse or inflate streams to gigabytes. Parsing
happens in a child forked from a forkserver that has pypdf preloaded (a fork costs milliseconds;
a fresh child per file also means memory fragmentation never accumulates under the limit).
Cleaning and sectioning then run in the calling process.
"""

from __future__ import annotations

import multiprocessing
import sys
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Literal

from assistant.errors import IngestError
from assistant.types import TextBlock
from ingest import cleaning

ProblemKind = Literal["encrypted", "corrupt", "timeout", "memory", "no_text_layer"]
_STARTUP_GRACE_S = 30.0  # the first call also starts the forkserver (imports pypdf once)


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


def load_pdf(path: Path, *, timeout_s: float, memory_mb: int) -> tuple[list[TextBlock], int]:
    """Return the cleaned text blocks and the page count of a PDF.

    Raises:
        PdfProblem: the file cannot be read or has no text layer.
    """
    _check_frame(path)
    raw = read_pdf(path, timeout_s=timeout_s, memory_mb=memory_mb)
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


def read_pdf(path: Path, *, timeout_s: float, memory_mb: int) -> RawPdf:
    """Parse `path` in a child process; kill it after `timeout_s` seconds.

    Raises:
        PdfProblem: encrypted, corrupt, over the time limit or over the memory limit.
    """
    ctx = _context()
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(sender, str(path), memory_mb), daemon=True)
    process.start()
    sender.close()
    try:
        _await_ready(receiver)
        if not receiver.poll(timeout_s):
            raise PdfProblem("timeout", f"> {timeout_s} s")
        kind, payload = receiver.recv()
    except EOFError as exc:
        # The child died without a word: under RLIMIT_AS that is an allocation failure in C code.
        raise PdfProblem("memory", "worker died") from exc
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receiver.close()
    if kind != "ok":
        raise PdfProblem(kind, str(payload))
    return RawPdf(*payload)


def _await_ready(receiver: Connection) -> None:
    """Wait for the child's "ready"; a child that cannot even start is a setup problem, not the file's."""
    try:
        ready = receiver.poll(_STARTUP_GRACE_S) and receiver.recv() == "ready"
    except EOFError:
        ready = False
    if not ready:
        raise IngestError(
            "The PDF worker process did not start; run ingest from an importable script "
            "(multiprocessing re-imports the main module in the worker)."
        )


def _context() -> Any:
    if sys.platform.startswith("linux") or sys.platform == "darwin":
        ctx = multiprocessing.get_context("forkserver")
        # Replaces the default ["__main__"] preload, which would re-import the caller's script.
        ctx.set_forkserver_preload(["pypdf", "ingest.pdf_worker"])
        return ctx
    return multiprocessing.get_context("spawn")


def _child(conn: Connection, path: str, memory_mb: int) -> None:
    """Child entry point: limit memory, parse, send ("ok", fields) or (problem kind, detail)."""
    conn.send("ready")
    _limit_memory(memory_mb)
    try:
        result: tuple[str, Any] = ("ok", _extract(path))
    except MemoryError:
        result = ("memory", "MemoryError")
    except Exception as exc:
        result = (_classify(exc), f"{type(exc).__name__}: {exc}")
    try:
        conn.send(result)
    except MemoryError:
        conn.send(("memory", "result too large"))
    conn.close()


def _limit_memory(memory_mb: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: no RLIMIT_AS; the wall-clock limit still applies
        return
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _classify(exc: Exception) -> ProblemKind:
    from pypdf.errors import FileNotDecryptedError, LimitReachedError

    if isinstance(exc, FileNotDecryptedError):
        return "encrypted"
    if isinstance(exc, LimitReachedError):
        # pypdf raises this for its own resource caps (decompression output, token counts) and
        # for structural cycles; only the former is a memory problem.
        message = str(exc).lower()
        return "corrupt" if "cycl" in message or "loop" in message else "memory"
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
