"""Document families: which documents are versions of one another (series + version).

One home for the rule. A document belongs to a series when its metadata names one (`meta.series`, set
by the manifest); until every manifest carries it, a charter document with a version belongs to the
series "itas-charta". Everything that asks "which versions exist?" calls these functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from assistant.types import DocumentMeta

CHARTER_SERIES = "itas-charta"


def version_key(version: str | None) -> tuple[int, ...]:
    """Sort key for versions like "1.0", "2.0", "10.1" (numeric parts; no version sorts first)."""
    parts = [int(p) for p in (version or "").split(".") if p.isdigit()]
    return tuple(parts) or (0,)


def series_of(meta: DocumentMeta) -> str | None:
    """The series a document belongs to, or None when it is no version of a family."""
    named = getattr(meta, "series", None)
    if named:
        return str(named)
    if meta.doc_type == "charta" and meta.version:
        return CHARTER_SERIES
    return None


@dataclass(frozen=True)
class FamilyVersion:
    """One version of a series: the document chosen for it and any other documents claiming it."""

    version: str
    meta: DocumentMeta
    duplicates: tuple[str, ...] = ()  # doc ids of further documents that claim the same version


def _documents(source: object) -> Mapping[str, DocumentMeta]:
    docs = getattr(source, "documents", source)
    return docs  # type: ignore[return-value]


def _chosen(claimants: list[DocumentMeta]) -> DocumentMeta:
    # Two files claiming one version: the newer date wins, then the smaller doc id (deterministic).
    newest = max(c.date or "" for c in claimants)
    return min((c for c in claimants if (c.date or "") == newest), key=lambda c: c.doc_id)


def versions_of(
    source: Mapping[str, DocumentMeta] | object, series: str, *, audiences: Iterable[str] = ("public",)
) -> list[FamilyVersion]:
    """The versions of a series, oldest first, visible to the given audiences.

    Args:
        source: an index snapshot (anything with `.documents`) or a doc_id → meta mapping.
    """
    allowed = set(audiences)
    by_version: dict[str, list[DocumentMeta]] = {}
    for meta in _documents(source).values():
        if meta.audience in allowed and meta.version and series_of(meta) == series:
            by_version.setdefault(meta.version, []).append(meta)
    family = []
    for version in sorted(by_version, key=version_key):
        claimants = by_version[version]
        chosen = _chosen(claimants)
        others = tuple(sorted(c.doc_id for c in claimants if c.doc_id != chosen.doc_id))
        family.append(FamilyVersion(version, chosen, others))
    return family


def series_names(
    source: Mapping[str, DocumentMeta] | object, *, audiences: Iterable[str] = ("public",)
) -> list[str]:
    """All series with at least one visible version, sorted by name."""
    allowed = set(audiences)
    names = {series_of(m) for m in _documents(source).values() if m.audience in allowed and m.version}
    return sorted(n for n in names if n)


def superseded_by(
    source: Mapping[str, DocumentMeta] | object, meta: DocumentMeta, *, audiences: Iterable[str] = ("public",)
) -> str | None:
    """The newest visible version of the document's series if the document is an older version, else None.

    Only versions the reader may see count: an internal draft of a next version never marks the public
    one as superseded.
    """
    series = series_of(meta)
    if series is None or not meta.version:
        return None
    family = versions_of(source, series, audiences=audiences)
    if not family:
        return None
    newest = family[-1].version
    return newest if version_key(meta.version) < version_key(newest) else None
