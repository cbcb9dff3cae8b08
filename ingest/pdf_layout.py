"""Re-read chosen PDF pages from glyph positions: word spaces, columns and tables.

pypdf stays the reader for every page (the product owner named it, and it is fast). It decides
word gaps from the font's space width; TeX output (xdvipdfmx, pdfTeX) often declares no space
glyph, pypdf then assumes a width larger than the real inter-word gap and the words of a line run
together ("EineInternet-MailinglisteisteineMöglichkeit"). pypdf also returns no glyph positions,
so it cannot find columns or table cells. pdfplumber (MIT, on pdfminer.six) gives every word with
its box and finds ruled tables; it is several times slower than pypdf, so only pages whose pypdf
text shows one of these faults are read again with it. Runs inside the bounded ingest worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from ingest.pdf_text import CELL_BREAK
from ingest.tables import format_rows

_X_TOLERANCE = 1.5  # points; TeX's smallest inter-word gap at 10 pt is about 2.2 pt, kerning < 1 pt
_LINE_TOLERANCE = 3.0  # points between word tops that still count as one line
_GUTTER_MIN = 9.0  # points of empty width that separate two columns
_MIN_EDGES_FOR_TABLES = 6  # fewer ruling lines cannot frame a table with a header row
_MAX_TABLE_CELLS = 20_000  # a page with more cells is read as text (pathological grids)
# Re-reading improves a page but is not needed to index it: at most this many pages per file
# (~0.15 s each), so a 300-page manual stays well inside the worker's time limit. A page count,
# not seconds, keeps the output (and the chunk ids) the same on a busy machine.
REREAD_MAX_PAGES = 40
_HEAD_BAND = 0.06  # share of the page height at top and bottom that holds running heads/footers


@dataclass(frozen=True)
class PageLayout:
    """The text of one re-read page (lines in reading order) and how many table rows it holds."""

    text: str
    table_rows: int = 0
    columns: int = 1


@dataclass(frozen=True)
class _Word:
    text: str
    x0: float
    x1: float
    top: float


def read_layouts(path: Path, indices: list[int], max_pages: int = REREAD_MAX_PAGES) -> dict[int, PageLayout]:
    """Read the first `max_pages` of the given 0-based pages with pdfplumber.

    Pages it cannot read, and pages over the budget, are left out (they keep pypdf's text).
    """
    import pdfplumber

    out: dict[int, PageLayout] = {}
    with pdfplumber.open(str(path)) as pdf:
        for index in indices[:max_pages]:
            page = pdf.pages[index]
            try:
                out[index] = _read_page(page)
            except (ValueError, KeyError, TypeError, AttributeError, IndexError, ZeroDivisionError):
                continue  # pdfminer on a damaged page: keep pypdf's text for it
            finally:
                page.close()
    return out


def _read_page(page: Any) -> PageLayout:
    tables = _tables(page)
    boxes = [bbox for bbox, _ in tables]
    words = [
        _Word(w["text"], float(w["x0"]), float(w["x1"]), float(w["top"]))
        for w in page.extract_words(x_tolerance=_X_TOLERANCE, keep_blank_chars=False)
        if not any(_inside(w, box) for box in boxes)
    ]
    lines = _lines(words)
    # A table's cell columns would pass for text columns; pages with a table are read in one column.
    gutter = None if tables else _gutter(lines, float(page.width))
    placed: list[tuple[float, int, str]] = []  # (top, order, text): tables slot in by position
    if gutter is None:
        placed += [(line[0].top, 0, _join(line)) for line in lines]
    else:
        placed += _column_order(lines, gutter)
    rows = 0
    for box, table_rows in tables:
        rows += len(table_rows)
        placed.append((box[1], 0, "\n\n" + "\n\n".join(table_rows) + "\n\n"))  # a paragraph per row
    placed.sort(key=lambda item: (item[1], item[0]) if gutter is not None else (item[0], item[1]))
    return PageLayout("\n".join(text for _, _, text in placed), rows, 1 if gutter is None else 2)


def _inside(word: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = box
    mid_x, mid_y = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return x0 <= mid_x <= x1 and top <= mid_y <= bottom


def _lines(words: list[_Word]) -> list[list[_Word]]:
    lines: list[list[_Word]] = []
    for word in sorted(words, key=lambda w: (round(w.top), w.x0)):
        if lines and abs(lines[-1][0].top - word.top) <= _LINE_TOLERANCE:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w.x0) for line in lines]


def _join(words: list[_Word]) -> str:
    return " ".join(w.text for w in words)


def _gutter(lines: list[list[_Word]], width: float) -> float | None:
    """The x of an empty vertical strip in the middle third with text on both sides, or None.

    Column baselines need not align (headings, other font sizes), so sides are counted per line:
    a gutter has few lines crossing it and many lines on each side.
    """
    if len(lines) < 6:
        return None
    best: tuple[int, float] | None = None
    margin = _GUTTER_MIN / 2
    for step in range(int(width * 0.33), int(width * 0.67), 2):
        x = float(step)
        crossing = sum(1 for line in lines if any(w.x0 - margin < x < w.x1 + margin for w in line))
        left = sum(1 for line in lines if line[0].x1 < x)
        right = sum(1 for line in lines if line[-1].x0 > x)
        sides = min(left, right)
        if crossing <= 0.05 * len(lines) and sides >= 0.3 * len(lines) and (best is None or sides > best[0]):
            best = (sides, x)
    return None if best is None else best[1]


def _column_order(lines: list[list[_Word]], gutter: float) -> list[tuple[float, int, str]]:
    """Left column, then right column; a line spanning the gutter (a title) closes both.

    Head and foot lines set apart from the text stay whole: a running head ("ITAS-Charta 3.0 …
    Juni 2025") has parts on both sides and must match its copies on pages without columns.
    """
    placed: list[tuple[float, int, str]] = []
    band = 0
    outer = _furniture(lines)
    for number, line in enumerate(lines):
        left = [w for w in line if w.x1 <= gutter]
        right = [w for w in line if w.x0 >= gutter]
        if len(left) + len(right) < len(line) or (number in outer and left and right):
            band += 2
            placed.append((line[0].top, band, _join(line)))
            band += 1
            continue
        if left:
            placed.append((left[0].top, band + 1, _join(left)))
        if right:
            placed.append((right[0].top, band + 2, _join(right)))
    return placed


def _furniture(lines: list[list[_Word]]) -> set[int]:
    """Indices of the top and bottom line when they stand apart (a wider gap than the leading)."""
    tops = [line[0].top for line in lines]
    gaps = sorted(b - a for a, b in pairwise(tops))
    if not gaps:
        return set()
    leading = gaps[len(gaps) // 2]
    found: set[int] = set()
    if len(tops) > 1 and tops[1] - tops[0] > 1.6 * leading:
        found.add(0)
    if len(tops) > 1 and tops[-1] - tops[-2] > 1.6 * leading:
        found.add(len(tops) - 1)
    return found


def _tables(page: Any) -> list[tuple[tuple[float, float, float, float], list[str]]]:
    """Ruled tables as (bbox, rows); each row names its cells by the header row."""
    if len(page.edges) < _MIN_EDGES_FOR_TABLES:
        return []
    # Running heads sit in the outer bands, often over a rule that the table finder would take
    # for a table edge; finding tables inside the type area keeps the head out of the first row.
    band = float(page.height) * _HEAD_BAND
    found = []
    for table in page.crop((0, band, float(page.width), float(page.height) - band)).find_tables():
        cells = table.extract()
        if len(cells) < 2 or sum(len(row) for row in cells) > _MAX_TABLE_CELLS:
            continue
        if sum(1 for cell in cells[0] if cell and cell.strip()) < 2:
            continue  # one named column: rules around a listing or a box, not a table
        found.append((tuple(table.bbox), table_rows(cells)))
    return found  # type: ignore[return-value]


def table_rows(cells: list[list[str | None]]) -> list[str]:
    """Rows as "Header: value; Header: value" lines (the first row is the header)."""
    return format_rows([[_cell_text(cell) for cell in row] for row in cells])


def _cell_text(cell: str | None) -> str:
    """Join a cell's lines; where a narrow column may have broken a word, leave CELL_BREAK.

    Whether "Verantw" + "ortlich" is one word is decided later against the document's vocabulary
    (`pdf_text.resolve_cell_breaks`); a line ending in a hyphen before a lower-case line joins now.
    """
    lines = [line.strip() for line in (cell or "").split("\n") if line.strip()]
    if not lines:
        return ""
    text = lines[0]
    for line in lines[1:]:
        if text.endswith("-") and text[-2:-1].isalpha():
            text = text[:-1] + line if line[0].islower() else text + line  # "Annaberg-Buchholz"
        elif text[-1].isalnum() and (line[0].islower() or line[0].isdigit()):
            text += CELL_BREAK + line
        else:
            text += " " + line
    return text
