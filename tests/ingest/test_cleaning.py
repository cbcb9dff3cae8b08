"""Text clean-up for German PDF text: normalisation, hyphenation, running lines, reflow."""

from __future__ import annotations

import pytest

from ingest.cleaning import (
    drop_leader_lines,
    heading_level,
    heading_levels,
    is_table_of_contents,
    join_hyphenation,
    normalize_text,
    paragraphs,
    reflow_lines,
    split_at_headings,
    strip_repeating_lines,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Die ﬁnale Auﬂage", "Die finale Auflage"),
        ("ﬀ ﬃ ﬄ ﬅ ﬆ", "ff ffi ffl st st"),
        ("Zu\u200bsam\u200cmen\u200darbeit\u2060\ufeff", "Zusammenarbeit"),
        ("Weiter\u00adbildung", "Weiterbildung"),
        ("geheim\U000e0041\U000e0042\U000e007f", "geheim"),
        ("8,4\u00a0Mio.\u00a0€", "8,4 Mio. €"),
        ("viele    Leer   zeichen\n\nneue  Zeile", "viele Leer zeichen\n\nneue Zeile"),
        ("Gro\u0308ße Fo\u0308rderung", "Größe Förderung"),  # decomposed umlauts → NFC
        ("Trans\u00ad\nformation", "Trans-\nformation"),  # soft hyphen at line end = break
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Die digitale Trans-\nformation", "Die digitale Transformation"),
        ("ein Zulieferer-\nNetzwerk", "ein Zulieferer-Netzwerk"),
        ("auf E-\nMobilität", "auf E-Mobilität"),
        ("möglichst CO2-\nneutral", "möglichst CO2-neutral"),
        ("IT-\nbasierte Dienste", "IT-basierte Dienste"),
        ("Aus-\nund Weiterbildung", "Aus- und Weiterbildung"),
        ("Bus-\noder Bahnverkehr", "Bus- oder Bahnverkehr"),
        ("Ausbildungs-\nbzw. Studienplätze", "Ausbildungs- bzw. Studienplätze"),
        ("Industrie-\nsowie Handelskammer", "Industrie- sowie Handelskammer"),
        ("Zeitraum 2024-\n2030", "Zeitraum 2024-2030"),
        ("Förder- \n  mittel", "Fördermittel"),
        ("ein Satz -\nmit Gedankenstrich", "ein Satz -\nmit Gedankenstrich"),
        ("die Werk-\nzeugmaschinen-\nsteuerung", "die Werkzeugmaschinensteuerung"),
        ("Werk-\nzeugmaschinen-\nsteuerung läuft\nweiter", "Werkzeugmaschinensteuerung läuft\nweiter"),
        ("dieMaschinen-\nsteuerungläuft", "dieMaschinensteuerungläuft"),  # a line without spaces
        ("die compu- tergesteuerten Anlagen", "die computergesteuerten Anlagen"),
        ("Vor- und Nachteile, Ein- bis Ausgang", "Vor- und Nachteile, Ein- bis Ausgang"),
        ("IT- basierte Dienste", "IT- basierte Dienste"),
    ],
)
def test_join_hyphenation(raw: str, expected: str) -> None:
    assert join_hyphenation(raw) == expected


_WORDS = ["Arbeit", "Bildung", "Chemnitz", "Dialog", "Energie"]


def _page(number: int) -> str:
    word = _WORDS[number - 1]
    body = f"{word} eins\n{word} zwei\n{word} drei\n{word} vier"
    return f"ITAS-Charta · Entwurf 2024\nKapitel {number}\n{body}\nStand: 1. Juni 2024 · Seite {number} von 5"


def test_strip_repeating_lines_removes_running_header_and_footer() -> None:
    stripped = strip_repeating_lines([_page(n) for n in range(1, 6)])
    assert stripped[2] == "Chemnitz eins\nChemnitz zwei\nChemnitz drei\nChemnitz vier"
    assert not any("ITAS-Charta" in page or "Kapitel" in page or "Stand" in page for page in stripped)


def test_strip_repeating_lines_drops_bare_page_numbers_and_roman_numerals() -> None:
    pages = [
        "iv\nVorwort der Landrätin\nText eins\nText zwei",
        "Einleitung\nText drei\nText vier\n- 7 -",
        "Seite 3 von 12\nFazit\nText fünf\nText sechs",
    ]
    assert strip_repeating_lines(pages) == [
        "Vorwort der Landrätin\nText eins\nText zwei",
        "Einleitung\nText drei\nText vier",
        "Fazit\nText fünf\nText sechs",
    ]


def test_strip_repeating_lines_keeps_body_and_needs_three_pages() -> None:
    bodies = [
        f"{w} eins\n{w} zwei\n{w} drei\nMitte des Textes\n{w} vier\n{w} fünf\n{w} sechs" for w in _WORDS[:3]
    ]
    pages = [f"Kopfzeile\n{body}\nFußzeile" for body in bodies]
    assert strip_repeating_lines(pages[:2]) == pages[:2]  # two pages: not enough evidence
    assert strip_repeating_lines(pages) == bodies  # header and footer gone, the repeated middle line stays


def test_reflow_joins_wrapped_lines_and_keeps_structure() -> None:
    text = (
        "Die Region steht vor einer großen\nVeränderung der Arbeitswelt.\n\n"
        "Ziele:\n• mehr Fachkräfte\ngewinnen\n– neue Netzwerke\n1. Ausbildung stärken\na) im Handwerk\n"
        "2.3 Fachkräfte und Qualifizierung\nDer Text geht\nweiter."
    )
    assert reflow_lines(text) == (
        "Die Region steht vor einer großen Veränderung der Arbeitswelt.\n\n"
        "Ziele:\n• mehr Fachkräfte gewinnen\n– neue Netzwerke\n1. Ausbildung stärken\na) im Handwerk\n\n"
        "2.3 Fachkräfte und Qualifizierung\n\n"
        "Der Text geht weiter."
    )


def test_reflow_keeps_numbered_continuation_lines_in_the_paragraph() -> None:
    text = "Die Gruppen treffen sich in allen Landkreisen der Region etwa\n2 Mal pro Woche im Rathaus"
    assert heading_levels(text.split("\n")) == [None, None]
    assert reflow_lines(text) == text.replace("\n", " ")


def test_reflow_infers_paragraphs_from_short_last_lines() -> None:
    text = (
        "Eine lange Zeile mit sehr viel Text darin, die umbricht\nund endet kurz.\nNeuer Absatz beginnt hier."
    )
    assert (
        reflow_lines(text)
        == "Eine lange Zeile mit sehr viel Text darin, die umbricht und endet kurz. Neuer Absatz beginnt hier."
    )
    assert reflow_lines(text, infer_paragraphs=True) == (
        "Eine lange Zeile mit sehr viel Text darin, die umbricht und endet kurz.\n\nNeuer Absatz beginnt hier."
    )


@pytest.mark.parametrize(
    ("line", "level"),
    [
        ("1 Einleitung", 1),
        ("2.3 Fachkräfte und Qualifizierung", 2),
        ("2.3.1 Ausbildung im Handwerk", 3),
        ("2.3. Fachkräfte", 2),
        ("2.4 Industrie 4.0", 2),
        ("1. Zukunftsforum in Zwickau", None),
        ("6. Juni 2024", None),
        ("3 Die Region ist stark.", None),
        ("2 Erzgebirgskreis 8,4 12 %", None),
        ("2024 wurde viel erreicht", None),
        ("Einleitung", None),
    ],
)
def test_heading_level(line: str, level: int | None) -> None:
    assert heading_level(line) == level


def test_split_at_headings_tracks_the_heading_path() -> None:
    lines = [
        "Vorspann",
        "2 Handlungsfelder",
        "a",
        "2.3 Fachkräfte",
        "b",
        "2.3.1 Ausbildung",
        "c",
        "3 Umsetzung",
        "d",
    ]
    runs = split_at_headings(lines, [heading_level(line) for line in lines])
    assert [([title for _, title in section], body) for section, body in runs] == [
        ([], ["Vorspann"]),
        (["2 Handlungsfelder"], ["a"]),
        (["2 Handlungsfelder", "2.3 Fachkräfte"], ["b"]),
        (["2 Handlungsfelder", "2.3 Fachkräfte", "2.3.1 Ausbildung"], ["c"]),
        (["3 Umsetzung"], ["d"]),
    ]


def test_paragraphs_drop_blocks_without_letters_or_digits() -> None:
    assert paragraphs("Text eins\n\n  \n\n– · –\n\nText zwei ") == ["Text eins", "Text zwei"]


_TOPICS = ["Pakete", "Spiegel", "Quellen", "Fehler", "Upload", "Signatur", "Sponsor", "Lintian"]


def _body(number: int) -> str:
    topic = _TOPICS[number % len(_TOPICS)]
    return f"{topic} werden hier erklärt.\nMehr zu {topic.lower()} steht unten."


def _alternating(number: int) -> str:
    body = _body(number)
    if number % 2:
        return f"Debian Handbuch Kapitel {number // 10 + 1}. Wissensdatenbank\n{body}\n© 2010-2017, Debian {number}"
    return f"Kapitel {number // 10 + 1}. Installation · Debian\n{body}\n{number} Debian-Handbuch"


def test_alternating_running_heads_are_removed_per_parity() -> None:
    stripped = strip_repeating_lines([_alternating(n) for n in range(1, 13)])
    for number, page in enumerate(stripped, start=1):
        assert page == _body(number)


def test_running_head_matches_its_glued_copy() -> None:
    pages = [f"Debian-Leitfaden für Neue Paketbetreuer {n} / 63\n{_body(n)}" for n in range(1, 7)]
    pages[2] = f"Debian-LeitfadenfürNeuePaketbetreuer 3 / 63\n{_body(3)}"
    assert strip_repeating_lines(pages) == [_body(n) for n in range(1, 7)]


def test_dot_leader_toc_is_found_under_a_running_head() -> None:
    page = "Debian-Referenz iv\n" + "\n".join(
        f"12.2.{n} Upgrade Schritt {n} . . . . . . . . . . . . {70 + n}" for n in range(1, 9)
    )
    assert is_table_of_contents(page)


def test_numbered_toc_column_without_leaders_is_found() -> None:
    page = "\n".join(f"{n}.1 Kapitel Nummer {n} {n * 7}" for n in range(1, 9))
    assert is_table_of_contents(page)
    rows = "\n".join(f"{n} Landkreis Zwickau {90 - n}" for n in range(1, 9))  # a table: numbers fall
    assert not is_table_of_contents(rows)


def test_body_page_is_no_toc_and_loses_only_leader_lines() -> None:
    page = "Die Charta hat drei Teile.\nSiehe Abschnitt 2 . . . . . . . . 14\nDann folgt der Anhang."
    assert not is_table_of_contents(page)
    assert drop_leader_lines(page) == "Die Charta hat drei Teile.\nDann folgt der Anhang."


def test_running_head_run_into_the_first_line_is_cut() -> None:
    pages = [f"Debian-Referenz {n} / 248\n{_body(n)}" for n in range(1, 7)]
    pages[3] = f"Debian-Referenz 4 / 248 BRE ERE Metazeichen\n{_body(4)}"
    assert strip_repeating_lines(pages)[3] == f"BRE ERE Metazeichen\n{_body(4)}"


def test_reflow_joins_list_numbers_the_pdf_reader_left_apart_from_their_items() -> None:
    text = (
        "Der Kongress formulierte drei Aufträge:\n1.\nDie Themenfelder werden übergeben.\n2.\n"
        "Das Kreislaufnetzwerk Mosel wird gestartet. 3.\nDie Jugend bleibt beteiligt."
    )
    assert reflow_lines(text).split("\n")[1:] == [
        "1. Die Themenfelder werden übergeben.",
        "2. Das Kreislaufnetzwerk Mosel wird gestartet.",
        "3. Die Jugend bleibt beteiligt.",
    ]
    assert reflow_lines("Im Jahr 2024 wurden es 3.\nDas war gut.") == "Im Jahr 2024 wurden es 3. Das war gut."
