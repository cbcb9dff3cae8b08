"""BM25 lexical index over chunks (bm25s), persisted next to the vector store."""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from assistant.analysis import ANALYZER_VERSION, CompoundSplitter, analyze, tokenize
from assistant.errors import IndexNotReady

FORMAT_VERSION = 1
META_FILE = "lexical.json"
# Lucene BM25 with the textbook parameters; no held-out German set showed better ones (see the PR notes).
K1 = 1.5
B = 0.75


class BM25Index:
    """Rank chunks by BM25 over German-analysed terms; scores can be restricted by a boolean mask."""

    def __init__(self, ids: list[str], retriever: Any, splitter: CompoundSplitter) -> None:
        """Wrap a built bm25s retriever; use `build` or `load` instead of calling this."""
        self._ids = ids
        self._retriever = retriever
        self.splitter = splitter
        self._positions: dict[str, int] | None = None

    @classmethod
    def build(cls, chunk_ids: list[str], texts: list[str]) -> BM25Index:
        """Index `texts` under `chunk_ids` (same order); the compound vocabulary comes from the texts."""
        if len(chunk_ids) != len(texts):
            raise ValueError(f"{len(chunk_ids)} chunk ids but {len(texts)} texts; pass one id per text")
        duplicates = [cid for cid, n in Counter(chunk_ids).items() if n > 1]
        if duplicates:
            raise ValueError(f"duplicate chunk ids, e.g. {duplicates[:3]}; chunk ids must be unique")
        tokens = [tokenize(text) for text in texts]
        splitter = CompoundSplitter.from_tokens(tok for doc in tokens for tok in doc)
        terms_of: dict[str, tuple[str, ...]] = {}
        corpus: list[list[str]] = []
        for doc in tokens:
            terms: list[str] = []
            for token in doc:
                expanded = terms_of.get(token)
                if expanded is None:
                    expanded = terms_of[token] = splitter.terms(token)
                terms.extend(expanded)
            corpus.append(terms)
        return cls(list(chunk_ids), _index(corpus), splitter)

    @classmethod
    def load(cls, directory: Path) -> BM25Index:
        """Load an index written by `save`.

        Raises:
            IndexNotReady: nothing (complete) is stored there, or it was built by another analyzer version.
        """
        meta_path = Path(directory) / META_FILE
        if not meta_path.is_file():
            raise IndexNotReady(f"no BM25 index in {directory}; run the ingest to build it")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT_VERSION or meta.get("analyzer") != ANALYZER_VERSION:
            raise IndexNotReady(
                f"the BM25 index in {directory} was built by an older version "
                f"(format {meta.get('format')}, analyzer {meta.get('analyzer')}); re-run the ingest to rebuild it"
            )
        retriever = None
        if meta["has_matrix"]:
            import bm25s

            retriever = bm25s.BM25.load(str(directory), load_corpus=False, show_progress=False)
        return cls(meta["ids"], retriever, CompoundSplitter(meta["compound_vocabulary"]))

    def save(self, directory: Path) -> None:
        """Write the index to `directory`, replacing what was there only once the new files are complete."""
        directory = Path(directory)
        directory.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
        try:
            if self._retriever is not None:
                self._retriever.save(str(staging), show_progress=False)
            meta = {
                "format": FORMAT_VERSION,
                "analyzer": ANALYZER_VERSION,
                "ids": self._ids,
                "has_matrix": self._retriever is not None,
                "compound_vocabulary": self.splitter.vocabulary,
            }
            (staging / META_FILE).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
            _swap_in(staging, directory)
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    @property
    def ids(self) -> list[str]:
        """Chunk ids in index order: position i of a mask refers to ids[i]."""
        return self._ids

    def __len__(self) -> int:
        return len(self._ids)

    def position(self, chunk_id: str) -> int:
        """Return the index position of a chunk id (KeyError if it is not indexed)."""
        if self._positions is None:
            self._positions = {cid: i for i, cid in enumerate(self._ids)}
        return self._positions[chunk_id]

    def analyze(self, text: str) -> list[str]:
        """Analyse text exactly as the indexed chunks were analysed."""
        return analyze(text, self.splitter)

    def search(self, query: str, k: int, allowed: np.ndarray | None = None) -> list[tuple[str, float]]:
        """Return up to k (chunk_id, BM25 score) pairs, best first, among positions where `allowed` is True.

        Only chunks sharing at least one term with the query are returned; equal scores keep index order.
        """
        if k <= 0 or self._retriever is None:
            return []
        if allowed is not None and allowed.shape != (len(self._ids),):
            raise ValueError(f"mask has shape {allowed.shape}; expected ({len(self._ids)},), one per chunk")
        token_ids = self._token_ids(self.analyze(query))
        if not token_ids:
            return []
        scores = np.asarray(self._retriever.get_scores_from_ids(token_ids), dtype=np.float64)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        candidates = np.flatnonzero(scores > 0)
        if candidates.size > k:
            kth = np.partition(scores[candidates], candidates.size - k)[candidates.size - k]
            candidates = candidates[scores[candidates] >= kth]
        order = np.lexsort((candidates, -scores[candidates]))[:k]
        return [(self._ids[i], float(scores[i])) for i in candidates[order]]

    def term_counts(self) -> dict[str, int]:
        """Document frequency of every indexed term (for typo correction)."""
        if self._retriever is None:
            return {}
        indptr = self._retriever.scores["indptr"]
        n_columns = len(indptr) - 1
        return {
            term: int(indptr[tid + 1] - indptr[tid])
            for term, tid in self._retriever.vocab_dict.items()
            if term and tid < n_columns
        }

    def term_weights(self, query: str) -> dict[str, float]:
        """Return the Lucene idf of each analysed query term found in the index (unknown terms are left out)."""
        if self._retriever is None:
            return {}
        n_docs = len(self._ids)
        indptr = self._retriever.scores["indptr"]
        weights: dict[str, float] = {}
        for term in self.analyze(query):
            tid = self._retriever.vocab_dict.get(term)
            if term in weights or tid is None or tid >= len(indptr) - 1:
                continue
            df = int(indptr[tid + 1] - indptr[tid])
            weights[term] = math.log(1 + (n_docs - df + 0.5) / (df + 0.5))
        return weights

    def _token_ids(self, terms: list[str]) -> list[int]:
        """Map terms to bm25s column ids; repeated terms count repeatedly, unknown ones are dropped."""
        vocab = self._retriever.vocab_dict
        n_columns = len(self._retriever.scores["indptr"]) - 1
        # bm25s appends the empty token after the matrix columns; it must never reach the scorer
        return [tid for tid in (vocab.get(t) for t in terms) if tid is not None and tid < n_columns]


def _index(corpus: list[list[str]]) -> Any:
    """Build a bm25s retriever from analysed documents, or None for an empty corpus."""
    if not any(corpus):
        return None
    import bm25s

    # Our own sorted vocabulary: bm25s would number terms in set order, which changes with PYTHONHASHSEED.
    vocab = {term: i for i, term in enumerate(sorted({t for doc in corpus for t in doc}))}
    token_ids = [[vocab[t] for t in doc] for doc in corpus]
    retriever = bm25s.BM25(method="lucene", k1=K1, b=B)
    retriever.index((token_ids, vocab), show_progress=False)
    return retriever


def _swap_in(staging: Path, directory: Path) -> None:
    """Replace `directory` by `staging` with renames, so readers see the old or the new index, never half."""
    backup = directory.with_name(f".{directory.name}.old-{os.getpid()}")
    if directory.exists():
        os.replace(directory, backup)
    os.replace(staging, directory)
    shutil.rmtree(backup, ignore_errors=True)
