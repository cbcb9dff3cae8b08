"""A model server that dies mid-test is reported with its signal and log tail, not as a bare connection error.

Runs in the default suite: the "model server" is a tiny Python HTTP server that answers GET /v1/models and
kills itself with SIGILL on the first completion, as a llama.cpp built for another CPU does (issue 13).
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from assistant.backends.openai_chat import OpenAICompatibleChat
from assistant.errors import BackendUnavailable
from assistant.settings import LLMSettings

from helpers.servers import ServerDied, exit_reason, free_port, logged_server

CRASHING_SERVER = textwrap.dedent(
    """
    import json, os, resource, signal, sys
    from http.server import BaseHTTPRequestHandler, HTTPServer

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            body = json.dumps({"object": "list", "data": [{"id": "m", "object": "model"}]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            print("llama_perf_context_print: load time = 12.34 ms", flush=True)
            print("about to run the first matmul", flush=True)
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core file in the test folder
            os.kill(os.getpid(), signal.SIGILL)

    print("server listening", flush=True)
    HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
    """
)


def test_a_server_killed_by_sigill_fails_the_test_with_signal_and_log(tmp_path: Path) -> None:
    script = tmp_path / "crashing_server.py"
    script.write_text(CRASHING_SERVER, encoding="utf-8")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}/v1"
    command = [sys.executable, str(script), str(port)]
    with logged_server("llama server", command, tmp_path / "server.log", cwd=tmp_path) as server:
        server.wait_http(f"{base_url}/models", timeout_s=30)
        chat = OpenAICompatibleChat(LLMSettings(base_url=base_url, model="m", timeout_s=30.0))

        with pytest.raises(ServerDied) as died, server.explain_failures():
            chat.complete([("user", "Welche Handlungsfelder nennt die Charta?")])

    message = str(died.value)
    assert message.startswith("llama server died with SIGILL; last log lines:\n")
    assert "about to run the first matmul" in message
    assert "server listening" in message
    assert "(the client saw: BackendUnavailable:" in message
    assert isinstance(died.value.__cause__, BackendUnavailable)


def test_a_server_that_exits_during_start_up_fails_with_its_exit_code_and_log(tmp_path: Path) -> None:
    code = "import sys; print('error: model file not found'); sys.exit(3)"
    command = [sys.executable, "-c", code]
    log = tmp_path / "server.log"
    with logged_server("llama server", command, log) as server, pytest.raises(ServerDied) as died:
        server.wait_http(f"http://127.0.0.1:{free_port()}/v1/models", timeout_s=30)

    assert (
        str(died.value) == "llama server died with exit code 3; last log lines:\nerror: model file not found"
    )


def test_an_error_from_a_living_server_is_left_as_it_is(tmp_path: Path) -> None:
    command = [sys.executable, "-c", "import time; time.sleep(60)"]
    with logged_server("llama server", command, tmp_path / "server.log") as server:
        with pytest.raises(BackendUnavailable, match="not reachable"), server.explain_failures(wait_s=0.1):
            raise BackendUnavailable("LLM endpoint not reachable")
        assert server.proc.poll() is None


@pytest.mark.parametrize(
    ("returncode", "reason"),
    [(-4, "SIGILL"), (-11, "SIGSEGV"), (-9, "SIGKILL"), (1, "exit code 1"), (0, "exit code 0")],
)
def test_exit_reason_names_the_signal(returncode: int, reason: str) -> None:
    assert exit_reason(returncode) == reason
