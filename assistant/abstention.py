"""When to refuse: the one home of the refusal rule, for the answerer and for calibration alike.

The decision is a small logistic regression over evidence features (best sentence cosine, best chunk
cosine, lexical coverage of the known question terms, share of words the index never saw, whether the
asked detail can be checked and is present, the heaviest question term no retrieved chunk holds, the
share of question terms the quoted sentences hold together, whether the question describes a business of a
known sector, score margin, filter state), fitted on the dev half of the gold set by
`python -m evals.calibrate` and stored with its provenance in `abstention.json` beside this module. When
the topic is present but the asked detail is not ("Wie viel Geld …" and no amount in any relevant
sentence), the answer is a refusal that names the missing detail.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from assistant.evidence import DETAIL_PATTERNS, Candidate, Selection, holds_detail
from assistant.question import Analysis, AnswerType

MODEL_FILE = Path(__file__).with_name("abstention.json")
MODEL_VERSION = 4
DETAIL_WINDOW = 6  # best-scored candidate sentences in which the asked detail must appear
FEATURES: tuple[str, ...] = (
    "semantic",
    "semantic_z",
    "dense",
    "coverage",
    "unknown_share",
    "typed",
    "margin",
    "broad",
    "filtered",
    "n_terms",
    "checkable",
    "absent_term",
    "answer_coverage",
    "sector",
)


@dataclass(frozen=True)
class Decision:
    """Refuse or answer, why, and the model's probability that the question is answerable."""

    refuse: bool
    reason: str = ""  # "", "injection", "no_evidence", "no_documents", "model", "detail_missing"
    probability: float = 1.0
    missing_detail: AnswerType | None = None


def features(analysis: Analysis, selection: Selection, sector: bool = False) -> dict[str, float]:
    """The evidence features of one answered question; `sector`: the question describes a business of a
    sector the catalogue knows ("Wir sind ein Spritzgießer …")."""
    semantics = sorted((c.semantic for c in selection.candidates), reverse=True)
    margin = semantics[0] - semantics[min(4, len(semantics) - 1)] if semantics else 0.0
    checkable = analysis.answer_type in DETAIL_PATTERNS
    top = selection.relevant(DETAIL_WINDOW)
    filters = analysis.plan.filters
    terms, chosen = analysis.terms, selection.sentences
    return {
        "semantic": selection.semantic,
        "semantic_z": selection.semantic_z,
        "dense": selection.dense,
        "coverage": selection.coverage,
        "unknown_share": analysis.terms.unknown_share,
        "typed": float(any(c.typed for c in top)) if checkable else 1.0,
        "margin": margin,
        "broad": float(selection.broad),
        "filtered": float(any((filters.versions, filters.districts, filters.doc_types, filters.date_from))),
        "n_terms": math.log1p(len(analysis.terms.weights)),
        "checkable": float(checkable),  # the asked detail has a pattern ("Wie viel …", "Wann …")
        "absent_term": selection.absent_term,
        # the known question terms the quoted sentences hold together (`coverage` is the best single one)
        "answer_coverage": terms.coverage(set().union(*(c.terms for c in chosen)))
        if terms and chosen
        else 0.0,
        "sector": float(sector),
    }


def _answers_detail(candidate: Candidate, analysis: Analysis) -> bool:
    """The sentence holds the asked kind of detail; for "Wie viele Teilnehmerplätze …?" a number next to
    what is counted ("sechs Module" does not say how many places there are)."""
    if not holds_detail(candidate.text, analysis.answer_type):
        return False
    if not analysis.counted:
        return True
    alternatives = analysis.terms.alternatives
    return any(
        t in candidate.terms or not alternatives.get(t, frozenset()).isdisjoint(candidate.terms)
        for t in analysis.counted
    )


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_FILE) -> dict[str, Any]:
    """The stored model (per retrieval mode); see `python -m evals.calibrate`."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if data.get("version") != MODEL_VERSION or list(data.get("features", [])) != list(FEATURES):
        raise ValueError(
            f"{path} holds model version {data.get('version')} with features {data.get('features')}; "
            f"expected version {MODEL_VERSION} with {list(FEATURES)}: run `python -m evals.calibrate --write`"
        )
    return data


def probability(values: dict[str, float], mode: str, model: dict[str, Any] | None = None) -> float:
    """Probability that the question is answerable from the evidence (logistic model of the mode)."""
    params = (model or load_model())["modes"][mode]
    z = params["intercept"]
    for name, mean, scale, coef in zip(
        FEATURES, params["mean"], params["scale"], params["coef"], strict=True
    ):
        z += coef * (values[name] - mean) / (scale or 1.0)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def decide(
    analysis: Analysis,
    selection: Selection,
    mode: str,
    model: dict[str, Any] | None = None,
    *,
    sector: bool = False,
) -> Decision:
    """Refuse when there is no evidence, no document passes the filters, the model judges the evidence
    too weak, or the asked detail appears in none of the relevant sentences."""
    if analysis.injection:
        return Decision(True, "injection", 0.0)  # instructions to a model are no question to the documents
    if analysis.empty_reason:
        return Decision(True, "no_documents", 0.0)
    if not selection.sentences:
        return Decision(True, "no_evidence", 0.0)
    params = model or load_model()
    p = probability(features(analysis, selection, sector), mode, params)
    kind = analysis.answer_type
    relevant = selection.relevant(DETAIL_WINDOW)
    on_topic = any(c.coverage > 0 for c in relevant)
    if on_topic and kind in DETAIL_PATTERNS and not any(_answers_detail(c, analysis) for c in relevant):
        return Decision(True, "detail_missing", p, kind)  # the topic is there, the asked detail is not
    if p < params["modes"][mode]["threshold"]:
        return Decision(True, "model", p)
    return Decision(False, "", p)
