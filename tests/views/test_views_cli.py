"""`itas compare`, `itas district`, `itas sector` as an operator runs them, over the session's store."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from assistant.services import Services


def itas(services: Services, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ITAS_STORE__PATH": str(services.settings.store.path), "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args], env=env, capture_output=True, text=True, timeout=300
    )


def test_compare_prints_versions_and_differences(view_services: Services) -> None:
    result = itas(view_services, "compare", "Wasserstoff")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("Thema: Wasserstoff (itas-charta, Fassungen 1.0, 2.0, 3.0)")
    assert "Status: neu in 2.0" in out
    assert "In der Fassung 1.0 findet sich dazu keine Stelle." in out
    assert " + Wasserstoff bleibt nur für Prozesswärme eine Option." in out
    assert " - 2.0 (neu): Wasserstoff – Wasserstoff wird als Prüfauftrag neu aufgenommen." in out


def test_compare_json_and_unknown_series(view_services: Services) -> None:
    body = json.loads(itas(view_services, "compare", "Fachkräfte", "--json").stdout)
    assert [row["version"] for row in body["rows"]] == ["1.0", "2.0", "3.0"]
    bad = itas(view_services, "compare", "Fachkräfte", "--series", "nope")
    assert bad.returncode == 2
    assert "Unbekannte Dokumentreihe „nope“ – vorhanden: itas-charta." in bad.stderr


def test_district(view_services: Services) -> None:
    result = itas(view_services, "district", "Vogtlandkreis")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Vogtlandkreis\n")
    assert "== Test-Forum Vogtlandkreis 2024 (2024-04-17, Plauen, Teilnehmende: 22)" in result.stdout
    assert " * Vogtland-Rückkehrerportal – 100 Rückkehrende bis Ende 2026" in result.stdout
    unknown = itas(view_services, "district", "Atlantis")
    assert unknown.returncode == 2 and "Unbekannter Landkreis „Atlantis“" in unknown.stderr


def test_sector_by_code_and_by_description(view_services: Services) -> None:
    by_code = itas(view_services, "sector", "22")
    assert by_code.returncode == 0, by_code.stderr
    assert by_code.stdout.startswith("WZ 2008 22: Herstellung von Gummi- und Kunststoffwaren\n")
    assert "== Aktuelle Fassung der Charta" in by_code.stdout and "Flamingo" not in by_code.stdout
    described = itas(view_services, "sector", "wir sind ein spritzgiesser")
    assert described.returncode == 0, described.stderr
    assert described.stdout.startswith("22  Herstellung von Gummi- und Kunststoffwaren")
    bad = itas(view_services, "sector", "ZZ")
    assert bad.returncode == 2 and "Unbekannter Wirtschaftszweig „ZZ“" in bad.stderr
