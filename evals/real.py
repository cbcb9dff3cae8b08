"""The real-document set: German manuals made by other people's tools (`make real-docs`).

Ingests the fetched PDFs (no manifest) into their own store, then measures what the index holds
and what the assistant answers: glued-word share before/after cleaning, TOC chunks, running
head/footer leftovers, section labels on a hand-labelled sample, answers to hand-checked questions
(right fact and page ±1; unanswerable ones refused) and ingest throughput with cached vectors.
Kept out of `make test`: the files are fetched, not committed. Writes results.json + report.md.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from assistant.index import StoreLayout, load_chunks, read_state
from assistant.settings import Settings
from assistant.types import Chunk

REAL_CORPUS = Path(".cache/real-docs/corpus")
REAL_STORE = Path("data/real")
QUESTIONS = Path(__file__).with_name("real_questions.yaml")
_TOC_CHUNK = re.compile(r"(?:\.\s?){6,}\s*\d|(?:^|\n)\d+(?:\.\d+)+\s+\S[^\n]*\s\d{1,3}\s*(?:\n|$)")


@dataclass
class RealEvalOptions:
    """Options of `itas eval --real`."""

    corpus: Path = REAL_CORPUS
    store: Path = REAL_STORE
    questions: Path = QUESTIONS
    out: Path = Path("evals/reports")
    answers: bool = True  # build the index and ask the questions (needs the embedder)


@dataclass
class RealResult:
    """Figures of one run (see the module docstring)."""

    text: dict[str, Any] = field(default_factory=dict)
    sections: dict[str, Any] = field(default_factory=dict)
    answers: dict[str, Any] = field(default_factory=dict)
    throughput: dict[str, Any] = field(default_factory=dict)
    lexical: dict[str, Any] = field(default_factory=dict)


def real_settings(settings: Settings, options: RealEvalOptions) -> Settings:
    """The settings with store and corpus moved to the real set."""
    return settings.model_copy(
        update={
            "store": settings.store.model_copy(update={"path": options.store, "mode": "embedded"}),
            "ingest": settings.ingest.model_copy(update={"corpus_path": options.corpus}),
        }
    )


def run_real(settings: Settings, options: RealEvalOptions) -> tuple[RealResult, Path]:
    """Measure the real set, write the report; return the figures and the run folder.

    Text figures and throughput come from the ingest's own read and chunk steps (no embedding);
    the answer figures need the index, which `run_ingest` builds (vectors cached in the store).
    """
    if not any(options.corpus.glob("*.pdf")):
        raise FileNotFoundError(f"no PDFs in {options.corpus}; run `make real-docs` first")
    settings = real_settings(settings, options)
    spec = yaml.safe_load(options.questions.read_text(encoding="utf-8"))
    result = RealResult()
    chunks, result.throughput = read_and_chunk(settings, options.corpus)
    result.text = text_quality(options.corpus, chunks, spec.get("running_lines", {}))
    result.sections = section_accuracy(chunks, spec.get("sections", []))
    questions = spec.get("questions", [])
    result.lexical = {
        "before": lexical_hits(raw_chunks(options.corpus), questions),
        "after": lexical_hits(chunks, questions),
    }
    if options.answers:
        from ingest.pipeline import run_ingest

        run_ingest(settings, options.corpus)
        result.answers = answer_quality(settings, spec.get("questions", []))
    return result, _write(result, options.out)


def read_and_chunk(settings: Settings, corpus: Path) -> tuple[list[Chunk], dict[str, Any]]:
    """Load and chunk every PDF as the ingest does (bounded worker, no embedding); time it."""
    from ingest.chunking import chunk_document
    from ingest.loaders import SkipFile, load_file
    from ingest.manifest import infer_meta

    ing = settings.ingest
    chunks: list[Chunk] = []
    pages, notes = 0, {}
    started = time.perf_counter()
    for path in sorted(corpus.glob("*.pdf")):
        file_started = time.perf_counter()
        try:
            doc = load_file(
                path,
                infer_meta(path.name),
                max_bytes=int(ing.max_file_mb * 1024 * 1024),
                pdf_timeout_s=ing.pdf_timeout_s,
                pdf_memory_mb=ing.pdf_memory_mb,
            )
        except SkipFile as skip:
            notes[path.name] = f"übersprungen: {skip.reason}"
            continue
        chunks += chunk_document(doc, size=ing.chunk_size, overlap=ing.chunk_overlap)
        pages += doc.pages
        seconds = time.perf_counter() - file_started
        notes[path.name] = f"{doc.pages} Seiten in {seconds:.1f} s; " + "; ".join(doc.notes)
    seconds = time.perf_counter() - started
    figures = {"pages": pages, "seconds": round(seconds, 1), "pages_per_s": round(pages / seconds, 1)}
    return chunks, {**figures, "notes": notes}


def _chunks(store: Path) -> list[Chunk]:
    layout = StoreLayout(store)
    state = read_state(layout)
    if state is None:
        raise FileNotFoundError(f"no index in {store}")
    return load_chunks(layout.chunks_file(state.generation), state.documents)


def raw_chunks(corpus: Path) -> list[Chunk]:
    """Chunks of the PDFs as pypdf reads them, without any repair or cleaning (the baseline)."""
    from pypdf import PdfReader

    from assistant.types import LoadedDocument, TextBlock
    from ingest.chunking import chunk_document
    from ingest.manifest import infer_meta

    chunks: list[Chunk] = []
    for path in sorted(corpus.glob("*.pdf")):
        reader = PdfReader(path)
        labels = list(reader.page_labels)
        blocks = [
            TextBlock(" ".join(text.split()), labels[i], i + 1, ())
            for i, page in enumerate(reader.pages)
            if (text := page.extract_text() or "").strip()
        ]
        doc = LoadedDocument(infer_meta(path.name), blocks, len(reader.pages))
        chunks += chunk_document(doc, size=900, overlap=150)
    return chunks


def lexical_hits(chunks: list[Chunk], questions: list[dict[str, Any]], k: int = 3) -> dict[str, Any]:
    """BM25 (the product's analyzer) top-k: a chunk of the right manual, page ±1, holding the fact.

    A retrieval proxy that needs no embedding: it shows what the index text does to finding facts.
    """
    from assistant.lexical import BM25Index

    index = BM25Index.build([str(i) for i in range(len(chunks))], [c.text for c in chunks])
    answerable = [q for q in questions if q.get("facts")]
    found = 0
    for item in answerable:
        pages = {int(p) for p in item["pages"]}
        facts = [str(f).casefold() for f in item["facts"]]
        for chunk_id, _ in index.search(item["question"], k):
            chunk = chunks[int(chunk_id)]
            page = _page_number(chunk.page_start)
            near = any(abs(page - p) <= 1 for p in pages)
            text = " ".join(chunk.text.split()).casefold()
            if chunk.doc_id == item["doc_id"] and near and any(f in text for f in facts):
                found += 1
                break
    return {
        "questions": len(answerable),
        "found_top3": found,
        "pct": round(100 * found / max(len(answerable), 1), 1),
    }


def text_quality(corpus: Path, chunks: list[Chunk], running: dict[str, list[str]]) -> dict[str, Any]:
    """Glued-run shares before (pypdf as is) and after (index), TOC chunks, head/footer leftovers."""
    from pypdf import PdfReader

    from ingest.pdf_text import glued_chars, long_run_chars

    before_raw = [
        page.extract_text() or "" for pdf in sorted(corpus.glob("*.pdf")) for page in PdfReader(pdf).pages
    ]
    after = "\n".join(chunk.text for chunk in chunks)
    figures: dict[str, Any] = {"chunks": len(chunks)}
    for name, counter in (("glued_runs", glued_chars), ("runs_20_letters", long_run_chars)):
        before_glued, before_total = counter("\n".join(before_raw))
        after_glued, after_total = counter(after)
        figures[f"{name}_before_pct"] = round(100 * before_glued / max(before_total, 1), 2)
        figures[f"{name}_after_pct"] = round(100 * after_glued / max(after_total, 1), 2)
    toc = [c for c in chunks if _TOC_CHUNK.search(c.text)]
    figures["toc_chunks"] = len(toc)
    figures["toc_chunk_pct"] = round(100 * len(toc) / max(len(chunks), 1), 2)
    figures["toc_examples"] = [c.text[:120] for c in toc[:5]]
    patterns = [re.compile(p) for lines in running.values() for p in lines]
    leftovers = [c for c in chunks if any(p.search(c.text) for p in patterns)]
    figures["head_footer_chunks"] = len(leftovers)
    figures["head_footer_chunk_pct"] = round(100 * len(leftovers) / max(len(chunks), 1), 2)
    figures["head_footer_examples"] = [c.text[:120] for c in leftovers[:5]]
    return figures


def section_accuracy(chunks: list[Chunk], labels: list[dict[str, Any]]) -> dict[str, Any]:
    """Share of hand-labelled chunks whose section label names the printed heading they sit under."""
    from ingest.pdf_sections import heading_key

    right, misses, missing = 0, [], []
    for label in labels:
        found = [
            c
            for c in chunks
            if c.doc_id == label["doc_id"]
            and label["text"] in " ".join(c.text.split())
            and abs(c.page_index - int(label["page"])) <= 1
        ]
        if not found:
            missing.append(label["text"])
            continue
        section = found[0].section[-1] if found[0].section else ""
        if heading_key(section) == heading_key(label["section"]):
            right += 1
        else:
            misses.append({"text": label["text"], "expected": label["section"], "got": section})
    checked = len(labels) - len(missing)
    return {
        "labelled": len(labels),
        "found": checked,
        "right": right,
        "accuracy": round(right / checked, 3) if checked else None,
        "misses": misses,
        "not_found": missing,
    }


def answer_quality(settings: Settings, questions: list[dict[str, Any]]) -> dict[str, Any]:
    """Right fact + cited page within ±1 for answerable questions; refusals for the others."""
    from assistant.services import build_services
    from assistant.types import Filters

    services = build_services(settings)
    rows = []
    for item in questions:
        answer = services.answerer.answer(item["question"], filters=Filters())
        rows.append(_score(item, answer))
    answerable = [r for r in rows if not r["unanswerable"]]
    unanswerable = [r for r in rows if r["unanswerable"]]
    return {
        "answerable": len(answerable),
        "fact_and_page": sum(r["fact"] and r["page"] for r in answerable),
        "fact_and_page_pct": round(
            100 * sum(r["fact"] and r["page"] for r in answerable) / max(len(answerable), 1), 1
        ),
        "fact_only_pct": round(100 * sum(r["fact"] for r in answerable) / max(len(answerable), 1), 1),
        "unanswerable": len(unanswerable),
        "refused_pct": round(100 * sum(r["refused"] for r in unanswerable) / max(len(unanswerable), 1), 1),
        "wrongly_refused": sum(r["refused"] for r in answerable),
        "rows": rows,
    }


def _score(item: dict[str, Any], answer: Any) -> dict[str, Any]:
    text = " ".join(answer.answer.split()).casefold()
    facts = [str(f).casefold() for f in item.get("facts", [])]
    pages = {int(p) for p in item.get("pages", [])}
    cited = [(c.doc_id, _page_number(c.page)) for c in answer.citations]
    page_ok = any(doc == item.get("doc_id") and any(abs(n - p) <= 1 for p in pages) for doc, n in cited if n)
    return {
        "id": item["id"],
        "unanswerable": not facts,
        "refused": answer.refused,
        "fact": any(f in text for f in facts),
        "page": page_ok,
        "cited": cited[:3],
        "answer": answer.answer[:200],
    }


def _page_number(label: str) -> int:
    """First arabic number of a page label ("39", "39–40"); 0 for roman or empty labels."""
    match = re.search(r"\d+", str(label))
    return int(match.group()) if match else 0


def _write(result: RealResult, out: Path) -> Path:
    run_dir = out / (datetime.now(UTC).strftime("%Y%m%d-%H%M%S") + "-real")
    run_dir.mkdir(parents=True, exist_ok=True)
    data = {
        "text": result.text,
        "sections": result.sections,
        "answers": result.answers,
        "throughput": result.throughput,
        "lexical": result.lexical,
    }
    (run_dir / "results.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    (run_dir / "report.md").write_text(render(result), encoding="utf-8")
    return run_dir


def render(result: RealResult) -> str:
    """The Markdown report of one run."""
    t, s, p = result.text, result.sections, result.throughput
    a = result.answers or {
        "fact_and_page": "–",
        "answerable": "–",
        "fact_and_page_pct": "–",
        "fact_only_pct": "–",
        "refused_pct": "–",
        "unanswerable": "–",
        "rows": [],
    }
    lines = [
        "# Real documents (Debian manuals, no manifest)",
        "",
        "| Measure | Value |",
        "|---|---|",
        f"| chunks | {t['chunks']} |",
        f"| glued runs (20+ letters with an inner capital, or 35+) before → after | "
        f"{t['glued_runs_before_pct']} % → {t['glued_runs_after_pct']} % |",
        f"| all runs of 20+ letters (incl. German compounds) before → after | "
        f"{t['runs_20_letters_before_pct']} % → {t['runs_20_letters_after_pct']} % |",
        f"| TOC chunks | {t['toc_chunks']} ({t['toc_chunk_pct']} %) |",
        f"| running head/footer chunks | {t['head_footer_chunks']} ({t['head_footer_chunk_pct']} %) |",
        f"| section label right (hand-labelled sample) | {s['right']}/{s['found']} ({s['accuracy']}) |",
        f"| BM25 top-3 holds fact on page ±1, pypdf text as is → cleaned | "
        f"{result.lexical['before']['pct']} % → {result.lexical['after']['pct']} % |",
        f"| answerable: right fact + page ±1 | {a['fact_and_page']}/{a['answerable']} ({a['fact_and_page_pct']} %) |",
        f"| answerable: right fact (any page) | {a['fact_only_pct']} % |",
        f"| unanswerable refused | {a['refused_pct']} % of {a['unanswerable']} |",
        f"| ingest without embedding (read, clean, chunk) | {p['pages']} pages in {p['seconds']} s = "
        f"{p['pages_per_s']} pages/s |",
        "",
        "## Misses",
        "",
    ]
    lines += [f"- section: `{m['text']}` expected {m['expected']!r}, got {m['got']!r}" for m in s["misses"]]
    lines += [f"- section sample not found: `{m}`" for m in s["not_found"]]
    lines += [
        f"- {r['id']}: fact={r['fact']} page={r['page']} refused={r['refused']} cited={r['cited']} – {r['answer']}"
        for r in a["rows"]
        if (r["unanswerable"] and not r["refused"])
        or (not r["unanswerable"] and not (r["fact"] and r["page"]))
    ]
    return "\n".join(lines) + "\n"
