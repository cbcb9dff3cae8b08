"""Load and validate the German gold question set (`evals/gold.yaml`) against the corpus manifest."""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DEFAULT_GOLD = Path(__file__).with_name("gold.yaml")
DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "corpus"

# Category → required id prefix; the order is the order of reports.
ID_PREFIXES: dict[str, str] = {
    "factual": "fact-",
    "sector": "sector-",
    "forum": "forum-",
    "comparison": "cmp-",
    "followup": "follow-",
    "unanswerable": "none-",
}
CATEGORIES = tuple(ID_PREFIXES)
USER_GROUPS = ("unternehmer", "mitarbeitende", "besucher")
ROLES = ("user", "assistant")
REQUIRED = ("id", "category", "question", "gold", "key_facts", "refusal", "user_group")
OPTIONAL = ("history", "tags")
# Optional labels for slicing reports: "everyday" = worded the way users word them (issue 9), "typo" = with
# typos or folded umlauts (ae/oe/ue/ss), "detail-missing" = the topic is in the documents, the asked detail not.
TAGS = ("everyday", "typo", "detail-missing")

# A hard page break in WordprocessingML: <w:br w:type="page"/> or a paragraph with pageBreakBefore.
_DOCX_BREAK = re.compile(rb'w:type="page"|<w:pageBreakBefore(?:\s*/>|\s+w:val="(?:1|true|on)")')
_TEXT_SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm")


class GoldError(ValueError):
    """The gold set is malformed; `problems` lists every problem, each naming the item."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"gold set has {len(self.problems)} problem(s):\n{lines}")


@dataclass
class GoldItem:
    """One gold question: what is asked, by whom, where the answer stands and what it must contain."""

    id: str
    category: str
    question: str
    user_group: str
    refusal: bool
    history: list[tuple[str, str]] = field(default_factory=list)  # (role, content), oldest first
    gold: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # (doc_id, page labels)
    key_facts: list[list[str]] = field(default_factory=list)  # each entry: alternatives, ≥1 must occur
    tags: list[str] = field(default_factory=list)  # labels from TAGS; old items have none

    @property
    def doc_ids(self) -> list[str]:
        """The gold documents, in order."""
        return [doc_id for doc_id, _ in self.gold]


def load_manifest(corpus_root: Path | None = None) -> dict[str, dict[str, Any]]:
    """Read `manifest.yaml` of the corpus and return its documents by doc_id."""
    root = corpus_root or DEFAULT_CORPUS
    data = yaml.safe_load((root / "manifest.yaml").read_text(encoding="utf-8")) or {}
    return {str(d["doc_id"]): d for d in data.get("documents", [])}


def load_gold(path: Path | None = None, corpus_root: Path | None = None) -> list[GoldItem]:
    """Load the gold set and validate it against the corpus.

    Raises:
        GoldError: listing every problem found (schema, ids, unknown documents or pages).
    """
    gold_path = path or DEFAULT_GOLD
    try:
        raw = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise GoldError([f"{gold_path}: cannot read ({exc})"]) from exc
    if not isinstance(raw, list):
        raise GoldError([f"{gold_path}: expected a list of items, got {type(raw).__name__}"])
    root = corpus_root or DEFAULT_CORPUS
    checker = _CorpusChecker(root, load_manifest(root))
    problems: list[str] = []
    items: list[GoldItem] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw):
        item_problems, item = _parse_item(entry, index)
        name = item.id if item is not None else _name(entry, index)
        if item is not None:
            if item.id in seen:
                item_problems.append(f"duplicate id {item.id!r}")
            seen.add(item.id)
            item_problems += _check_semantics(item)
            item_problems += [p for doc, pages in item.gold for p in checker.check(doc, pages)]
            items.append(item)
        problems += [f"{name}: {p}" for p in item_problems]
    if problems:
        raise GoldError(problems)
    return items


def category_counts(items: Iterable[GoldItem]) -> dict[str, int]:
    """Count items per category (every known category present, zeros included)."""
    counts = Counter(item.category for item in items)
    return {c: counts.get(c, 0) for c in (*CATEGORIES, *sorted(set(counts) - set(CATEGORIES)))}


# --- parsing ---------------------------------------------------------------------------------


def _name(entry: Any, index: int) -> str:
    if isinstance(entry, Mapping) and isinstance(entry.get("id"), str) and entry["id"]:
        return str(entry["id"])
    return f"item #{index + 1}"


def _parse_item(entry: Any, index: int) -> tuple[list[str], GoldItem | None]:
    if not isinstance(entry, Mapping):
        return [f"expected a mapping, got {type(entry).__name__}"], None
    problems = [f"missing field {key!r}" for key in REQUIRED if key not in entry]
    unknown = sorted(set(entry) - set(REQUIRED) - set(OPTIONAL))
    problems += [f"unknown field {key!r} (valid: {', '.join(REQUIRED + OPTIONAL)})" for key in unknown]
    for key in ("id", "category", "question", "user_group"):
        if key in entry and not (isinstance(entry[key], str) and entry[key].strip()):
            problems.append(f"{key!r} must be a non-empty string")
    if "refusal" in entry and not isinstance(entry["refusal"], bool):
        problems.append("'refusal' must be true or false")
    history, history_problems = _parse_history(entry.get("history", []))
    gold, gold_problems = _parse_gold(entry.get("gold", []))
    facts, fact_problems = _parse_key_facts(entry.get("key_facts", []))
    tags, tag_problems = _parse_tags(entry.get("tags", []))
    problems += history_problems + gold_problems + fact_problems + tag_problems
    if problems:
        return problems, None
    item = GoldItem(
        id=entry["id"].strip(),
        category=entry["category"],
        question=entry["question"],
        user_group=entry["user_group"],
        refusal=entry["refusal"],
        history=history,
        gold=gold,
        key_facts=facts,
        tags=tags,
    )
    return [], item


def _parse_history(raw: Any) -> tuple[list[tuple[str, str]], list[str]]:
    if raw is None:
        return [], []
    if not isinstance(raw, list):
        return [], ["'history' must be a list of {role, content} turns"]
    turns: list[tuple[str, str]] = []
    problems: list[str] = []
    for n, turn in enumerate(raw, start=1):
        if not isinstance(turn, Mapping) or set(turn) != {"role", "content"}:
            problems.append(f"history turn {n} must have exactly 'role' and 'content'")
        elif turn["role"] not in ROLES:
            problems.append(f"history turn {n}: unknown role {turn['role']!r} (valid: {', '.join(ROLES)})")
        elif not (isinstance(turn["content"], str) and turn["content"].strip()):
            problems.append(f"history turn {n}: 'content' must be a non-empty string")
        else:
            turns.append((turn["role"], turn["content"]))
    return turns, problems


def _parse_gold(raw: Any) -> tuple[list[tuple[str, tuple[str, ...]]], list[str]]:
    if raw is None:
        return [], []
    if not isinstance(raw, list):
        return [], ["'gold' must be a list of {doc_id, pages}"]
    gold: list[tuple[str, tuple[str, ...]]] = []
    problems: list[str] = []
    for n, target in enumerate(raw, start=1):
        if not isinstance(target, Mapping) or set(target) != {"doc_id", "pages"}:
            problems.append(f"gold entry {n} must have exactly 'doc_id' and 'pages'")
            continue
        doc_id, pages = target["doc_id"], target["pages"]
        if not (isinstance(doc_id, str) and doc_id):
            problems.append(f"gold entry {n}: 'doc_id' must be a non-empty string")
        elif not (isinstance(pages, list) and pages and all(isinstance(p, str) and p for p in pages)):
            problems.append(f"gold entry {n} ({doc_id}): 'pages' must be a non-empty list of quoted labels")
        else:
            gold.append((doc_id, tuple(pages)))
    return gold, problems


def _parse_key_facts(raw: Any) -> tuple[list[list[str]], list[str]]:
    if raw is None:
        return [], []
    valid = isinstance(raw, list) and all(
        isinstance(alts, list) and alts and all(isinstance(a, str) and a.strip() for a in alts)
        for alts in raw
    )
    if not valid:
        return [], ["'key_facts' must be a list of non-empty lists of non-empty strings"]
    return [list(alts) for alts in raw], []


def _parse_tags(raw: Any) -> tuple[list[str], list[str]]:
    if raw is None:
        return [], []
    if not (isinstance(raw, list) and all(isinstance(t, str) for t in raw)):
        return [], ["'tags' must be a list of strings"]
    unknown = [t for t in raw if t not in TAGS]
    if unknown:
        return [], [f"unknown tag {t!r} (valid: {', '.join(TAGS)})" for t in unknown]
    return list(dict.fromkeys(raw)), []


def _check_semantics(item: GoldItem) -> list[str]:
    """Cross-field rules: categories, id prefixes, user groups, refusal ⇔ no gold, follow-up history."""
    problems: list[str] = []
    if item.category not in ID_PREFIXES:
        problems.append(f"unknown category {item.category!r} (valid: {', '.join(CATEGORIES)})")
    elif not item.id.startswith(ID_PREFIXES[item.category]):
        problems.append(f"id must start with {ID_PREFIXES[item.category]!r} for category {item.category!r}")
    if item.user_group not in USER_GROUPS:
        problems.append(f"unknown user_group {item.user_group!r} (valid: {', '.join(USER_GROUPS)})")
    if item.refusal and item.gold:
        problems.append("refusal item must have empty 'gold'")
    if not item.refusal and not item.gold:
        problems.append("answerable item needs 'gold' (or set refusal: true)")
    if not item.refusal and not item.key_facts:
        problems.append("answerable item needs 'key_facts'")
    if item.category == "unanswerable" and not item.refusal:
        problems.append("category 'unanswerable' requires refusal: true")
    if item.refusal and item.category not in ("unanswerable", "followup"):
        problems.append(
            f"refusal: true is only valid for 'unanswerable' or 'followup', not {item.category!r}"
        )
    if item.category == "followup" and not any(role == "user" for role, _ in item.history):
        problems.append("followup needs a 'history' with the earlier user question")
    if item.category != "followup" and item.history:
        problems.append("only followup items carry a 'history'")
    if "detail-missing" in item.tags and not item.refusal:
        problems.append("tag 'detail-missing' requires refusal: true")
    if item.category == "comparison" and len(set(item.doc_ids)) < 2:
        problems.append("comparison gold must name the pages in both versions (two documents)")
    return problems


# --- corpus ----------------------------------------------------------------------------------


class _CorpusChecker:
    """Check gold targets against the manifest and the page labels of the documents themselves."""

    def __init__(self, root: Path, manifest: Mapping[str, Mapping[str, Any]]) -> None:
        self.root = root
        self.manifest = manifest
        self._labels: dict[str, tuple[str, ...] | None] = {}

    def check(self, doc_id: str, pages: Sequence[str]) -> list[str]:
        meta = self.manifest.get(doc_id)
        if meta is None:
            return [f"unknown doc_id {doc_id!r} (not in {self.root / 'manifest.yaml'})"]
        if meta.get("audience", "public") != "public":
            return [f"doc_id {doc_id!r} is {meta.get('audience')!r}; gold may only cite public documents"]
        labels = self.labels(doc_id)
        if labels is None:
            return [f"doc_id {doc_id!r}: file {meta.get('file')!r} is missing or unreadable"]
        missing = [p for p in pages if p not in labels]
        if missing:
            return [f"doc_id {doc_id!r} has no page {', '.join(missing)} (pages: {', '.join(labels)})"]
        return []

    def labels(self, doc_id: str) -> tuple[str, ...] | None:
        if doc_id not in self._labels:
            self._labels[doc_id] = _page_labels(self.root / str(self.manifest[doc_id].get("file", "")))
        return self._labels[doc_id]


def _page_labels(path: Path) -> tuple[str, ...] | None:
    """Printed page labels: PDF page labels; for other formats "1" up to explicit page breaks + 1."""
    if not path.is_file():
        return None
    suffix = path.suffix.lower()
    try:
        if suffix == ".pdf":
            from pypdf import PdfReader

            return tuple(PdfReader(str(path)).page_labels)
        if suffix == ".docx":
            with zipfile.ZipFile(path) as archive:
                breaks = len(_DOCX_BREAK.findall(archive.read("word/document.xml")))
        elif suffix in _TEXT_SUFFIXES:
            breaks = path.read_text(encoding="utf-8", errors="replace").count("\f")
        else:
            breaks = 0
    except Exception:  # pypdf, zipfile and decoding raise many types; any of them means unreadable
        return None
    return tuple(str(n) for n in range(1, breaks + 2))
