"""Manifest metadata: document families (series + version), kept valid for old manifests."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ingest.manifest import CHARTER_SERIES, family_from_name, infer_meta, load_manifest, with_file_metadata


def _write(root: Path, entries: list[dict[str, object]]) -> Path:
    for entry in entries:
        path = root / str(entry["file"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("# Titel\n\nText.", encoding="utf-8")
    (root / "manifest.yaml").write_text(yaml.safe_dump({"documents": entries}), encoding="utf-8")
    return root


def test_charter_entries_without_series_join_the_charter_family(tmp_path: Path) -> None:
    manifest = load_manifest(
        _write(
            tmp_path,
            [
                {"file": "a.md", "doc_id": "charta-2-0", "doc_type": "charta", "version": "2.0"},
                {"file": "b.md", "doc_id": "forum", "doc_type": "forum_report"},
            ],
        )
    )
    assert manifest.errors == []
    assert manifest.entries["a.md"].series == CHARTER_SERIES == "itas-charta"
    assert manifest.entries["b.md"].series is None


def test_any_document_can_name_its_series(tmp_path: Path) -> None:
    manifest = load_manifest(
        _write(
            tmp_path,
            [
                {"file": "h11.md", "doc_id": "handbuch-11", "series": "handbuch", "version": "11"},
                {"file": "h12.md", "doc_id": "handbuch-12", "series": "handbuch", "version": "12"},
                {"file": "x.md", "doc_id": "x", "series": "handbuch"},
                {"file": "y.md", "doc_id": "y", "series": "Hand Buch", "version": "1"},
            ],
        )
    )
    assert [(m.series, m.version) for m in manifest.entries.values()] == [
        ("handbuch", "11"),
        ("handbuch", "12"),
    ]
    assert manifest.errors == [
        "x.md: series needs a version (which edition of the series this file is)",
        "y.md: series 'Hand Buch' must match [a-z0-9][a-z0-9._-]*",
    ]


@pytest.mark.parametrize(
    ("stem", "family"),
    [
        ("handbuch-bookworm", ("handbuch", "12")),
        ("Handbuch_Bullseye", ("handbuch", "11")),
        ("handbuch-12", ("handbuch", "12")),
        ("leitfaden-v2.1", ("leitfaden", "2.1")),
        ("forum-vogtland-2024", (None, None)),  # a year is no edition
        ("debian-reference.de", (None, None)),
        ("bookworm", (None, None)),
    ],
)
def test_family_from_file_name(stem: str, family: tuple[str | None, str | None]) -> None:
    assert family_from_name(stem) == family


def test_unlisted_files_get_their_family_from_the_name() -> None:
    meta = infer_meta("documents/handbuch-bookworm.pdf")
    assert (meta.series, meta.version, meta.doc_id) == ("handbuch", "12", "handbuch-bookworm")
    charter = infer_meta("documents/charta-3-0.pdf")
    assert (charter.series, charter.version, charter.doc_type) == (CHARTER_SERIES, "3.0", "charta")


def _pdf_with_info(path: Path, title: str) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Title": title, "/CreationDate": "D:20230204115901+00'00'"})
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def test_unlisted_pdf_takes_title_and_date_from_its_metadata(tmp_path: Path) -> None:
    path = _pdf_with_info(
        tmp_path / "handbuch-bookworm.pdf", "Handbuch für Debian Edu / Skolelinux 12 Bookworm"
    )
    meta = with_file_metadata(infer_meta("handbuch-bookworm.pdf"), path)
    assert (meta.title, meta.date) == ("Handbuch für Debian Edu / Skolelinux 12 Bookworm", "2023-02-04")
    assert (meta.doc_id, meta.series, meta.version) == ("handbuch-bookworm", "handbuch", "12")


def test_junk_pdf_titles_and_broken_files_keep_the_file_name(tmp_path: Path) -> None:
    junk = with_file_metadata(
        infer_meta("bericht.pdf"), _pdf_with_info(tmp_path / "bericht.pdf", "Microsoft Word - bericht.docx")
    )
    assert (junk.title, junk.date) == ("bericht", "2023-02-04")
    broken = tmp_path / "kaputt.pdf"
    broken.write_bytes(b"%PDF-1.4 kaputt")
    assert with_file_metadata(infer_meta("kaputt.pdf"), broken) == infer_meta("kaputt.pdf")


def test_unlisted_files_take_their_title_from_metadata_or_first_heading(tmp_path):
    from docx import Document

    from ingest.manifest import infer_meta, with_file_metadata

    (tmp_path / "notiz_2024.md").write_text(
        "Vorspann\n\n# Ergebnisse des Werkstattgesprächs\n\nText.\n", "utf-8"
    )
    (tmp_path / "seite.html").write_text(
        "<html><head><title>Angebote &amp; Kontakte</title></head></html>", "utf-8"
    )
    word = Document()
    word.add_heading("Protokoll Lenkungskreis", level=1)
    word.add_paragraph("Inhalt.")
    word.save(str(tmp_path / "protokoll.docx"))
    titled = Document()
    titled.core_properties.title = "Handbuch für Zulieferer"
    titled.add_paragraph("Inhalt.")
    titled.save(str(tmp_path / "handbuch.docx"))
    titles = {
        name: with_file_metadata(infer_meta(name), tmp_path / name).title
        for name in ("notiz_2024.md", "seite.html", "protokoll.docx", "handbuch.docx")
    }
    assert titles == {
        "notiz_2024.md": "Ergebnisse des Werkstattgesprächs",
        "seite.html": "Angebote & Kontakte",
        "protokoll.docx": "Protokoll Lenkungskreis",
        "handbuch.docx": "Handbuch für Zulieferer",
    }
