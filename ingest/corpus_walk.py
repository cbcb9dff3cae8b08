"""Find the corpus files: real, readable files inside the corpus root and nothing else.

The corpus is public: whatever is indexed can be quoted to any visitor. So the walk never leaves the
corpus root. A symbolic link is followed only when its target resolves inside the root (files and
folders alike; a folder reached twice is walked once). A regular file with more hard links than
names inside the walked folder has a name outside it: its content belongs to some other place
(`/etc/passwd` linked in by a careless copy), so it is refused too. FIFOs, sockets and device
files are never opened (reading a FIFO blocks forever, /dev/zero never ends). Every refusal is
reported per file with a German reason.
"""

from __future__ import annotations

import os
import stat
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

# German reasons, shown in the ingest report.
LINK_OUTSIDE = "Verknüpfung zeigt aus dem Korpus heraus – nicht gelesen"
LINK_BROKEN = "Verknüpfung ohne Ziel – nicht gelesen"
HARDLINK_OUTSIDE = "harte Verknüpfung auf eine Datei außerhalb des Korpus – nicht gelesen"
NOT_READABLE = "Datei nicht lesbar (keine Leserechte)"
FOLDER_NOT_READABLE = "Ordner nicht lesbar (keine Leserechte)"
_SPECIAL = {
    stat.S_IFIFO: "keine reguläre Datei (FIFO) – nicht gelesen",
    stat.S_IFSOCK: "keine reguläre Datei (Socket) – nicht gelesen",
    stat.S_IFCHR: "keine reguläre Datei (Gerätedatei) – nicht gelesen",
    stat.S_IFBLK: "keine reguläre Datei (Gerätedatei) – nicht gelesen",
}


@dataclass
class CorpusFiles:
    """Files safe to read and refused entries, both as paths relative to the corpus root."""

    files: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)  # relative path -> German reason


def walk_corpus(corpus: Path, ignored_names: set[str] | frozenset[str] = frozenset()) -> CorpusFiles:
    """Walk everything under documents/ if present, else the root; hidden entries are left out.

    Without a documents/ folder, files named in `ignored_names` and the src/ folder are skipped.
    """
    root = Path(os.path.realpath(corpus))
    documents = corpus / "documents"
    base = documents if documents.is_dir() and inside(root, documents) else corpus
    walk = _Walk(root, corpus, base, ignored_names)
    walk.folder(base)
    walk.check_hard_links()
    walk.result.files.sort()
    return walk.result


def inside(root: Path, path: Path) -> bool:
    """Tell whether `path`, links resolved, is `root` (resolved) or lies below it."""
    target = Path(os.path.realpath(path))
    return target == root or root in target.parents


@dataclass
class _Walk:
    root: Path  # the resolved corpus root
    corpus: Path  # the corpus path as given (relative paths are taken against it)
    base: Path
    ignored: set[str] | frozenset[str]
    result: CorpusFiles = field(default_factory=CorpusFiles)
    seen_folders: set[tuple[int, int]] = field(default_factory=set)
    names: dict[tuple[int, int], list[str]] = field(default_factory=lambda: defaultdict(list))
    links: dict[tuple[int, int], int] = field(default_factory=dict)  # (dev, ino) -> st_nlink

    def folder(self, path: Path) -> None:
        try:
            info = path.stat()
            if (info.st_dev, info.st_ino) in self.seen_folders:
                return  # reached again through a link inside the corpus (or a loop)
            self.seen_folders.add((info.st_dev, info.st_ino))
            entries = sorted(os.scandir(path), key=lambda e: e.name)
        except OSError:
            self.result.refused[self._rel(path)] = FOLDER_NOT_READABLE
            return
        for entry in entries:
            rel = self._rel(Path(entry.path))
            if entry.name.startswith(".") or self._ignored(rel):
                continue
            self.entry(Path(entry.path), rel)

    def entry(self, path: Path, rel: str) -> None:
        try:
            own = path.lstat()
            info = path.stat() if stat.S_ISLNK(own.st_mode) else own
        except OSError:
            self.result.refused[rel] = LINK_BROKEN if path.is_symlink() else NOT_READABLE
            return
        if stat.S_ISLNK(own.st_mode) and not inside(self.root, path):
            self.result.refused[rel] = LINK_OUTSIDE
            return
        if stat.S_ISDIR(info.st_mode):
            self.folder(path)
        elif not stat.S_ISREG(info.st_mode):
            self.result.refused[rel] = _SPECIAL.get(stat.S_IFMT(info.st_mode), _SPECIAL[stat.S_IFIFO])
        elif not _readable(path):
            self.result.refused[rel] = NOT_READABLE
        else:
            self.result.files.append(rel)
            self.names[(info.st_dev, info.st_ino)].append(rel)
            self.links[(info.st_dev, info.st_ino)] = info.st_nlink

    def check_hard_links(self) -> None:
        """Refuse files with hard-link names outside the walked folder (more links than names seen)."""
        for key, nlink in self.links.items():
            if nlink > len(self.names[key]):
                for rel in self.names[key]:
                    self.result.files.remove(rel)
                    self.result.refused[rel] = HARDLINK_OUTSIDE

    def _rel(self, path: Path) -> str:
        return path.relative_to(self.corpus).as_posix()

    def _ignored(self, rel: str) -> bool:
        if self.base != self.corpus:
            return False
        parts = rel.split("/")
        return parts[0] == "src" or parts[-1] in self.ignored


def _readable(path: Path) -> bool:
    """Open and close the file (non-blocking, so a FIFO swapped in cannot hang the walk)."""
    try:
        os.close(os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0)))
    except OSError:
        return False
    return True
