"""BM25 index over German chunks: compound and umlaut matching, masks, persistence."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.errors import IndexNotReady
from assistant.lexical import BM25Index

CHUNKS = {
    "zulieferer": "Die Zulieferer der Region stehen vor dem Wandel zur Elektromobilität.",
    "automobil": "Automobilzulieferer im Erzgebirge investieren in Leichtbau und neue Werkstoffe.",
    "giesserei": "Die Gießerei in Freiberg sucht dringend Fachkräfte für die Produktion.",
    "mangel": "Der Fachkräftemangel trifft das Handwerk im Vogtland besonders stark.",
    "kreislauf": "Kreislaufwirtschaft und Recycling von Batterien schaffen neue Wertschöpfung.",
    "bildung": "Weiterbildungsangebote für Beschäftigte in der Leistungselektronik werden ausgebaut.",
    "forum": "Das Zukunftsforum in Plauen diskutierte Mobilität, Logistik und den Bahnknoten.",
    "bruecke": "Die neue Brücke über die Mulde verbindet beide Gewerbegebiete.",
    "charta": "Die Charta 3.0 beschreibt sieben Handlungsfelder für die Region Südwestsachsen.",
    "copy-a": "Wasserstoff als Energieträger für die Industrie der Region.",
    "copy-b": "Wasserstoff als Energieträger für die Industrie der Region.",
}


@pytest.fixture(scope="module")
def index() -> BM25Index:
    return BM25Index.build(list(CHUNKS), list(CHUNKS.values()))


def ids(results: list[tuple[str, float]]) -> list[str]:
    return [chunk_id for chunk_id, _ in results]


def test_compound_query_finds_chunk_with_its_part(index: BM25Index) -> None:
    assert "zulieferer" in ids(index.search("Automobilzulieferer", 5))


def test_part_query_finds_chunk_with_the_compound(index: BM25Index) -> None:
    found = ids(index.search("Welche Zulieferer gibt es?", 5))
    assert found[:2] == ["zulieferer", "automobil"]  # the exact word outranks the compound
    assert "mangel" in ids(index.search("Fachkräfte", 5))
    assert "bildung" in ids(index.search("Elektronik", 5))
    assert "bildung" in ids(index.search("Angebote zur Weiterbildung", 5))


def test_query_compound_split_with_the_index_vocabulary(index: BM25Index) -> None:
    assert ids(index.search("Muldebrücke", 3)) == ["bruecke"]


def test_spelling_without_sharp_s_or_umlauts_matches(index: BM25Index) -> None:
    assert ids(index.search("Giesserei", 3)) == ["giesserei"]
    assert ids(index.search("Elektromobilitat", 3)) == ["zulieferer"]


def test_version_number_is_searchable(index: BM25Index) -> None:
    assert ids(index.search("3.0", 3)) == ["charta"]


def test_stopword_only_and_unknown_queries_return_nothing(index: BM25Index) -> None:
    assert index.search("Was ist das und wie gibt es das?", 5) == []
    assert index.search("", 5) == []
    assert index.search("Quantencomputer", 5) == []


def test_results_are_sorted_positive_and_capped_at_k(index: BM25Index) -> None:
    results = index.search("Region Industrie Wasserstoff Zulieferer", 3)
    assert len(results) == 3
    scores = [score for _, score in results]
    assert scores == sorted(scores, reverse=True)
    assert all(score > 0 for score in scores)
    assert index.search("Region", 0) == []


def test_equal_scores_keep_index_order(index: BM25Index) -> None:
    results = index.search("Wasserstoff Energieträger", 2)
    assert ids(results) == ["copy-a", "copy-b"]
    assert results[0][1] == results[1][1]


def test_mask_restricts_results_to_allowed_positions(index: BM25Index) -> None:
    allowed = np.zeros(len(index), dtype=bool)
    allowed[index.position("automobil")] = True
    assert ids(index.search("Zulieferer", 5, allowed)) == ["automobil"]
    assert index.search("Giesserei", 5, allowed) == []


def test_mask_of_the_wrong_length_is_rejected(index: BM25Index) -> None:
    with pytest.raises(ValueError, match="expected"):
        index.search("Zulieferer", 5, np.ones(3, dtype=bool))


def test_ids_and_positions_follow_build_order(index: BM25Index) -> None:
    assert index.ids == list(CHUNKS)
    assert index.position("forum") == 6
    with pytest.raises(KeyError):
        index.position("missing")


def test_term_weights_give_rarer_terms_higher_idf(index: BM25Index) -> None:
    weights = index.term_weights("Region Gießerei Quantencomputer")
    assert set(weights) == {"region", "giesserei"}
    assert weights["giesserei"] > weights["region"] > 0


def test_save_and_load_round_trip_gives_identical_results(index: BM25Index, tmp_path: Path) -> None:
    index.save(tmp_path / "bm25")
    loaded = BM25Index.load(tmp_path / "bm25")
    assert loaded.ids == index.ids
    allowed = np.arange(len(index)) % 2 == 0
    for query in ("Automobilzulieferer", "Muldebrücke", "Fachkräfte im Vogtland", "Wasserstoff Region"):
        assert loaded.search(query, 5) == index.search(query, 5)
        assert loaded.search(query, 5, allowed) == index.search(query, 5, allowed)
        assert loaded.term_weights(query) == index.term_weights(query)


def test_save_replaces_an_existing_index(tmp_path: Path) -> None:
    target = tmp_path / "bm25"
    BM25Index.build(["a"], ["Gießerei"]).save(target)
    BM25Index.build(["b", "c"], ["Zulieferer", "Logistik"]).save(target)
    loaded = BM25Index.load(target)
    assert loaded.ids == ["b", "c"]
    assert ids(loaded.search("Logistik", 3)) == ["c"]
    assert [p.name for p in tmp_path.iterdir()] == ["bm25"]  # no staging or backup left behind


def test_loading_a_missing_index_names_the_next_step(tmp_path: Path) -> None:
    with pytest.raises(IndexNotReady, match="run the ingest"):
        BM25Index.load(tmp_path / "nothing")


def test_empty_index_searches_to_nothing_and_persists(tmp_path: Path) -> None:
    empty = BM25Index.build([], [])
    assert empty.search("Zulieferer", 5) == []
    empty.save(tmp_path / "bm25")
    assert BM25Index.load(tmp_path / "bm25").search("Zulieferer", 5) == []
    stopwords_only = BM25Index.build(["x"], ["und die der"])
    assert stopwords_only.search("und", 5) == []


def test_build_rejects_duplicate_ids_and_length_mismatch() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        BM25Index.build(["a", "a"], ["eins", "zwei"])
    with pytest.raises(ValueError, match="one id per text"):
        BM25Index.build(["a"], ["eins", "zwei"])
