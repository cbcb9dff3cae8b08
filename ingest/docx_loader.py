"""Load DOCX files: declared sizes and every XML part checked before python-docx reads anything."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ingest import cleaning
from ingest.loader_base import (
    STATUS_CORRUPT,
    STATUS_DOCX_BOMB,
    STATUS_DOCX_ENCRYPTED,
    STATUS_DOCX_MEMBERS,
    STATUS_UNSAFE_DOCX,
    Loaded,
    SkipFile,
    hidden_dropped,
    make_blocks,
    too_large,
)
from ingest.tables import format_rows

_HEADING = re.compile(r"^(?:heading|überschrift)\s*(\d)$", re.IGNORECASE)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MB = 1024 * 1024
# Zip bombs: python-docx reads every part into memory, so the declared (uncompressed) sizes are
# checked before anything is inflated. zipfile stops at a member's declared size (a lying header
# ends in a CRC error), so the declared figures bound what decompression can produce.
_ZIP_EXPANSION = 20  # all parts together at most this multiple of the file size limit ...
_MAX_TOTAL = 256 * _MB  # ... and never more than this (the worker's memory limit must hold it)
_MAX_RATIO = 200  # deflated XML reaches ~10-30x; a larger ratio on a big part is a bomb
_RATIO_FLOOR = 2 * _MB  # small parts may compress as well as they like
_MAX_MEMBERS = 5000  # a real DOCX has tens of parts


def load_docx(path: Path, max_bytes: int) -> Loaded:
    """Read paragraphs, headings, tables and page breaks of a DOCX."""
    check_docx_zip(path, max_bytes)
    import docx
    from docx.table import Table

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises KeyError/ValueError/lxml errors on broken parts
        raise SkipFile(STATUS_CORRUPT, f"{type(exc).__name__}: {exc}") from exc
    hidden = drop_hidden_runs(document.element.body)
    blocks = []
    section: cleaning.Section = ()
    page = 1
    rendered = document.element.body.find(f".//{_W}lastRenderedPageBreak") is not None
    for item in document.iter_inner_content():
        if isinstance(item, Table):  # one block per row, each value named by its column
            for row in _table_rows(item):
                blocks += make_blocks(row, section, page)
            continue
        breaks_before, breaks_after = _page_breaks(item._p, rendered=rendered)
        page += breaks_before
        text = cleaning.normalize_text(item.text).strip()
        level = _heading_level(item.style.name if item.style is not None else "")
        if level is not None and text:
            section = cleaning.open_heading(section, level, text)
        else:
            blocks += make_blocks(text, section, page)
        page += breaks_after
    return Loaded(blocks, page, [hidden_dropped(hidden)] if hidden else [])


def drop_hidden_runs(body: Any) -> int:
    """Remove runs Word does not show (w:vanish, or a font of at most 1 pt); count those with text.

    Hidden runs are where instructions get planted in a document; they must not reach an answer.
    """
    hidden = 0
    for run in list(body.iter(f"{_W}r")):
        props = run.find(f"{_W}rPr")
        if props is None or not _hides(props):
            continue
        if "".join(t.text or "" for t in run.iter(f"{_W}t")).strip():
            hidden += 1
        run.getparent().remove(run)
    return hidden


def _hides(props: Any) -> bool:
    for tag in ("vanish", "specVanish"):
        flag = props.find(f"{_W}{tag}")
        if flag is not None and flag.get(f"{_W}val", "true").lower() not in ("0", "false", "off"):
            return True
    size = props.find(f"{_W}sz")
    value = size.get(f"{_W}val", "") if size is not None else ""
    return value.isdigit() and int(value) <= 2  # half-points: 2 = 1 pt


def check_docx_zip(path: Path, max_bytes: int) -> None:
    """Reject broken zips, zip bombs and any part declaring a DTD or entities (XXE, billion laughs).

    Raises:
        SkipFile: corrupt, too large once unpacked, a bomb, or an unsafe XML part.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _check_declared_sizes(members, max_bytes)
            for member in members:
                if _declares_dtd(archive.read(member)):
                    raise SkipFile(STATUS_UNSAFE_DOCX, member.filename)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        raise SkipFile(STATUS_CORRUPT, f"{type(exc).__name__}: {exc}") from exc
    except NotImplementedError as exc:  # a compression method zipfile does not know
        raise SkipFile(STATUS_CORRUPT, str(exc)) from exc
    except RuntimeError as exc:  # zipfile: "File ... is encrypted, password required for extraction"
        raise SkipFile(
            STATUS_DOCX_ENCRYPTED if "encrypted" in str(exc) else STATUS_CORRUPT, str(exc)
        ) from exc


def _check_declared_sizes(members: list[zipfile.ZipInfo], max_bytes: int) -> None:
    if len(members) > _MAX_MEMBERS:
        raise SkipFile(STATUS_DOCX_MEMBERS, f"{len(members)} parts")
    total, cap = sum(m.file_size for m in members), min(_ZIP_EXPANSION * max_bytes, _MAX_TOTAL)
    if total > cap:
        raise SkipFile(too_large(total, cap), "declared uncompressed size")
    for member in members:
        if member.file_size > _RATIO_FLOOR and member.file_size > _MAX_RATIO * max(member.compress_size, 1):
            raise SkipFile(
                STATUS_DOCX_BOMB, f"{member.filename}: {member.file_size} / {member.compress_size}"
            )


def _declares_dtd(data: bytes) -> bool:
    """Tell whether a part is an XML document with a DOCTYPE, in whatever encoding it declares.

    lxml decodes the part exactly as python-docx's own lxml parser would (BOM, UTF-16, the
    declared encoding), so a DTD cannot hide behind an encoding or a part name; the parser neither
    loads DTDs nor resolves entities while looking. A part lxml cannot parse (an image) cannot be
    parsed by python-docx either, so it carries no DTD that could take effect.
    """
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return _mentions_dtd(data[:65536])  # e.g. an entity loop libxml2 refuses: still unsafe
    if root is None:
        return False
    info = root.getroottree().docinfo
    return bool(info.doctype) or info.internalDTD is not None or info.externalDTD is not None


def _mentions_dtd(head: bytes) -> bool:
    """Look for a DOCTYPE/ENTITY declaration in the common Unicode encodings of a broken part."""
    for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
        text = head.decode(encoding, errors="ignore").upper()
        if "<!DOCTYPE" in text or "<!ENTITY" in text:
            return True
    return False


def _heading_level(style_name: str) -> int | None:
    if style_name.strip().lower() == "title":
        return 0
    match = _HEADING.match(style_name.strip())
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
    """One "Header: value; …" line per row (`ingest.tables`), the first row naming the columns."""
    grid: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:  # merged cells come back repeatedly; keep each once
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(cleaning.normalize_text(cell.text).split()))
        grid.append(cells)
    yield from format_rows(grid)
