"""An ingest can never wipe a working index: bad paths, empty folders and mass removals are refused."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import strings
from assistant.errors import IngestError, PruneRequired
from assistant.index import StoreLayout, read_state
from ingest.pipeline import REMOVED, run_ingest

from helpers.corpus import DOCS, settings_for, write_corpus

FOUR = {k: DOCS[k] for k in list(DOCS)[:4]}


def itas(*args: str, store: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ITAS_STORE__PATH": str(store), "COLUMNS": "250"}
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args], env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory, e5) -> tuple[Path, Path]:  # type: ignore[no-untyped-def]
    """A store holding a complete index of four documents (built once for this module)."""
    tmp = tmp_path_factory.mktemp("safety")
    corpus = write_corpus(tmp / "corpus", FOUR)
    run_ingest(settings_for(tmp), corpus, embedder=e5)
    return corpus, tmp


def _copy_store(indexed: tuple[Path, Path], tmp_path: Path) -> Path:
    shutil.copytree(indexed[1] / "store", tmp_path / "store")
    return tmp_path


def _snapshot(store: Path) -> tuple[int, int, list[str]]:
    state = read_state(StoreLayout(store))
    assert state is not None
    return state.generation, state.chunk_count, sorted(state.documents)


@pytest.mark.parametrize("case", ["missing", "empty", "unsupported", "file"])
def test_bad_corpus_path_is_refused_and_the_index_stays(indexed, tmp_path, e5, case) -> None:  # type: ignore[no-untyped-def]
    tmp = _copy_store(indexed, tmp_path)
    before = _snapshot(tmp / "store")
    target = tmp / "korpus"
    if case == "empty":
        target.mkdir()
    elif case == "unsupported":
        target.mkdir()
        (target / "bild.png").write_bytes(b"\x89PNG")
        (target / "tabelle.xlsx").write_bytes(b"PK")
    elif case == "file":
        target = tmp / "datei.md"
        target.write_text("# Titel\n\nText.", encoding="utf-8")
    with pytest.raises(IngestError) as caught:
        run_ingest(settings_for(tmp), target, embedder=e5)
    expected = strings.INGEST_NO_FILES if case in ("empty", "unsupported") else strings.INGEST_NO_FOLDER
    assert str(caught.value).startswith(expected.split("„")[0])
    assert str(target) in str(caught.value) and "Index bleibt unverändert" in str(caught.value)
    assert _snapshot(tmp / "store") == before


def test_removing_more_than_half_needs_prune(indexed, tmp_path, e5) -> None:  # type: ignore[no-untyped-def]
    tmp = _copy_store(indexed, tmp_path)
    before = _snapshot(tmp / "store")
    corpus = write_corpus(tmp / "corpus", {k: FOUR[k] for k in list(FOUR)[:1]})
    with pytest.raises(PruneRequired) as caught:
        run_ingest(settings_for(tmp), corpus, embedder=e5)
    assert _snapshot(tmp / "store") == before
    gone = sorted(FOUR[k]["title"] for k in list(FOUR)[1:])
    assert sorted(name.split(" (")[0] for name in caught.value.removed) == gone
    assert str(caught.value).startswith("Dieser Lauf würde 3 von 4 Dokumenten aus dem Index entfernen")
    report = caught.value.report
    assert sorted(o.doc_id for o in report.outcomes if o.status == REMOVED) == sorted(list(FOUR)[1:])
    pruned = run_ingest(settings_for(tmp), corpus, prune=True, embedder=e5)
    assert _snapshot(tmp / "store")[2] == [next(iter(FOUR))] and pruned.generation == before[0] + 1


def test_removing_half_or_less_needs_no_prune(indexed, tmp_path, e5) -> None:  # type: ignore[no-untyped-def]
    tmp = _copy_store(indexed, tmp_path)
    corpus = write_corpus(tmp / "corpus", {k: FOUR[k] for k in list(FOUR)[:2]})
    report = run_ingest(settings_for(tmp), corpus, embedder=e5)
    assert sorted(o.doc_id for o in report.outcomes if o.status == REMOVED) == sorted(list(FOUR)[2:])
    assert _snapshot(tmp / "store")[2] == sorted(list(FOUR)[:2])


def test_cli_typo_in_path_exits_non_zero_in_german(indexed, tmp_path) -> None:  # type: ignore[no-untyped-def]
    tmp = _copy_store(indexed, tmp_path)
    before = _snapshot(tmp / "store")
    result = itas("ingest", str(tmp / "korpsu"), store=tmp / "store")
    assert result.returncode == 3
    assert result.stderr.strip() == "Fehler: " + strings.INGEST_NO_FOLDER.format(path=tmp / "korpsu")
    assert _snapshot(tmp / "store") == before


def test_cli_mass_removal_lists_what_would_go(indexed, tmp_path) -> None:  # type: ignore[no-untyped-def]
    tmp = _copy_store(indexed, tmp_path)
    before = _snapshot(tmp / "store")
    corpus = write_corpus(tmp / "corpus", {k: FOUR[k] for k in list(FOUR)[:1]})
    result = itas("ingest", str(corpus), store=tmp / "store")
    assert result.returncode == 3 and "--prune" in result.stderr
    assert result.stdout.count("entfernt") == 3
    assert _snapshot(tmp / "store") == before


def test_cli_ask_without_index_says_so_in_german(tmp_path) -> None:
    plain = itas("ask", "Was ist die Charta?", store=tmp_path / "leer")
    assert plain.returncode == 3 and plain.stdout.strip() == strings.ASK_NO_INDEX
    as_json = itas("ask", "Was ist die Charta?", "--json", store=tmp_path / "leer")
    assert as_json.returncode == 3
    assert json.loads(as_json.stdout) == {"error": "no_index", "detail": strings.ASK_NO_INDEX}
