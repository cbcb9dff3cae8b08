"""One ingest at a time per store: an exclusive `flock` on the store's lock file."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from assistant.errors import IngestLocked


@contextmanager
def ingest_lock(path: Path, wait_s: float = 0.0) -> Iterator[None]:
    """Hold the store lock; wait up to `wait_s` seconds, then refuse with IngestLocked."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait_s
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IngestLocked(
                        f"another ingest is running on {path.parent} (lock {path.name}); "
                        "wait for it to finish or set ITAS_INGEST__LOCK_WAIT_S to wait"
                    ) from None
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
