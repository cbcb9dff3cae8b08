"""Load test: N concurrent clients for T seconds against the full app on loopback.

`python -m evals.bench.load [--clients 100] [--seconds 60] [--store DIR] [--out FILE]`

The server (API + widget + Gradio, product defaults including the rate limits) runs in its own process
so the clients do not share its interpreter. Each client has its own address (X-Forwarded-For from
loopback is trusted, as behind a reverse proxy), so every client gets its own question allowance, and
loops over a mix of questions, searches, stream answers, document lists and health checks. A separate
process polls /api/health every 150 ms (`health_probe`: the figure for the ≤ 100 ms p95 target; the
`health` route figures include the load generator's own scheduling). Reported: status counts (5xx must
be 0) and latency percentiles per route.
Benchmarks measure; nothing here fails a build.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import statistics
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from evals.bench.http_bench import free_port

QUESTIONS = (
    "Was sagt die Charta zu Gießereien?",
    "Welche Unterstützung ist für Zulieferer von Verbrenner-Komponenten vorgesehen?",
    "Was kam beim Zukunftsforum im Vogtland zu Fachkräften heraus?",
    "Was ist die ITAS-Charta?",
    "Wie soll die Region Wasserstoff nutzen?",
)
# One client's loop: mostly questions, as visitors do; health as a load balancer polls it.
MIX = ("chat", "health", "search", "chat", "health", "stream", "documents", "chat", "health", "search")


def _serve(store: str, port: int) -> None:
    """Child process: the product app with default settings over `store`."""
    import uvicorn

    from assistant.services import build_services
    from assistant.settings import Settings
    from ui.server import build_asgi

    settings = Settings(store={"path": Path(store)})  # type: ignore[call-arg]
    settings.api.access_log = False  # the bench would only measure the terminal
    app = build_asgi(build_services(settings))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


async def _request(http: Any, kind: str, n: int) -> int:
    question = QUESTIONS[n % len(QUESTIONS)]
    if kind == "chat":
        return int((await http.post("/api/chat", json={"question": question})).status_code)
    if kind == "stream":
        async with http.stream("POST", "/api/chat/stream", json={"question": question}) as response:
            await response.aread()
            return int(response.status_code)
    if kind == "search":
        return int((await http.get("/api/search", params={"q": question, "k": 5})).status_code)
    path = "/api/health" if kind == "health" else "/api/documents"
    return int((await http.get(path)).status_code)


async def _client(url: str, index: int, until: float, record: dict[str, list[tuple[int, float]]]) -> None:
    import httpx

    headers = {"X-Forwarded-For": f"10.77.{index // 250}.{index % 250 + 1}"}
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=120) as http:
        n = index
        while time.monotonic() < until:
            kind = MIX[n % len(MIX)]
            started = time.perf_counter()
            try:
                status = await _request(http, kind, n)
            except httpx.HTTPError:
                status = 0  # timeout or connection error
            record[kind].append((status, (time.perf_counter() - started) * 1000))
            n += 1


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (statistics.quantiles, inclusive method)."""
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


async def run_load(url: str, clients: int, seconds: float) -> dict[str, Any]:
    """Drive the clients and summarise statuses and latencies per route."""
    record: dict[str, list[tuple[int, float]]] = defaultdict(list)
    until = time.monotonic() + seconds
    await asyncio.gather(*(_client(url, i, until, record) for i in range(clients)))
    routes = {}
    for kind, samples in sorted(record.items()):
        latencies = [ms for _, ms in samples]
        routes[kind] = {
            "requests": len(samples),
            "statuses": dict(Counter(str(status) for status, _ in samples)),
            "p50_ms": round(percentile(latencies, 50), 1),
            "p95_ms": round(percentile(latencies, 95), 1),
            "max_ms": round(max(latencies), 1),
        }
    statuses = Counter(status for samples in record.values() for status, _ in samples)
    return {
        "clients": clients,
        "seconds": seconds,
        "requests": sum(statuses.values()),
        "server_errors_5xx": sum(n for status, n in statuses.items() if status >= 500),
        "client_errors_timeouts": statuses.get(0, 0),
        "health_p95_ms": routes.get("health", {}).get("p95_ms"),
        "routes": routes,
    }


def _probe_health(url: str, seconds: float, out: Any) -> None:
    """Child process: one /api/health request every 150 ms from its own address, as a load balancer polls.

    It runs in its own interpreter so the load generator's own scheduling does not count as server time.
    """
    import httpx

    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    until = time.monotonic() + seconds
    with httpx.Client(base_url=url, timeout=30) as http:
        while time.monotonic() < until:
            started = time.perf_counter()
            try:
                statuses[http.get("/api/health").status_code] += 1
            except httpx.HTTPError:
                statuses[0] += 1
            latencies.append((time.perf_counter() - started) * 1000)
            time.sleep(0.15)  # 400 a minute: under the requests allowance (600), as a balancer polls
    out.put({"latencies": latencies, "statuses": dict(statuses)})


def _wait_ready(url: str, proc: mp.process.BaseProcess, timeout_s: float = 300) -> None:
    import httpx

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if not proc.is_alive():
            raise RuntimeError("the server process exited before it answered")
        try:
            if httpx.get(f"{url}/api/health", timeout=2).json().get("status") == "ok":
                return
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not become ready")


def main(argv: list[str] | None = None) -> int:
    """Ingest the corpus if the store has no index, serve it, load it, print the summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--store", type=Path, default=Path("data/bench-load"))
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--out", type=Path, help="also write the summary as JSON here")
    args = parser.parse_args(argv)

    from assistant.index import StoreLayout, read_state
    from assistant.settings import Settings
    from ingest.pipeline import run_ingest

    if read_state(StoreLayout(args.store)) is None:
        run_ingest(Settings(store={"path": args.store}), args.corpus)  # type: ignore[call-arg]
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = mp.get_context("spawn").Process(target=_serve, args=(str(args.store), port), daemon=True)
    proc.start()
    try:
        _wait_ready(url, proc)
        results: Any = mp.get_context("spawn").Queue()
        prober = mp.get_context("spawn").Process(target=_probe_health, args=(url, args.seconds, results))
        prober.start()
        summary = asyncio.run(run_load(url, args.clients, args.seconds))
        probe = results.get(timeout=60)
        prober.join(timeout=10)
        summary["health_probe"] = {
            "requests": len(probe["latencies"]),
            "statuses": probe["statuses"],
            "p50_ms": round(percentile(probe["latencies"], 50), 1),
            "p95_ms": round(percentile(probe["latencies"], 95), 1),
            "max_ms": round(max(probe["latencies"]), 1),
        }
    finally:
        proc.terminate()
        proc.join(timeout=10)
    text = json.dumps(summary, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
