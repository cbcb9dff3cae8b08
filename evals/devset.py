"""The shared held-out dev set (`../shared/bench/itas-dev`): load it, answer it, score it as its README says.

It is a mirror of how users ask, written independently of this project. Report it; never fit anything to
its items (thresholds, weights, synonyms, rules and prompts are fitted on `evals/gold.yaml`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from assistant.answering import AnswerService, Question
from assistant.types import Answer

DEFAULT_DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "itas-dev"
CATEGORY_ORDER = ("sector", "forum", "factual", "version-change", "follow-up", "unanswerable")


@dataclass(frozen=True)
class DevItem:
    """One dev question as the set's README describes it."""

    id: str
    category: str
    question: str
    history: list[tuple[str, str]]
    must: list[list[str]]
    answerable: bool


@dataclass
class DevResult:
    """One dev question answered and scored pass/fail."""

    id: str
    category: str
    question: str
    answerable: bool
    passed: bool
    refused: bool
    citations: int
    missing: list[list[str]] = field(default_factory=list)
    answer: str = ""


def load_dev(folder: Path = DEFAULT_DEV) -> list[DevItem]:
    """Read questions.jsonl of the dev set."""
    items = []
    for line in (folder / "questions.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        raw = json.loads(line)
        items.append(
            DevItem(
                raw["id"],
                raw["category"],
                raw["question"],
                [(str(r), str(t)) for r, t in raw.get("history") or []],
                [list(group) for group in raw.get("must") or []],
                bool(raw["answerable"]),
            )
        )
    return items


def score(item: DevItem, answer: Answer) -> DevResult:
    """Pass/fail as the set's README defines it: all must-groups in answer or quotes, a citation, no refusal."""
    text = " ".join([answer.answer, *(c.quote for c in answer.citations)]).casefold()
    missing = [g for g in item.must if not any(alt.casefold() in text for alt in g)]
    if item.answerable:
        passed = not missing and bool(answer.citations) and not answer.refused
    else:
        passed = answer.refused
    return DevResult(
        item.id, item.category, item.question, item.answerable, passed, answer.refused,
        len(answer.citations), missing if item.answerable else [], answer.answer,
    )  # fmt: skip


def run_dev(answerer: AnswerService, items: Sequence[DevItem]) -> list[DevResult]:
    """Answer every dev item through the given answer service."""
    return [score(item, answerer.answer(Question(item.question, list(item.history)))) for item in items]


def summarize_dev(results: Sequence[DevResult]) -> dict[str, Any]:
    """Pass rate overall and per category, false refusals, refused unanswerables."""
    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    cats = [c for c in CATEGORY_ORDER if any(r.category == c for r in results)]
    cats += sorted({r.category for r in results} - set(cats))
    return {
        "n": len(results),
        "passed": sum(r.passed for r in results),
        "answerable_passed": sum(r.passed for r in answerable),
        "answerable": len(answerable),
        "false_refusals": sum(r.refused for r in answerable),
        "unanswerable_refused": sum(r.refused for r in unanswerable),
        "unanswerable": len(unanswerable),
        "by_category": {
            c: {
                "n": sum(r.category == c for r in results),
                "passed": sum(r.passed for r in results if r.category == c),
            }
            for c in cats
        },
    }


def rates(summary: dict[str, Any]) -> dict[str, Any]:
    """Pass rates for floors and reports: overall, answerable, unanswerable refused, per category."""

    def share(a: int, b: int) -> float | None:
        return round(a / b, 4) if b else None

    return {
        "overall": {
            "pass_rate": share(summary["passed"], summary["n"]),
            "answerable_pass": share(summary["answerable_passed"], summary["answerable"]),
            "unanswerable_refused": share(summary["unanswerable_refused"], summary["unanswerable"]),
            "false_refusal_rate": share(summary["false_refusals"], summary["answerable"]),
        },
        "by_category": {
            c: {"pass_rate": share(v["passed"], v["n"])} for c, v in summary["by_category"].items()
        },
    }


def results_json(results: Sequence[DevResult]) -> list[dict[str, Any]]:
    """Plain dicts for results.json."""
    return [asdict(r) for r in results]
