"""Read forums and their proposals out of the indexed text of forum reports (pure functions).

Forum reports state their proposals in an overview table ("Vorschlag | Zielgröße | Handlungsfeld", or a
ranked list "Rang | Vorschlag | Punkte"); reports without one (the 2025 survey) present their results as
sections under a heading "Ergebnisse …", whose sub-headings become the proposals. PDF extraction
flattens table cells into one line; rows are split there at their "HF n <field>" cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.analysis import analyze, fold
from assistant.sentences import split_sentences
from assistant.types import Chunk
from assistant.views.corpus import Section, sections_of

HF_TITLES = {
    "1": "Industriepolitik",
    "2": "Innovation und Technologietransformation",
    "3": "Arbeit und Beschäftigung",
    "4": "Qualifizierung und Weiterbildung",
    "5": "Regionales Mindset und resiliente Gesellschaft",
}
_TABLE_HEAD = re.compile(r"Vorschlag\s*\|?\s*Zielgröße\s*\|?\s*Handlungsfeld")
_RANK_HEAD = re.compile(r"Rang\s*\|?\s*Vorschlag\s*\|?\s*Punkte")
_HF = re.compile(r"HF\s*(\d+)\s+")
_FIGURE_START = re.compile(r"\s(?=(?:\d|bis\b|monatlich|wöchentlich|jährlich|Pilot\b|ca\.|rund\b))")
_RANK_ROW = re.compile(r"(\d+)\s+(.+?)\s+(\d+)(?=\s+\d+\s+\D|\s*$)", re.S)
_PLACE = re.compile(r"Veranstaltung:\s*(?:\d{1,2}\.\d{1,2}\.\d{4},\s*)?([^\n]+?)(?=\s+Teilnehmende:|\n|$)")
_PEOPLE = re.compile(r"Teilnehmende:\s*((?:ca\.|rund|über|etwa)?\s*\d[\d.]*)\s*(?:Personen)?")
_PEOPLE_TEXT = re.compile(r"((?:rund|über|ca\.|etwa|knapp)?\s*\d+)\s+(?:Teilnehmende|Personen nahmen teil)")
_NUMBER = re.compile(r"(?:knapp |etwa |rund |über |fast )?\d[\d.,]*\s*(?:Prozent|%|von \d+)", re.I)


@dataclass(frozen=True)
class Proposal:
    """One proposal of a forum, with its figure and where the report describes it."""

    pid: str  # "<doc_id>#<n>"
    doc_id: str
    name: str
    figure: str | None
    field: str | None  # the charter's field of action the forum assigned, if stated
    description: str  # the report's sentences about it
    page: str
    page_index: int
    section: str


def _hf_cell(text: str, number: str) -> tuple[str, int]:
    """The field title that starts `text` (the known title's words, in order) and its length."""
    title_words = HF_TITLES.get(number, "").split()
    taken, end = 0, 0
    for word in re.finditer(r"\S+", text):
        if taken >= len(title_words) or word[0] != title_words[taken]:
            break
        taken, end = taken + 1, word.end()
    return " ".join(title_words[:taken]), end


def _split_name(body: str) -> tuple[str, str | None]:
    lines = [x.strip(" |") for x in body.strip().split("\n") if x.strip(" |")]
    if len(lines) > 1:
        return lines[0], " ".join(lines[1:])
    parts = _FIGURE_START.split(body.strip(), maxsplit=1)
    return parts[0].strip(), (parts[1].strip() if len(parts) > 1 else None)


def parse_table(text: str) -> list[tuple[str, str | None, str | None]]:
    """(name, figure, field) rows of a "Vorschlag | Zielgröße | Handlungsfeld" table."""
    head = _TABLE_HEAD.search(text)
    if not head:
        return []
    body = text[head.end() :]
    lines = [[c.strip() for c in line.split("|")] for line in body.split("\n")]
    rows = [cells for cells in lines if any(cells)]
    if rows and all(len(cells) == 3 for cells in rows):  # one table row per line (DOCX, Markdown)
        return [(c[0], c[1] or None, c[2] or None) for c in rows if c[0]]
    body = body.replace("|", "\n")  # cells flattened into one line: split the rows at their HF cells
    flat: list[tuple[str, str | None, str | None]] = []
    start = 0
    for match in _HF.finditer(body):
        field, length = _hf_cell(body[match.end() :], match[1])
        name, figure = _split_name(body[start : match.start()])
        if name:
            flat.append((name, figure, f"HF {match[1]} {field}".strip()))
        start = match.end() + length
    return flat


_ROW_CELL = re.compile(r"([A-ZÄÖÜ][\wäöüß ]{0,30}?):\s*(.*?)(?=;\s*[A-ZÄÖÜ][\wäöüß ]{0,30}?:\s|$)")


def parse_rows(text: str) -> list[tuple[str, str | None, str | None]]:
    """Rows written as "Vorschlag: …; Zielgröße: …; Handlungsfeld: …" (one per line), as ingest emits
    tables it recognised; "Rang: 1; Vorschlag: …; Punkte: 41" too. Repeated rows (chunk overlap) once."""
    rows: dict[str, tuple[str, str | None, str | None]] = {}
    for line in text.split("\n"):
        cells = {m[1].strip(): m[2].strip() for m in _ROW_CELL.finditer(line.strip())}
        name = cells.get("Vorschlag")
        if not name:
            continue
        figure = cells.get("Zielgröße") or (f"{cells['Punkte']} Punkte" if cells.get("Punkte") else None)
        row = (name, figure or None, cells.get("Handlungsfeld") or None)
        if name not in rows or len(" ".join(filter(None, row))) > len(" ".join(filter(None, rows[name]))):
            rows[name] = row
    return list(rows.values())


def parse_ranking(text: str) -> list[tuple[str, str | None, str | None]]:
    """(name, "n Punkte", None) rows of a "Rang | Vorschlag | Punkte" table."""
    head = _RANK_HEAD.search(text)
    if not head:
        return []
    body = text[head.end() :].replace("|", " ")
    return [(m[2].strip(), f"{m[3]} Punkte", None) for m in _RANK_ROW.finditer(body)]


def _describe(name: str, sentences: list[str]) -> str:
    """The report's sentences that name the proposal (most of its words), at most two."""
    terms = set(analyze(name))
    scored = []
    for i, sentence in enumerate(sentences):
        if fold(name) in fold(sentence):
            scored.append((2.0, i))
        elif terms:
            share = len(terms & set(analyze(sentence))) / len(terms)
            if share >= 0.6:
                scored.append((share, i))
    best = sorted(scored, key=lambda t: (-t[0], t[1]))[:2]
    return " ".join(sentences[i] for _, i in sorted(best, key=lambda t: t[1]))


def _from_sections(sections: list[Section]) -> list[tuple[str, str | None, str | None, Section]]:
    found: list[tuple[str, str | None, str | None, Section]] = []
    for sec in sections:
        if len(sec.path) >= 2 and "ergebnis" in fold(sec.path[-2]) and "tabelle" not in fold(sec.heading):
            name = re.sub(r"^Priorität \d+:\s*", "", sec.heading)
            numbers = list(dict.fromkeys(m.strip() for m in _NUMBER.findall(sec.text)))
            found.append((name[:1].upper() + name[1:], ", ".join(numbers[:3]) or None, None, sec))
    return found


_PROPOSING = re.compile(r"\b(?:empfahl|empfiehlt|schlug|schlagen|vorgeschlagen|forderte|fordern|regte)\b")


def _from_sentences(sections: list[Section]) -> list[tuple[str, str | None, str | None, Section]]:
    """Last resort: every sentence in which the forum proposes something ("Das Forum empfahl …")."""
    found: list[tuple[str, str | None, str | None, Section]] = []
    for sec in sections:
        for sentence in split_sentences(sec.text):
            if _PROPOSING.search(sentence):
                numbers = list(dict.fromkeys(m.strip() for m in _NUMBER.findall(sentence)))
                found.append((sentence.strip()[:160], ", ".join(numbers) or None, None, sec))
    return found


def extract_proposals(doc_id: str, chunks: list[Chunk]) -> list[Proposal]:
    """The proposals of one forum report, in the order the report lists them."""
    sections = sections_of(chunks)
    prose = [
        x
        for x in sections
        if not _TABLE_HEAD.search(x.text) and not _RANK_HEAD.search(x.text) and not parse_rows(x.text)
    ]
    sentences = [x for sec in prose for x in split_sentences(sec.text)]
    rows: list[tuple[str, str | None, str | None, Section]] = []
    for sec in sections:
        for name, figure, field in parse_rows(sec.text) or parse_table(sec.text) or parse_ranking(sec.text):
            rows.append((name, figure, field, sec))
    if not rows:
        rows = _from_sections(sections) or _from_sentences(prose)
    proposals = []
    for n, (name, figure, field, sec) in enumerate(rows, start=1):
        description = _describe(name, sentences) if not sec.text.startswith(name) else sec.text[:400]
        proposals.append(
            Proposal(
                f"{doc_id}#{n}", doc_id, name, figure, field, description, sec.page, sec.page_index, sec.title
            )
        )
    return proposals


def forum_facts(chunks: list[Chunk]) -> dict[str, str | None]:
    """Place and participants where the report states them (title page first, then the text)."""
    text = "\n".join(c.text for c in sorted(chunks, key=lambda c: c.ordinal)[:4])
    place = _PLACE.search(text)
    people = _PEOPLE.search(text) or _PEOPLE_TEXT.search(text)
    return {
        "place": place[1].strip(" ,") if place else None,
        "participants": " ".join(people[1].split()) if people else None,
    }
