"""A privacy-minded access log: method, path, status and time; no query string, no client address.

Replaces uvicorn's access log (which records both): `/api/search?q=…` carries the visitor's question
and the address identifies the visitor. Operators who need either switch it on in the settings.
"""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("itas.access")


class AccessLogMiddleware:
    """Log one line per HTTP request after it finished."""

    def __init__(self, app: ASGIApp, *, client_ip: bool = False, query: bool = False) -> None:
        self.app = app
        self.client_ip = client_ip
        self.query = query

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            log.info("%s", self.line(scope, status, (time.perf_counter() - started) * 1000))

    def line(self, scope: Scope, status: int, elapsed_ms: float) -> str:
        """The log line of one request."""
        target = scope.get("path", "")
        query = scope.get("query_string", b"")
        if self.query and query:
            target += "?" + query.decode("latin-1")
        client = scope.get("client")
        who = f"{client[0]} " if self.client_ip and client else ""
        return f'{who}"{scope.get("method", "")} {target}" {status} {elapsed_ms:.0f}ms'


def uvicorn_log_config() -> dict[str, object]:
    """uvicorn's logging setup plus our access logger on its console handler (theirs stays off)."""
    import copy

    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["handlers"]["itas_access"] = {  # type: ignore[index]
        "formatter": "default",
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stdout",
    }
    config["loggers"]["itas.access"] = {"handlers": ["itas_access"], "level": "INFO", "propagate": False}  # type: ignore[index]
    return config
