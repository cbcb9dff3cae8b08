"""Start real server processes for tests: `chroma run`, logged servers that explain their death, free ports."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_http(url: str, timeout_s: float = 60.0, proc: subprocess.Popen[bytes] | None = None) -> None:
    """Poll a URL until it answers (any status below 500)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server process exited with {proc.returncode} before {url} answered")
        try:
            if httpx.get(url, timeout=2.0).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout_s} s")


@contextmanager
def chroma_server(path: Path) -> Iterator[int]:
    """Run `chroma run` on a free port with its data in `path`; yield the port."""
    port = free_port()
    exe = shutil.which("chroma", path=str(Path(sys.executable).parent)) or "chroma"
    proc = subprocess.Popen(
        [exe, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/api/v2/heartbeat", proc=proc)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


LOG_TAIL_LINES = 25


class ServerDied(AssertionError):
    """A server process a test talks to has exited; the message holds how and its last log lines."""


def exit_reason(returncode: int) -> str:
    """Name how a process ended: 'SIGILL' for a signal (negative return code), else 'exit code N'."""
    if returncode < 0:
        try:
            return signal.Signals(-returncode).name
        except ValueError:
            return f"signal {-returncode}"
    return f"exit code {returncode}"


def log_tail(log: Path, lines: int = LOG_TAIL_LINES) -> str:
    """The last lines of a log file (empty if it does not exist), decoded leniently."""
    if not log.is_file():
        return ""
    text = log.read_bytes().decode("utf-8", errors="replace")
    return "\n".join(text.rstrip().splitlines()[-lines:])


@dataclass
class LoggedServer:
    """A server subprocess whose output goes to a log file, so its death can be explained to the test reader."""

    name: str
    proc: subprocess.Popen[bytes]
    log: Path

    def death_notice(self, wait_s: float = 0.0) -> str | None:
        """'<name> died with SIGILL; last log lines: …' once the process has exited, else None.

        Args:
            wait_s: how long to wait for the exit (a dropped connection arrives before the process is reaped).
        """
        try:
            self.proc.wait(timeout=wait_s)
        except subprocess.TimeoutExpired:
            return None
        return f"{self.name} died with {exit_reason(self.proc.returncode)}; last log lines:\n{log_tail(self.log)}"

    def check_alive(self) -> None:
        """Raise ServerDied if the process has exited."""
        notice = self.death_notice()
        if notice is not None:
            raise ServerDied(notice)

    @contextmanager
    def explain_failures(self, wait_s: float = 5.0) -> Iterator[None]:
        """Turn an error raised while talking to the server into ServerDied if the server is what died."""
        try:
            yield
        except Exception as exc:
            notice = self.death_notice(wait_s)
            if notice is None:
                raise
            raise ServerDied(f"{notice}\n(the client saw: {type(exc).__name__}: {exc})") from exc

    def wait_http(self, url: str, timeout_s: float) -> None:
        """Poll a URL until it answers 200; raise ServerDied if the process exits first, TimeoutError if slow."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            self.check_alive()
            try:
                if httpx.get(url, timeout=2.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"{self.name} did not answer {url} within {timeout_s:g} s:\n{log_tail(self.log)}")


@contextmanager
def logged_server(
    name: str, command: Sequence[str], log: Path, cwd: Path | None = None
) -> Iterator[LoggedServer]:
    """Start `command` with stdout+stderr in `log`; yield it as a LoggedServer; stop it afterwards."""
    with log.open("wb") as sink:
        proc = subprocess.Popen(list(command), stdout=sink, stderr=subprocess.STDOUT, cwd=cwd)
    try:
        yield LoggedServer(name, proc, log)
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
