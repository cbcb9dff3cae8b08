"""Loaders on real generated files: PDF (pypdf in a limited worker), DOCX, HTML, Markdown, text."""

from __future__ import annotations

from pathlib import Path

import docx
import pdfgen
import pytest
from docx.oxml import OxmlElement

from assistant.types import DocumentMeta, LoadedDocument
from ingest.loaders import SkipFile, load_file, supported_extensions

META = DocumentMeta(doc_id="charta-2024", title="ITAS-Charta 2024", doc_type="charta")
LIMITS = {"max_bytes": 5 * 1024 * 1024, "pdf_timeout_s": 20.0, "pdf_memory_mb": 1024}


def _load(path: Path, **overrides: float) -> LoadedDocument:
    return load_file(path, META, **{**LIMITS, **overrides})  # type: ignore[arg-type]


def _skip_reason(path: Path, **overrides: float) -> str:
    with pytest.raises(SkipFile) as caught:
        _load(path, **overrides)
    return caught.value.reason


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("files")
    pdfgen.report_pdf(folder / "charta.pdf")
    pdfgen.report_pdf(folder / "bookmarks.pdf", outline=True)
    return folder


@pytest.fixture(scope="module")
def report(files: Path) -> LoadedDocument:
    return _load(files / "charta.pdf")


def _text(doc: LoadedDocument) -> str:
    return "\n".join(block.text for block in doc.blocks)


def test_pdf_pages_carry_printed_labels_and_physical_index(report: LoadedDocument) -> None:
    assert report.pages == 5
    labels = {(block.page, block.page_index) for block in report.blocks}
    assert labels == {("i", 1), ("ii", 2), ("1", 3), ("2", 4), ("3", 5)}
    assert report.blocks[0].text.startswith("ITAS-Charta für die Region")


def test_pdf_sections_follow_numbered_headings(report: LoadedDocument) -> None:
    by_start = {block.text.split()[0] + " " + block.text.split()[1]: block.section for block in report.blocks}
    assert by_start["Dieses Vorwort"] == ()
    assert by_start["Die Region"] == ("1 Einleitung",)
    assert by_start["Die Unternehmen"] == ("2 Handlungsfelder", "2.1 Mobilität")
    assert by_start["Gute Aus-"] == ("2 Handlungsfelder", "2.3 Fachkräfte und Qualifizierung")
    assert by_start["Die Ausbildungsbetriebe"] == (
        "2 Handlungsfelder",
        "2.3 Fachkräfte und Qualifizierung",
        "2.3.1 Ausbildung",
    )
    assert by_start["Ein Lenkungskreis"] == ("3 Umsetzung",)
    assert "2.1 Mobilität" not in _text(report)  # heading lines are metadata, not block text


def test_pdf_text_is_cleaned(report: LoadedDocument) -> None:
    text = _text(report)
    assert "Die digitale Transformation verändert die Arbeit" in text
    assert "auf E-Mobilität" in text
    assert "CO2-neutral arbeiten" in text
    assert "starkes Zulieferer-Netzwerk" in text
    assert "Gute Aus- und Weiterbildung" in text
    assert "grüßt alle Beteiligten" in text and "Südwestsachsen" in text
    assert "Zwickau 1.250 34 %" in text  # table rows keep their text
    assert "Entwurf 2024" not in text and "Seite" not in text  # running header and footer gone
    assert all(block.text.strip() == block.text and block.text for block in report.blocks)


def test_pdf_sections_come_from_bookmarks_when_present(files: Path) -> None:
    doc = _load(files / "bookmarks.pdf")
    sections = {block.text.split()[0] + " " + block.text.split()[1]: block.section for block in doc.blocks}
    assert sections["Dieses Vorwort"] == ("Vorwort",)
    assert sections["Die Region"] == ("1 Einleitung",)
    assert sections["Die Unternehmen"] == ("1 Einleitung", "Ziele")  # bookmark not printed: page top
    assert sections["Ein Lenkungskreis"] == ("3 Umsetzung",)


def test_pdf_loading_is_deterministic(files: Path, report: LoadedDocument) -> None:
    assert _load(files / "charta.pdf").blocks == report.blocks


def test_pdf_line_starting_with_a_number_inside_a_paragraph_is_no_heading(tmp_path: Path) -> None:
    lines = [
        "# 1 Einleitung",
        "Die Arbeitsgruppen der Charta treffen sich in allen Landkreisen der Region etwa",
        "2 Mal pro Woche in wechselnder Besetzung",
        "# 2 Ziele",
        "Mehr Fachkräfte.",
    ]
    doc = _load(pdfgen.simple_pdf(tmp_path / "zahl.pdf", lines))
    assert [(b.text, b.section) for b in doc.blocks] == [
        (
            "Die Arbeitsgruppen der Charta treffen sich in allen Landkreisen der Region etwa "
            "2 Mal pro Woche in wechselnder Besetzung",
            ("1 Einleitung",),
        ),
        ("Mehr Fachkräfte.", ("2 Ziele",)),
    ]


def test_pdf_with_self_referencing_xref_chain_still_loads(tmp_path: Path) -> None:
    doc = _load(pdfgen.prev_loop_pdf(tmp_path / "prev.pdf"))
    assert [block.text for block in doc.blocks] == ["Hallo Welt aus Zwickau"]


def test_encrypted_pdf(tmp_path: Path) -> None:
    assert _skip_reason(pdfgen.encrypted_pdf(tmp_path / "geheim.pdf")) == "passwortgeschützt"


def test_image_only_pdf_needs_ocr(tmp_path: Path) -> None:
    assert _skip_reason(pdfgen.image_only_pdf(tmp_path / "scan.pdf")) == "kein Textlayer – OCR nötig"


def test_truncated_pdf(files: Path, tmp_path: Path) -> None:
    data = (files / "charta.pdf").read_bytes()
    cut = tmp_path / "abgebrochen.pdf"
    cut.write_bytes(data[: len(data) * 2 // 3])
    assert _skip_reason(cut) == "beschädigt oder unvollständig"


def test_page_tree_loop_is_a_status_not_a_hang(tmp_path: Path) -> None:
    assert _skip_reason(pdfgen.kids_loop_pdf(tmp_path / "loop.pdf")) == "beschädigt oder unvollständig"


def test_decompression_bomb_hits_the_memory_limit(tmp_path: Path) -> None:
    bomb = pdfgen.bomb_pdf(tmp_path / "bombe.pdf", inflated_mb=200)
    assert bomb.stat().st_size < 1024 * 1024
    assert _skip_reason(bomb, pdf_memory_mb=100) == "Speicherlimit beim Lesen überschritten"


def test_slow_pdf_hits_the_time_limit(tmp_path: Path) -> None:
    slow = pdfgen.slow_pdf(tmp_path / "langsam.pdf")
    assert _skip_reason(slow, pdf_timeout_s=0.5) == "Zeitlimit beim Lesen überschritten"


def test_worker_keeps_working_after_killed_children(files: Path, tmp_path: Path) -> None:
    _skip_reason(pdfgen.slow_pdf(tmp_path / "langsam.pdf"), pdf_timeout_s=0.2)
    assert _load(files / "charta.pdf").pages == 5


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "leer.pdf").write_bytes(b"")
    assert _skip_reason(tmp_path / "leer.pdf") == "leere Datei"


def test_unsupported_extension(tmp_path: Path) -> None:
    (tmp_path / "daten.xyz").write_text("Text")
    (tmp_path / "README").write_text("Text")
    assert _skip_reason(tmp_path / "daten.xyz") == "nicht unterstütztes Format (.xyz)"
    assert _skip_reason(tmp_path / "README") == "nicht unterstütztes Format (ohne Endung)"


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "gross.txt"
    big.write_bytes(b"Text " * (512 * 1024))  # 2.5 MiB
    assert _skip_reason(big, max_bytes=1024 * 1024) == "zu groß (2,5 MB > 1 MB)"


def test_docx_with_dtd_is_rejected(tmp_path: Path) -> None:
    assert _skip_reason(pdfgen.docx_with_entity(tmp_path / "xxe.docx")) == "unsichere DOCX (DTD/Entity)"


def test_docx_that_is_no_zip(tmp_path: Path) -> None:
    (tmp_path / "kaputt.docx").write_bytes(b"PK\x03\x04 nicht wirklich ein Zip-Archiv")
    assert _skip_reason(tmp_path / "kaputt.docx") == "beschädigt oder unvollständig"


def test_docx_headings_tables_and_page_breaks(tmp_path: Path) -> None:
    doc = _load(pdfgen.report_docx(tmp_path / "forum.docx"))
    rows = [(block.text, block.section, block.page, block.page_index) for block in doc.blocks]
    ausgangslage = ("Forum Fachkräfte 2024", "1 Ausgangslage")
    zahlen = (*ausgangslage, "1.1 Zahlen")
    assert rows == [
        ("Die Betriebe in Südwestsachsen suchen dringend Fachkräfte.", ausgangslage, "1", 1),
        ("Landkreis: Zwickau; Stellen: 1.200; Quote: 4,1 %", zahlen, "1", 1),
        ("Landkreis: Chemnitz; Stellen: 900; Quote: 3,8 %", zahlen, "1", 1),
        ("Quelle: Agentur für Arbeit", zahlen, "1", 1),  # merged cells count once
        ("Die Weiterbildung wird ausgebaut.", ("Forum Fachkräfte 2024", "2 Maßnahmen"), "2", 2),
    ]
    assert doc.pages == 2


def test_docx_rendered_page_breaks_are_not_counted_twice(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Seite eins.")
    document.add_page_break()  # hard break; Word also records where its layout broke the page
    for text in ("Seite zwei.", "Seite drei."):
        run = document.add_paragraph().add_run(text)
        run._r.insert(0, OxmlElement("w:lastRenderedPageBreak"))
    document.save(str(tmp_path / "umbruch.docx"))
    doc = _load(tmp_path / "umbruch.docx")
    assert [(b.text, b.page, b.page_index) for b in doc.blocks] == [
        ("Seite eins.", "1", 1),
        ("Seite zwei.", "2", 2),
        ("Seite drei.", "3", 3),
    ]


def test_docx_german_heading_styles(tmp_path: Path) -> None:
    document = docx.Document()
    styles = document.styles
    styles["Heading 1"].name = "Überschrift 1"
    document.add_paragraph("2 Handlungsfelder", style="Überschrift 1")
    document.add_paragraph("Text im Handlungsfeld.")
    document.save(str(tmp_path / "de.docx"))
    doc = _load(tmp_path / "de.docx")
    assert [(b.text, b.section) for b in doc.blocks] == [("Text im Handlungsfeld.", ("2 Handlungsfelder",))]


def test_html_main_text_only(tmp_path: Path) -> None:
    page = tmp_path / "forum.html"
    page.write_text(
        """<!DOCTYPE html [<!ENTITY geheim SYSTEM "file:///etc/hostname">]>
<html><head><title>Forum</title><style>p { color: red }</style></head><body>
<nav><a href="/">Startseite</a> Menü</nav><header>Kopfbereich</header>
<main>
  <h1>Zukunftsforum Zwickau</h1><p>Das 1. Zukunftsforum fand am 6. Juni 2024 statt. &geheim;</p>
  <h2>Ergebnisse</h2>
  <ul><li>Mehr <b>Ausbildung</b></li><li>Bessere Vernetzung</li></ul>
  <table><tr><th>Thema</th><th>Stimmen</th></tr><tr><td>Mobilität</td><td>42</td></tr></table>
  <div>Lose Notiz im Container</div>
  <aside>Randnotiz</aside><form>Suche</form><script>alert("x")</script>
</main>
<footer>Impressum</footer></body></html>""",
        encoding="utf-8",
    )
    doc = _load(page)
    assert [(b.text, b.section) for b in doc.blocks] == [
        ("Das 1. Zukunftsforum fand am 6. Juni 2024 statt. &geheim;", ("Zukunftsforum Zwickau",)),
        ("Mehr Ausbildung", ("Zukunftsforum Zwickau", "Ergebnisse")),
        ("Bessere Vernetzung", ("Zukunftsforum Zwickau", "Ergebnisse")),
        ("Thema: Mobilität; Stimmen: 42", ("Zukunftsforum Zwickau", "Ergebnisse")),
        ("Lose Notiz im Container", ("Zukunftsforum Zwickau", "Ergebnisse")),
    ]  # the external entity stays an unresolved literal


def test_html_article_keeps_its_own_header_and_drops_page_chrome(tmp_path: Path) -> None:
    page = tmp_path / "artikel.htm"
    page.write_bytes(
        """<html><head><meta charset="windows-1252"></head><body><header><h1>Portal</h1></header>
<article><header><h1>Forum Plauen</h1></header><p>Größere Beteiligung als erwartet.</p>
<footer>Autorin: Redaktion</footer></article><footer>Kontakt</footer></body></html>""".encode("cp1252")
    )
    assert [(b.text, b.section) for b in _load(page).blocks] == [
        ("Größere Beteiligung als erwartet.", ("Forum Plauen",))
    ]


def test_markdown_headings_links_and_code_fences(tmp_path: Path) -> None:
    note = tmp_path / "notiz.md"
    note.write_text(
        "Vorspann ohne Überschrift.\n\n# Charta 3.0\n\n## Ziele ##\n\nDie [Charta](https://example.org/c.pdf) "
        "setzt auf\nWasserstoff.\n\n- erster Punkt\n- zweiter Punkt\n\n```\n# kein Titel\n```\n\n# Anhang\n\nEnde.\n",
        encoding="utf-8",
    )
    doc = _load(note)
    assert [(b.text, b.section) for b in doc.blocks] == [
        ("Vorspann ohne Überschrift.", ()),
        ("Die Charta setzt auf Wasserstoff.", ("Charta 3.0", "Ziele")),
        ("- erster Punkt\n- zweiter Punkt", ("Charta 3.0", "Ziele")),
        ("``` # kein Titel ```", ("Charta 3.0", "Ziele")),
        ("Ende.", ("Anhang",)),
    ]
    assert {b.page for b in doc.blocks} == {"1"}


def test_plain_text_in_cp1252_with_numbered_headings(tmp_path: Path) -> None:
    note = tmp_path / "bericht.txt"
    note.write_bytes(
        "1 Einleitung\nDie Förder-\nmittel für Straßen.\n\n1.1 Ziele\nGrößere Wirkung.\n".encode("cp1252")
    )
    doc = _load(note)
    assert [(b.text, b.section) for b in doc.blocks] == [
        ("Die Fördermittel für Straßen.", ("1 Einleitung",)),
        ("Größere Wirkung.", ("1 Einleitung", "1.1 Ziele")),
    ]


def test_file_without_usable_text(tmp_path: Path) -> None:
    (tmp_path / "leer.md").write_text("# Nur ein Titel\n\n---\n", encoding="utf-8")
    assert _skip_reason(tmp_path / "leer.md") == "kein verwertbarer Text"


def test_supported_extensions() -> None:
    assert supported_extensions() == {".pdf", ".docx", ".md", ".markdown", ".txt", ".html", ".htm"}


def test_markdown_tables_become_rows_with_their_headers(tmp_path):
    from ingest.loaders import table_rows

    lines = ["| Branche | Angebot |", "|---|:---:|", "| Logistik | Matching |", "| Textil | |", "Danach."]
    assert table_rows(lines) == ["Branche: Logistik; Angebot: Matching.", "Branche: Textil.", "Danach."]
