"""German text analysis: folding, tokenising, stopwords, stemming and compound splitting."""

from __future__ import annotations

import pytest

from assistant.analysis import STOPWORDS, CompoundSplitter, analyze, fold, stem, tokenize

CORPUS = (
    "Die Zulieferer und die Automobilindustrie der Region. Fachkräfte fehlen, die Elektronik wandelt sich. "
    "Die Wirtschaft im Kreislauf, Angebote zur Weiterbildung, Leistung und Strategie. "
    "Unternehmen nehmen teil. Die Brücke über die Mulde."
)


@pytest.fixture(scope="module")
def splitter() -> CompoundSplitter:
    return CompoundSplitter.from_tokens(tokenize(CORPUS))


def test_fold_removes_umlauts_sharp_s_ligatures_and_soft_hyphens() -> None:
    assert fold("Gießerei") == fold("GIESSEREI") == fold("Giesserei") == "giesserei"
    assert fold("Fachkräfte Ökologie Übergang") == "fachkrafte okologie ubergang"
    assert fold("u\u0308ber") == "uber"  # decomposed umlaut as some PDFs deliver it
    assert fold("ﬁnanzierung Leis\u00adtung") == "finanzierung leistung"


def test_tokenize_keeps_versions_and_years_and_drops_stopwords_and_single_characters() -> None:
    tokens = tokenize("Was sagt die ITAS-Charta 3.0 im Jahr 2024 zu Punkt a?")
    assert tokens == ["itas", "charta", "3.0", "jahr", "2024", "punkt"]


def test_version_number_at_sentence_end_stays_one_token() -> None:
    assert tokenize("Siehe Charta 2.0.") == ["siehe", "charta", "2.0"]
    assert "12.03" not in tokenize("am 12.03.2024")


def test_stopword_only_text_analyses_to_nothing() -> None:
    assert analyze("Was gibt es, und wie steht es damit? Welche sagt das?") == []


def test_stopwords_are_stored_folded() -> None:
    assert {"fur", "uber", "wahrend", "welche", "gibt", "sagt", "steht", "was", "wie"} <= STOPWORDS
    assert all(word == fold(word) for word in STOPWORDS)
    assert len(STOPWORDS) >= 250


def test_analyze_stems_inflected_forms_to_the_same_term() -> None:
    assert analyze("Fachkräfte") == analyze("Fachkraft")
    assert analyze("Giesserei") == analyze("Gießerei") == analyze("GIESSEREI")


def test_analyze_is_deterministic(splitter: CompoundSplitter) -> None:
    text = "Automobilzulieferer und Weiterbildungsangebote in der Kreislaufwirtschaft"
    assert (
        analyze(text, splitter)
        == analyze(text, splitter)
        == analyze(text, CompoundSplitter.from_tokens(tokenize(CORPUS)))
    )


@pytest.mark.parametrize(
    ("compound", "parts"),
    [
        ("Automobilzulieferer", ["automobil", "zulieferer"]),
        ("Zuliefererindustrie", ["zulieferer", "industrie"]),
        ("Fachkräftemangel", ["fachkrafte", "mangel"]),
        ("Leistungselektronik", ["leistung", "elektronik"]),
        ("Kreislaufwirtschaft", ["kreislauf", "wirtschaft"]),
        ("Weiterbildungsangebote", ["weiterbildung", "angebote"]),
    ],
)
def test_compounds_emit_the_whole_stem_and_the_stems_of_their_parts(
    splitter: CompoundSplitter, compound: str, parts: list[str]
) -> None:
    terms = analyze(compound, splitter)
    assert terms[0] == stem(fold(compound))
    for part in parts:
        assert stem(part) in terms


def test_compound_and_its_part_share_a_term_in_both_directions(splitter: CompoundSplitter) -> None:
    assert set(analyze("Zulieferer", splitter)) <= set(analyze("Automobilzulieferer", splitter))
    assert set(analyze("Fachkräfte", splitter)) <= set(analyze("Fachkräftemangel", splitter))
    assert set(analyze("Elektronik", splitter)) <= set(analyze("Leistungselektronik", splitter))


def test_plain_words_are_not_split(splitter: CompoundSplitter) -> None:
    assert analyze("Unternehmen", splitter) == [stem("unternehmen")]  # "unter" is a stopword, no part
    assert analyze("Ausbau", splitter) == [stem("ausbau")]
    assert splitter.split("strategie") == ()


def test_linking_elements_and_elided_e_are_removed() -> None:
    splitter = CompoundSplitter.from_tokens(tokenize("Erzgebirge Kreis Arbeit Markt"))
    assert [stem(p) for p in splitter.split("erzgebirgskreis")] == [stem("erzgebirge"), "kreis"]
    assert [stem(p) for p in splitter.split("arbeitsmarkt")] == ["arbeit", "markt"]
    assert splitter.terms("erzgebirgskreis") == ("erzgebirgskreis", "erzgebirg", "kreis")


def test_parts_come_from_the_corpus_vocabulary_not_only_the_built_in_list(splitter: CompoundSplitter) -> None:
    assert stem("brucke") in analyze("Muldebrücke", splitter)
    assert stem("brucke") not in analyze("Muldebrücke")  # the default splitter knows no "Brücke"


def test_splitter_vocabulary_round_trips_through_a_plain_dict(splitter: CompoundSplitter) -> None:
    copy = CompoundSplitter(dict(splitter.vocabulary))
    for word in ("automobilzulieferer", "muldebrucke", "fachkraftemangel"):
        assert copy.terms(word) == splitter.terms(word)
