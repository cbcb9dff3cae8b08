"""Read `manifest.yaml`: the metadata of every corpus file, with inferred defaults for unlisted files."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assistant.types import AUDIENCES, DISTRICTS, DOC_TYPES, DocumentMeta
from assistant.urls import web_url
from ingest.markup import plain_title

MANIFEST_NAME = "manifest.yaml"
_DOC_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_DISTRICT_HINTS = {
    "zwickau": "Landkreis Zwickau",
    "erzgebirge": "Erzgebirgskreis",
    "mittelsachsen": "Landkreis Mittelsachsen",
    "vogtland": "Vogtlandkreis",
    "chemnitz": "Stadt Chemnitz",
}
# Charter entries with a version and no series form the charter family (keeps old manifests valid).
CHARTER_SERIES = "itas-charta"
# A file name ending in a version or a Debian release name marks an edition of a family:
# "handbuch-12.pdf", "handbuch-v2.1.pdf", "handbuch-bookworm.pdf" → series "handbuch".
_NAME_VERSION = re.compile(r"^(?P<series>.*?[a-z].*?)[ _-]+v?(?P<version>\d+(?:[._]\d+)*)$")
_RELEASE_NAMES = {"buster": "10", "bullseye": "11", "bookworm": "12", "trixie": "13", "forky": "14"}
_TYPE_HINTS = (
    ("verstetigung", "verstetigungskonzept"),
    ("charta", "charta"),
    ("forum", "forum_report"),
    ("kongress", "kongress"),
    ("studie", "study"),
)


@dataclass
class Manifest:
    """Metadata by path (relative to the corpus root), plus problems found while reading it."""

    entries: dict[str, DocumentMeta] = field(default_factory=dict)
    changes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # doc_id -> changes
    errors: list[str] = field(default_factory=list)
    notice: str = ""


def slugify(name: str) -> str:
    """Make a stable doc id from a file name."""
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower().translate(table)).strip("-")
    return slug or "dokument"


def infer_meta(relpath: str) -> DocumentMeta:
    """Guess metadata for a file the manifest does not list."""
    stem = Path(relpath).stem
    lowered = stem.lower()
    doc_type = next((t for hint, t in _TYPE_HINTS if hint in lowered), "other")
    version_match = re.search(r"(\d)[._-](\d)", lowered)
    version = f"{version_match[1]}.{version_match[2]}" if doc_type == "charta" and version_match else None
    series = CHARTER_SERIES if version else None
    if doc_type != "charta":
        series, version = family_from_name(stem)
    district = next((d for hint, d in _DISTRICT_HINTS.items() if hint in lowered), None)
    audience = "internal" if "intern" in lowered else "public"
    title = plain_title(re.sub(r"[_-]+", " ", stem)) or slugify(stem)  # a file name is no HTML title
    return DocumentMeta(
        doc_id=slugify(stem),
        title=title,
        doc_type=doc_type,
        version=version,
        series=series,
        district=district,
        audience=audience,
        path=relpath,
    )


def family_from_name(stem: str) -> tuple[str | None, str | None]:
    """Series and version from a file name ("handbuch-bookworm" → ("handbuch", "12")), else (None, None)."""
    lowered = stem.lower()
    for name, number in _RELEASE_NAMES.items():
        head = re.sub(rf"[ _-]*{name}$", "", lowered)
        if head != lowered and head:
            return slugify(head), number
    match = _NAME_VERSION.match(lowered)
    if match is None or re.fullmatch(r"(19|20)\d\d", match["version"]):
        return None, None  # "forum-2024" is a year, not an edition
    return slugify(match["series"]), match["version"].replace("_", ".")


def _validate(raw: dict[str, Any]) -> list[str]:
    problems = []
    if not _DOC_ID.match(str(raw.get("doc_id", ""))):
        problems.append(f"doc_id {raw.get('doc_id')!r} must match [a-z0-9][a-z0-9._-]*")
    if raw.get("doc_type", "other") not in DOC_TYPES:
        problems.append(f"doc_type {raw.get('doc_type')!r} is not one of {', '.join(DOC_TYPES)}")
    if raw.get("audience", "public") not in AUDIENCES:
        problems.append(f"audience {raw.get('audience')!r} is not one of {', '.join(AUDIENCES)}")
    if raw.get("series") is not None and not _DOC_ID.match(str(raw["series"])):
        problems.append(f"series {raw.get('series')!r} must match [a-z0-9][a-z0-9._-]*")
    if raw.get("series") is not None and raw.get("version") is None:
        problems.append("series needs a version (which edition of the series this file is)")
    if raw.get("district") not in (None, *DISTRICTS):
        problems.append(f"district {raw.get('district')!r} is not one of {', '.join(DISTRICTS)}")
    return problems


def _entry_meta(raw: dict[str, Any]) -> DocumentMeta:
    date = raw.get("date")
    version = raw.get("version")
    series = raw.get("series")
    if series is None and version is not None and raw.get("doc_type") == "charta":
        series = CHARTER_SERIES
    return DocumentMeta(
        doc_id=str(raw["doc_id"]),
        title=str(raw.get("title") or raw["doc_id"]),
        doc_type=str(raw.get("doc_type") or "other"),
        version=None if version is None else str(version),
        series=None if series is None else str(series),
        district=raw.get("district"),
        date=None if date is None else str(date),
        audience=str(raw.get("audience") or "public"),
        sample=bool(raw.get("sample", False)),
        url=web_url(raw.get("url")),  # http(s) only: no javascript:/data: link reaches a surface
        path=str(raw["file"]),
    )


def load_manifest(corpus_root: Path) -> Manifest:
    """Read the manifest; a missing manifest is an empty one, broken entries become errors."""
    manifest = Manifest()
    path = corpus_root / MANIFEST_NAME
    if not path.exists():
        return manifest
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        manifest.errors.append(f"{MANIFEST_NAME} is not valid YAML: {exc}")
        return manifest
    manifest.notice = str(data.get("sample_notice", ""))
    seen: set[str] = set()
    for index, raw in enumerate(data.get("documents") or []):
        if not isinstance(raw, dict) or "file" not in raw or "doc_id" not in raw:
            manifest.errors.append(f"manifest entry #{index + 1} needs at least 'file' and 'doc_id'")
            continue
        problems = _validate(raw)
        if raw["doc_id"] in seen:
            problems.append(f"doc_id {raw['doc_id']!r} is used twice")
        if problems:
            manifest.errors.extend(f"{raw['file']}: {p}" for p in problems)
            continue
        seen.add(raw["doc_id"])
        if not (corpus_root / str(raw["file"])).is_file():
            manifest.errors.append(f"{raw['file']}: listed in {MANIFEST_NAME} but the file is missing")
            continue
        meta = _entry_meta(raw)
        manifest.entries[meta.path] = meta
        if raw.get("changes"):
            manifest.changes[meta.doc_id] = list(raw["changes"])
    return manifest


# --- metadata of files the manifest does not list ---------------------------------------------

_JUNK_TITLES = re.compile(
    r"^(?:untitled|unbenannt|dokument\d*|document\d*|microsoft word\b.*|.*\.(?:docx?|pdf|odt))$", re.I
)


def with_file_metadata(meta: DocumentMeta, path: Path) -> DocumentMeta:
    """An inferred meta with the title and date the PDF or DOCX declares about itself, where usable.

    Read in the bounded worker (a hostile file may sit in the corpus); any failure keeps `meta`.
    """
    readers = {
        ".pdf": pdf_metadata,
        ".docx": docx_metadata,
        ".md": text_heading,
        ".markdown": text_heading,
        ".txt": text_heading,
        ".html": html_heading,
        ".htm": html_heading,
    }
    reader = readers.get(path.suffix.lower())
    if reader is None:
        return meta
    import functools

    from ingest.worker import Limits, run_bounded

    try:
        (title, date), _ = run_bounded(
            functools.partial(reader, str(path)),
            Limits(timeout_s=10.0, memory_mb=512, max_chars=10_000),
        )
    except Exception:  # the worker's limits, a crash or a broken file: metadata is optional
        return meta
    updates = {"title": title} if title else {}
    if date and not meta.date:
        updates["date"] = date
    return DocumentMeta(**{**meta.__dict__, **updates}) if updates else meta


def docx_metadata(path: str) -> tuple[str | None, str | None]:
    """(title, ISO date) from a DOCX's core properties (docProps/core.xml); runs in the worker child."""
    from docx import Document

    document = Document(path)
    props = document.core_properties
    title = " ".join(str(props.title or "").split())
    usable = title if len(title) >= 3 and not _JUNK_TITLES.match(title) else None
    if usable is None:  # no declared title: the first Title/Heading paragraph
        heading = next(
            (
                p.text
                for p in document.paragraphs
                if p.text.strip()
                and p.style is not None
                and (p.style.name or "").startswith(("Title", "Heading"))
            ),
            "",
        )
        usable = plain_title(heading)[:200] or None
    created = props.created
    return usable, created.date().isoformat() if created else None


_HEAD_BYTES = 64 * 1024  # a title stands at the start; never read a whole (possibly huge) file for it
_ATX_TITLE = re.compile(r"^\s{0,3}#{1,2}\s+(.+?)\s*#*\s*$", re.MULTILINE)
_HTML_TITLE = re.compile(r"<(title|h1)\b[^>]{0,500}>(.{1,500}?)</\1>", re.IGNORECASE | re.DOTALL)


def text_heading(path: str) -> tuple[str | None, str | None]:
    """(first Markdown heading, None) of a text file; runs in the worker child."""
    with open(path, "rb") as fh:
        head = fh.read(_HEAD_BYTES).decode("utf-8", "replace")
    match = _ATX_TITLE.search(head)
    return (plain_title(match.group(1))[:200] or None) if match else None, None


def html_heading(path: str) -> tuple[str | None, str | None]:
    """(<title> or first <h1>, None) of an HTML file; runs in the worker child."""
    with open(path, "rb") as fh:
        head = fh.read(_HEAD_BYTES).decode("utf-8", "replace")
    match = _HTML_TITLE.search(head)
    return (plain_title(html.unescape(match.group(2)))[:200] or None) if match else None, None


def pdf_metadata(path: str) -> tuple[str | None, str | None]:
    """(title, ISO date) from a PDF's document information; runs in the worker child."""
    from pypdf import PdfReader

    info = PdfReader(path, strict=False).metadata
    if info is None:
        return None, None
    title = " ".join(str(info.title or "").split())
    usable = title if len(title) >= 3 and not _JUNK_TITLES.match(title) else None
    try:
        created = info.creation_date
    except (ValueError, TypeError):
        created = None
    return usable, created.date().isoformat() if created else None
