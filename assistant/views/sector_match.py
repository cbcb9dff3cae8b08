"""WZ 2008 sectors and matching a business description to them.

Why words first, vectors second: owners name their trade ("Spritzgießer", "Kabelbäume", "Spedition"),
and a folded substring match on everyday keywords per division finds it reliably and explains itself.
A short description with no keyword ("Wir fahren Waren quer durch Europa") still has a meaning; for it
the product's embedder compares the description (one query vector) with each division's label +
keywords (embedded once per process). Scores add up: keyword hits weigh 1 each, the vector adds its
z-score against all divisions above 1 (so only a clearly closest division gains).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import yaml

from assistant.analysis import fold
from assistant.protocols import Embedder

# First-person or company wording: "wir fertigen …", "unser Betrieb …", "ich bin Schreiner", "… GmbH".
_BUSINESS_CUE = re.compile(
    r"\b(?:wir|unser\w*|ich|mein\w*|bin|sind|betreib\w*|gmbh|firma|familienbetrieb|handwerksbetrieb"
    r"|geschaftsfuhr\w*|inhaber\w*)\b"
    # telegraphic self-descriptions: "Schmiede in Frankenberg, 55 Mitarbeiter.", "Giesserei hier, …"
    r"|\b\d+\s+(?:leute|mann|mitarbeite\w*|mitarbieter\w*|beschaftigte\w*|angestellte\w*|kolleg\w*"
    r"|gesellen|azubis|entwickler\w*)\b|^\W*\w{4,}\s+hier\s*[,:–-]"
)
SHORT_KEYWORD = 6  # keywords this short must start a word ("Bank" ≠ "Datenbank", "Stoffe" ≠ "Rohstoffe")
DENSE_WEIGHT = 0.5
MIN_DENSE_Z = 1.0


@dataclass(frozen=True)
class Division:
    """One WZ 2008 division (Abteilung)."""

    code: str
    title: str
    section: str
    keywords: tuple[str, ...]

    @property
    def profile(self) -> str:
        """The text embedded for the division: its title and keywords."""
        return f"{self.title}: {', '.join(self.keywords)}"


@dataclass(frozen=True)
class Catalog:
    """The WZ 2008 sections and divisions, with the charter's sector profiles per division."""

    source: str
    sections: dict[str, dict[str, Any]]
    divisions: dict[str, Division]
    branchen: dict[str, tuple[str, ...]]  # charter sector profile → division codes

    def branchen_of(self, code: str) -> list[str]:
        """The charter's sector profiles that concern a division."""
        return [name for name, codes in self.branchen.items() if code in codes]


@lru_cache(maxsize=1)
def catalog() -> Catalog:
    """Load the shipped WZ 2008 data (assistant/views/wz2008.yaml)."""
    text = resources.files("assistant.views").joinpath("wz2008.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    section_of = {code: letter for letter, sec in raw["sections"].items() for code in sec["divisions"]}
    divisions = {
        code: Division(code, d["title"], section_of[code], tuple(d.get("keywords") or ()))
        for code, d in raw["divisions"].items()
    }
    branchen = {name: tuple(codes) for name, codes in (raw.get("branchen") or {}).items()}
    return Catalog(raw["source"], raw["sections"], divisions, branchen)


@lru_cache(maxsize=1)
def _keyword_patterns() -> list[tuple[str, str, re.Pattern[str]]]:
    """(division, keyword, pattern) for every keyword, longest first."""
    out = []
    for div in catalog().divisions.values():
        for keyword in div.keywords:
            folded = fold(keyword)
            prefix = r"(?<![a-z0-9])" if len(folded) <= SHORT_KEYWORD or " " in folded else ""
            out.append((div.code, keyword, re.compile(prefix + re.escape(folded))))
    return sorted(out, key=lambda t: -len(t[1]))


def keyword_hits(text: str) -> dict[str, list[str]]:
    """Division → keywords found in the text; a keyword inside a longer matched one does not count."""
    folded = fold(text)
    taken: list[tuple[int, int]] = []
    hits: dict[str, list[str]] = {}
    for code, keyword, pattern in _keyword_patterns():
        for m in pattern.finditer(folded):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            taken.append((m.start(), m.end()))
            if keyword not in hits.setdefault(code, []):
                hits[code].append(keyword)
    return {code: words for code, words in hits.items() if words}


def is_business_text(text: str) -> bool:
    """Does the text speak about one's own business ("wir", "unser Betrieb", "… GmbH")?"""
    return bool(_BUSINESS_CUE.search(fold(text)))


_profile_lock = threading.Lock()
_profiles: dict[str, np.ndarray] = {}


def profile_vectors(embedder: Embedder) -> np.ndarray:
    """The divisions' profile vectors for this embedder (embedded once per process), in catalog order."""
    with _profile_lock:
        if embedder.name not in _profiles:
            divs = list(catalog().divisions.values())
            matrix = np.asarray(embedder.embed_documents([d.profile for d in divs]), dtype=np.float32)
            _profiles[embedder.name] = matrix / np.linalg.norm(matrix, axis=1, keepdims=True)
        return _profiles[embedder.name]


def ready_profiles(embedder_name: str) -> np.ndarray | None:
    """The profile vectors if they are already computed (never computes them)."""
    return _profiles.get(embedder_name)


def score_divisions(
    text: str, vector: np.ndarray | None, profiles: np.ndarray | None
) -> list[dict[str, Any]]:
    """Divisions with a positive score, best first: keyword hits plus the vector's clear lead."""
    divs = list(catalog().divisions.values())
    hits = keyword_hits(text)
    scores = {code: float(len(words)) for code, words in hits.items()}
    dense_z: dict[str, float] = {}
    if vector is not None and profiles is not None:
        q = np.asarray(vector, dtype=np.float32)
        cos = profiles @ (q / (np.linalg.norm(q) or 1.0))
        z = (cos - cos.mean()) / (cos.std() or 1.0)
        for div, value in zip(divs, z, strict=True):
            dense_z[div.code] = float(value)
            if value > MIN_DENSE_Z:
                scores[div.code] = scores.get(div.code, 0.0) + DENSE_WEIGHT * (float(value) - MIN_DENSE_Z)
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    out = []
    for code, score in ranked:
        div = catalog().divisions[code]
        out.append(
            {
                "code": code,
                "title": div.title,
                "section": div.section,
                "score": round(score, 3),
                "keywords": hits.get(code, []),
                "dense_z": round(dense_z[code], 2) if code in dense_z else None,
            }
        )
    return out
