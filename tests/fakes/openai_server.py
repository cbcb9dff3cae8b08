"""A tiny real OpenAI-compatible HTTP server whose replies a test scripts, for the LLM boundary."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from fakes.obedient import obey_reply


@dataclass
class Script:
    """What the next requests get: reply text, delay, failure mode and stream piece size."""

    reply: str = "Die Charta nennt fünf Handlungsfelder [1]."
    delay_s: float = 0.0  # wait before the status line: makes client read timeouts fire
    status: int = 200  # anything but 200 answers with an OpenAI-style error body
    malformed: bool = False  # a 200 with a body that is not valid JSON (or a broken SSE event)
    piece_chars: int = 5  # characters per streamed delta
    obey: bool = False  # ignore `reply`: do what instructions in the passages/question ask (fakes.obedient)


@dataclass
class FakeOpenAI:
    """Serve POST /v1/chat/completions (plain and `stream: true` SSE) and GET /v1/models on 127.0.0.1.

    Use as a context manager; `requests` records every received JSON body, in order.
    """

    script: Script = field(default_factory=Script)
    model: str = "fake-model"
    requests: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """The OpenAI base URL of the running server (ends in /v1)."""
        if self._server is None:
            raise RuntimeError("FakeOpenAI is not running; use it as a context manager")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def __enter__(self) -> FakeOpenAI:
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)  # port 0: the OS picks a free one
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-openai", daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()  # releases handlers still sleeping in a scripted delay
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def wait(self, seconds: float) -> None:
        """Sleep for a scripted delay, returning early when the server stops."""
        self._stop.wait(seconds)


class _Handler(BaseHTTPRequestHandler):
    """Request handler bound to one FakeOpenAI instance (set as a class attribute)."""

    fake: FakeOpenAI
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""

    def do_GET(self) -> None:
        if self.path.rstrip("/") != "/v1/models":
            self._send_json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})
            return
        self._send_json(200, {"object": "list", "data": [{"id": self.fake.model, "object": "model"}]})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if self.path.rstrip("/") != "/v1/chat/completions":
            self._send_json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})
            return
        body = json.loads(raw or b"{}")
        self.fake.requests.append(body)
        script = self.fake.script
        reply = obey_reply(body.get("messages") or []) if script.obey else script.reply
        if script.delay_s:
            self.fake.wait(script.delay_s)
        try:
            if script.status != 200:
                error = {"message": f"scripted failure {script.status}", "type": "server_error"}
                self._send_json(script.status, {"error": error})
            elif body.get("stream"):
                self._send_stream(script, reply, body.get("model") or self.fake.model)
            elif script.malformed:
                self._send_raw(200, b'{"id": "chatcmpl-fake", "choices": [', "application/json")
            else:
                self._send_json(200, completion(reply, body.get("model") or self.fake.model))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout test); nothing left to answer

    def _send_stream(self, script: Script, reply: str, model: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        if script.malformed:
            self._event(b'{"id": "chatcmpl-fake", "choices": [{"delta": ')
        else:
            for event in stream_chunks(reply, model, script.piece_chars):
                self._event(json.dumps(event).encode())
        self._event(b"[DONE]")
        self.close_connection = True

    def _event(self, data: bytes) -> None:
        self.wfile.write(b"data: " + data + b"\n\n")
        self.wfile.flush()

    def _send_json(self, status: int, payload: dict[str, Any]) -> None:
        self._send_raw(status, json.dumps(payload).encode(), "application/json")

    def _send_raw(self, status: int, data: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def completion(text: str, model: str) -> dict[str, Any]:
    """Build a non-streaming chat.completion body."""
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 10, "completion_tokens": len(text.split()), "total_tokens": 10},
    }


def stream_chunks(text: str, model: str, piece_chars: int) -> list[dict[str, Any]]:
    """Split a reply into chat.completion.chunk events: a role delta, content deltas, a stop chunk."""

    def chunk(delta: dict[str, str], finish: str | None = None) -> dict[str, Any]:
        return {
            "id": "chatcmpl-fake",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }

    pieces = [text[i : i + piece_chars] for i in range(0, len(text), max(piece_chars, 1))]
    return [
        chunk({"role": "assistant", "content": ""}),
        *(chunk({"content": piece}) for piece in pieces),
        chunk({}, "stop"),
    ]
