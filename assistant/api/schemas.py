"""Request and response models of the HTTP API."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from assistant.types import DISTRICTS, DOC_TYPES, Filters

_VERSION = re.compile(r"^\d+\.\d+$")


class FilterInput(BaseModel):
    """Optional metadata filters; an empty list or null means 'any'."""

    versions: list[str] | None = Field(None, description='Charter versions, e.g. ["3.0"]', examples=[["3.0"]])
    doc_types: list[str] | None = Field(None, description=f"Document types: {', '.join(DOC_TYPES)}")
    districts: list[str] | None = Field(None, description=f"Districts: {', '.join(DISTRICTS)}")
    date_from: date | None = Field(None, description="Earliest document date (inclusive)")
    date_to: date | None = Field(None, description="Latest document date (inclusive)")
    current_only: bool = Field(False, description="Only the current charter version (older ones hidden)")

    @field_validator("versions", "doc_types", "districts")
    @classmethod
    def _known_values(cls, value: list[str] | None, info: ValidationInfo) -> list[str] | None:
        """Reject values outside the valid set with a German message that lists the valid ones."""
        for v in value or []:
            if info.field_name == "versions" and not _VERSION.match(v):
                raise ValueError(f"Unbekannte Version „{v}“ – erwartet z. B. „3.0“.")
            if info.field_name == "doc_types" and v not in DOC_TYPES:
                raise ValueError(f"Unbekannter Dokumenttyp „{v}“ – gültig: {', '.join(DOC_TYPES)}.")
            if info.field_name == "districts" and v not in DISTRICTS:
                raise ValueError(f"Unbekannter Landkreis „{v}“ – gültig: {', '.join(DISTRICTS)}.")
        return value or None

    def to_filters(self, *, internal: bool = False) -> Filters:
        """Convert to domain filters; the audience is set here by the caller, never by the request."""
        return Filters(
            versions=tuple(self.versions) if self.versions else None,
            doc_types=tuple(self.doc_types) if self.doc_types else None,
            districts=tuple(self.districts) if self.districts else None,
            date_from=self.date_from.isoformat() if self.date_from else None,
            date_to=self.date_to.isoformat() if self.date_to else None,
            audiences=("public", "internal") if internal else ("public",),
        )


class Turn(BaseModel):
    """One earlier turn of the conversation."""

    role: Literal["user", "assistant"]
    content: str = Field(..., max_length=4000)  # 10 such turns fit the body limit even as 2-byte UTF-8


class ChatRequest(BaseModel):
    """A question with optional history and filters."""

    question: str = Field(
        ..., description="The question in German", examples=["Was sagt die Charta zu Gießereien?"]
    )
    history: list[Turn] = Field(default_factory=list, description="Earlier turns, oldest first")
    filters: FilterInput = Field(default_factory=FilterInput)


class CitationOut(BaseModel):
    """A numbered source of the answer."""

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


class ChatResponse(BaseModel):
    """The answer with its citations; the same shape as `itas ask --json`."""

    answer: str
    refused: bool
    mode: Literal["extractive", "llm"]
    citations: list[CitationOut]
    filters: dict[str, object]
    timings_ms: dict[str, float]
    related: list[dict[str, object]] = []
    note: str | None = None


class Passage(BaseModel):
    """A retrieved passage (search results)."""

    rank: int
    score: float
    doc_id: str
    title: str
    doc_type: str
    version: str | None
    district: str | None
    date: str | None
    page: str
    section: str
    text: str
    url: str


class DocumentOut(BaseModel):
    """A public document of the corpus."""

    doc_id: str
    title: str
    doc_type: str
    version: str | None
    district: str | None
    date: str | None
    sample: bool
    url: str
    source_url: str | None = None
