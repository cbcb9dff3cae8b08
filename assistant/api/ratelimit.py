"""A per-client sliding-window rate limit for the question endpoints."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque


class RateLimiter:
    """Allow `limit` events per `window_s` seconds per client key."""

    def __init__(self, limit: int, window_s: float = 60.0) -> None:
        self._limit = limit
        self._window = window_s
        self._events: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def check(self, key: str) -> int:
        """Record an event; return 0 if allowed, else the seconds to wait."""
        if self._limit <= 0:
            return 0
        now = time.monotonic()
        with self._lock:
            events = self._events[key]
            while events and now - events[0] >= self._window:
                events.popleft()
            if len(events) >= self._limit:
                return max(1, int(self._window - (now - events[0])) + 1)
            events.append(now)
            return 0
