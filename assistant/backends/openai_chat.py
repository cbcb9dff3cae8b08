"""Chat model over any OpenAI-compatible endpoint (Ollama, llama.cpp server, vLLM, OpenAI) via LangChain."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from assistant.errors import BackendUnavailable, LLMTimeout
from assistant.settings import LLMSettings

ROLES = ("system", "user", "assistant")


class OpenAICompatibleChat:
    """ChatModel that sends (role, text) messages to POST {base_url}/chat/completions."""

    def __init__(self, settings: LLMSettings) -> None:
        try:
            from langchain_openai import ChatOpenAI
            from pydantic import SecretStr
        except ImportError as exc:
            raise BackendUnavailable(
                "langchain-openai is not installed; install the project with `pip install -e .`"
            ) from exc
        self.settings = settings
        self._chat = ChatOpenAI(
            model=settings.model,
            base_url=settings.base_url,
            api_key=SecretStr(settings.api_key or "not-needed"),  # the SDK refuses an empty key
            timeout=settings.timeout_s,
            # No retries: a retry doubles the wait before the caller can fall back to extractive answers.
            max_retries=0,
            temperature=settings.temperature,
            # Local endpoints speak Chat Completions only; never let a model name switch to the Responses API.
            use_responses_api=False,
            stream_usage=False,
            # LangChain renames max_tokens to `max_completion_tokens`, which llama.cpp and older Ollama ignore;
            # `max_tokens` is what every OpenAI-compatible server reads, so send it as-is.
            extra_body={"max_tokens": settings.max_tokens},
        )

    def complete(self, messages: list[tuple[str, str]]) -> str:
        """Return the whole reply.

        Raises:
            LLMTimeout: the endpoint did not answer within `timeout_s`.
            BackendUnavailable: the endpoint is unreachable, failed, or sent an unusable reply.
        """
        lc_messages = to_langchain(messages)
        try:
            reply = self._chat.invoke(lc_messages)
        except Exception as exc:
            raise self._wrap(exc) from exc
        return reply.text

    def stream(self, messages: list[tuple[str, str]]) -> Iterator[str]:
        """Yield the reply in pieces as the endpoint sends them.

        Raises:
            LLMTimeout: the endpoint stalled longer than `timeout_s` (before or between pieces).
            BackendUnavailable: the endpoint is unreachable, failed, or sent an unusable stream.
        """
        lc_messages = to_langchain(messages)
        try:
            for chunk in self._chat.stream(lc_messages):
                piece = chunk.text
                if piece:
                    yield piece
        except GeneratorExit:
            raise
        except Exception as exc:
            raise self._wrap(exc) from exc

    def _wrap(self, exc: Exception) -> BackendUnavailable:
        """Translate a library, network or protocol error into the project's error hierarchy."""
        import httpx
        import openai

        where = f"LLM endpoint {self.settings.base_url} (model {self.settings.model!r})"
        if isinstance(exc, openai.APITimeoutError | httpx.TimeoutException):
            return LLMTimeout(
                f"{where} did not answer within {self.settings.timeout_s:g} s; "
                "check that the server is up and not overloaded, or raise ITAS_LLM__TIMEOUT_S"
            )
        if isinstance(exc, openai.APIStatusError):
            return BackendUnavailable(
                f"{where} answered HTTP {exc.status_code}: {_short(exc.message)}; "
                "check ITAS_LLM__MODEL and the server log"
            )
        if isinstance(exc, openai.APIConnectionError | httpx.TransportError):
            return BackendUnavailable(
                f"{where} is not reachable ({_short(str(exc))}); "
                "check ITAS_LLM__BASE_URL and that the server is running"
            )
        return BackendUnavailable(
            f"{where} sent a reply that is not valid OpenAI chat JSON "
            f"({type(exc).__name__}: {_short(str(exc))}); check that ITAS_LLM__BASE_URL points to an "
            "OpenAI-compatible /v1 endpoint"
        )


def to_langchain(messages: list[tuple[str, str]]) -> list[Any]:
    """Convert (role, text) pairs into LangChain message objects.

    Raises:
        ValueError: a role other than system, user or assistant.
    """
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

    kinds = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}
    converted: list[Any] = []
    for role, text in messages:
        kind = kinds.get(role)
        if kind is None:
            raise ValueError(f"Unknown chat role {role!r}; valid: {', '.join(ROLES)}")
        converted.append(kind(content=text))
    return converted


def _short(text: str, limit: int = 200) -> str:
    """Cut a library message to one readable line."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
