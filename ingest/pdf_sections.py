"""Match a PDF's bookmarks to the headings printed on its pages.

Bookmarks often carry the title without its number ("Wo man Hilfe bekommen kann") while the page
prints "1.4 Wo man Hilfe bekommen kann"; in narrow columns a printed heading wraps over two or three
lines; glued extraction drops the spaces. Keys therefore ignore numbering, case and whitespace,
and a heading may span up to three lines. The printed wording becomes the section label.
"""

from __future__ import annotations

import re

_NUMBERING = re.compile(
    r"^(?:(?:kapitel|chapter|anhang|appendix|teil)\s*)?(?:\d{1,3}|[a-z])(?:\.\d{1,3})*\.?(?=\s|[^\w.])\s*",
    re.IGNORECASE,
)
_CHAPTER_LINE = re.compile(r"^(?:kapitel|chapter|anhang|appendix|teil)\s+[\w.]{1,4}$", re.IGNORECASE)
_MAX_HEADING_LINES = 3


def heading_key(text: str) -> str:
    """Compare form of a heading: no numbering, case, whitespace or trailing punctuation."""
    text = " ".join(text.split())
    stripped = _NUMBERING.sub("", text, count=1)
    text = stripped if len(stripped) >= 3 else text
    return re.sub(r"\s+", "", text).casefold().rstrip(".:")


def match_bookmarks(
    lines: list[str], bookmarks: list[tuple[int, str]]
) -> tuple[list[str], list[int | None], list[tuple[int, str]]]:
    """Find the printed lines of each bookmark on one page.

    Args:
        lines: the page's lines.
        bookmarks: (depth, title) of the bookmarks that point to this page, in outline order.

    Returns:
        The lines with each matched heading joined into its first line (continuation lines and
        a "Kapitel 3" line above it removed), the heading level of each returned line (None for
        body lines), and the bookmarks not found in print.
    """
    keys = [(heading_key(line), _plain_key(line)) for line in lines]
    levels: list[int | None] = [None] * len(lines)
    merged = list(lines)
    drop: set[int] = set()
    unprinted = []
    start = 0
    for depth, title in bookmarks:
        found = _find(keys, heading_key(title), start, drop)
        if found is None:
            unprinted.append((depth, title))
            continue
        first, last = found
        merged[first] = " ".join(" ".join(lines[first : last + 1]).split())
        levels[first] = depth
        drop.update(range(first + 1, last + 1))
        if first > 0 and _CHAPTER_LINE.match(lines[first - 1].strip()):
            drop.add(first - 1)
        start = last + 1
    kept = [i for i in range(len(lines)) if i not in drop]
    return [merged[i] for i in kept], [levels[i] for i in kept], unprinted


def _plain_key(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold().rstrip(".:")


def _find(keys: list[tuple[str, str]], target: str, start: int, taken: set[int]) -> tuple[int, int] | None:
    """First line range (from `start`, else anywhere) whose joined keys equal the target key.

    The first line is compared without its numbering, continuation lines as they are.
    """
    if not target:
        return None
    for begin in (start, 0):
        for first in range(begin, len(keys)):
            if first in taken or not keys[first][0] or not target.startswith(keys[first][0][:3]):
                continue
            joined = keys[first][0]
            for last in range(first, min(len(keys), first + _MAX_HEADING_LINES)):
                if last > first:
                    joined += keys[last][1]
                if joined == target:
                    return first, last
                if not target.startswith(joined):
                    break
    return None
