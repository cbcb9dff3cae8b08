"""Judge and mend extracted PDF page text: lost word spaces, words broken by narrow columns."""

from __future__ import annotations

import re
from collections import Counter

GLUE_RUN = 20  # letters in a row (the measure; German compounds reach it too)
# A glued run: 20+ letters with a capital inside ("GrundlagenfürdieKonsole": German nouns are
# capitalised, so glued sentences have them) or 35+ letters (no German compound is that long).
_GLUED_RUN = re.compile(r"[^\W\d_]*[a-zäöüß][A-ZÄÖÜ][^\W\d_]*|[^\W\d_]{35,}")
_GLUED_PAGE_SHARE = 0.02  # share of a page's characters in glued runs that marks it as glued
_LETTER_RUN = re.compile(rf"[^\W\d_]{{{GLUE_RUN},}}")
_SHORT_LINE = 40  # characters; table cells and narrow columns come out as many short lines
_SHORT_RUN = 8  # short lines in a row: cells of a table
_TABLE_CAPTION = re.compile(r"^(?:Tabelle|Tab\.)\s+\d+(?:\.\d+)*\s*[:.]", re.MULTILINE)
_TOKEN_EDGE = "„“”\"'‚‘’()[]{}.,;:!?"
_MAX_PARTS = 4
# Marks a line break inside a table cell that may have split a word ("Zeitrau" / "m").
CELL_BREAK = "\ue000"
_CELL_BREAK_AT = re.compile(
    rf"(\S*){CELL_BREAK}(\S*)"
)  # "Handl ungsfe ld": a word split over up to four cell lines


def long_run_chars(text: str) -> tuple[int, int]:
    """(characters in runs of >= GLUE_RUN letters, non-space characters) of a text."""
    glued = sum(len(run) for run in _LETTER_RUN.findall(text))
    return glued, sum(1 for ch in text if not ch.isspace())


def glued_chars(text: str) -> tuple[int, int]:
    """(characters in glued runs, non-space characters) of a text."""
    glued = sum(len(run) for run in _GLUED_RUN.findall(text) if len(run) >= GLUE_RUN)
    return glued, sum(1 for ch in text if not ch.isspace())


def is_glued(text: str) -> bool:
    """Tell a page whose extraction lost its word spaces (glued letter runs)."""
    glued, total = glued_chars(text)
    return glued >= 2 * GLUE_RUN and glued >= _GLUED_PAGE_SHARE * total


def looks_tabular(text: str) -> bool:
    """Tell a page that may hold a table or columns (worth reading glyph positions).

    Signs in pypdf's text: a "Tabelle 3" caption, mostly short lines, or a run of short lines
    (each table cell comes out on a line of its own).
    """
    if _TABLE_CAPTION.search(text):
        return True
    lengths = [len(line.strip()) for line in text.split("\n") if line.strip()]
    short = [n < _SHORT_LINE for n in lengths]
    if len(lengths) >= 12 and sum(short) >= 0.6 * len(lengths):
        return True
    run = longest = 0
    for is_short in short:
        run = run + 1 if is_short else 0
        longest = max(longest, run)
    return longest >= _SHORT_RUN


def pages_to_reread(texts: list[str]) -> list[int]:
    """0-based pages whose pypdf text is glued (first) or looks like a table/columns (then)."""
    glued = [i for i, text in enumerate(texts) if is_glued(text)]
    return glued + [i for i, text in enumerate(texts) if looks_tabular(text) and i not in set(glued)]


def vocabulary(texts: list[str]) -> Counter[str]:
    """Case-folded word counts of a document (its own spelling decides what a word is).

    Tokens touching a table-cell break are left out: they may be pieces of a word.
    """
    counts: Counter[str] = Counter()
    for text in texts:
        tokens = (t for t in text.split() if CELL_BREAK not in t)
        counts.update(token.strip(_TOKEN_EDGE).casefold() for token in tokens)
    return counts


def resolve_cell_breaks(text: str, vocab: Counter[str]) -> str:
    """Decide each table-cell line break: one word ("Zeitrau|m", "2025–202|6") or two words.

    Pieces join when the document knows the whole word, or knows neither piece, or they are the
    digits of one number; otherwise the break was between words.
    """
    while CELL_BREAK in text:
        text = _CELL_BREAK_AT.sub(lambda m: _cell_join(m.group(1), m.group(2), vocab), text, count=1)
    return text


def _cell_join(head: str, tail: str, vocab: Counter[str]) -> str:
    first, _, rest = tail.partition(CELL_BREAK)
    rest = CELL_BREAK + rest if rest else ""
    h, t = head.strip(_TOKEN_EDGE).casefold(), first.strip(_TOKEN_EDGE).casefold()
    trailing = len(head) - len(head.rstrip("0123456789"))
    number = first.rstrip(_TOKEN_EDGE)
    digits = trailing > 0 and number.isdigit() and trailing + len(number) <= 4  # "17.04.2|024"
    letter = head[-1:].isalpha() and len(first) == 1 and first.islower()  # "Zeitrau|m"
    known_whole = vocab[h + t] > 0 and not (vocab[h] and vocab[t])
    unknown_parts = first[:1].islower() and not vocab[h] and not vocab[t]
    if digits or letter or known_whole or unknown_parts:
        return head + first + rest
    return f"{head} {first}{rest}"


def rejoin_fragments(text: str, vocab: Counter[str]) -> str:
    """Join pieces of one word that a narrow column split ("Zeitrau m", "Handl ungsfe ld").

    Pieces join only when the document spells the whole word elsewhere more often than the
    pieces stand alone, and the tail starts lower case or continues a number.
    """
    lines = text.split("\n")
    return "\n".join(_rejoin_line(line, vocab) for line in lines)


def _rejoin_line(line: str, vocab: Counter[str]) -> str:
    tokens = line.split(" ")
    out: list[str] = []
    i = 0
    while i < len(tokens):
        joined_to = _best_join(tokens, i, vocab)
        out.append("".join(tokens[i:joined_to]))
        i = joined_to
    return " ".join(out)


def _best_join(tokens: list[str], start: int, vocab: Counter[str]) -> int:
    """End (exclusive) of the longest run of tokens from `start` that forms one known word."""
    end = start + 1
    limit = min(len(tokens), start + _MAX_PARTS)
    while end < limit and (tokens[end][:1].islower() or tokens[end][:1].isdigit()):
        end += 1  # candidates: following tokens that start lower case or with a digit
    for stop in range(end, start + 1, -1):
        parts = tokens[start:stop]
        whole = "".join(parts).strip(_TOKEN_EDGE).casefold()
        if len(whole) < 5 or whole not in vocab:
            continue
        # Pieces of one or two letters are no words of their own; longer ones must be rarer.
        rivals = [vocab[p.strip(_TOKEN_EDGE).casefold()] for p in parts if len(p.strip(_TOKEN_EDGE)) > 2]
        if vocab[whole] > max(rivals, default=0):
            return stop
    return start + 1
