"""Wire once: build every service from the settings; surfaces take the frozen result."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.answering import AnswerService
from assistant.factory import build_chat_model, build_embedder
from assistant.protocols import ChatModel, Embedder
from assistant.retrieval import HybridRetriever, Mode
from assistant.settings import Settings
from assistant.snapshot import IndexHandle


@dataclass(frozen=True)
class Services:
    """Everything the API, CLI, UI and evals use."""

    settings: Settings
    embedder: Embedder
    index: IndexHandle
    retriever: HybridRetriever
    answerer: AnswerService
    chat: ChatModel | None

    def with_mode(self, mode: Mode, *, use_llm: bool = True) -> AnswerService:
        """An answer service over the same index with another retrieval mode (for evals)."""
        retriever = HybridRetriever(self.index, self.embedder, self.settings.retrieval, mode=mode)
        return AnswerService(retriever, self.chat if use_llm else None, self.settings.retrieval)


def build_services(settings: Settings, *, embedder: Embedder | None = None) -> Services:
    """Build the services; the index itself is loaded lazily on first use and reloaded after ingests."""
    embedder = embedder or build_embedder(settings.embedder, for_queries=True)
    index = IndexHandle(settings.store.path, settings.store, embedder)
    retriever = HybridRetriever(index, embedder, settings.retrieval)
    chat = build_chat_model(settings.llm)
    answerer = AnswerService(retriever, chat, settings.retrieval)
    return Services(settings, embedder, index, retriever, answerer, chat)
