"""Shared pieces of the format loaders: the skip signal, German statuses and block building."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.types import TextBlock
from ingest import cleaning
from ingest.worker import TaskFailed

# German per-file statuses of the non-PDF loaders and the worker, shown in the ingest report.
STATUS_CORRUPT = "beschädigt oder unvollständig"
STATUS_UNREADABLE = "Datei nicht lesbar"
STATUS_TIMEOUT = "Zeitlimit beim Lesen überschritten"
STATUS_MEMORY = "Speicherlimit beim Lesen überschritten"
STATUS_CRASH = "beim Lesen abgebrochen (unerwarteter Fehler im Leseprozess)"
STATUS_TOO_DEEP = "zu tief verschachtelt"
STATUS_UNSAFE_DOCX = "unsichere DOCX (DTD/Entity)"
STATUS_DOCX_BOMB = "unsichere DOCX (Kompressionsbombe)"
STATUS_DOCX_MEMBERS = "unsichere DOCX (zu viele Teile)"
STATUS_DOCX_ENCRYPTED = "passwortgeschützt"
STATUS_BINARY = "keine Textdatei (Binärdaten)"
_MB = 1024 * 1024


class SkipFile(TaskFailed):
    """A file cannot be ingested; `reason` is a short German status for the report."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason, detail)

    @property
    def reason(self) -> str:
        return self.status


@dataclass
class Loaded:
    """What a format loader returns: text blocks, page count and German notes for the report."""

    blocks: list[TextBlock]
    pages: int = 1
    notes: list[str] = field(default_factory=list)


def too_large(size: int, limit: int) -> str:
    """German status for a file (or declared content) over a byte limit."""
    shown, cap = f"{size / _MB:.1f}", f"{limit / _MB:.1f}"
    if shown == cap:
        shown = f"{size / _MB:.2f}"
    return f"zu groß ({_german_number(shown)} MB > {_german_number(cap)} MB)"


def too_much_text(limit: int) -> str:
    """German status for a file whose text exceeds the per-file character limit."""
    return f"zu viel Text (mehr als {german_int(limit)} Zeichen)"


def too_many_chunks(count: int, limit: int) -> str:
    """German status for a file that would become more chunks than allowed per file."""
    return f"zu viele Abschnitte ({german_int(count)} > {german_int(limit)})"


def hidden_dropped(count: int) -> str:
    """German note for HTML text hidden by CSS or attributes and left out."""
    return f"{count} versteckte Textstelle{'n' if count != 1 else ''} entfernt"


def german_int(value: int) -> str:
    """1234567 → "1.234.567"."""
    return f"{value:,}".replace(",", ".")


def _german_number(value: str) -> str:
    return value.removesuffix(".0").replace(".", ",")


_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_CONTROL_BYTES = bytes(range(0x09)) + bytes(range(0x0E, 0x20))  # C0 controls except tab..CR


def bom_encoding(data: bytes) -> str | None:
    """The UTF-16/32 encoding a byte order mark announces, else None."""
    return next((encoding for bom, encoding in _BOMS if data.startswith(bom)), None)


def looks_binary(data: bytes) -> bool:
    """Tell binary junk from text: NUL bytes or many control bytes in the first 64 KiB (no UTF-16/32 BOM)."""
    if bom_encoding(data):
        return False
    sample = data[:65536]
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > 0.05 * len(sample)


def make_blocks(text: str, section: cleaning.Section, page: int = 1) -> list[TextBlock]:
    """Split text into paragraph blocks under one section."""
    path = cleaning.section_path(section)
    return [TextBlock(p, str(page), page, path) for p in cleaning.paragraphs(text)]
