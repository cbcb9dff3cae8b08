"""Generate real test files: a German report PDF, hostile PDFs and DOCX files."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

import docx
from pypdf import PdfWriter
from pypdf.constants import PageLabelStyle
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

HEADER = "ITAS-Charta Südwestsachsen · Entwurf 2024"
WIDTH, HEIGHT = A4

# Body of the report, page by page; "# " marks a bold heading line, "| " a table row.
REPORT_PAGES: list[list[str]] = [
    [
        "# ITAS-Charta für die Region",
        "Strategie für Industrie, Transformation und Arbeit in Südwestsachsen.",
    ],
    [
        "Dieses Vorwort grüßt alle Beteiligten in Zwickau, Chemnitz und im Erzgebirge.",
        "Die Charta ist das Ergebnis vieler Gespräche über die Zukunft der Arbeit in der",
        "Region und über die Frage, wie die Betriebe gemeinsam wachsen können.",
    ],
    [
        "# 1 Einleitung",
        "Die Region Südwestsachsen steht vor einer großen Veränderung. Die digitale Trans-",
        "formation verändert die Arbeit in den Betrieben der Automobilindustrie und ihrer",
        "Zulieferer in allen Landkreisen der Region spürbar und dauerhaft.",
        "Deshalb braucht es eine gemeinsame Strategie für die nächsten Jahre.",
    ],
    [
        "# 2 Handlungsfelder",
        "Die Charta beschreibt mehrere Handlungsfelder für die Region.",
        "# 2.1 Mobilität",
        "Die Unternehmen setzen auf E-",
        "Mobilität und auf Produktionsverfahren, die bis 2035 möglichst CO2-",
        "neutral arbeiten. Dafür entsteht ein starkes Zulieferer-",
        "Netzwerk in der ganzen Region.",
        "# 2.3 Fachkräfte und Qualifizierung",
        "Gute Aus-",
        "und Weiterbildung sichert die Fachkräfte von morgen in allen Betrieben.",
    ],
    [
        "# 2.3.1 Ausbildung",
        "Die Ausbildungsbetriebe melden z. B. steigende Zahlen. Das nächste Treffen ist",
        "am 6. Juni 2024 in Zwickau. Das Land fördert die Ausbildung mit 8,4 Mio. € pro Jahr.",
        "| Landkreis | Auszubildende | Anteil",
        "| Zwickau | 1.250 | 34 %",
        "| Erzgebirgskreis | 980 | 27 %",
        "# 3 Umsetzung",
        "Ein Lenkungskreis begleitet die Umsetzung der Charta und berichtet jährlich.",
    ],
]


def report_pdf(path: Path, *, outline: bool = False) -> Path:
    """Write the German report: running header and footer, roman labels for pages 1-2."""
    writer = PdfWriter(clone_from=io.BytesIO(_draw(REPORT_PAGES, header=True)))
    writer.set_page_label(0, 1, style=PageLabelStyle.LOWERCASE_ROMAN)
    writer.set_page_label(2, len(REPORT_PAGES) - 1, style=PageLabelStyle.DECIMAL, start=1)
    if outline:
        _add_outline(writer)
    writer.write(path)
    return path


def simple_pdf(path: Path, lines: list[str]) -> Path:
    """One page with the given lines ("# " = heading), no header or footer."""
    path.write_bytes(_draw([lines], header=False))
    return path


def _draw(pages: list[list[str]], *, header: bool) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for number, lines in enumerate(pages, start=1):
        if header:
            pdf.setFont("Helvetica", 9)
            pdf.drawString(72, HEIGHT - 40, HEADER)
            pdf.drawString(WIDTH / 2, 30, f"Seite {number} von {len(pages)}")
        y = HEIGHT - 90
        for line in lines:
            _draw_line(pdf, line, y)
            y -= 22 if line.startswith("# ") else 15
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _draw_line(pdf: canvas.Canvas, line: str, y: float) -> None:
    if line.startswith("| "):  # table row: cells at fixed columns
        pdf.setFont("Helvetica", 11)
        for x, cell in zip((72, 230, 380), line[2:].split(" | "), strict=True):
            pdf.drawString(x, y, cell)
        return
    bold = line.startswith("# ")
    pdf.setFont("Helvetica-Bold" if bold else "Helvetica", 13 if bold else 11)
    pdf.drawString(72, y, line.removeprefix("# "))


def _add_outline(writer: PdfWriter) -> None:
    """Bookmarks that differ from the printed numbering, to tell outline from detection."""
    writer.add_outline_item(title="Vorwort", page_number=1)
    intro = writer.add_outline_item(title="1 Einleitung", page_number=2)
    writer.add_outline_item(title="Ziele", page_number=3, parent=intro)
    writer.add_outline_item(title="3 Umsetzung", page_number=4)


def encrypted_pdf(path: Path) -> Path:
    """A PDF that needs the user password "geheim"."""
    writer = PdfWriter(clone_from=report_pdf(path.with_suffix(".plain.pdf")))
    writer.encrypt(user_password="geheim", owner_password="chef", algorithm="RC4-128")
    writer.write(path)
    return path


def image_only_pdf(path: Path) -> Path:
    """A scanned-looking page: a filled rectangle, no text operators at all."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setFillGray(0.4)
    pdf.rect(72, 300, 400, 300, fill=1)
    pdf.showPage()
    pdf.save()
    return path


def raw_pdf(objects: list[bytes], *, prev_self: bool = False) -> bytes:
    """Assemble a PDF from object bodies (object 1 is the catalog) with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    prev = b" /Prev %d" % xref if prev_self else b""
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\n" % (len(objects) + 1, prev)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
_PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"


def _flate_stream(prefix: bytes, filler_mb: int) -> bytes:
    """A FlateDecode content stream: `prefix`, then `filler_mb` MiB of spaces (~1000:1 ratio)."""
    packer = zlib.compressobj(9)
    parts = [packer.compress(prefix)]
    block = b" " * (1 << 20)
    parts += [packer.compress(block) for _ in range(filler_mb)]
    data = b"".join([*parts, packer.flush()])
    return b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(data), data)


def bomb_pdf(path: Path, inflated_mb: int = 200) -> Path:
    """One page whose content stream inflates to `inflated_mb` MiB."""
    stream = _flate_stream(b"BT /F1 12 Tf 72 700 Td (Bombe) Tj ET\n", inflated_mb)
    pages = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    path.write_bytes(raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", pages, _PAGE, stream, _FONT]))
    return path


def slow_pdf(path: Path, pages: int = 64, filler_mb: int = 16) -> Path:
    """Many pages sharing one big content stream: tiny file, minutes of pypdf parsing."""
    stream = _flate_stream(b"BT /F1 12 Tf 72 700 Td (Langsam) Tj ET\n", filler_mb)
    first = 6
    kids = b" ".join(b"%d 0 R" % (first + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        b"null",  # object 3 unused: the pages follow the shared stream (4) and font (5)
        stream,
        _FONT,
        *[_PAGE] * pages,
    ]
    path.write_bytes(raw_pdf(objects))
    return path


def kids_loop_pdf(path: Path) -> Path:
    """A page tree whose /Kids lists the tree node itself."""
    stream = b"<< /Length 42 >>\nstream\nBT /F1 12 Tf 72 700 Td (Schleife) Tj ET\nendstream"
    pages = b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>"
    path.write_bytes(raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", pages, _PAGE, stream, _FONT]))
    return path


def prev_loop_pdf(path: Path) -> Path:
    """A readable PDF whose trailer /Prev points at its own xref table."""
    text = b"BT /F1 12 Tf 72 700 Td (Hallo Welt aus Zwickau) Tj ET"
    stream = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text)
    pages = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", pages, _PAGE, stream, _FONT]
    path.write_bytes(raw_pdf(objects, prev_self=True))
    return path


def report_docx(path: Path) -> Path:
    """A DOCX with title, two heading levels, a table with merged cells and a page break."""
    document = docx.Document()
    document.add_heading("Forum Fachkräfte 2024", level=0)
    document.add_heading("1 Ausgangslage", level=1)
    document.add_paragraph("Die Betriebe in Südwestsachsen suchen dringend Fachkräfte.")
    document.add_heading("1.1 Zahlen", level=2)
    table = document.add_table(rows=3, cols=3)
    rows = [("Landkreis", "Stellen", "Quote"), ("Zwickau", "1.200", "4,1 %"), ("Chemnitz", "900", "3,8 %")]
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    merged = table.add_row().cells
    merged[0].merge(merged[2]).text = "Quelle: Agentur für Arbeit"
    document.add_page_break()
    document.add_heading("2 Maßnahmen", level=1)
    document.add_paragraph("Die Weiterbildung wird ausgebaut.")
    document.save(str(path))
    return path


def docx_with_entity(path: Path) -> Path:
    """A DOCX whose document.xml declares an external entity (XXE)."""
    source = report_docx(path.with_suffix(".plain.docx"))
    with zipfile.ZipFile(source) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts["word/document.xml"]
    declaration_end = xml.index(b"?>") + 2
    dtd = b'\n<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    parts["word/document.xml"] = (
        xml[:declaration_end]
        + dtd
        + xml[declaration_end:].replace(b"Die Weiterbildung", b"&xxe; Die Weiterbildung")
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path
