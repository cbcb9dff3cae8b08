"""Words of the index a question word may stand for: its lemma and the nearest indexed term (typos).

Lemmas come from simplemma (German data shipped in the package); typo correction uses symspellpy's
symmetric-delete lookup over the index's analysed terms, built once per loaded index generation.
"""

from __future__ import annotations

import re
import threading
import weakref
from functools import lru_cache
from typing import Any

from assistant.analysis import fold
from assistant.snapshot import IndexSnapshot

MIN_TYPO_LENGTH = 5  # shorter words have too many neighbours at edit distance 1 to guess from
MIN_HEAD = 4  # shortest compound head that counts as a word of its own
_lock = threading.Lock()
# One dictionary per loaded BM25 index and kind; dropped with the index when a new generation replaces it.
_spellers: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()


@lru_cache(maxsize=50_000)
def lemma(word: str) -> str:
    """The German lemma of a word ("Schulungen" → "Schulung", "kriege" → "kriegen")."""
    import simplemma

    return str(simplemma.lemmatize(word, lang="de"))


def _speller(snap: IndexSnapshot, kind: str) -> Any:
    """A SymSpell dictionary of the index: analysed terms ("terms") or folded surface words ("words")."""
    with _lock:
        per_index = _spellers.setdefault(snap.lexical, {})
        speller = per_index.get(kind)
        if speller is None:
            from symspellpy import SymSpell

            speller = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
            counts = snap.lexical.term_counts() if kind == "terms" else snap.surface_counts
            for term, count in counts.items():
                if term.isalpha() and len(term) >= 3:
                    speller.create_dictionary_entry(term, count)
            per_index[kind] = speller
    return speller


def _lookup(snap: IndexSnapshot, kind: str, word: str) -> tuple[str, int] | None:
    """The nearest entry of the dictionary and its edit distance."""
    from symspellpy import Verbosity

    distance = 1 if len(word) <= 7 else 2
    for item in _speller(snap, kind).lookup(word, Verbosity.CLOSEST, max_edit_distance=distance):
        if item.term != word and item.term[:1] == word[:1]:
            return str(item.term), int(item.distance)
    return None


def is_german_word(word: str) -> bool:
    """Tell whether simplemma's German dictionary knows the word (then it is no typo)."""
    import simplemma

    return bool(simplemma.is_known(word, lang="de"))


def correct_spelling(text: str, snap: IndexSnapshot) -> str:
    """Replace words that are neither in the corpus nor German dictionary words by the nearest corpus word.

    "Vogtlnad" → "vogtland" (so the district filter and BM25 find it), "Fachkraefte" → "fachkräfte" is
    handled before by the umlaut restoration; everyday words the corpus lacks ("Leute", "Weberei") are
    dictionary words and stay as typed, for the dense side to understand.
    """
    known = snap.surface_vocabulary

    def fix(match: re.Match[str]) -> str:
        word = match.group()
        folded = fold(word)
        if len(folded) < MIN_TYPO_LENGTH or folded in known or is_german_word(word):
            return word
        nearest = _lookup(snap, "words", folded)
        if nearest is None or (nearest[1] > 1 and not _keeps_head(folded, nearest[0])):
            return word
        return nearest[0]

    return re.sub(r"[^\W\d_]{5,}", fix, text)


def _keeps_head(word: str, nearest: str) -> bool:
    """Tell whether a two-edit correction keeps the word's compound head. A new compound of known words is
    no typo ("Transformationsbonus" is not "Transformationsfonds", "Elektrobetrieb" not "Elektroantrieb"):
    when the word ends in a German dictionary word of at least four letters, the correction must end in it
    too, unless it only changes the ending ("Technologiepitch" → "technologiepitches"). One-edit
    corrections are left alone: a single typo often leaves a word in the tail ("Mittelsachen").
    Hand-written because neither simplemma nor symspellpy knows compounds; simplemma's dictionary decides
    what a head word is."""
    if nearest.startswith(word) or word.startswith(nearest):
        return True
    for start in range(1, len(word) - MIN_HEAD + 1):
        head = word[start:]
        if is_german_word(head.capitalize()) or is_german_word(head):
            return nearest.endswith(head)
    return True


def nearest_term(snap: IndexSnapshot, term: str) -> str | None:
    """The indexed term nearest to an unknown analysed term (a typo such as "vogtlnad"), if close.

    Edit distance 1 for words up to 7 letters, 2 above; the first letter must agree (typos rarely hit it,
    and without this rule short stems find unrelated neighbours); among equals the more frequent term wins.
    """
    if len(term) < MIN_TYPO_LENGTH or not term.isalpha():
        return None
    found = _lookup(snap, "terms", term)
    return found[0] if found else None
