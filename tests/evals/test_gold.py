"""The shipped German gold set loads, validates against the real corpus and is big enough per category."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.types import DocumentMeta
from evals.gold import (
    CATEGORIES,
    DEFAULT_CORPUS,
    GoldError,
    GoldItem,
    category_counts,
    load_gold,
    load_manifest,
)
from ingest.loaders import load_file

MINIMUM = {"factual": 35, "sector": 28, "forum": 22, "comparison": 12, "followup": 12, "unanswerable": 35}
# Questions in users' everyday wording (issue 9), tagged "everyday".
EVERYDAY_MINIMUM = {
    "factual": 8,
    "sector": 30,
    "forum": 10,
    "comparison": 6,
    "followup": 6,
    "unanswerable": 12,
}
DISTRICTS = (
    "Landkreis Zwickau",
    "Erzgebirgskreis",
    "Landkreis Mittelsachsen",
    "Vogtlandkreis",
    "Stadt Chemnitz",
)


@pytest.fixture(scope="module")
def items() -> list[GoldItem]:
    return load_gold()


@pytest.fixture(scope="module")
def page_text() -> dict[tuple[str, str], str]:
    """(doc_id, page label) → the loaded text of that page (block text and headings), squashed."""
    pages: dict[tuple[str, str], list[str]] = {}
    for doc_id, meta in load_manifest().items():
        path = DEFAULT_CORPUS / str(meta["file"])
        loaded = load_file(
            path,
            DocumentMeta(doc_id=doc_id, title=str(meta["title"])),
            max_bytes=50_000_000,
            pdf_timeout_s=120,
            pdf_memory_mb=2048,
        )
        for block in loaded.blocks:
            pages.setdefault((doc_id, block.page), []).append(" ".join((block.text, *block.section)))
    return {key: _squash(" ".join(parts)) for key, parts in pages.items()}


def _squash(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").split()).casefold()


def _everyday(items: list[GoldItem]) -> list[GoldItem]:
    return [item for item in items if "everyday" in item.tags]


def _valid(**overrides: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": "fact-900",
        "category": "factual",
        "question": "Wie viele Helpdesk-Beratungen nennt der Aktivitätsreport?",
        "history": [],
        "gold": [{"doc_id": "charta-3-0", "pages": ["4"]}],
        "key_facts": [["212"]],
        "refusal": False,
        "user_group": "mitarbeitende",
    }
    item.update(overrides)
    return item


def _load(tmp_path: Path, *entries: dict[str, Any]) -> list[GoldItem]:
    path = tmp_path / "gold.yaml"
    path.write_text(yaml.safe_dump(list(entries), allow_unicode=True), encoding="utf-8")
    return load_gold(path)


def _problems(tmp_path: Path, *entries: dict[str, Any]) -> list[str]:
    with pytest.raises(GoldError) as info:
        _load(tmp_path, *entries)
    return info.value.problems


def test_shipped_gold_set_loads_and_validates(items: list[GoldItem]) -> None:
    assert len(items) >= 160
    assert len({item.id for item in items}) == len(items)


@pytest.mark.parametrize("category", CATEGORIES)
def test_minimum_count_per_category(items: list[GoldItem], category: str) -> None:
    assert category_counts(items)[category] >= MINIMUM[category]


@pytest.mark.parametrize("district", DISTRICTS)
def test_at_least_four_forum_questions_per_district(items: list[GoldItem], district: str) -> None:
    manifest = load_manifest()
    in_district = [
        item
        for item in items
        if item.category == "forum" and any(manifest[d].get("district") == district for d in item.doc_ids)
    ]
    assert len(in_district) >= 4, [item.id for item in in_district]


@pytest.mark.parametrize("category", CATEGORIES)
def test_minimum_count_of_everyday_items_per_category(items: list[GoldItem], category: str) -> None:
    assert category_counts(_everyday(items))[category] >= EVERYDAY_MINIMUM[category]


def test_everyday_items_include_typos_and_missing_details(items: list[GoldItem]) -> None:
    everyday = _everyday(items)
    assert sum("typo" in item.tags for item in everyday) >= 10
    missing = [item for item in everyday if "detail-missing" in item.tags and item.category == "unanswerable"]
    assert len(missing) >= 6


def test_everyday_key_facts_stand_on_their_gold_pages(
    items: list[GoldItem], page_text: dict[tuple[str, str], str]
) -> None:
    """Every key fact of an everyday item is on one of its gold pages, and every gold page holds one."""
    problems = []
    for item in _everyday(items):
        texts = {(doc, page): page_text.get((doc, page), "") for doc, pages in item.gold for page in pages}
        for alternatives in item.key_facts:
            if not any(_squash(alt) in text for alt in alternatives for text in texts.values()):
                problems.append(f"{item.id}: key fact {alternatives} is on none of its gold pages")
        for (doc, page), text in texts.items():
            if not any(_squash(alt) in text for alts in item.key_facts for alt in alts):
                problems.append(f"{item.id}: gold page {doc} {page} holds none of the key facts")
    assert problems == []


def test_every_user_group_is_present(items: list[GoldItem]) -> None:
    assert {item.user_group for item in items} == {"unternehmer", "mitarbeitende", "besucher"}


def test_followups_carry_history_and_comparisons_two_versions(items: list[GoldItem]) -> None:
    for item in items:
        if item.category == "followup":
            assert item.history[0][0] == "user", item.id
        if item.category == "comparison":
            assert len(set(item.doc_ids)) >= 2, item.id


def test_gold_never_cites_an_internal_document(items: list[GoldItem]) -> None:
    manifest = load_manifest()
    cited = {doc for item in items for doc in item.doc_ids}
    assert all(manifest[doc]["audience"] == "public" for doc in cited)


def test_category_counts_lists_every_category_with_zeros() -> None:
    assert category_counts([]) == dict.fromkeys(CATEGORIES, 0)


def test_a_valid_item_loads_with_tuples(tmp_path: Path) -> None:
    follow = _valid(
        id="follow-900",
        category="followup",
        question="Und in der Charta 2.0?",
        history=[{"role": "user", "content": "Gießereien in 3.0?"}, {"role": "assistant", "content": "…"}],
    )
    loaded = _load(tmp_path, _valid(), follow)
    assert loaded[0].gold == [("charta-3-0", ("4",))]
    assert loaded[1].history == [("user", "Gießereien in 3.0?"), ("assistant", "…")]


def test_unknown_doc_id_is_rejected_with_its_name(tmp_path: Path) -> None:
    problems = _problems(tmp_path, _valid(gold=[{"doc_id": "charta-9-0", "pages": ["1"]}]))
    assert len(problems) == 1
    assert problems[0].startswith("fact-900: unknown doc_id 'charta-9-0'")


@pytest.mark.parametrize(
    ("doc_id", "page"),
    [
        ("charta-3-0", "9"),
        ("charta-3-0", "iii"),
        ("forum-2024-landkreis-mittelsachsen", "4"),
        ("kongress-2024", "2"),
    ],
)
def test_page_that_does_not_exist_is_rejected(tmp_path: Path, doc_id: str, page: str) -> None:
    problems = _problems(tmp_path, _valid(gold=[{"doc_id": doc_id, "pages": ["1", page]}]))
    assert len(problems) == 1
    assert problems[0].startswith(f"fact-900: doc_id '{doc_id}' has no page {page} (pages: ")


def test_existing_docx_and_html_pages_are_accepted(tmp_path: Path) -> None:
    gold = [
        {"doc_id": "forum-2024-landkreis-mittelsachsen", "pages": ["3"]},
        {"doc_id": "kongress-2024", "pages": ["1"]},
    ]
    assert _load(tmp_path, _valid(gold=gold))[0].doc_ids == [
        "forum-2024-landkreis-mittelsachsen",
        "kongress-2024",
    ]


def test_internal_document_is_rejected(tmp_path: Path) -> None:
    gold = [{"doc_id": "intern-nachbereitung-zukunftsforum-2025", "pages": ["3"]}]
    problems = _problems(tmp_path, _valid(gold=gold))
    assert problems == [
        "fact-900: doc_id 'intern-nachbereitung-zukunftsforum-2025' is 'internal'; "
        "gold may only cite public documents"
    ]


def test_tags_are_optional_and_checked(tmp_path: Path) -> None:
    loaded = _load(tmp_path, _valid(), _valid(id="fact-901", tags=["everyday", "typo", "everyday"]))
    assert [item.tags for item in loaded] == [[], ["everyday", "typo"]]
    problems = _problems(
        tmp_path,
        _valid(id="fact-902", tags=["alltag"]),
        _valid(id="fact-903", tags=["detail-missing"]),
        _valid(id="fact-904", tags="everyday"),
    )
    assert problems == [
        "fact-902: unknown tag 'alltag' (valid: everyday, typo, detail-missing)",
        "fact-903: tag 'detail-missing' requires refusal: true",
        "fact-904: 'tags' must be a list of strings",
    ]


def test_refusal_with_gold_is_rejected(tmp_path: Path) -> None:
    problems = _problems(tmp_path, _valid(id="none-900", category="unanswerable", refusal=True))
    assert problems == ["none-900: refusal item must have empty 'gold'"]


def test_duplicate_id_is_rejected(tmp_path: Path) -> None:
    problems = _problems(tmp_path, _valid(), _valid(question="Noch einmal?"))
    assert problems == ["fact-900: duplicate id 'fact-900'"]


def test_followup_without_history_is_rejected(tmp_path: Path) -> None:
    problems = _problems(tmp_path, _valid(id="follow-901", category="followup"))
    assert problems == ["follow-901: followup needs a 'history' with the earlier user question"]


def test_schema_problems_name_the_valid_choices(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path, _valid(category="trivia", user_group="presse"), _valid(id="fact-901", refusal="nein")
    )
    assert (
        "fact-900: unknown category 'trivia' (valid: factual, sector, forum, comparison, followup, unanswerable)"
        in problems
    )
    assert "fact-900: unknown user_group 'presse' (valid: unternehmer, mitarbeitende, besucher)" in problems
    assert "fact-901: 'refusal' must be true or false" in problems


def test_every_broken_item_is_reported_at_once(tmp_path: Path) -> None:
    broken = [
        _valid(id="fact-910", gold=[{"doc_id": "gibt-es-nicht", "pages": ["1"]}]),
        _valid(id="fact-911", gold=[{"doc_id": "charta-1-0", "pages": [3]}]),
        _valid(id="fact-912", key_facts=[]),
        {"question": "ohne alles"},
    ]
    with pytest.raises(GoldError) as info:
        _load(tmp_path, *broken)
    message = str(info.value)
    for name in ("fact-910", "fact-911", "fact-912", "item #4"):
        assert name in message
    assert "'pages' must be a non-empty list of quoted labels" in message
    assert "item #4: missing field 'id'" in message
