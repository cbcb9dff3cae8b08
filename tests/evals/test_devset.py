"""The shared dev-set runner: its scoring rule, pass rates and the report section, on a written set."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.services import Services
from evals.devset import load_dev, rates, run_dev, summarize_dev
from evals.floors import check_floors
from evals.report import write_report

ITEMS = [
    {"id": "t1", "category": "forum", "question": "Was forderten die Unternehmen im Vogtland zu Fachkräften?",
     "history": [], "must": [["Fachkräfte-Akademie"], ["200"]], "gold": [], "answerable": True, "note": ""},
    {"id": "t2", "category": "follow-up", "question": "und im Erzgebirge?",
     "history": [["user", "Was forderten die Unternehmen im Vogtland zu Fachkräften?"], ["assistant", "…"]],
     "must": [["Rückkehrer-Börse"]], "gold": [], "answerable": True, "note": ""},
    {"id": "t3", "category": "unanswerable", "question": "Wie ist die Telefonnummer der Helpdesk-Sprechstunden?",
     "history": [], "must": [], "gold": [], "answerable": False, "note": ""},
    {"id": "t4", "category": "factual", "question": "Wie viele Plätze hat die Akademie?",
     "history": [], "must": [["gibt es nicht im Text"]], "gold": [], "answerable": True, "note": ""},
]  # fmt: skip


def test_dev_set_is_scored_as_its_readme_says(tmp_path: Path, answer_services: Services) -> None:
    folder = tmp_path / "dev"
    folder.mkdir()
    (folder / "questions.jsonl").write_text(
        "\n".join(json.dumps(i, ensure_ascii=False) for i in ITEMS), "utf-8"
    )
    results = run_dev(answer_services.answerer, load_dev(folder))
    passed = {r.id: r.passed for r in results}
    assert passed == {"t1": True, "t2": True, "t3": True, "t4": False}
    summary = summarize_dev(results)
    assert (
        summary["passed"],
        summary["unanswerable_refused"],
        summary["by_category"]["forum"]["passed"],
    ) == (3, 1, 1)
    measured = rates(summary)
    assert measured["overall"]["pass_rate"] == 0.75
    floors = {"dev": {"overall": {"pass_rate": 0.8}, "by_category": {"factual": {"pass_rate": 0.5}}}}
    assert check_floors({"dev": measured}, floors) == [
        "dev overall pass_rate = 0.750 < floor 0.800",
        "dev factual pass_rate = 0.000 < floor 0.500",
    ]
    dev = {"path": str(folder), "summary": summary, "rates": measured, "items": [r.__dict__ for r in results]}
    report = (write_report(tmp_path / "run", dev=dev) / "report.md").read_text(encoding="utf-8")
    assert "Shared dev set" in report and "t4 [factual] answered" in report
