"""HTTP throughput: concurrent clients (in a child process) against a real uvicorn server."""

from __future__ import annotations

import queue
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from evals.bench.core import BenchConfig, BenchResult, Row, summary


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """Run the ASGI app with uvicorn on a loopback port in a thread; yield its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _drain(http: Any, todo: queue.Queue[str], latencies: list[float], statuses: list[int]) -> None:
    """POST questions from `todo` until it is empty, recording latency (ms) and status of each."""
    while True:
        try:
            question = todo.get_nowait()
        except queue.Empty:
            return
        started = time.perf_counter()
        status = http.post("/api/chat", json={"question": question}).status_code
        latencies.append((time.perf_counter() - started) * 1000)
        statuses.append(status)


def load_http(url: str, questions: Sequence[str], total: int, clients: int) -> dict[str, Any]:
    """POST `total` questions to /api/chat from `clients` threads; runs in its own process."""
    import httpx

    todo: queue.Queue[str] = queue.Queue()
    for i in range(total):
        todo.put(questions[i % len(questions)])
    latencies: list[float] = []
    statuses: list[int] = []
    barrier = threading.Barrier(clients + 1)

    def client() -> None:
        with httpx.Client(base_url=url, timeout=120) as http:
            http.post("/api/chat", json={"question": questions[0]})  # connect before the clock runs
            barrier.wait()
            _drain(http, todo, latencies, statuses)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    return {
        "wall_s": wall,
        "ok": statuses.count(200),
        "errors": len(statuses) - statuses.count(200),
        "latency_ms": summary(latencies),
    }


def bench_http(label: str, services: Any, cfg: BenchConfig, result: BenchResult) -> None:
    """Answers/s with concurrent HTTP clients against a real uvicorn server (clients in a child process)."""
    import multiprocessing

    from assistant.api.app import create_app

    total, clients = cfg.http
    with serve(create_app(services)) as url, multiprocessing.get_context("spawn").Pool(1) as pool:
        load = pool.apply(load_http, (url, list(cfg.questions), total, clients))
    rate = load["ok"] / load["wall_s"]
    result.details.setdefault("http", {})[label] = load
    sec = f"HTTP ({label}, {clients} clients, {total} requests)"
    lat = load["latency_ms"]
    ok = rate >= 50 and not load["errors"]
    result.rows.extend(
        [
            Row(sec, f"answers/s ({load['errors']} errors)", "1/s", rate, target="≥ 50/s", met=ok),
            Row(sec, "request latency under load", "ms", lat.get("median"), lat.get("p95")),
        ]
    )
