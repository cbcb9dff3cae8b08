"""Run one parse task in a short-lived child under time, memory and output limits.

Hostile files make parsers loop, recurse or inflate data to gigabytes (PDF streams, zip members,
deeply nested HTML and XML, one-line text files of 50 MB). Every loader therefore runs in a child
forked from a forkserver that has the parsers preloaded: a fork costs milliseconds, and a fresh
child per file means memory fragmentation never accumulates under the limit. The child's address
space is capped with RLIMIT_AS, the parent kills it at the wall-clock limit, and the text it sends
back is capped in characters before it crosses the pipe.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Literal, TypeVar

from assistant.errors import IngestError

T = TypeVar("T")
LimitKind = Literal["timeout", "memory", "output", "crash"]
_STARTUP_GRACE_S = 30.0  # the first call also starts the forkserver (imports the parsers once)
# Imported once in the forkserver, so each forked child starts with the parsers ready.
_PRELOAD = ["pypdf", "pdfplumber", "docx", "lxml.etree", "bs4", "ingest.loaders"]


@dataclass(frozen=True)
class Limits:
    """What one task may use: wall-clock seconds, address space and characters of returned text."""

    timeout_s: float
    memory_mb: int
    max_chars: int


@dataclass(frozen=True)
class Usage:
    """What one task used; peak RSS is None when the child died before it could report."""

    seconds: float
    peak_rss_mb: float | None


class TaskFailed(Exception):
    """Raised by a task in the child for a failure it understands; re-raised in the parent.

    `status` is the short German text for the ingest report; `usage` is set by the parent.
    """

    def __init__(self, status: str, detail: str = "") -> None:
        super().__init__(status, detail)
        self.status = status
        self.detail = detail
        self.usage: Usage | None = None


class LimitExceeded(Exception):
    """The child hit a limit (time, memory, output size) or died unexpectedly (`kind`)."""

    def __init__(self, kind: LimitKind, detail: str, usage: Usage) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind: LimitKind = kind
        self.detail = detail
        self.usage = usage


def run_bounded(task: Callable[[], T], limits: Limits) -> tuple[T, Usage]:
    """Run `task` (picklable, e.g. a functools.partial of a module-level function) in a child.

    Raises:
        TaskFailed: the task raised it in the child.
        LimitExceeded: over the time, memory or output limit, or the child crashed.
    """
    ctx = _context()
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(sender, task, limits), daemon=True)
    started = time.perf_counter()
    process.start()
    sender.close()
    peak: float | None = None
    try:
        _await_ready(receiver)
        if not receiver.poll(limits.timeout_s):
            peak = _peak_rss_mb(process.pid)
            raise LimitExceeded("timeout", f"> {limits.timeout_s} s", Usage(_since(started), peak))
        message = receiver.recv()
    except EOFError as exc:
        # The child died without a word: under RLIMIT_AS that is an allocation failure in C code.
        process.join(1.0)
        detail = f"worker died (exit code {process.exitcode})"
        raise LimitExceeded("memory", detail, Usage(_since(started), None)) from exc
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receiver.close()
    return _unpack(message, Usage(_since(started), message[2]))


def _unpack(message: tuple[str, Any, float], usage: Usage) -> Any:
    kind, payload, _ = message
    if kind == "ok":
        return payload, usage
    if kind == "failed":
        failure = TaskFailed(*payload)
        failure.usage = usage
        raise failure
    raise LimitExceeded(kind, str(payload), usage)  # type: ignore[arg-type]


def _since(started: float) -> float:
    return time.perf_counter() - started


def _peak_rss_mb(pid: int | None) -> float | None:
    """Peak resident memory of a still-running process (Linux /proc), before it is killed."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        return None
    return None


def _await_ready(receiver: Connection) -> None:
    """Wait for the child's "ready"; a child that cannot even start is a setup problem, not the file's."""
    try:
        ready = receiver.poll(_STARTUP_GRACE_S) and receiver.recv() == "ready"
    except EOFError:
        ready = False
    if not ready:
        raise IngestError(
            "The ingest worker process did not start; run ingest from an importable script "
            "(multiprocessing re-imports the main module in the worker)."
        )


def _context() -> Any:
    if sys.platform.startswith("linux") or sys.platform == "darwin":
        ctx = multiprocessing.get_context("forkserver")
        # Replaces the default ["__main__"] preload, which would re-import the caller's script.
        ctx.set_forkserver_preload(_PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


def _child(conn: Connection, task: Callable[[], Any], limits: Limits) -> None:
    """Child entry point: limit memory, run the task, send (kind, payload, peak RSS in MB)."""
    conn.send("ready")
    _limit_memory(limits.memory_mb)
    result: tuple[str, Any]
    try:
        value = task()
        size = text_size(value)
        result = ("ok", value) if size <= limits.max_chars else ("output", f"{size} > {limits.max_chars}")
    except TaskFailed as failure:
        result = ("failed", (failure.status, failure.detail))
    except MemoryError:
        result = ("memory", "MemoryError")
    except RecursionError:
        result = ("crash", "RecursionError: nesting too deep")
    except Exception as exc:
        result = ("crash", f"{type(exc).__name__}: {exc}"[:500])
    try:
        conn.send((*result, _own_peak_rss_mb()))
    except MemoryError:
        conn.send(("memory", "result too large", None))
    conn.close()


def text_size(value: Any) -> int:
    """Characters of text in a result: strings inside lists, tuples, dicts and dataclasses."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, (list, tuple)):
        return sum(text_size(item) for item in value)
    if isinstance(value, dict):
        return sum(text_size(k) + text_size(v) for k, v in value.items())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return sum(text_size(getattr(value, f.name)) for f in dataclasses.fields(value))
    return 0


def _limit_memory(memory_mb: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: no RLIMIT_AS; the wall-clock limit still applies
        return
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _own_peak_rss_mb() -> float | None:
    try:
        import resource
    except ImportError:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux
