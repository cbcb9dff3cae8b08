"""Per-client rate limits on the `limits` library (moving window, in memory, one process).

Two buckets share one client identity (the address uvicorn resolved, honouring only trusted proxies):
`questions` for every route that costs CPU (answers, search, every Gradio call) and `requests` for
everything else. The moving window counts the last 60 s exactly, so bursts at a window edge cannot
double the allowance (a fixed window would).
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter


class RateLimiter:
    """Allow `per_minute` events per client key and bucket; 0 means unlimited."""

    def __init__(self, per_minute: int, bucket: str = "questions") -> None:
        self._item = RateLimitItemPerMinute(per_minute) if per_minute > 0 else None
        self._bucket = bucket
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    @property
    def per_minute(self) -> int:
        """The allowance per minute (0 = unlimited)."""
        return self._item.amount if self._item else 0

    def check(self, key: str) -> int:
        """Record an event; return 0 if allowed, else the whole seconds to wait (≥ 1)."""
        if self._item is None:
            return 0
        if self._limiter.hit(self._item, self._bucket, key):
            return 0
        reset = self._limiter.get_window_stats(self._item, self._bucket, key).reset_time
        return max(1, math.ceil(reset - time.time()))
