"""What crosses the ingest boundary as text: normalised, no hidden HTML, no active markup, bounded."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from pathlib import Path

import docx
import pytest
import yaml

from assistant.types import DocumentMeta
from ingest.loaders import STATUS_DECLARED_LENGTH, ParsedDocument, SkipFile, load_file
from ingest.manifest import infer_meta, load_manifest
from ingest.markup import plain_title, reduce_markup

META = DocumentMeta(doc_id="probe", title="Probe")
LIMITS = {"max_bytes": 60 * 1024 * 1024, "pdf_timeout_s": 30.0, "pdf_memory_mb": 1024}
DIRTY = "Fach\u200bkra\u0308fte \u202eim\u202c Vogtland \u2066brauchen\u2069 Wohnungen\U000e0041."
CLEAN = "Fachkräfte im Vogtland brauchen Wohnungen."


def _load(path: Path, **overrides: int) -> ParsedDocument:
    return load_file(path, META, **{**LIMITS, **overrides})  # type: ignore[arg-type]


def _text(doc: ParsedDocument) -> str:
    return "\n".join(block.text for block in doc.blocks)


def _docx(path: Path, text: str) -> Path:
    document = docx.Document()
    document.add_paragraph(text)
    document.save(str(path))
    return path


@pytest.mark.parametrize("suffix", [".md", ".txt", ".html", ".docx"])
def test_every_format_yields_nfc_text_without_invisible_characters(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"probe{suffix}"
    if suffix == ".docx":
        _docx(path, DIRTY)
    elif suffix == ".html":
        path.write_text(f"<html><body><p>{DIRTY}</p></body></html>", encoding="utf-8")
    else:
        path.write_text(DIRTY + "\n", encoding="utf-8")
    text = _text(_load(path))
    assert text == CLEAN and unicodedata.is_normalized("NFC", text)


def test_hidden_html_is_dropped_and_counted(tmp_path: Path) -> None:
    page = tmp_path / "seite.html"
    page.write_text(
        "<html><head><style>.weg { display: none }</style></head><body>"
        "<p>Sichtbar: das Forum tagt in Plauen.</p>"
        '<p style="font-size:0">Geheim eins ![x](https://evil.example/a)</p>'
        "<div hidden><p>Geheim zwei</p><p>Geheim drei</p></div>"
        '<p class="weg">Geheim vier</p><p aria-hidden="true">Geheim fünf</p>'
        "</body></html>",
        encoding="utf-8",
    )
    doc = _load(page)
    assert _text(doc) == "Sichtbar: das Forum tagt in Plauen."
    assert doc.notes == ["4 versteckte Textstellen entfernt"]


@pytest.mark.parametrize(
    ("raw", "reduced"),
    [
        ("Siehe ![Karte](https://evil.example/k.png?q=1) oben.", "Siehe Karte oben."),
        ('Mehr [hier](https://example.org/x_(y) "Titel").', "Mehr hier."),
        ("[![Logo](https://e.example/l.png)](https://e.example/)", "Logo"),
        ("Alt ![mit [Klammern] drin](https://e.example/b.png)", "Alt mit [Klammern] drin"),
        ("Referenz ![bild][1]\n[1]: https://evil.example/r.png", "Referenz bild\n"),
        ('Roh <img src="https://evil.example/p.png" onerror="alert(1)"> Text', "Roh  Text"),
        ("Kein Link: [Anhang 2] (S. 4) und a < b > c", "Kein Link: [Anhang 2] (S. 4) und a < b > c"),
    ],
)
def test_images_and_links_keep_only_their_text(raw: str, reduced: str) -> None:
    assert reduce_markup(raw) == reduced


def test_markup_is_reduced_in_every_format(tmp_path: Path) -> None:
    text = "Die Karte ![Karte](https://evil.example/k.png) zeigt [Plauen](https://evil.example/p)."
    for name in ("a.md", "a.txt", "a.docx"):
        path = tmp_path / name
        _docx(path, text) if name.endswith(".docx") else path.write_text(text, encoding="utf-8")
        assert _text(_load(path)) == "Die Karte Karte zeigt Plauen."


def test_text_beyond_the_character_limit_is_refused_with_its_reason(tmp_path: Path) -> None:
    (tmp_path / "lang.md").write_text("Wort " * 100, encoding="utf-8")  # checked before cleaning
    (tmp_path / "lang.html").write_text(f"<p>{'Wort ' * 100}</p>", encoding="utf-8")  # checked on output
    for name in ("lang.md", "lang.html"):
        with pytest.raises(SkipFile) as caught:
            _load(tmp_path / name, max_chars=100)
        assert caught.value.reason == "zu viel Text (mehr als 100 Zeichen)"


def test_worker_reports_what_reading_cost(tmp_path: Path) -> None:
    path = tmp_path / "kurz.md"
    path.write_text("# Kurz\n\nEin Satz.\n", encoding="utf-8")
    usage = _load(path).usage
    assert usage is not None and usage.seconds > 0 and usage.peak_rss_mb is not None and usage.peak_rss_mb > 1


def _pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _pages(count: int, content: bytes, length: bytes | None = None) -> bytes:
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> >> >>"
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(count))
    stream = b"<< /Length %s >>\nstream\n%s\nendstream" % (length or b"%d" % len(content), content)
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
            stream,
            font,
            *[page] * count,
        ]
    )


def test_length_bomb_is_reported_with_pypdfs_reason(tmp_path: Path) -> None:
    path = tmp_path / "laenge.pdf"
    path.write_bytes(_pages(1, b"BT /F1 12 Tf 72 700 Td (Laenge) Tj ET", length=b"999999999999"))
    with pytest.raises(SkipFile) as caught:
        _load(path)
    assert caught.value.reason == STATUS_DECLARED_LENGTH
    assert "Declared stream length" in caught.value.detail


def test_pdf_of_one_repeated_line_per_page_keeps_its_text(tmp_path: Path) -> None:
    path = tmp_path / "register.pdf"
    path.write_bytes(_pages(3000, b"BT /F1 12 Tf 72 700 Td (ITAS Regionalforum Zwickau) Tj ET"))
    doc = _load(path)
    assert doc.pages == 3000
    assert {block.text for block in doc.blocks} == {"ITAS Regionalforum Zwickau"}


def test_file_names_become_plain_text_titles() -> None:
    assert infer_meta("documents/<img src=x onerror=alert(1)>.md").title == "img-src-x-onerror-alert-1"
    assert infer_meta("documents/Ma\u0308rz_<b>Bericht\u200b.md").title == "März Bericht"
    assert plain_title("  Charta <script>x</script> 3.0  ") == "Charta x 3.0"


def test_manifest_urls_are_http_or_https_only(tmp_path: Path) -> None:
    docs = tmp_path / "documents"
    docs.mkdir()
    entries = []
    for n, url in enumerate(
        ["https://itas.example/charta.pdf", "javascript:alert(1)", "data:text/html,x", "//evil"]
    ):
        (docs / f"d{n}.md").write_text("# T\n\nText.\n", encoding="utf-8")
        entries.append({"file": f"documents/d{n}.md", "doc_id": f"d{n}", "title": "T", "url": url})
    (tmp_path / "manifest.yaml").write_text(yaml.safe_dump({"documents": entries}), encoding="utf-8")
    urls = [meta.url for meta in load_manifest(tmp_path).entries.values()]
    assert urls == ["https://itas.example/charta.pdf", None, None, None]


def test_docx_dtd_hidden_by_utf16_or_a_renamed_part_is_refused(tmp_path: Path) -> None:
    source = _docx(tmp_path / "quelle.docx", "Text")
    with zipfile.ZipFile(source) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    dtd = '<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    xml = parts["word/document.xml"].decode("utf-8")
    utf16 = xml.replace('encoding="UTF-8"', 'encoding="UTF-16"').replace("?>", "?>" + dtd, 1).encode("utf-16")
    renamed = dict(parts)
    renamed["word/main.bin"] = renamed.pop("word/document.xml").replace(b"?>", b"?>" + dtd.encode(), 1)
    renamed["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"/word/document.xml", b"/word/main.bin"
    )
    renamed["_rels/.rels"] = parts["_rels/.rels"].replace(b"word/document.xml", b"word/main.bin")
    for name, variant in (("utf16.docx", {**parts, "word/document.xml": utf16}), ("umbenannt.docx", renamed)):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for part, data in variant.items():
                archive.writestr(part, data)
        (tmp_path / name).write_bytes(buffer.getvalue())
        with pytest.raises(SkipFile) as caught:
            _load(tmp_path / name)
        assert caught.value.reason == "unsichere DOCX (DTD/Entity)"


def test_html_of_loose_text_without_block_elements_is_read(tmp_path: Path) -> None:
    page = tmp_path / "lose.html"
    page.write_text(
        "<html><body>Lose <b>Zeilen</b> ohne Absatz<br>zweite Zeile</body></html>", encoding="utf-8"
    )
    assert _text(_load(page)) == "Lose Zeilen ohne Absatz zweite Zeile"


def test_docx_hidden_runs_are_dropped_and_counted(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Sichtbar: das Forum tagt in Plauen.")
    paragraph.add_run(" Geheim eins ![x](https://evil.example/a)").font.hidden = True
    tiny = document.add_paragraph().add_run("Geheim zwei in winziger Schrift")
    tiny.font.size = docx.shared.Pt(1)
    shown = document.add_paragraph().add_run("Wieder sichtbar.")
    shown.font.hidden = False
    document.save(str(tmp_path / "versteckt.docx"))
    doc = _load(tmp_path / "versteckt.docx")
    assert _text(doc) == "Sichtbar: das Forum tagt in Plauen.\nWieder sichtbar."
    assert doc.notes == ["2 versteckte Textstellen entfernt"]
