"""Latency of the three views' API routes (version comparison, districts, sector check).

Measured in-process through the ASGI app (Starlette's TestClient), after one warm-up call per route
and argument, which builds the per-generation precomputation (sections, alignment, links, sector
passages); the p95 is of the calls after that. The target: p95 ≤ 300 ms on the ≈10k-chunk corpus.
"""

from __future__ import annotations

from typing import Any

from evals.bench.core import BenchConfig, BenchResult, Row, summary, timed

TOPICS = ("Fachkräfte", "Wasserstoff", "Kunststofftechnik", "Kreislaufwirtschaft", "Batteriezellfertigung")
CODES = ("22", "24", "13", "52", "62", "29", "C")
DESCRIPTIONS = (
    "Wir sind ein Spritzgießer.",
    "Wir machen Kabelbäume für Nutzfahrzeuge.",
    "Unsere Spedition fährt für ein Autowerk.",
    "Wir fräsen und drehen Präzisionsteile.",
)
TARGET_MS = 300.0


def _requests(client: Any) -> dict[str, list[tuple[str, str, Any]]]:
    districts = [d["id"] for d in client.get("/api/districts").json()]
    return {
        "GET /api/compare": [("get", "/api/compare", {"topic": t}) for t in TOPICS],
        "GET /api/districts/{id}": [("get", f"/api/districts/{d}", None) for d in districts],
        "GET /api/sectors/{code}": [("get", f"/api/sectors/{c}", None) for c in CODES],
        "POST /api/sectors/match": [("post", "/api/sectors/match", {"text": t}) for t in DESCRIPTIONS],
    }


def _call(client: Any, method: str, path: str, arg: Any) -> Any:
    if method == "get":
        return client.get(path, params=arg) if arg else client.get(path)
    return client.post(path, json=arg)


def bench_views(label: str, services: Any, cfg: BenchConfig, result: BenchResult) -> None:
    """p50/p95 per view route; every request must answer 200."""
    from fastapi.testclient import TestClient

    from assistant.api.app import create_app

    client = TestClient(create_app(services))
    rounds = 2 if cfg.quick else 6
    details: dict[str, Any] = {}
    for route, calls in _requests(client).items():
        warm = [timed(_call, client, *c)[0] for c in calls]  # first call per argument: precomputation
        samples = []
        for _ in range(rounds):
            for c in calls:
                ms, response = timed(_call, client, *c)
                if response.status_code != 200:
                    raise RuntimeError(
                        f"{route} {c[1]} answered {response.status_code}: {response.text[:200]}"
                    )
                samples.append(ms)
        stats = summary(samples)
        details[route] = {"stats": stats, "first_call_ms": summary(warm)}
        met = stats["p95"] <= TARGET_MS if label == "scaled" else None
        result.rows.append(
            Row(
                "views",
                f"{route} ({label})",
                "ms",
                stats["median"],
                stats["p95"],
                target="p95 ≤ 300 ms",
                met=met,
            )
        )
    result.details.setdefault("views", {})[label] = details
