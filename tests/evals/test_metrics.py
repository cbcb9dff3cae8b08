"""The eval metric functions on hand-made cases."""

from __future__ import annotations

import math

import pytest

from evals import metrics
from evals.floors import check_floors

GOLD = [("charta-3-0", ("4", "5")), ("forum-2024", ("2",))]


def test_page_spans_expand_numeric_ranges_and_keep_other_labels():
    assert metrics.page_span("3", "5") == {"3", "4", "5"}
    assert metrics.page_span("iv", "iv") == {"iv"}
    assert metrics.page_span("iv", "1") == {"iv", "1"}
    assert metrics.parse_page_label("4–5") == {"4", "5"}
    assert metrics.parse_page_label("7") == {"7"}


def test_a_chunk_lies_on_a_gold_page_when_doc_matches_and_pages_intersect():
    assert metrics.on_gold_page("charta-3-0", metrics.page_span("3", "4"), GOLD)
    assert not metrics.on_gold_page("charta-3-0", metrics.page_span("6", "7"), GOLD)
    assert not metrics.on_gold_page("charta-1-0", metrics.page_span("4", "4"), GOLD)


def test_recall_mrr_and_ndcg_on_a_ranking():
    ranking = [False, True, False, True]
    assert metrics.recall_at_k(ranking, 1) == 0.0
    assert metrics.recall_at_k(ranking, 2) == 1.0
    assert metrics.mrr_at_k(ranking, 10) == 0.5
    assert metrics.mrr_at_k(ranking, 1) == 0.0
    gains = 1 / math.log2(3) + 1 / math.log2(5)
    assert metrics.ndcg_at_k(ranking, 10) == pytest.approx(gains / (1 + 1 / math.log2(3)))
    # Three relevant chunks could have been returned: the ideal ordering has three gains.
    ideal3 = 1 + 1 / math.log2(3) + 1 / math.log2(4)
    assert metrics.ndcg_at_k(ranking, 10, n_relevant=3) == pytest.approx(gains / ideal3)
    assert metrics.ndcg_at_k([True], 10, n_relevant=1) == 1.0
    assert metrics.ndcg_at_k([False, False], 10, n_relevant=2) == 0.0


def test_document_level_success_and_mrr_take_the_first_chunk_of_each_document():
    ranked = metrics.document_ranking(["a", "a", "b", "c", "b"])
    assert ranked == ["a", "b", "c"]
    assert metrics.doc_success_at_k(ranked, {"b"}, 1) == 0.0
    assert metrics.doc_success_at_k(ranked, {"b"}, 5) == 1.0
    assert metrics.doc_mrr_at_k(ranked, {"c"}, 10) == pytest.approx(1 / 3)


def test_key_facts_need_one_alternative_of_every_entry_case_insensitively():
    answer = "Laut Charta 3.0: Gießereien erhalten einen Zuschuss von 40 PROZENT [1]."
    assert metrics.key_fact_coverage(answer, [["40 Prozent", "40 %"], ["Gießereien"]]) == 1.0
    assert metrics.key_fact_coverage(answer, [["40 prozent"], ["Wasserstoff"]]) == 0.5
    assert metrics.key_fact_coverage("ein\nZuschuss  von 40\nProzent", [["40 Prozent"]]) == 1.0
    assert metrics.key_fact_coverage(answer, []) is None


def test_citation_precision_and_recall():
    cited = [("charta-3-0", frozenset({"5"})), ("charta-3-0", frozenset({"9"}))]
    assert metrics.citation_precision(cited, GOLD) == 0.5
    assert metrics.citation_recall(cited, GOLD) == 0.5  # forum-2024 p. 2 is never cited
    assert metrics.citation_precision([], GOLD) is None
    assert metrics.citation_recall(cited, []) is None


def test_refusal_precision_and_recall_treat_refused_as_positive():
    pairs = [(True, True), (True, False), (False, True), (False, False), (False, False)]
    assert metrics.refusal_scores(pairs) == {"refusal_precision": 0.5, "refusal_recall": 0.5}
    assert metrics.refusal_scores([(False, False)]) == {"refusal_precision": None, "refusal_recall": None}


def test_german_heuristic_separates_german_from_english():
    assert metrics.is_german("Laut der Charta erhalten Gießereien einen Zuschuss für neue Öfen.") is True
    assert metrics.is_german("According to the charter, foundries receive a grant for new furnaces.") is False
    assert metrics.is_german("Dazu enthalten die vorliegenden Dokumente keine Aussage.") is True
    assert metrics.german_share("12345 ---") is None


def test_percentiles_interpolate_like_numpy():
    values = [10.0, 20.0, 30.0, 40.0]
    assert metrics.percentile(values, 50) == 25.0
    assert metrics.percentile(values, 95) == pytest.approx(38.5)
    assert metrics.percentile([], 50) is None
    assert metrics.mean([1.0, None, 0.0, True]) == pytest.approx(2 / 3)


def test_check_floors_names_each_metric_below_its_floor():
    results = {
        "gold": {
            "hybrid": {
                "overall": {"recall@5": 0.7, "mrr@10": 0.9},
                "by_category": {"forum": {"recall@5": 0.5}},
            }
        },
        "germanquad": {"hybrid": {"mrr@10": 0.8}},
    }
    floors = {
        "gold": {
            "hybrid": {
                "overall": {"recall@5": 0.75, "mrr@10": 0.8},
                "by_category": {"forum": {"recall@5": 0.4}},
            },
            "dense": {"overall": {"recall@5": 0.99}},  # not run: not checked
        },
        "germanquad": {"hybrid": {"mrr@10": 0.85}},
    }
    violations = check_floors(results, floors)
    assert violations == [
        "gold hybrid overall recall@5 = 0.700 < floor 0.750",
        "germanquad hybrid mrr@10 = 0.800 < floor 0.850",
    ]
    assert check_floors(results, {}) == []
