"""Pure clean-up functions for text extracted from German PDFs and other documents."""

from __future__ import annotations

import re
import unicodedata

# Page furniture lives in its own module; re-exported for the loaders and tests.
from ingest.page_noise import drop_leader_lines, is_table_of_contents, strip_repeating_lines  # noqa: F401

_LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}
# Zero-width characters, bidi controls (marks, embeddings, overrides, isolates), word joiner and
# invisible operators, BOM, soft hyphen and the Unicode tag block (the latter can smuggle invisible
# instructions into prompts) - the set assistant.question removes from questions - plus C0/C1
# control characters (NUL, terminal escapes) other than tab, newline, VT, FF and CR.
_INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\U000e0000-\U000e007f"
    "\x00-\x08\x0e-\x1f\x7f-\x9f]"
)
_SPACES = re.compile(r"[ \t\f\v\u00a0\u202f\u2007]+")
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-"})

# A hyphen at a line end directly after a word character ("Trans-\nformation"); a dash after a
# space ("Text -\nweiter") is punctuation and left alone.
_LINE_END_HYPHEN = re.compile(r"(\w+)-[ \t]*$")
# The same break after reflow or flattening joined the lines with a space ("compu- tergesteuerten"):
# only a lower-case tail that is no conjunction can continue the word.
_INLINE_HYPHEN = re.compile(r"(?<![\w-])(\w*[^\W\d_]{2})- ([a-zäöüß][^\W\d_]+)")
_CONJUNCTIONS = ("und", "oder", "bzw.", "bzw", "sowie", "bis", "als", "wie", "noch", "und/oder", "u.")

_NUMBERED_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})(\.?)\s+(\S.*)$")
_LIST_ITEM = re.compile(r"^(?:[•\-–—*·▪◦■►]\s+|\d{1,2}[.)]\s+|[a-zA-Z][)]\s+)")
_BARE_MARKER = re.compile(r"(?:\d{1,2}[.)]|[•\-–*·▪◦■►]|[a-z]\))")
_TRAILING_MARKER = re.compile(r"(?<=[.!?:])\s+(\d{1,2}[.)])$")
_TABLE_NUMBER = re.compile(r"\d+,\d+|%")  # decimal commas and percentages: a table row, not a heading
_SENTENCE_END = (".", "!", "?", ":", "…")


def normalize_text(text: str) -> str:
    """Return NFC text without ligatures, invisible characters or repeated spaces (newlines kept)."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # A soft hyphen at a line end marks a hyphenation break: keep it as "-" for join_hyphenation.
    text = re.sub("\u00ad[ \t]*\n", "-\n", text)
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", text))  # "a\u200b\u0308" composes only now
    for ligature, letters in _LIGATURES.items():
        text = text.replace(ligature, letters)
    text = text.translate(_HYPHENS)
    text = _SPACES.sub(" ", text)
    return "\n".join(line.strip(" ") for line in text.split("\n"))


def join_hyphenation(text: str) -> str:
    """Join words hyphenated across line breaks, keeping hyphens that belong to the word.

    Works line pair by line pair, so a chain of breaks ("Werk-", "zeugmaschinen-", "steuerung")
    joins into one word, and a line without spaces is handled like any other.
    """
    out: list[str] = []
    for line in text.split("\n"):
        match = _LINE_END_HYPHEN.search(out[-1]) if out else None
        stripped = line.lstrip(" \t")
        if match is None or not stripped:
            out.append(line)
            continue
        tail, _, rest = stripped.partition(" ")
        joined = _join_word(match.group(1), tail)
        out[-1] = out[-1][: match.start()] + joined + (" " + rest if rest else "")
    return _INLINE_HYPHEN.sub(_join_inline, "\n".join(out))


def _join_word(head: str, tail: str) -> str:
    if tail.lower() in _CONJUNCTIONS:
        return f"{head}- {tail}"  # "Aus- und Weiterbildung"
    if tail[0].isupper() or not tail[0].isalpha() or _is_abbreviation(head):
        return f"{head}-{tail}"  # "Zulieferer-Netzwerk", "E-Mobilität", "CO2-neutral"
    return head + tail  # "Trans-formation" was only split by the line break


def _join_inline(match: re.Match[str]) -> str:
    head, tail = match.group(1), match.group(2)
    if tail.lower() in _CONJUNCTIONS or _is_abbreviation(head):
        return match.group(0)
    return head + tail


def _is_abbreviation(word: str) -> bool:
    return any(ch.isdigit() for ch in word) or (word.isupper() and len(word) <= 5)


def heading_level(line: str) -> int | None:
    """Return the depth of a numbered heading ("2.3 Fachkräfte" → 2), or None for other lines."""
    line = line.strip()
    match = _NUMBERED_HEADING.match(line)
    if not match or len(line) > 90:
        return None
    number, dot, title = match.groups()
    if dot and "." not in number:
        return None  # "1. Zukunftsforum …" is an enumeration or a date, not a heading
    if not title[0].isupper() or title[-1] in ".,;:" or len(title.split()) > 12:
        return None
    letters = sum(ch.isalpha() for ch in title)
    if letters < 0.5 * len(title.replace(" ", "")) or _TABLE_NUMBER.search(title):
        return None  # table rows like "2 Erzgebirgskreis 8,4 12 %"
    return number.count(".") + 1


def heading_levels(lines: list[str]) -> list[int | None]:
    """Apply `heading_level` to each line, except lines that continue a wrapped line.

    A long line without a closing mark wraps onto the next one ("… treffen sich etwa" /
    "2 Mal pro Woche …"), so a numbered line right after it is body text, not a heading.
    """
    width = max((len(line.strip()) for line in lines), default=0)
    levels: list[int | None] = []
    previous = ""
    for line in lines:
        wrapped = len(previous) > 0.8 * width and not previous.endswith(_SENTENCE_END)
        levels.append(None if wrapped else heading_level(line))
        previous = line.strip() or ""
    return levels


def is_list_item(line: str) -> bool:
    """Tell whether a line starts a list item ("•", "-", "–", "1.", "a)")."""
    return bool(_LIST_ITEM.match(line.strip()))


def reflow_lines(text: str, *, infer_paragraphs: bool = False) -> str:
    """Join wrapped lines into paragraphs; keep blank-line breaks, list items and headings apart.

    Args:
        text: Text with one visual line per line.
        infer_paragraphs: Also end a paragraph after a short line ending with a sentence mark
            (PDF text has no blank lines between paragraphs).
    """
    lines = text.split("\n")
    full_width = max((len(line) for line in lines), default=0)
    paragraphs: list[list[str]] = []  # each paragraph: its lines (list items stay separate lines)
    current: list[str] = []
    marker = ""  # a list number or bullet the PDF reader left on a line of its own ("1.\nDie …")
    for raw, level in zip(lines, heading_levels(lines), strict=True):
        line = raw.strip()
        if level is not None or not line:
            paragraphs += [p for p in (current, [line]) if p and p[0]]
            current = []
            continue
        if _BARE_MARKER.fullmatch(line):
            marker = line
            continue
        if marker:
            line, marker = f"{marker} {line}", ""
        if trailing := _TRAILING_MARKER.search(line):  # "… gestartet. 3." + "Die Jugend …" on the next line
            line, marker = line[: trailing.start()], trailing.group(1)
        if is_list_item(line) or not current:
            current.append(line)
        else:
            current[-1] = f"{current[-1]} {line}"
        ends_sentence = line.endswith(_SENTENCE_END) and len(line) < 0.75 * full_width
        if infer_paragraphs and ends_sentence and not is_list_item(current[-1]):
            paragraphs.append(current)
            current = []
    if marker:
        current.append(marker)
    if current:
        paragraphs.append(current)
    return "\n\n".join("\n".join(p) for p in paragraphs)


# --- structure helpers shared by the loaders -------------------------------------------------

Section = tuple[tuple[int, str], ...]  # open headings as (level, title), outermost first


def open_heading(section: Section, level: int, title: str) -> Section:
    """Close the open headings at `level` or deeper, then open `title`."""
    return (*tuple(h for h in section if h[0] < level), (level, " ".join(title.split())))


def section_path(section: Section) -> tuple[str, ...]:
    """Return the heading titles of a section, outermost first."""
    return tuple(title for _, title in section)


def split_at_headings(
    lines: list[str], levels: list[int | None], section: Section = ()
) -> list[tuple[Section, list[str]]]:
    """Cut lines at headings (levels[i] not None) into (section, body lines) runs.

    The heading lines themselves become section metadata and leave the body.
    """
    runs: list[tuple[Section, list[str]]] = [(section, [])]
    for line, level in zip(lines, levels, strict=True):
        if level is None:
            runs[-1][1].append(line)
        else:
            runs.append((open_heading(runs[-1][0], level, line), []))
    return runs


def paragraphs(text: str) -> list[str]:
    """Split reflowed text at blank lines; drop paragraphs without letters or digits."""
    parts = (part.strip() for part in text.split("\n\n"))
    return [part for part in parts if any(ch.isalnum() for ch in part)]
