"""Find page furniture in extracted page texts: running heads/footers, page numbers, TOC pages."""

from __future__ import annotations

import math
import re
from collections import Counter

_ROMAN = r"(?=[ivxlcdm])m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"
_PAGE_NUMBER = re.compile(
    rf"^(?:[-–]\s*)?(?:seite\s+)?(?:\d{{1,3}}|{_ROMAN})(?:\s*(?:von|/)\s*\d{{1,3}})?(?:\s*[-–])?$",
    re.IGNORECASE,
)
_EDGE_LINES = 5  # running headers/footers live in the first/last lines of a page (some have four lines)
# Heads that change with the chapter ("Kapitel 2. Wissensdatenbank") or alternate between odd and
# even pages ("© 2010-2017 … 35" / "… Kapitel 2") are on fewer than half of the pages; they are
# found by comparing the outer lines with the pages nearby instead.
_NEIGHBOUR_DEPTH = 2
_NEIGHBOUR_WINDOW = 4
_TOC_TITLES = ("inhalt", "inhaltsverzeichnis", "inhaltsübersicht", "contents", "table of contents")
_PAGE_REF = rf"(?:\d{{1,4}}|{_ROMAN})"
_DOT_LEADER = re.compile(r"(?:\.\s?){4,}|(?:…\s?){2,}|(?:·\s?){4,}")
_TOC_LINE = re.compile(
    rf"^(?:\d{{1,2}}(?:\.\d{{1,2}}){{0,4}}\.?|[A-Z]\.?(?:\d{{1,2}}\.?)*)\s+\S.*\s({_PAGE_REF})$"
)
_DOT_LEADER_LINE = re.compile(rf"(?:\.\s?){{4,}}\s*{_PAGE_REF}\s*$", re.IGNORECASE)


def strip_repeating_lines(pages: list[str]) -> list[str]:
    """Remove running headers/footers and bare page numbers from the edges of each page."""
    split = [page.split("\n") for page in pages]
    counts: Counter[str] = Counter()
    outer_keys: list[set[str]] = []
    for lines in split:
        counts.update({_line_key(lines[i]) for i in _edge_indices(lines) if lines[i].strip()})
        outer = _edge_indices(lines, depth=_NEIGHBOUR_DEPTH)
        outer_keys.append({_line_key(lines[i]) for i in outer if _has_letters(lines[i])})
    threshold = max(3, math.ceil(len(pages) / 2))
    repeating = {key for key, n in counts.items() if n >= threshold}
    needed = 1 if len(pages) >= 5 else 2  # two short pages sharing a line are no evidence
    out = []
    for index, lines in enumerate(split):
        nearby = _nearby_keys(outer_keys, index, needed)
        edges, outer = _edge_indices(lines), _edge_indices(lines, depth=2)
        kept = [
            line
            for i, line in enumerate(lines)
            if not _is_running(line, i in edges, i in outer, repeating | (nearby if i in outer else set()))
        ]
        first = next((i for i, line in enumerate(kept) if line.strip()), None)
        if first is not None:
            kept[first] = _strip_head_prefix(kept[first], repeating)
        out.append("\n".join(kept).strip("\n"))
    if not any(_has_letters(page) for page in out) and any(_has_letters(page) for page in pages):
        # Every line with words repeats on every page (a register, one line per page): that is
        # the document's text, not its running head. Keep it; drop only the page numbers.
        return [
            "\n".join(s for s in lines if not _PAGE_NUMBER.match(s.strip())).strip("\n") for lines in split
        ]
    return out


def _strip_head_prefix(line: str, repeating: set[str]) -> str:
    """Cut a running head that extraction ran into the first text line ("Debian-Referenz 35 / 248 BRE …")."""
    tokens = line.split()
    for n in range(min(8, len(tokens) - 1), 1, -1):
        if _line_key(" ".join(tokens[:n])) in repeating:
            return " ".join(tokens[n:])
    return line


def _nearby_keys(outer_keys: list[set[str]], index: int, needed: int) -> set[str]:
    """Outer-line keys of this page that also sit on the outer lines of `needed` pages nearby."""
    seen: Counter[str] = Counter()
    for other in range(
        max(0, index - _NEIGHBOUR_WINDOW), min(len(outer_keys), index + _NEIGHBOUR_WINDOW + 1)
    ):
        if other != index:
            seen.update(outer_keys[index] & outer_keys[other])
    return {key for key, n in seen.items() if n >= needed}


def _has_letters(line: str) -> bool:
    return sum(ch.isalpha() for ch in line) >= 3


def _is_running(line: str, at_edge: bool, outermost: bool, repeating: set[str]) -> bool:
    """A running header/footer line, or a page number.

    A bare number counts as a page number only on the outermost lines (deeper it may be a table
    cell); a repeating "Seite 5" goes wherever extraction put it.
    """
    page_number = bool(_PAGE_NUMBER.match(line.strip()))
    repeated = _line_key(line) in repeating
    if outermost and page_number:
        return True
    if at_edge and repeated:
        return True
    return page_number and repeated and not line.strip().isdigit()


def _edge_indices(lines: list[str], depth: int = _EDGE_LINES) -> set[int]:
    filled = [i for i, line in enumerate(lines) if line.strip()]
    edge = min(depth, max(3, len(filled) // 3))  # short pages: only their outer lines are edges
    return set(filled[:edge] + filled[-edge:])


def _line_key(line: str) -> str:
    """Digit-masked, space-free form: "Seite 3"/"Seite 4"/"Seite ii" and a glued copy count as one line."""
    key = re.sub(r"\d+", "#", " ".join(line.split()).casefold())
    key = re.sub(rf"\b{_ROMAN}\b$", "#", key)
    return key.replace(" ", "")


def is_table_of_contents(page: str) -> bool:
    """Tell a table-of-contents page (also lists of tables/figures), wherever it sits.

    Signs: dot leaders before page numbers, or a column of numbered headings ending in ascending
    page numbers, or an "Inhalt" title over lines ending in page numbers.
    """
    lines = [line.strip() for line in page.split("\n") if line.strip()]
    if not lines:
        return False
    leaders = sum(1 for line in lines if _DOT_LEADER_LINE.search(line) or _DOT_LEADER.search(line))
    if leaders >= 3 and leaders >= 0.3 * len(lines):
        return True
    numbered = [m.group(1) for line in lines if (m := _TOC_LINE.match(line))]
    arabic = [int(n) for n in numbered if n.isdigit()]
    if len(numbered) >= 5 and len(numbered) >= 0.5 * len(lines) and arabic == sorted(arabic):
        return True
    titled = any(line.casefold().rstrip(":") in _TOC_TITLES for line in lines[:4])
    page_refs = sum(1 for line in lines if re.search(r"(?:^|\s)(?:\d{1,3}|[ivx]{1,4})$", line))
    return titled and page_refs >= 3


def drop_leader_lines(page: str) -> str:
    """Remove single TOC-style lines ("Upgrade . . . . 70") left on pages that are no TOC."""
    return "\n".join(line for line in page.split("\n") if not _DOT_LEADER_LINE.search(line))
