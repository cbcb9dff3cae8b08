"""API routes: validate → call a service → map the result."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Annotated, Any

import anyio
import anyio.to_thread
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, StreamingResponse

from assistant import strings
from assistant.answering import Question
from assistant.api.schemas import ChatRequest, ChatResponse, DocumentOut, Passage
from assistant.citations import document_url
from assistant.errors import AssistantError, RequestError
from assistant.services import Services
from assistant.types import DocumentMeta, Filters
from assistant.urls import web_url

router = APIRouter(prefix="/api")
_DOC_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,120}$")


def services(request: Request) -> Services:
    """The app's services."""
    return request.app.state.services  # type: ignore[no-any-return]


async def _services(request: Request) -> Services:
    # async: FastAPI runs sync dependencies in the default thread pool, a hop /api/health must not take
    return services(request)


Svc = Annotated[Services, Depends(_services)]


def _limiter(request: Request, name: str, tokens: int) -> anyio.CapacityLimiter:
    """A worker pool of the app (created on first use; an app runs in one event loop)."""
    limiter = getattr(request.app.state, name, None)
    if limiter is None:
        limiter = anyio.CapacityLimiter(tokens)
        setattr(request.app.state, name, limiter)
    return limiter  # type: ignore[no-any-return]


async def _answer_limiter(request: Request) -> anyio.CapacityLimiter:
    """The pool for answers and searches, separate from the default pool (see `answer_workers`)."""
    return _limiter(request, "answer_limiter", services(request).settings.api.answer_workers)


async def _health_limiter(request: Request) -> anyio.CapacityLimiter:
    """Two threads of its own for /api/health: it never queues behind answers."""
    return _limiter(request, "health_limiter", 2)


Workers = Annotated[anyio.CapacityLimiter, Depends(_answer_limiter)]


def to_question(body: ChatRequest, svc: Services) -> Question:
    """Validate a chat request against the limits and the index; public documents only."""
    api = svc.settings.api
    text = body.question.strip()
    if not text:
        raise RequestError(strings.EMPTY_QUESTION)
    if len(text) > api.max_question_chars:
        raise RequestError(strings.QUESTION_TOO_LONG.format(limit=api.max_question_chars))
    if len(body.history) > api.max_history_turns:
        raise RequestError(strings.TOO_MANY_TURNS.format(limit=api.max_history_turns))
    known = svc.retriever.snapshot().known_versions
    for version in body.filters.versions or []:
        if version not in known:
            raise RequestError(strings.UNKNOWN_VERSION.format(value=version, valid=", ".join(known)))
    history: list[tuple[str, str]] = [(str(t.role), t.content) for t in body.history]
    return Question(text, history, body.filters.to_filters(internal=False), body.filters.current_only)


@router.post("/chat", response_model=ChatResponse)
async def chat(body: ChatRequest, svc: Svc, workers: Workers) -> dict[str, Any]:
    """Answer a German question with numbered citations.

    Filters named in the question ("in der Charta 2.0", "beim Forum im Erzgebirge", "2024") are
    applied automatically; `filters` in the body take precedence. Without a matching passage the
    answer is a refusal (`refused: true`) with related documents where there are any.
    """
    question = to_question(body, svc)
    answer = await anyio.to_thread.run_sync(svc.answerer.answer, question, limiter=workers)
    return answer.to_dict()


def _sse(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


@router.post("/chat/stream")
async def chat_stream(body: ChatRequest, svc: Svc, workers: Workers) -> StreamingResponse:
    """Answer as Server-Sent Events: `delta` events with answer text, one `citations` event, then `done`.

    `done` carries the complete response (the same shape as `/api/chat`). On failure an `error`
    event with a German message is sent instead.
    """
    question = to_question(body, svc)

    def events() -> Iterator[str]:
        try:
            for event, data in svc.answerer.stream(question):
                yield _sse(event, {"text": data} if event == "delta" else data)
        except AssistantError:
            yield _sse("error", {"detail": strings.STREAM_FAILED})

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(_in_workers(events(), workers), media_type="text/event-stream", headers=headers)


async def _in_workers(events: Iterator[str], workers: anyio.CapacityLimiter) -> AsyncIterator[str]:
    """Step a blocking event iterator in the answer pool, so streams queue like plain answers."""
    done = object()
    while (event := await anyio.to_thread.run_sync(next, events, done, limiter=workers)) is not done:
        yield event  # type: ignore[misc]


@router.get("/search", response_model=list[Passage])
async def search(
    svc: Svc, workers: Workers, q: Annotated[str, Query(min_length=1, max_length=2000)], k: int = 5
) -> list[dict[str, Any]]:
    """Return the best-matching public passages (no answer); `k` is capped by the server."""
    k = max(1, min(k, svc.settings.api.max_search_k))
    hits = await anyio.to_thread.run_sync(svc.retriever.retrieve, q, k, Filters(), limiter=workers)
    return [
        {
            "rank": rank,
            "score": round(hit.score, 4),
            "doc_id": hit.chunk.doc_id,
            "title": hit.chunk.meta.title,
            "doc_type": hit.chunk.meta.doc_type,
            "version": hit.chunk.meta.version,
            "district": hit.chunk.meta.district,
            "date": hit.chunk.meta.date,
            "page": hit.chunk.page_label,
            "section": hit.chunk.section_title,
            "text": hit.chunk.text,
            "url": document_url(hit.chunk.doc_id, hit.chunk.page_index),
        }
        for rank, hit in enumerate(hits, start=1)
    ]


def _public_documents(svc: Services) -> dict[str, DocumentMeta]:
    docs = svc.retriever.snapshot().documents
    return {doc_id: meta for doc_id, meta in docs.items() if meta.audience == "public"}


@router.get("/documents", response_model=list[DocumentOut])
def documents(svc: Svc) -> list[dict[str, Any]]:
    """List the public documents of the corpus with their metadata."""
    return [
        {
            "doc_id": m.doc_id,
            "title": m.title,
            "doc_type": m.doc_type,
            "version": m.version,
            "district": m.district,
            "date": m.date,
            "sample": m.sample,
            "url": f"/api/documents/{m.doc_id}/file",
            "source_url": web_url(m.url),
        }
        for m in sorted(_public_documents(svc).values(), key=lambda m: (m.doc_type, m.date or "", m.doc_id))
    ]


@router.get("/documents/{doc_id}/file", response_class=FileResponse)
def document_file(doc_id: str, svc: Svc) -> FileResponse:
    """Return the original file of a public document (by its id from `/api/documents`)."""
    from fastapi import HTTPException

    meta = _public_documents(svc).get(doc_id) if _DOC_ID.match(doc_id) else None
    root = Path(svc.retriever.snapshot().state.corpus_root).resolve()
    path = (root / meta.path).resolve() if meta else None
    if meta is None or path is None or not path.is_relative_to(root) or not path.is_file():
        raise HTTPException(404, strings.DOCUMENT_NOT_FOUND)
    return FileResponse(path, filename=path.name, content_disposition_type="inline")


@router.get("/health")
async def health(
    svc: Svc, pool: Annotated[anyio.CapacityLimiter, Depends(_health_limiter)]
) -> dict[str, Any]:
    """Tell whether the service is up and an index is loaded (answers at once, even under load)."""
    try:
        # Usually one stat(); after an ingest it loads the new generation, which must not block the loop.
        snap = await anyio.to_thread.run_sync(svc.retriever.snapshot, limiter=pool)
    except AssistantError:
        return {"status": "starting", "index": None}
    return {
        "status": "ok",
        "index": {
            "generation": snap.state.generation,
            "documents": len(snap.documents),
            "chunks": len(snap.chunks),
        },
        "mode": "llm" if svc.chat is not None else "extractive",
        "sample_corpus": any(m.sample for m in snap.documents.values()),
    }
