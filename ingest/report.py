"""Terminal output of an ingest run: progress bar and the closing summary table."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ingest.pipeline import SKIPPED, IngestReport

_LABELS = {"read": "Dateien lesen", "embed": "Abschnitte einbetten"}


@contextmanager
def progress_printer(enabled: bool) -> Iterator[Callable[[str, int, int], None] | None]:
    """Yield a progress callback drawing a bar on a terminal (None when not a terminal)."""
    if not enabled:
        yield None
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        tasks: dict[str, int] = {}

        def update(kind: str, done: int, total: int) -> None:
            if kind not in tasks:
                tasks[kind] = int(bar.add_task(_LABELS.get(kind, kind), total=total))
            bar.update(tasks[kind], completed=done, total=total)  # type: ignore[arg-type]

        yield update


def print_report(report: IngestReport, console: Console | None = None) -> None:
    """Print the per-file table and the totals."""
    console = console or Console()
    for warning in report.warnings:
        console.print(f"[yellow]warning:[/] {warning}")
    table = Table(title=f"Ingest – Generation {report.generation}")
    for column in ("Datei", "Status", "Grund", "neu", "aktualisiert", "gelöscht"):
        table.add_column(column)
    for o in report.outcomes:
        table.add_row(o.path, o.status, o.reason, str(o.added), str(o.updated), str(o.deleted))
    console.print(table)
    ok = sum(1 for o in report.outcomes if o.status != SKIPPED)
    console.print(
        f"Dateien ok: {ok} · übersprungen: {len(report.skipped)} · Abschnitte neu: {report.total('added')}, "
        f"aktualisiert: {report.total('updated')}, gelöscht: {report.total('deleted')} · "
        f"eingebettet: {report.embedded_chunks} · Index: {report.chunk_count} Abschnitte · "
        f"{report.timings_s.get('total', 0.0):.1f} s" + ("" if report.changed else " · keine Änderung")
    )
