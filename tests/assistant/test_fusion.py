"""Rank fusion and diversification: exact scores, deterministic ties, per-page caps."""

from __future__ import annotations

import pytest

from assistant.fusion import diversify, jaccard, normalize, rrf, weighted_fusion


def test_rrf_sums_reciprocal_ranks() -> None:
    fused = dict(rrf([["a", "b"], ["b", "c"]], k=60))
    assert fused["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert fused["a"] == pytest.approx(1 / 61)
    assert fused["c"] == pytest.approx(1 / 62)
    assert [cid for cid, _ in rrf([["a", "b"], ["b", "c"]])] == ["b", "a", "c"]


def test_rrf_ties_go_to_the_best_single_rank_then_to_the_id() -> None:
    # with k=0: q = 1/1, x = 1/1, p = 1/2 + 1/2 — three equal scores
    fused = rrf([["q", "p"], ["x", "p"]], k=0)
    assert [cid for cid, _ in fused] == ["q", "x", "p"]
    assert {score for _, score in fused} == {1.0}
    assert rrf([["b"], ["a"]]) == rrf([["a"], ["b"]]) == [("a", 1 / 61), ("b", 1 / 61)]


def test_rrf_counts_a_repeated_id_once_per_ranking() -> None:
    assert dict(rrf([["a", "a", "b"]], k=0)) == {"a": 1.0, "b": 1 / 3}


def test_rrf_of_nothing_is_empty() -> None:
    assert rrf([]) == [] and rrf([[], []]) == []


def test_normalize_scales_to_unit_range() -> None:
    assert normalize([("a", 0.8), ("b", 0.6), ("c", 0.4)]) == pytest.approx({"a": 1.0, "b": 0.5, "c": 0.0})
    assert normalize([("a", 3.0), ("b", 3.0)]) == {"a": 1.0, "b": 1.0}
    assert normalize([]) == {}


def test_weighted_fusion_normalises_each_list_and_gives_missing_ids_zero() -> None:
    dense = [("a", 0.9), ("b", 0.5)]
    lexical = [("b", 12.0), ("c", 2.0)]
    fused = dict(weighted_fusion(dense, lexical, dense_weight=0.6))
    assert fused == pytest.approx({"a": 0.6, "b": 0.4, "c": 0.0})
    assert [cid for cid, _ in weighted_fusion(dense, lexical, 0.6)] == ["a", "b", "c"]


def test_weighted_fusion_extremes_reproduce_one_list() -> None:
    dense = [("a", 0.9), ("b", 0.7), ("c", 0.1)]
    lexical = [("c", 9.0), ("b", 5.0)]
    assert [cid for cid, _ in weighted_fusion(dense, lexical, 1.0)] == ["a", "b", "c"]
    # the lowest lexical score normalises to 0, like a missing one: b and a tie, a has the better rank
    assert [cid for cid, _ in weighted_fusion(dense, lexical, 0.0)] == ["c", "a", "b"]


def test_weighted_fusion_breaks_ties_by_best_rank_then_id() -> None:
    # z is first in the dense list, a first in the lexical list: both fuse to 0.5
    fused = weighted_fusion([("z", 1.0), ("m", 0.0)], [("a", 4.0), ("n", 1.0)], 0.5)
    assert [cid for cid, _ in fused] == ["a", "z", "m", "n"]


def test_weighted_fusion_rejects_a_weight_outside_zero_to_one() -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        weighted_fusion([], [], 1.5)


PAGES = {
    "a1": ("doc-a", "3"),
    "a2": ("doc-a", "3"),
    "a3": ("doc-a", "3"),
    "a4": ("doc-a", "4"),
    "b1": ("doc-b", "3"),
}


def test_diversify_caps_hits_per_page_and_keeps_order() -> None:
    ranked = [("a1", 0.9), ("a2", 0.8), ("b1", 0.7), ("a3", 0.6), ("a4", 0.5)]
    kept = diversify(ranked, PAGES.__getitem__, max_per_page=2)
    assert kept == [("a1", 0.9), ("a2", 0.8), ("b1", 0.7), ("a4", 0.5)]
    assert [cid for cid, _ in diversify(ranked, PAGES.__getitem__, max_per_page=1)] == ["a1", "b1", "a4"]
    assert diversify(ranked, PAGES.__getitem__, max_per_page=0) == ranked


def test_diversify_drops_near_duplicate_texts() -> None:
    texts = {
        "a1": "Die Region stärkt Zulieferer, Hochschulen und Kommunen gemeinsam im Netzwerk.",
        "b1": "Die Region stärkt Zulieferer, Hochschulen und Kommunen gemeinsam im Netzwerk!",
        "a4": "Ganz anderer Inhalt über Logistik.",
    }
    ranked = [("a1", 0.9), ("b1", 0.8), ("a4", 0.7)]
    kept = diversify(ranked, PAGES.__getitem__, max_per_page=5, text_of=texts.__getitem__)
    assert [cid for cid, _ in kept] == ["a1", "a4"]


def test_jaccard() -> None:
    assert jaccard(frozenset({"a", "b"}), frozenset({"b", "c"})) == pytest.approx(1 / 3)
    assert jaccard(frozenset(), frozenset()) == 1.0
