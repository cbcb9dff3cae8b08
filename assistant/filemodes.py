"""Keep the store private: directory 0700, files 0600 (it holds every document's text and the index).

Applied around each ingest, so an existing store is tightened on its next run too. Chroma, bm25s and
SQLite create their files with the process umask; re-applying the modes after the run covers them,
and the 0700 directory keeps other users out of everything inside it in the meantime.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def restrict_tree(root: Path) -> None:
    """Create root if needed; set 0700 on it and every folder below, 0600 on every file (no symlinks)."""
    root.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    os.chmod(root, DIR_MODE)
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            _chmod(Path(folder) / name, DIR_MODE)
        for name in files:
            _chmod(Path(folder) / name, FILE_MODE)


def _chmod(path: Path, mode: int) -> None:
    try:
        info = path.lstat()
        if not stat.S_ISLNK(info.st_mode) and stat.S_IMODE(info.st_mode) != mode:
            os.chmod(path, mode)
    except FileNotFoundError:
        pass  # removed meanwhile (an old generation, a SQLite journal)


@contextmanager
def private_store(root: Path) -> Iterator[None]:
    """Restrict the store before and after the block (see the module docstring)."""
    restrict_tree(root)
    try:
        yield
    finally:
        restrict_tree(root)
