"""Domain types shared by ingest, retrieval, answering and the surfaces."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

DocType = Literal["charta", "verstetigungskonzept", "forum_report", "kongress", "study", "other"]
Audience = Literal["public", "internal"]

DOC_TYPES: tuple[str, ...] = ("charta", "verstetigungskonzept", "forum_report", "kongress", "study", "other")
AUDIENCES: tuple[str, ...] = ("public", "internal")
DISTRICTS: tuple[str, ...] = (
    "Landkreis Zwickau",
    "Erzgebirgskreis",
    "Landkreis Mittelsachsen",
    "Vogtlandkreis",
    "Stadt Chemnitz",
)


@dataclass(frozen=True)
class DocumentMeta:
    """Metadata of one corpus file, from the manifest or inferred."""

    doc_id: str
    title: str
    doc_type: str = "other"
    version: str | None = None
    series: str | None = None  # document family: all versions of one document share it
    district: str | None = None
    date: str | None = None
    audience: str = "public"
    sample: bool = False
    url: str | None = None
    path: str = ""  # relative to the corpus root; never exposed through the API

    def to_metadata(self) -> dict[str, Any]:
        """Flatten to scalar metadata (Chroma accepts no None values)."""
        out: dict[str, Any] = {}
        for key, value in asdict(self).items():
            if value is None:
                continue
            out[key] = value
        return out


@dataclass(frozen=True)
class TextBlock:
    """A piece of text from a loaded document, with where it stands."""

    text: str
    page: str  # printed page label ("3", "iv") or the 1-based page number
    page_index: int  # 1-based physical page (for #page=N links); 1 for formats without pages
    section: tuple[str, ...] = ()  # heading path, outermost first


@dataclass
class LoadedDocument:
    """A document after loading and cleaning: metadata and its text blocks in reading order."""

    meta: DocumentMeta
    blocks: list[TextBlock]
    pages: int = 1


@dataclass(frozen=True)
class Chunk:
    """A retrievable unit of text; never crosses a section boundary."""

    chunk_id: str
    doc_id: str
    text: str
    section: tuple[str, ...]
    page_start: str
    page_end: str
    page_index: int
    ordinal: int  # position of the chunk inside its document
    meta: DocumentMeta

    @property
    def section_title(self) -> str:
        """Section path for display ("2 Handlungsfelder › 2.3 Fachkräfte")."""
        return " › ".join(self.section)

    @property
    def page_label(self) -> str:
        """Printed page or page span ("4" or "4–5")."""
        if self.page_start == self.page_end:
            return self.page_start
        return f"{self.page_start}–{self.page_end}"


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its fused score and the per-retriever evidence."""

    chunk: Chunk
    score: float
    dense: float | None = None  # cosine similarity, if the dense retriever found it
    lexical: float | None = None  # BM25 score, if the lexical retriever found it


@dataclass(frozen=True)
class Filters:
    """Metadata filters; None means 'any'."""

    versions: tuple[str, ...] | None = None
    doc_types: tuple[str, ...] | None = None
    districts: tuple[str, ...] | None = None
    date_from: str | None = None  # ISO date, inclusive
    date_to: str | None = None  # ISO date, inclusive
    audiences: tuple[str, ...] = ("public",)
    exclude_versions: tuple[str, ...] | None = None  # e.g. superseded charter versions

    def matches(self, meta: DocumentMeta) -> bool:
        """Tell whether a document passes these filters."""
        if meta.audience not in self.audiences:
            return False
        if self.versions is not None and meta.version not in self.versions:
            return False
        if self.exclude_versions and meta.version in self.exclude_versions:
            return False
        if self.doc_types is not None and meta.doc_type not in self.doc_types:
            return False
        if self.districts is not None and meta.district not in self.districts:
            return False
        date = meta.date or ""
        if self.date_from and (not date or date < self.date_from):
            return False
        return not (self.date_to and (not date or date > self.date_to))

    def to_dict(self) -> dict[str, Any]:
        """Serialise for the response shape (only the set filters)."""
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True)
class Citation:
    """One numbered source of an answer."""

    n: int
    doc_id: str
    title: str
    doc_type: str
    version: str | None
    district: str | None
    date: str | None
    page: str
    section: str
    quote: str
    superseded_by: str | None
    url: str


@dataclass
class Answer:
    """The shared response shape of API, CLI, UI and widget."""

    answer: str
    refused: bool
    mode: str  # "extractive" | "llm"
    citations: list[Citation] = field(default_factory=list)
    filters: dict[str, Any] = field(default_factory=dict)
    timings_ms: dict[str, float] = field(default_factory=dict)
    related: list[dict[str, Any]] = field(default_factory=list)
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Serialise to the JSON response shape."""
        return asdict(self)
