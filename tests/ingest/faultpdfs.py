"""Generate small PDFs that reproduce the faults of real German PDFs, written operator by operator.

Each page is a raw content stream, so the faults are exactly those of TeX/DocBook output:
- words placed by TJ offsets with no space glyph, in a font whose code 32 is a wide glyph (pypdf
  then reads "BevorSiesichentschließen"),
- running heads and footers that alternate between odd and even pages and change per chapter,
- a table of contents with dot leaders under a running head,
- words hyphenated over two and three lines, and across a page break,
- a ruled table whose narrow columns break words without a hyphen,
- a two-column page whose headings wrap, with bookmarks that carry no numbering.
The font is Helvetica with an explicit /Widths array (500 for every letter, 600 for code 32).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
)

PAGE_W, PAGE_H = 595.0, 842.0
LEFT, TOP, LEADING = 72.0, 780.0, 14.0
SIZE = 10.0
GAP = -250  # thousandths of an em between words: TeX's inter-word space, no space glyph
CHAR_W = 0.5 * SIZE  # every glyph is 500/1000 em wide in the generated font


@dataclass
class Page:
    """One page: content operators, the bookmarks pointing at it."""

    ops: list[str] = field(default_factory=list)
    bookmarks: list[tuple[int, str]] = field(default_factory=list)  # (depth, title)


def _literal(text: str) -> str:
    raw = text.encode("cp1252").decode("latin-1")
    return "(" + raw.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def words_line(text: str, x: float, y: float, *, glued: bool = True) -> str:
    """A line set word by word: TJ offsets between words (glued=True) or real space glyphs."""
    if not glued:
        return f"BT /F1 {SIZE} Tf {x:.1f} {y:.1f} Td {_literal(text)} Tj ET"
    parts = " ".join(f"{_literal(word)} {GAP}" for word in text.split())
    return f"BT /F1 {SIZE} Tf {x:.1f} {y:.1f} Td [{parts}] TJ ET"


def text_width(text: str) -> float:
    """Width of a line set by `words_line` with TJ gaps."""
    letters = sum(len(word) for word in text.split())
    return letters * CHAR_W + (len(text.split()) - 1) * (-GAP / 1000 * SIZE)


def body_page(lines: list[str], *, head: str = "", foot: str = "", glued: bool = True) -> Page:
    """A page of text lines under an optional running head and over an optional footer."""
    page = Page()
    if head:
        page.ops.append(words_line(head, LEFT, PAGE_H - 40, glued=False))
    for number, line in enumerate(lines):
        page.ops.append(words_line(line, LEFT, TOP - number * LEADING, glued=glued))
    if foot:
        page.ops.append(words_line(foot, LEFT, 40, glued=False))
    return page


def rule(x0: float, y0: float, x1: float, y1: float) -> str:
    """A stroked line (table rulings)."""
    return f"0.5 w {x0:.1f} {y0:.1f} m {x1:.1f} {y1:.1f} l S"


def table_page(
    header: list[str], rows: list[list[list[str]]], widths: list[float], *, top: float = TOP
) -> Page:
    """A ruled table; each cell is a list of lines (a narrow column breaks words without hyphen)."""
    page = Page()
    all_rows = [[[h] if isinstance(h, str) else h for h in header], *rows]
    xs = [LEFT]
    for width in widths:
        xs.append(xs[-1] + width)
    y = top
    for row in all_rows:
        height = max(len(cell) for cell in row) * LEADING + 4
        for column, cell in enumerate(row):
            for number, line in enumerate(cell):
                page.ops.append(words_line(line, xs[column] + 3, y - 12 - number * LEADING, glued=False))
        page.ops.append(rule(xs[0], y, xs[-1], y))
        y -= height
    page.ops.append(rule(xs[0], y, xs[-1], y))
    for x in xs:
        page.ops.append(rule(x, top, x, y))
    return page


def write_pdf(path: Path, pages: list[Page]) -> Path:
    """Write the pages with the generated font and their bookmarks."""
    writer = PdfWriter()
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
                NameObject("/FirstChar"): NumberObject(32),
                NameObject("/LastChar"): NumberObject(255),
                # Code 32 is no space glyph here (like TeX's visible space): a wide width.
                NameObject("/Widths"): ArrayObject([NumberObject(600)] + [NumberObject(500)] * 223),
            }
        )
    )
    for page in pages:
        pdf_page = writer.add_blank_page(PAGE_W, PAGE_H)
        stream = DecodedStreamObject()
        stream.set_data("\n".join(page.ops).encode("latin-1"))
        pdf_page[NameObject("/Contents")] = writer._add_object(stream)
        pdf_page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
    parents: dict[int, object] = {}
    for index, page in enumerate(pages):
        for depth, title in page.bookmarks:
            parents[depth] = writer.add_outline_item(title, index, parent=parents.get(depth - 1))
    with path.open("wb") as handle:
        writer.write(handle)
    return path


# --- the fault documents -----------------------------------------------------------------------

GLUED_LINES = [
    "Bevor Sie sich entschließen, Ihre Frage an einer öffentlichen Stelle zu stellen,",
    "lesen Sie bitte diese gute Dokumentation über die Paketbetreuung in Debian.",
    "Eine Internet-Mailingliste ist eine Möglichkeit, Fragen zu stellen und Antworten",
    "von erfahrenen Entwicklerinnen und Entwicklern zu bekommen.",
]


def glued_pdf(path: Path, pages: int = 3) -> Path:
    """Every page set with TJ gaps only: pypdf's first pass glues every line."""
    return write_pdf(
        path, [body_page([*body_lines(n)[:4], *GLUED_LINES, *body_lines(n)[4:]]) for n in range(pages)]
    )


CHAPTERS = ["Wissensdatenbank", "Installation", "Paketverwaltung"]


def running_heads_pdf(path: Path) -> Path:
    """Twelve pages; odd pages carry a copyright footer, even pages a chapter head that changes."""
    pages = []
    for number in range(1, 13):
        chapter = CHAPTERS[(number - 1) // 4]
        if number % 2:
            foot = f"© 2010-2017, Debian-Handbuch {number}"
            pages.append(body_page(body_lines(number), foot=foot, glued=False))
        else:
            head = f"{number} Kapitel {(number - 1) // 4 + 1}. {chapter}"
            pages.append(body_page(body_lines(number), head=head, glued=False))
    return write_pdf(path, pages)


_TOPICS = ["Spiegelserver", "Quellpakete", "Fehlerberichte", "Sponsoren", "Signaturen", "Uploads"]
_TOPICS += ["Abhängigkeiten", "Übersetzungen", "Sicherheitsupdates", "Backports", "Mentoren", "Prüfungen"]


def body_lines(number: int) -> list[str]:
    """Eight distinct lines of body text for page `number`."""
    topic = _TOPICS[number % len(_TOPICS)]
    return [
        f"{topic} sind das Thema dieser Seite des Handbuchs.",
        f"Wer {topic} betreut, liest zuerst die Richtlinien dazu.",
        f"Die Richtlinien zu {topic} stehen im Archiv der Liste.",
        f"Fragen zu {topic} beantwortet das Team im Chat.",
        f"Antworten über {topic} kommen meist am selben Tag.",
        f"Ein Beispiel zeigt, wie {topic} geprüft werden.",
        f"Danach folgt eine kurze Übung zu {topic} für Einsteiger.",
        f"Am Ende steht eine Liste offener Punkte zu {topic}.",
    ]


def toc_pdf(path: Path) -> Path:
    """A running head above a dot-leader table of contents, then two body pages."""
    head = "Debian-Referenz iv"
    toc = [f"12.2.{n} Upgrade Schritt {n} . . . . . . . . . . . . . . . . . . {70 + n}" for n in range(1, 25)]
    pages = [
        body_page(["Inhaltsverzeichnis", *toc[:12]], head=head, glued=False),
        body_page(toc[12:], head=head, glued=False),
        body_page(
            ["Die Aktualisierung beginnt mit dem Lesen der Hinweise.", *body_lines(1)],
            head="Debian-Referenz 1",
        ),
        body_page(
            ["Danach folgt das eigentliche Upgrade des Systems.", *body_lines(2)], head="Debian-Referenz 2"
        ),
    ]
    return write_pdf(path, pages)


def hyphenation_pdf(path: Path) -> Path:
    """Chained breaks ("Werk-"/"zeugmaschinen-"/"steuerung") and a break across a page end."""
    first = [
        "Die Werk-",
        "zeugmaschinen-",
        "steuerung wird von compu-",
        "tergesteuerten Anlagen übernommen. Die Aus-",
        "und Weiterbildung bleibt Aufgabe der Betriebe. Am Ende steht die Quali-",
    ]
    second = ["fizierung aller Beschäftigten im Mittelpunkt der Planung.", *body_lines(3)]
    return write_pdf(path, [body_page(first, glued=False), body_page(second, glued=False)])


def table_pdf(path: Path) -> Path:
    """A ruled table whose narrow columns broke "Zeitraum" and "2025–2026" without hyphen."""
    header = ["Baustein", "Quelle", ["Zeitrau", "m"]]
    rows = [
        [["Masterplan"], ["Freistaat Sachsen,", "bis zu 600.000 Euro"], ["2025–202", "6"]],
        [["Weiterbildungsverbund"], ["Förderinstrumente"], ["ab 2026"]],
        [["Anschlussförderung"], ["neue Bundesprogramme"], ["offen"]],
    ]
    intro = body_page(
        ["Tabelle 2: Finanzierungsbausteine der Verstetigung", "Der Zeitraum ist je Baustein angegeben."]
    )
    table = table_page(header, rows, [150.0, 160.0, 45.0], top=TOP - 3 * LEADING)
    return write_pdf(path, [Page(intro.ops + table.ops)])


TWO_COLUMN_LEFT = [
    ("heading", ["4.1 Antriebsstrang", "(Verbrenner)"]),
    ("text", ["Der Verbrenner verschwindet nicht", "schlagartig: Ersatzteilmärkte", "tragen noch Jahre."]),
    ("heading", ["4.2 Gießerei und", "Metallverarbeitung"]),
    (
        "text",
        ["Im Mittelpunkt steht nun der", "Materialkreislauf mit Sekundär-", "aluminium aus dem Pilotwerk."],
    ),
]
TWO_COLUMN_RIGHT = [
    ("heading", ["4.3 Kunststofftechnik"]),
    (
        "text",
        [
            "Die Nachfrage nach Rezyklat-",
            "quoten steigt deutlich an.",
            "Betriebe organisieren die",
            "Rückführung gemeinsam.",
        ],
    ),
    ("heading", ["4.4 Elektronik und", "Leistungselektronik"]),
    ("text", ["Sensorik und Steuergeräte gelten", "als Wachstumsfeld der Region."]),
]


def two_column_pdf(path: Path) -> Path:
    """Two columns drawn column by column, wrapped numbered headings, bookmarks without numbers."""
    page = Page()
    page.ops.append(words_line("4 Branchen im Wandel", LEFT, TOP, glued=False))
    for x, column in ((LEFT, TWO_COLUMN_LEFT), (320.0, TWO_COLUMN_RIGHT)):
        y = TOP - 2 * LEADING
        for _, lines in column:
            for line in lines:
                page.ops.append(words_line(line, x, y, glued=False))
                y -= LEADING
            y -= 4
    page.bookmarks = [(1, "Branchen im Wandel")] + [
        (2, " ".join(lines).split(" ", 1)[1])
        for column in (TWO_COLUMN_LEFT, TWO_COLUMN_RIGHT)
        for kind, lines in column
        if kind == "heading"
    ]
    return write_pdf(path, [page])


# --- bad input -------------------------------------------------------------------------------------


def many_toc_lines_pdf(path: Path, lines: int = 2000) -> Path:
    """One body page, then `lines` dot-leader lines (50 per page)."""
    entries = [
        f"{n // 50 + 1}.{n % 50 + 1} Abschnitt Nummer {n} . . . . . . . . . . {n // 10 + 1}"
        for n in range(lines)
    ]
    pages = [body_page(["Einleitung zum Handbuch über die Paketpflege.", *body_lines(4)], glued=False)]
    pages += [body_page(entries[i : i + 50], glued=False) for i in range(0, lines, 50)]
    return write_pdf(path, pages)


def big_table_pdf(path: Path, cells: int = 10_000, columns: int = 5, rows_per_page: int = 40) -> Path:
    """A ruled table of `cells` cells over as many pages as it needs."""
    header = [f"Spalte {c + 1}" for c in range(columns)]
    rows = [[[f"Wert {r}-{c}"] for c in range(columns)] for r in range(cells // columns)]
    pages = [
        table_page(header, rows[i : i + rows_per_page], [90.0] * columns, top=PAGE_H - 60)
        for i in range(0, len(rows), rows_per_page)
    ]
    pages[0].ops.append(words_line("Tabelle 1: Messwerte aller Spalten", LEFT, 15.0, glued=False))
    return write_pdf(path, pages)
