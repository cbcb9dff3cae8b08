"""Load corpus files (PDF, DOCX, Markdown, text, HTML) into cleaned, sectioned text blocks."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from assistant.types import DocumentMeta, LoadedDocument, TextBlock
from ingest import cleaning
from ingest.pdf_worker import PdfProblem, load_pdf

# German per-file statuses, shown in the ingest report.
STATUS_ENCRYPTED = "passwortgeschützt"
STATUS_NO_TEXT_LAYER = "kein Textlayer – OCR nötig"
STATUS_CORRUPT = "beschädigt oder unvollständig"
STATUS_EMPTY = "leere Datei"
STATUS_NO_TEXT = "kein verwertbarer Text"
STATUS_UNREADABLE = "Datei nicht lesbar"
STATUS_TIMEOUT = "Zeitlimit beim Lesen überschritten"
STATUS_MEMORY = "Speicherlimit beim Lesen überschritten"
STATUS_UNSAFE_DOCX = "unsichere DOCX (DTD/Entity)"
_PDF_STATUSES = {
    "encrypted": STATUS_ENCRYPTED,
    "corrupt": STATUS_CORRUPT,
    "timeout": STATUS_TIMEOUT,
    "memory": STATUS_MEMORY,
    "no_text_layer": STATUS_NO_TEXT_LAYER,
}
_MB = 1024 * 1024
_ZIP_EXPANSION = 20  # a DOCX may unpack to at most this multiple of the size limit (zip bombs)

Loaded = tuple[list[TextBlock], int]  # blocks and page count


class SkipFile(Exception):
    """A file cannot be ingested; `reason` is a short German status for the report."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def supported_extensions() -> set[str]:
    """Return the file extensions `load_file` understands (lower case, with dot)."""
    return set(_LOADERS) | {".pdf"}


def load_file(
    path: Path, meta: DocumentMeta, *, max_bytes: int, pdf_timeout_s: float, pdf_memory_mb: int
) -> LoadedDocument:
    """Load one file into text blocks, dispatching on its extension.

    Raises:
        SkipFile: the file is unsupported, empty, too large, broken, unsafe or has no text.
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
        raise SkipFile(_too_large(size, max_bytes))
    try:
        if suffix == ".pdf":
            blocks, pages = load_pdf(path, timeout_s=pdf_timeout_s, memory_mb=pdf_memory_mb)
        else:
            blocks, pages = _LOADERS[suffix](path, max_bytes)
    except PdfProblem as exc:
        raise SkipFile(_PDF_STATUSES[exc.kind]) from exc
    except OSError as exc:
        raise SkipFile(STATUS_UNREADABLE) from exc
    if not blocks:
        raise SkipFile(STATUS_NO_TEXT)
    return LoadedDocument(meta=meta, blocks=blocks, pages=pages)


def _too_large(size: int, limit: int) -> str:
    shown, cap = f"{size / _MB:.1f}", f"{limit / _MB:.1f}"
    if shown == cap:
        shown = f"{size / _MB:.2f}"
    return f"zu groß ({_german_number(shown)} MB > {_german_number(cap)} MB)"


def _german_number(value: str) -> str:
    return value.removesuffix(".0").replace(".", ",")


def _blocks(text: str, section: cleaning.Section, page: int = 1) -> list[TextBlock]:
    path = cleaning.section_path(section)
    return [TextBlock(p, str(page), page, path) for p in cleaning.paragraphs(text)]


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):  # cp1252: older German Windows exports
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


# --- DOCX -----------------------------------------------------------------------------------

_DOCX_HEADING = re.compile(r"^(?:heading|überschrift)\s*(\d)$", re.IGNORECASE)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _load_docx(path: Path, max_bytes: int) -> Loaded:
    _check_docx_zip(path, max_bytes)
    import docx
    from docx.table import Table

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises KeyError/ValueError/lxml errors on broken parts
        raise SkipFile(STATUS_CORRUPT) from exc
    blocks: list[TextBlock] = []
    section: cleaning.Section = ()
    page = 1
    rendered = document.element.body.find(f".//{_W}lastRenderedPageBreak") is not None
    for item in document.iter_inner_content():
        if isinstance(item, Table):  # one block per row, cells joined with " | "
            for row in _table_rows(item):
                blocks += _blocks(row, section, page)
            continue
        breaks_before, breaks_after = _page_breaks(item._p, rendered=rendered)
        page += breaks_before
        text = cleaning.normalize_text(item.text).strip()
        level = _docx_heading_level(item.style.name if item.style is not None else "")
        if level is not None and text:
            section = cleaning.open_heading(section, level, text)
        else:
            blocks += _blocks(text, section, page)
        page += breaks_after
    return blocks, page


def _check_docx_zip(path: Path, max_bytes: int) -> None:
    """Reject broken zips, zip bombs and any part declaring a DTD or entities (XXE, billion laughs)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if sum(m.file_size for m in members) > _ZIP_EXPANSION * max_bytes:
                raise SkipFile(_too_large(sum(m.file_size for m in members), _ZIP_EXPANSION * max_bytes))
            for member in members:
                if member.filename.endswith((".xml", ".rels")) and _declares_dtd(archive, member):
                    raise SkipFile(STATUS_UNSAFE_DOCX)
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise SkipFile(STATUS_CORRUPT) from exc


def _declares_dtd(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    tail = b""
    with archive.open(member) as stream:
        while block := stream.read(1 << 16):
            window = (tail + block).upper()
            if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                return True
            tail = block[-16:]
    return False


def _docx_heading_level(style_name: str) -> int | None:
    if style_name.strip().lower() == "title":
        return 0
    match = _DOCX_HEADING.match(style_name.strip())
    return int(match.group(1)) if match else None


def _page_breaks(paragraph: Any, *, rendered: bool) -> tuple[int, int]:
    """Count page breaks before and after the paragraph's text.

    Word stores both hard breaks and the breaks of its last layout run (lastRenderedPageBreak);
    counting both would count a hard break twice, so only one kind is used per document.
    """
    tags = (f"{_W}lastRenderedPageBreak",) if rendered else (f"{_W}br",)
    hard_before = not rendered and paragraph.find(f"{_W}pPr/{_W}pageBreakBefore") is not None
    before, after, seen_text = int(hard_before), 0, False
    for el in paragraph.iter(f"{_W}t", *tags):
        if el.tag == f"{_W}t":
            seen_text = seen_text or bool(el.text and el.text.strip())
        elif rendered or el.get(f"{_W}type") == "page":
            after, before = (after + 1, before) if seen_text else (after, before + 1)
    return before, after


def _table_rows(table: Any) -> Iterator[str]:
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:  # merged cells come back repeatedly; keep each once
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            text = " ".join(cleaning.normalize_text(cell.text).split())
            if text:
                cells.append(text)
        yield " | ".join(cells)


# --- Markdown, plain text -------------------------------------------------------------------

_ATX = re.compile(r"^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def _load_markdown(path: Path, max_bytes: int) -> Loaded:
    lines = cleaning.normalize_text(_read_text(path)).split("\n")
    levels: list[int | None] = []
    in_fence = False
    for i, line in enumerate(lines):
        in_fence = in_fence != bool(_FENCE.match(line))  # "#" in fenced code is no heading
        match = None if in_fence else _ATX.match(line)
        levels.append(len(match.group(1)) if match else None)
        lines[i] = match.group(2) if match else _MD_LINK.sub(r"\1", line)
    return _text_blocks(lines, levels), 1


def _load_text(path: Path, max_bytes: int) -> Loaded:
    lines = cleaning.join_hyphenation(cleaning.normalize_text(_read_text(path))).split("\n")
    return _text_blocks(lines, cleaning.heading_levels(lines)), 1


def _text_blocks(lines: list[str], levels: list[int | None]) -> list[TextBlock]:
    blocks: list[TextBlock] = []
    for section, body in cleaning.split_at_headings(lines, levels):
        blocks += _blocks(cleaning.reflow_lines("\n".join(body)), section)
    return blocks


# --- HTML -----------------------------------------------------------------------------------

_DROP_TAGS = ["nav", "header", "footer", "aside", "script", "style", "form", "noscript", "template", "svg"]
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_TEXT_TAGS = (*_HEADINGS, "p", "li", "tr", "pre", "blockquote", "dt", "dd", "figcaption", "caption")


def _load_html(path: Path, max_bytes: int) -> Loaded:
    from bs4 import BeautifulSoup

    # lxml's HTML parser never loads external DTDs or entities.
    soup = BeautifulSoup(path.read_bytes(), "lxml")
    content = soup.find("main") or soup.find("article")
    root = content or soup.body or soup
    # Inside <main>/<article> a <header> holds the article's own title; elsewhere it is page chrome.
    for tag in root.find_all([t for t in _DROP_TAGS if not (content and t == "header")]):
        tag.decompose()
    blocks: list[TextBlock] = []
    section: cleaning.Section = ()
    for element in root.find_all([*_TEXT_TAGS, "div", "section"]):
        if element.find_parent(_TEXT_TAGS) is not None:
            continue  # text already taken with its enclosing element
        if element.name in ("div", "section") and element.find([*_TEXT_TAGS, "div", "section"]):
            continue  # a container; only loose text in leaf divs counts as a block
        text = _element_text(element)
        if element.name in _HEADINGS:
            section = cleaning.open_heading(section, int(element.name[1]), text) if text else section
        else:
            blocks += _blocks(text, section)
    return blocks, 1


def _element_text(element: Any) -> str:
    if element.name == "tr":
        cells = (_element_text(cell) for cell in element.find_all(["td", "th"]))
        return " | ".join(cell for cell in cells if cell)
    text = cleaning.normalize_text(element.get_text(" " if element.name != "pre" else ""))
    if element.name == "pre":
        return text.strip()
    return " ".join(text.split())


_LOADERS: dict[str, Callable[[Path, int], Loaded]] = {
    ".docx": _load_docx,
    ".md": _load_markdown,
    ".markdown": _load_markdown,
    ".txt": _load_text,
    ".html": _load_html,
    ".htm": _load_html,
}
