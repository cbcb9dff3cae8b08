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
    prune: Annotated[
        bool, typer.Option(help="Allow a run that removes more than half of the indexed documents")
    ] = False,
) -> None:
    """Load, chunk and embed the corpus into the store (incremental).

    A missing folder, a folder without supported files, or a run that would remove more than half
    of the indexed documents (without --prune) ends with exit code 3 and leaves the index as it was.
    """
    from assistant.errors import IngestError, PruneRequired
    from ingest.pipeline import IngestReport, run_ingest
    from ingest.report import print_report, progress_printer

    settings = Settings()
    try:
        with progress_printer(sys.stderr.isatty()) as progress:
            report = run_ingest(settings, path, rebuild=rebuild, prune=prune, progress=progress)
    except PruneRequired as exc:
        if isinstance(exc.report, IngestReport):  # errors.py cannot import ingest (imports point one way)
            print_report(exc.report)
        typer.echo(f"Fehler: {exc}", err=True)
        raise typer.Exit(3) from exc
    except IngestError as exc:
        typer.echo(f"Fehler: {exc}", err=True)
        raise typer.Exit(3) from exc
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

    from assistant.api.accesslog import uvicorn_log_config
    from assistant.services import build_services
    from ui.server import build_asgi

    try:
        services = build_services(Settings())
    except AssistantError as exc:
        _fail(exc)
    uvicorn.run(
        build_asgi(services),
        host=host,
        port=port,
        log_level="info",
        access_log=False,  # replaced by assistant.api.accesslog (no client addresses, no query strings)
        log_config=uvicorn_log_config(),
        proxy_headers=True,
        forwarded_allow_ips=services.settings.api.forwarded_allow_ips,
    )


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="German question")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON response shape")] = False,
    version: Annotated[str | None, typer.Option(help="Charter version, e.g. 3.0")] = None,
    district: Annotated[str | None, typer.Option(help="District, e.g. Vogtlandkreis")] = None,
    internal: Annotated[bool, typer.Option(help="Include internal documents (staff)")] = False,
) -> None:
    """Answer a question with cited sources."""
    from assistant import strings
    from assistant.api.schemas import FilterInput
    from assistant.errors import IndexNotReady
    from assistant.index import StoreLayout, read_state
    from assistant.services import build_services

    settings = Settings()
    if read_state(StoreLayout(settings.store.path)) is None:
        _no_index(as_json, strings.ASK_NO_INDEX)
    try:
        services = build_services(settings)
        filters = FilterInput(
            versions=[version] if version else None, districts=[district] if district else None
        ).to_filters(internal=internal)
        answer = services.answerer.answer(question, filters=filters)
    except IndexNotReady:
        _no_index(as_json, strings.ASK_NO_INDEX)
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


def _no_index(as_json: bool, message: str) -> None:
    """Tell the operator on stdout (plain or as a JSON error object) and exit with code 3."""
    if as_json:
        typer.echo(json.dumps({"error": "no_index", "detail": message}, ensure_ascii=False))
    else:
        typer.echo(message)
    raise typer.Exit(3)


eval_app = typer.Typer(help="Measure answer and retrieval quality (gold set, GermanQuAD); write a report.")
app.add_typer(eval_app, name="eval")


@eval_app.callback(invoke_without_command=True)
def eval_gold(
    ctx: typer.Context,
    gold: Annotated[Path | None, typer.Option(help="Gold set YAML (default: evals/gold.yaml)")] = None,
    modes: Annotated[str, typer.Option(help="Comma-separated retrieval modes")] = "lexical,dense,hybrid",
    llm: Annotated[
        bool | None, typer.Option("--llm/--no-llm", help="Add hybrid+llm (default: if an LLM is configured)")
    ] = None,
    check: Annotated[bool, typer.Option(help="Exit non-zero when a metric is below its floor")] = False,
    latest: Annotated[bool, typer.Option(help="Copy the run to evals/reports/latest/")] = False,
    limit: Annotated[int | None, typer.Option(help="Only the first N gold questions")] = None,
    out: Annotated[Path | None, typer.Option(help="Reports folder (default: evals/reports)")] = None,
    dev: Annotated[
        Path | None, typer.Option(help="Shared dev set folder (default: ../shared/bench/itas-dev if present)")
    ] = None,
    real: Annotated[
        bool, typer.Option("--real", help="Evaluate the fetched real manuals instead (make real-docs)")
    ] = False,
) -> None:
    """Run the gold questions (and the shared dev set) against the index in ITAS_STORE__PATH; write a report."""
    if ctx.invoked_subcommand is not None:
        return
    if real:
        _eval_real(out)
        return
    from evals.commands import GoldEvalOptions, gold_eval, setup_logging

    setup_logging()
    mode_list = tuple(m.strip() for m in modes.split(",") if m.strip())
    options = GoldEvalOptions(
        gold=gold, modes=mode_list, llm=llm, check=check, latest=latest, limit=limit, out=out, dev=dev
    )
    try:
        outcome = gold_eval(Settings(), options)
    except (AssistantError, OSError, ValueError) as exc:
        _fail(exc)
    copied = f" (copied to {outcome.latest})" if outcome.latest else ""
    typer.echo(f"report: {outcome.run_dir / 'report.md'}{copied}")
    for line in outcome.violations:
        typer.echo(f"below floor: {line}", err=True)
    if check and outcome.violations:
        raise typer.Exit(1)


def _eval_real(out: Path | None) -> None:
    """`itas eval --real`: ingest the real manuals into data/real and report text and answer figures."""
    from evals.commands import setup_logging
    from evals.real import RealEvalOptions, render, run_real

    setup_logging()
    options = RealEvalOptions() if out is None else RealEvalOptions(out=out)
    try:
        result, run_dir = run_real(Settings(), options)
    except (AssistantError, OSError, ValueError) as exc:
        _fail(exc)
    typer.echo(f"report: {run_dir / 'report.md'}")
    typer.echo(render(result))


@eval_app.command("germanquad")
def eval_germanquad(
    data: Annotated[Path, typer.Option(help="Folder with docs/queries/qrels.normalized.jsonl")] = Path(
        "../shared/bench/germanquad"
    ),
    store: Annotated[Path, typer.Option(help="Store for the GermanQuAD index")] = Path("data/germanquad"),
    as_json: Annotated[bool, typer.Option("--json", help="Print mode → MRR@10/Success@k as JSON")] = False,
    fusion_cv: Annotated[bool, typer.Option(help="Also run the cross-validated fusion study")] = False,
    out: Annotated[Path | None, typer.Option(help="Reports folder (default: evals/reports)")] = None,
) -> None:
    """Ingest the GermanQuAD passages with the product's pipeline and score its retriever in each mode."""
    from evals.commands import GermanQuadEvalOptions, germanquad_eval, headline, setup_logging

    setup_logging()
    try:
        options = GermanQuadEvalOptions(data=data, store=store, fusion_cv=fusion_cv, out=out)
        outcome = germanquad_eval(Settings(), options)
    except (AssistantError, OSError, ValueError) as exc:
        _fail(exc)
    figures = headline(outcome.result)
    if as_json:
        typer.echo(json.dumps(figures))
        return
    typer.echo(f"report: {outcome.run_dir / 'report.md'}")
    for mode, values in figures.items():
        typer.echo(f"{mode:8s} " + "  ".join(f"{k} {v:.3f}" for k, v in values.items()))


def _view_services() -> Any:
    from assistant.services import build_services

    return build_services(Settings())


def _print_view(result: Any, render: Any, as_json: bool) -> None:
    typer.echo(json.dumps(result, ensure_ascii=False, indent=2) if as_json else render(result))


@app.command()
def compare(
    topic: Annotated[str, typer.Argument(help="Topic, e.g. Fachkräfte")],
    series: Annotated[str | None, typer.Option(help="Document series (default: the charter)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Show how a topic changed across the versions of a series."""
    from assistant.views.compare import compare as compare_view
    from assistant.views.text import render_compare

    try:
        services = _view_services()
        result = compare_view(services.index.get(), services.embedder, topic, series)
    except AssistantError as exc:
        _fail(exc)
    _print_view(result, render_compare, as_json)


@app.command()
def district(
    name: Annotated[str, typer.Argument(help="District, e.g. Vogtlandkreis")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Show a district's forums, proposals and the charter passages that take them up."""
    from assistant.views.districts import district_view
    from assistant.views.text import render_district

    try:
        services = _view_services()
        result = district_view(services.index.get(), services.embedder, name)
    except AssistantError as exc:
        _fail(exc)
    _print_view(result, render_district, as_json)


@app.command()
def sector(
    text: Annotated[str, typer.Argument(help='WZ 2008 code ("22", "C") or a business description')],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Sector check: what the documents say about a sector (a code, or the best match for a description)."""
    from assistant.views import UnknownItem
    from assistant.views.sectors import match_sectors, resolve_code, sector_view
    from assistant.views.text import render_matches, render_sector

    try:
        services = _view_services()
        try:
            code = resolve_code(text)[0]
            matches: list[dict[str, Any]] = []
        except UnknownItem:
            if len(text.strip()) <= 3:
                raise
            matches = match_sectors(text, services.embedder)
            if not matches:
                _print_view({"sectors": []}, lambda _: render_matches([]), as_json)
                raise typer.Exit(1) from None
            code = matches[0]["code"]
        result = sector_view(services.index.get(), code)
    except AssistantError as exc:
        _fail(exc)
    if matches and not as_json:
        typer.echo(render_matches(matches[:3]) + "\n")
    _print_view({**result, "matches": matches} if as_json else result, render_sector, as_json)


@eval_app.command("views")
def eval_views(as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False) -> None:
    """Figures of the views on the hand-labelled sets (alignment, forum links, sector match)."""
    from evals.views import render, view_figures

    try:
        figures = view_figures(_view_services())
    except (AssistantError, OSError, ValueError) as exc:
        _fail(exc)
    typer.echo(
        json.dumps(figures, ensure_ascii=False, indent=2, default=float) if as_json else render(figures)
    )


if __name__ == "__main__":
    app()
