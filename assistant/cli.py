"""The `itas` command line: ingest, status, serve, ask, eval.

The CLI is the composition root: the one place that wires `ui` and `evals` in (lazily, per command).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import typer

from assistant.errors import AssistantError
from assistant.settings import Settings

app = typer.Typer(
    help="ITAS-Charta-Assistent: ingest the corpus, ask questions, serve API + UI.",
    no_args_is_help=True,
    add_completion=False,
)


def _fail(exc: Exception) -> None:
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(2)


@app.command()
def ingest(
    path: Annotated[
        Path | None, typer.Argument(help="Corpus folder (default: ITAS_INGEST__CORPUS_PATH)")
    ] = None,
    rebuild: Annotated[bool, typer.Option(help="Re-embed and rebuild the whole index")] = False,
    strict: Annotated[bool, typer.Option(help="Exit non-zero when any file was skipped")] = False,
) -> None:
    """Load, chunk and embed the corpus into the store (incremental)."""
    from ingest.pipeline import run_ingest
    from ingest.report import print_report, progress_printer

    settings = Settings()
    try:
        with progress_printer(sys.stderr.isatty()) as progress:
            report = run_ingest(settings, path, rebuild=rebuild, progress=progress)
    except (AssistantError, OSError) as exc:
        _fail(exc)
    print_report(report)
    if strict and report.skipped:
        raise typer.Exit(1)


def status_summary(settings: Settings) -> dict[str, Any]:
    """Documents and chunks per doc_type/version/district, embedder, store path, last ingest."""
    from assistant.index import StoreLayout, read_state

    state = read_state(StoreLayout(settings.store.path))
    summary: dict[str, Any] = {"store_path": str(settings.store.path.resolve()), "ready": state is not None}
    if state is None:
        return summary
    groups: dict[str, Counter[str]] = {
        f"{k}_{g}": Counter() for k in ("documents", "chunks") for g in ("doc_type", "version", "district")
    }
    for record in state.files.values():
        meta = state.documents.get(record.doc_id)
        if record.status != "ok" or meta is None:
            continue
        for group in ("doc_type", "version", "district"):
            value = str(getattr(meta, group) or "–")
            groups[f"documents_{group}"][value] += 1
            groups[f"chunks_{group}"][value] += record.chunks
    summary.update(
        embedder={"name": state.embedder, "dim": state.dim},
        generation=state.generation,
        collection=state.collection,
        last_ingest=state.last_ingest,
        corpus=state.corpus_root,
        documents=len(state.documents),
        chunks=state.chunk_count,
        skipped={p: r.status for p, r in state.files.items() if r.status != "ok"},
        **{k: dict(sorted(v.items())) for k, v in groups.items()},
    )
    return summary


@app.command()
def status(as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False) -> None:
    """Show what the index holds."""
    summary = status_summary(Settings())
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    if not summary["ready"]:
        typer.echo(f"No index in {summary['store_path']} yet: run `itas ingest`.")
        return
    typer.echo(f"Store:     {summary['store_path']} (generation {summary['generation']})")
    typer.echo(f"Embedder:  {summary['embedder']['name']} ({summary['embedder']['dim']} dims)")
    typer.echo(
        f"Documents: {summary['documents']}   chunks: {summary['chunks']}   "
        f"last ingest: {summary['last_ingest']}"
    )
    for group in ("doc_type", "version", "district"):
        parts = ", ".join(
            f"{k}: {v} docs/{summary['chunks_' + group][k]} chunks"
            for k, v in summary["documents_" + group].items()
        )
        typer.echo(f"  by {group}: {parts}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 7860,
) -> None:
    """Serve the API, the Gradio UI (/ui) and the website widget (/widget.js) with uvicorn."""
    import uvicorn

    from assistant.services import build_services
    from ui.server import build_asgi

    try:
        services = build_services(Settings())
    except AssistantError as exc:
        _fail(exc)
    uvicorn.run(build_asgi(services), host=host, port=port, log_level="info")


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="German question")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON response shape")] = False,
    version: Annotated[str | None, typer.Option(help="Charter version, e.g. 3.0")] = None,
    district: Annotated[str | None, typer.Option(help="District, e.g. Vogtlandkreis")] = None,
    internal: Annotated[bool, typer.Option(help="Include internal documents (staff)")] = False,
) -> None:
    """Answer a question with cited sources."""
    from assistant.api.schemas import FilterInput
    from assistant.services import build_services

    try:
        services = build_services(Settings())
        filters = FilterInput(
            versions=[version] if version else None, districts=[district] if district else None
        ).to_filters(internal=internal)
        answer = services.answerer.answer(question, filters=filters)
    except AssistantError as exc:
        _fail(exc)
    if as_json:
        typer.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return
    typer.echo(answer.answer)
    if answer.citations:
        typer.echo("\nQuellen:")
    for c in answer.citations:
        extra = f" – ersetzt durch Charta {c.superseded_by}" if c.superseded_by else ""
        typer.echo(f"[{c.n}] {c.title}, S. {c.page}, {c.section}{extra}")


if __name__ == "__main__":
    app()
