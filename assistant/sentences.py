"""German sentence splitting, shared by the chunker (ingest) and the extractive answerer."""

from __future__ import annotations

import re
from collections.abc import Iterator

# Words that end with a period but never end a sentence in German administrative prose.
# fmt: off
_ABBREVIATIONS = frozenset([
    "abs", "abb", "akt", "allg", "anm", "bd", "bspw", "bzgl", "bzw", "ca", "dr", "evtl", "ff",
    "gem", "ggf", "hrsg", "inkl", "insb", "jh", "kap", "lt", "max", "min", "mio", "mrd", "nr",
    "prof", "sog", "st", "str", "tab", "tel", "tsd", "vgl", "vs", "zt", "zzgl",
])
# fmt: on
# Candidate boundary: sentence mark(s), optional closing quote/bracket, whitespace, then a capital,
# a digit or an opening quote.
_BOUNDARY = re.compile(r"([.!?…]+)[\"'”“»«)\]]*\s+(?=[\"'„“»«(\[]?[A-ZÄÖÜ0-9])")
_INLINE_BULLET = re.compile(r"\s+(?=[•▪‣◦]\s)")
_WORD_BEFORE = re.compile(r"(\S+)$")
_ORDINAL = re.compile(r"\(?\d{1,3}")  # "6. Juni", "1. Zukunftsforum" (years have four digits)


def split_sentences(text: str) -> list[str]:
    """Split German text into sentences; every line and every bullet inside a line (list items that a
    PDF reader or the line joiner ran together: "… Maschinenbau. • Die Analyse …") starts a new one."""
    sentences: list[str] = []
    for line in text.split("\n"):
        for item in _INLINE_BULLET.split(line):
            sentences.extend(_split_line(item))
    return sentences


def _split_line(line: str) -> Iterator[str]:
    start = 0
    for match in _BOUNDARY.finditer(line):
        # Only the word before the mark matters: a bounded window keeps long lines linear.
        if _is_boundary(line[max(0, match.start(1) - 64) : match.start(1)], match.group(1)):
            piece = line[start : match.end()].strip()
            if piece:
                yield piece
            start = match.end()
    rest = line[start:].strip()
    if rest:
        yield rest


def _is_boundary(before: str, marks: str) -> bool:
    if marks != ".":
        # "!", "?", "…" end a sentence before a capital; a detached "…" marks an omission
        return not (marks.strip(".…") == "" and before[-1:].isspace())
    found = _WORD_BEFORE.search(before)
    if not found:
        return False
    word = found.group(1)
    bare = word.lstrip("(\"'„»")
    if len(bare) == 1 and bare.isalpha():
        return False  # "z. B.", "u. a.", "d. h.", "e. V.", "S. 12", initials
    if "." in bare and bare.replace(".", "").isalpha():
        return False  # "z.B.", "d.h.", "u.a."
    if _ORDINAL.fullmatch(word):
        return False  # "6. Juni 2024", "am 16. Mai", "3. Kongress"
    return bare.casefold() not in _ABBREVIATIONS
