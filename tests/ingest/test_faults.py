"""Faults of real German PDFs, reproduced by generated files and read through the bounded worker."""

from __future__ import annotations

import re
from pathlib import Path

import faultpdfs
import pytest

from assistant.types import Chunk, DocumentMeta
from ingest.chunking import chunk_document
from ingest.loaders import ParsedDocument, load_file
from ingest.pdf_text import glued_chars

META = DocumentMeta(doc_id="handbuch", title="Debian-Handbuch")
LIMITS = {"max_bytes": 20 * 1024 * 1024, "pdf_timeout_s": 120.0, "pdf_memory_mb": 1536}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("faults")


def _load(path: Path) -> ParsedDocument:
    return load_file(path, META, **LIMITS)  # type: ignore[arg-type]


def _chunks(doc: ParsedDocument) -> list[Chunk]:
    return chunk_document(doc, size=900, overlap=150)


def _text(doc: ParsedDocument) -> str:
    return "\n".join(block.text for block in doc.blocks)


def test_glued_pages_get_their_spaces_back(folder: Path) -> None:
    doc = _load(faultpdfs.glued_pdf(folder / "glued.pdf"))
    text = _text(doc)
    assert "Bevor Sie sich entschließen, Ihre Frage an einer öffentlichen Stelle zu stellen," in text
    assert "Eine Internet-Mailingliste ist eine Möglichkeit, Fragen zu stellen" in text
    assert glued_chars(text)[0] == 0
    assert doc.notes == ["3 Seiten mit verlorenen Wortabständen repariert"]


def test_every_page_glued_is_repaired(folder: Path) -> None:
    doc = _load(faultpdfs.glued_pdf(folder / "all-glued.pdf", pages=40))
    assert doc.pages == 40 and glued_chars(_text(doc))[0] == 0
    assert doc.notes == ["40 Seiten mit verlorenen Wortabständen repariert"]


def test_alternating_heads_and_footers_leave_no_chunk(folder: Path) -> None:
    doc = _load(faultpdfs.running_heads_pdf(folder / "heads.pdf"))
    chunks = _chunks(doc)
    assert chunks and not [c.text for c in chunks if re.search(r"©|Kapitel \d|Debian-Handbuch", c.text)]
    page_five = [b.text for b in doc.blocks if b.page == "5"]
    assert page_five == [" ".join(faultpdfs.body_lines(5))]


def test_dot_leader_toc_under_a_running_head_leaves_no_chunk(folder: Path) -> None:
    doc = _load(faultpdfs.toc_pdf(folder / "toc.pdf"))
    chunks = _chunks(doc)
    assert {c.page_start for c in chunks} == {"3", "4"}
    assert not [c.text for c in chunks if "Upgrade Schritt" in c.text or ". . ." in c.text]
    assert not [c.text for c in chunks if "Debian-Referenz" in c.text]


def test_two_thousand_toc_lines_leave_only_the_body(folder: Path) -> None:
    doc = _load(faultpdfs.many_toc_lines_pdf(folder / "toc-2000.pdf"))
    assert doc.pages == 41
    assert [c.text for c in _chunks(doc)] == [
        " ".join(["Einleitung zum Handbuch über die Paketpflege.", *faultpdfs.body_lines(4)])
    ]


def test_chained_and_cross_page_hyphenation(folder: Path) -> None:
    doc = _load(faultpdfs.hyphenation_pdf(folder / "hyphen.pdf"))
    first = [b.text for b in doc.blocks if b.page == "1"]
    assert first == [
        "Die Werkzeugmaschinensteuerung wird von computergesteuerten Anlagen übernommen. "
        "Die Aus- und Weiterbildung bleibt Aufgabe der Betriebe. Am Ende steht die Qualifizierung"
    ]
    assert next(b.text for b in doc.blocks if b.page == "2").startswith("aller Beschäftigten im Mittelpunkt")


def test_table_rows_carry_their_headers_and_whole_words(folder: Path) -> None:
    doc = _load(faultpdfs.table_pdf(folder / "table.pdf"))
    assert [b.text for b in doc.blocks] == [
        "Tabelle 2: Finanzierungsbausteine der Verstetigung Der Zeitraum ist je Baustein angegeben.",
        "Baustein: Masterplan; Quelle: Freistaat Sachsen, bis zu 600.000 Euro; Zeitraum: 2025–2026",
        "Baustein: Weiterbildungsverbund; Quelle: Förderinstrumente; Zeitraum: ab 2026",
        "Baustein: Anschlussförderung; Quelle: neue Bundesprogramme; Zeitraum: offen",
    ]
    assert not [c.text for c in _chunks(doc) if " | " in c.text or "Zeitrau m" in c.text]


def test_table_of_ten_thousand_cells_is_read_without_failing(folder: Path) -> None:
    doc = _load(faultpdfs.big_table_pdf(folder / "table-10000.pdf"))
    text = _text(doc)
    assert doc.pages == 50
    assert "Spalte 1: Wert 0-0; Spalte 2: Wert 0-1" in text  # first page: a table under its caption
    # Rows in the middle of each page stay; rows at a page edge that differ only in their digits
    # look like a running head to the cleaner (a known limit for long numeric tables).
    assert all(f"Wert {row}-4" in text for row in (0, 15, 1015, 1990))


def test_two_columns_with_wrapped_headings_and_unnumbered_bookmarks(folder: Path) -> None:
    doc = _load(faultpdfs.two_column_pdf(folder / "columns.pdf"))
    assert [(b.section, b.text) for b in doc.blocks] == [
        (
            ("4 Branchen im Wandel", "4.1 Antriebsstrang (Verbrenner)"),
            "Der Verbrenner verschwindet nicht schlagartig: Ersatzteilmärkte tragen noch Jahre.",
        ),
        (
            ("4 Branchen im Wandel", "4.2 Gießerei und Metallverarbeitung"),
            "Im Mittelpunkt steht nun der Materialkreislauf mit Sekundäraluminium aus dem Pilotwerk.",
        ),
        (
            ("4 Branchen im Wandel", "4.3 Kunststofftechnik"),
            "Die Nachfrage nach Rezyklatquoten steigt deutlich an. Betriebe organisieren die Rückführung gemeinsam.",
        ),
        (
            ("4 Branchen im Wandel", "4.4 Elektronik und Leistungselektronik"),
            "Sensorik und Steuergeräte gelten als Wachstumsfeld der Region.",
        ),
    ]
