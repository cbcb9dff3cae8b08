"""The view routes over HTTP: results, German errors, internal documents never shown, bad input."""

from __future__ import annotations

import json

import httpx

NOTICE = "Beispielkorpus – fiktive Inhalte auf Basis öffentlicher Informationen, kein offizieller Text der ITAS-Initiative."


def get(base: str, path: str, **params: str) -> httpx.Response:
    return httpx.get(base + path, params=params, timeout=120)


def test_compare_aligns_the_topic_across_versions(views_url: str) -> None:
    r = get(views_url, "/api/compare", topic="Fachkräfte")
    assert r.status_code == 200
    body = r.json()
    assert body["series"] == "itas-charta" and body["versions"] == ["1.0", "2.0", "3.0"]
    rows = {row["version"]: row for row in body["rows"]}
    assert [rows[v]["passage"]["section"] for v in ("1.0", "2.0", "3.0")] == ["1 Fachkräfte"] * 3
    assert rows["2.0"]["passage"]["doc_id"] == "charta-2-0"
    assert rows["1.0"]["passage"]["superseded_by"] == "3.0"
    kinds = {d["kind"] for d in rows["2.0"]["diff"]}
    assert "changed" in kinds or "added" in kinds
    assert body["sample_notice"] == NOTICE
    assert "Kolibri" not in json.dumps(body, ensure_ascii=False) and "4.0" not in json.dumps(body)


def test_compare_marks_new_and_dropped_topics_and_lists_the_changes(views_url: str) -> None:
    water = get(views_url, "/api/compare", topic="Wasserstoff").json()
    assert water["status"] == ["neu in 2.0"]
    assert water["rows"][0]["passage"] is None
    assert water["rows"][0]["empty"] == "In der Fassung 1.0 findet sich dazu keine Stelle."
    assert [(c["version"], c["kind_label"]) for c in water["changes"]] == [("2.0", "neu")]
    fund = get(views_url, "/api/compare", topic="Transformationsfonds").json()
    assert fund["status"] == ["entfällt ab 2.0"]
    assert [c["topic"] for c in fund["changes"]] == ["Transformationsfonds"]


def test_compare_two_files_claiming_one_version_names_both(views_url: str) -> None:
    rows = get(views_url, "/api/compare", topic="Fachkräfte").json()["rows"]
    assert rows[1]["note"] == (
        "Mehrere Dokumente geben die Fassung 2.0 an (charta-2-0, charta-2-0-entwurf); verglichen wird charta-2-0."
    )


def test_compare_versions_without_date_say_so(views_url: str) -> None:
    body = get(views_url, "/api/compare", topic="Fachkräfte").json()
    assert body["rows"][0]["date"] is None
    topics = get(views_url, "/api/series").json()
    assert topics["versions"][0] == {
        "version": "1.0",
        "doc_id": "charta-1-0",
        "title": "Test-Charta 1.0",
        "date": "ohne Datum",
    }
    assert "Kunststofftechnik" in topics["topics"]


def test_compare_bad_topics(views_url: str) -> None:
    empty = get(views_url, "/api/compare", topic="   ")
    assert empty.status_code == 400
    assert empty.json()["detail"] == "Bitte ein Thema eingeben oder einen Abschnitt aus der Liste wählen."
    long = get(views_url, "/api/compare", topic=("Fachkräfte " * 500)[:5000])
    assert long.status_code == 400
    assert long.json()["detail"] == "Das Thema ist zu lang (höchstens 200 Zeichen)."
    huge = get(views_url, "/api/compare", topic="x" * 6000)
    assert huge.status_code == 422 and huge.json()["detail"].startswith("Ungültige Anfrage – ")
    nothing = get(views_url, "/api/compare", topic="Quantencomputer Raumfahrtbahnhof")
    assert nothing.status_code == 200
    assert (
        nothing.json()["message"]
        == "Zum Thema „Quantencomputer Raumfahrtbahnhof“ enthält keine Fassung eine passende Stelle."
    )
    assert all(row["passage"] is None for row in nothing.json()["rows"])


def test_compare_unknown_series_is_404(views_url: str) -> None:
    r = get(views_url, "/api/compare", topic="Fachkräfte", series="debian-handbuch")
    assert r.status_code == 404
    assert r.json()["detail"] == "Unbekannte Dokumentreihe „debian-handbuch“ – vorhanden: itas-charta."


def test_compare_series_with_one_version(single_url: str) -> None:
    body = get(single_url, "/api/compare", topic="Fachkräfte").json()
    assert body["versions"] == ["1.0"]
    assert body["message"] == "Diese Reihe hat nur eine Fassung (1.0) – es gibt nichts zu vergleichen."
    assert body["rows"][0]["passage"]["doc_id"] == "charta-1-0"
    assert body["rows"][0]["diff"] == [] and body["status"] == []


def test_districts_list_and_view(views_url: str) -> None:
    listed = get(views_url, "/api/districts").json()
    assert listed == [{"id": "vogtlandkreis", "district": "Vogtlandkreis", "forums": 1, "years": ["2024"]}]
    view = get(views_url, "/api/districts/vogtlandkreis").json()
    forum = view["forums"][0]
    assert (forum["place"], forum["participants"], forum["year"]) == ("Plauen", "22", "2024")
    proposals = {p["name"]: p for p in forum["proposals"]}
    assert proposals["Vogtland-Rückkehrerportal"]["figure"] == "100 Rückkehrende bis Ende 2026"
    assert proposals["Grenzpendler-Sprachkurse"]["field"] == "HF 3 Arbeit und Beschäftigung"
    for p in proposals.values():
        assert p["taken_up"] == bool(p["links"])
        assert all(link["version"] in ("2.0", "3.0") for link in p["links"])  # later versions only
        if not p["links"]:
            assert p["note"] == "In keiner späteren Fassung der Charta aufgegriffen (nach Textvergleich)."
    assert view["link_note"].startswith("Verknüpfungen sind Vorschläge")
    assert view["sample_notice"] == NOTICE
    assert "Flamingo" not in json.dumps(view) and "notiz-intern" not in json.dumps(view)


def test_district_names_are_accepted_in_several_spellings(views_url: str) -> None:
    assert get(views_url, "/api/districts/Vogtlandkreis").json()["district"] == "Vogtlandkreis"


def test_unknown_district_is_404_with_the_valid_ones(views_url: str) -> None:
    r = get(views_url, "/api/districts/atlantis")
    assert r.status_code == 404
    assert r.json()["detail"] == "Unbekannter Landkreis „atlantis“ – vorhanden: Vogtlandkreis."


def test_district_of_an_undated_forum(single_url: str) -> None:
    view = get(single_url, "/api/districts/erzgebirgskreis").json()
    forum = view["forums"][0]
    assert forum["date"] is None and forum["year"] is None and forum["place"] is None
    proposal = forum["proposals"][0]
    assert proposal["name"] == "Das Forum empfahl eine Rezyklat-Runde für Spritzgießer im Kreis."
    # Without dates a version counts as later; with or without a link the state is explicit.
    assert (
        proposal["links"]
        or proposal["note"] == "In keiner späteren Fassung der Charta aufgegriffen (nach Textvergleich)."
    )


def test_sectors_list_has_the_official_titles(views_url: str) -> None:
    body = get(views_url, "/api/sectors").json()
    assert (
        body["source"]
        == "Statistisches Bundesamt, Klassifikation der Wirtschaftszweige, Ausgabe 2008 (WZ 2008)"
    )
    sections = {s["code"]: s for s in body["sections"]}
    assert len(sections) == 21 and sum(len(s["divisions"]) for s in sections.values()) == 88
    divisions = {d["code"]: d["title"] for d in sections["C"]["divisions"]}
    assert divisions["22"] == "Herstellung von Gummi- und Kunststoffwaren"
    assert divisions["29"] == "Herstellung von Kraftwagen und Kraftwagenteilen"


def test_sector_view_groups_current_first_and_hides_internal(views_url: str) -> None:
    body = get(views_url, "/api/sectors/22").json()
    assert body["title"] == "Herstellung von Gummi- und Kunststoffwaren"
    keys = [g["key"] for g in body["groups"]]
    assert keys[0] == "current"
    assert keys == [k for k in ("current", "older", "forum", "offers") if k in keys]
    current = body["groups"][0]["passages"]
    assert current[0]["doc_id"] == "charta-3-0" and current[0]["section"] == "2 Kunststofftechnik"
    older = next(g for g in body["groups"] if g["key"] == "older")["passages"]
    assert {p["superseded_label"] for p in older} == {"ersetzt durch Charta 3.0"}
    offers = next(g for g in body["groups"] if g["key"] == "offers")["passages"]
    assert [p["doc_id"] for p in offers] == ["angebote"]
    text = json.dumps(body, ensure_ascii=False)
    assert "Flamingo" not in text and "4711" not in text and "Kolibri" not in text
    assert "Charta 4.0" not in text  # an internal draft never marks the public 3.0 as superseded
    assert body["sample_notice"] == NOTICE


def test_sector_codes_in_other_spellings_and_sections(views_url: str) -> None:
    assert get(views_url, "/api/sectors/C22").json()["code"] == "22"
    assert get(views_url, "/api/sectors/22.21").json()["code"] == "22"
    section = get(views_url, "/api/sectors/c").json()
    assert section["code"] == "C" and len(section["divisions"]) == 24


def test_unknown_sector_is_404(views_url: str) -> None:
    for code in ("04", "ZZ", "123"):
        r = get(views_url, f"/api/sectors/{code}")
        assert r.status_code == 404
        assert r.json()["detail"] == (
            f"Unbekannter Wirtschaftszweig „{code}“ – gültig sind WZ-2008-Abschnitte A–U und Abteilungen 01–99."
        )


def test_sector_without_passages_is_an_empty_state(views_url: str) -> None:
    body = get(views_url, "/api/sectors/92").json()
    assert body["groups"] == [] and body["count"] == 0
    assert body["message"] == "Zu diesem Wirtschaftszweig enthalten die Dokumente keine Aussage."


def test_sector_match(views_url: str) -> None:
    r = httpx.post(views_url + "/api/sectors/match", json={"text": "wir sind ein spritzgiesser"}, timeout=120)
    assert r.status_code == 200
    assert r.json()["sectors"][0]["code"] == "22"
    assert r.json()["sectors"][0]["keywords"] == ["Spritzgießer"]


def test_sector_match_bad_input(views_url: str) -> None:
    empty = httpx.post(views_url + "/api/sectors/match", json={"text": "  "}, timeout=60)
    assert empty.status_code == 400
    assert empty.json()["detail"] == "Bitte beschreiben Sie Ihr Unternehmen in einem Satz."
    long = httpx.post(views_url + "/api/sectors/match", json={"text": "Wir fräsen. " * 100}, timeout=60)
    assert long.status_code == 400
    assert long.json()["detail"] == "Die Beschreibung ist zu lang (höchstens 500 Zeichen)."
    missing = httpx.post(views_url + "/api/sectors/match", json={}, timeout=60)
    assert missing.status_code == 422
