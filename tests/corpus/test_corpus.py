"""Checks for the ITAS sample corpus (corpus/manifest.yaml + corpus/documents/).

Plain pytest functions; only yaml, pypdf and python-docx are imported.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import docx
import pytest
import yaml
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
MANIFEST = CORPUS / "manifest.yaml"
NOTICE = (
    "Beispieldokument – fiktive Inhalte auf Basis öffentlicher Informationen, "
    "kein offizieller Text der ITAS-Initiative"
)
DOC_TYPES = {"charta", "verstetigungskonzept", "forum_report", "kongress", "study", "other"}
DISTRICTS = {
    "Landkreis Zwickau",
    "Erzgebirgskreis",
    "Landkreis Mittelsachsen",
    "Vogtlandkreis",
    "Stadt Chemnitz",
}
CHANGE_KINDS = {"added", "reworded", "reprioritised", "dropped"}
EXPECTED_KEYS = [
    "file",
    "doc_id",
    "title",
    "doc_type",
    "version",
    "district",
    "date",
    "audience",
    "sample",
    "url",
]


@cache
def manifest() -> dict:
    return yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))


def docs() -> list[dict]:
    return manifest()["documents"]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@cache
def pdf_pages(path: Path) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(str(path)).pages]


@cache
def docx_text(path: Path) -> tuple[str, str]:
    """(body text incl. tables, footer text of all sections)."""
    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    footer = " ".join(p.text for s in d.sections for p in s.footer.paragraphs)
    return "\n".join(parts), footer


def test_manifest_top_level():
    m = manifest()
    assert m["sample_notice"] == NOTICE
    assert isinstance(m["documents"], list) and len(m["documents"]) >= 10


@pytest.mark.parametrize("entry", docs(), ids=lambda e: e["doc_id"])
def test_entry_metadata(entry):
    for key in EXPECTED_KEYS:
        assert key in entry, f"missing {key}"
    assert re.fullmatch(r"[a-z0-9-]+", entry["doc_id"])
    assert (CORPUS / entry["file"]).is_file(), entry["file"]
    assert entry["file"].startswith("documents/")
    assert entry["doc_type"] in DOC_TYPES
    assert entry["audience"] in {"public", "internal"}
    assert entry["sample"] is True
    assert entry["district"] is None or entry["district"] in DISTRICTS
    assert isinstance(entry["date"], str)
    dt.date.fromisoformat(entry["date"])
    assert entry["title"].strip()
    if entry["doc_type"] in {"charta", "verstetigungskonzept"}:
        assert entry["version"] in {"1.0", "2.0", "3.0"}
    else:
        assert entry["version"] is None
    if entry["doc_type"] == "charta":
        assert isinstance(entry["changes"], list)
        for ch in entry["changes"]:
            assert set(ch) == {"topic", "kind", "since", "summary"}
            assert ch["kind"] in CHANGE_KINDS
            assert ch["since"] == entry["version"]
            assert ch["summary"].strip() and ch["topic"].strip()
    else:
        assert "changes" not in entry or entry["changes"] in (None, [])


def test_doc_ids_and_files_unique():
    ids = [e["doc_id"] for e in docs()]
    files = [e["file"] for e in docs()]
    assert len(ids) == len(set(ids))
    assert len(files) == len(set(files))


def test_coverage_districts_versions_internal_formats():
    ds = {e["district"] for e in docs() if e["doc_type"] == "forum_report"}
    assert ds >= DISTRICTS
    versions = {e["version"] for e in docs() if e["doc_type"] == "charta"}
    assert versions == {"1.0", "2.0", "3.0"}
    assert any(e["doc_type"] == "verstetigungskonzept" for e in docs())
    assert any(e["audience"] == "internal" for e in docs())
    exts = [Path(e["file"]).suffix for e in docs()]
    assert exts.count(".docx") >= 2
    assert 2 <= exts.count(".md") + exts.count(".html") <= 3
    assert sum(len(e.get("changes") or []) for e in docs()) >= 8


@pytest.mark.parametrize("entry", docs(), ids=lambda e: e["doc_id"])
def test_sample_notice_present(entry):
    path = CORPUS / entry["file"]
    suffix = path.suffix
    if suffix == ".pdf":
        pages = pdf_pages(path)
        assert pages
        for i, text in enumerate(pages):
            assert NOTICE in _norm(text), f"page {i + 1} lacks the notice (footer)"
    elif suffix == ".docx":
        body, footer = docx_text(path)
        assert NOTICE in _norm(body), "title page lacks the notice"
        assert NOTICE in _norm(footer), "footer lacks the notice"
    elif suffix in {".md", ".html"}:
        raw = path.read_text(encoding="utf-8")
        assert raw.count(NOTICE) >= 2, "notice must appear at top and bottom"
        if suffix == ".html":
            main = re.search(r"<main\b.*?</main>", raw, re.S)
            assert main and main.group(0).count(NOTICE) >= 2
            assert "<nav" in raw and "<footer" in raw
    else:  # pragma: no cover
        pytest.fail(f"unexpected format {suffix}")


def _docx_pages(path: Path) -> int:
    d = docx.Document(str(path))
    xml = d.element.xml
    return xml.count('w:type="page"') + 1


def test_page_total():
    total = 0
    for e in docs():
        path = CORPUS / e["file"]
        if path.suffix == ".pdf":
            total += len(PdfReader(str(path)).pages)
        elif path.suffix == ".docx":
            total += _docx_pages(path)
    assert 60 <= total <= 95, total


def test_pdf_layout_features():
    """Page labels i, ii, 1..; umlauts intact; at least one line-end hyphenation."""
    hyphenated = 0
    for e in docs():
        path = CORPUS / e["file"]
        if path.suffix != ".pdf":
            continue
        reader = PdfReader(str(path))
        labels = reader.page_labels
        assert labels[:3] == ["i", "ii", "1"], (e["doc_id"], labels[:3])
        text = "\n".join(pdf_pages(path))
        assert "ä" in text and "ü" in text
        assert e["title"] in _norm(text)
        hyphenated += len(re.findall(r"[a-zäöüß]{2,}-\n[a-zäöüß]{2,}", text))
    assert hyphenated >= 5


def test_internal_fact_only_in_internal_docs():
    marker = "Projekt Silberstreif"
    for e in docs():
        path = CORPUS / e["file"]
        if path.suffix == ".pdf":
            text = _norm("\n".join(pdf_pages(path)))
        elif path.suffix == ".docx":
            text = _norm(" ".join(docx_text(path)))
        else:
            text = path.read_text(encoding="utf-8")
        if e["audience"] == "internal":
            assert marker in text
        else:
            assert marker not in text


def test_generator_is_byte_identical(tmp_path):
    out = tmp_path / "docs"
    subprocess.run(
        [sys.executable, str(CORPUS / "generate.py"), "--out", str(out)],
        check=True,
        cwd=ROOT,
        capture_output=True,
        timeout=120,
    )
    for e in docs():
        committed = CORPUS / e["file"]
        fresh = out / Path(e["file"]).name
        assert fresh.read_bytes() == committed.read_bytes(), e["file"]
    assert (out / "manifest.yaml").read_bytes() == MANIFEST.read_bytes()
