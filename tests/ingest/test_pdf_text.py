"""Pure helpers for PDF page text: glue detection, cell-break and fragment repair, heading keys."""

from __future__ import annotations

from ingest.pdf_sections import heading_key, match_bookmarks
from ingest.pdf_text import (
    CELL_BREAK,
    is_glued,
    looks_tabular,
    rejoin_fragments,
    resolve_cell_breaks,
    vocabulary,
)


def test_glued_page_is_told_from_german_compounds() -> None:
    assert is_glued("EineInternet-MailinglisteisteineMöglichkeit,Fragenzustellen. BevorSiesichentschließen.")
    compounds = "Die Sicherheitsaktualisierungen und Konfigurationsdateien der Gebietskörperschaften."
    assert not is_glued(compounds)


def test_table_caption_or_short_line_runs_mark_a_layout_page() -> None:
    assert looks_tabular("Text davor.\nTabelle 3: Aktivitäten\nAMZ")
    assert looks_tabular("\n".join(["Zelle"] * 8))
    assert not looks_tabular(
        "\n".join(["Ein ganz normaler Satz mit vielen Wörtern, der lang genug ist."] * 20)
    )


def test_cell_breaks_join_pieces_of_one_word_only() -> None:
    vocab = vocabulary(["Der Zeitraum ist lang.", "Verantwortlich ab 2026 und bis zu zehn."])
    text = CELL_BREAK.join(["Zeitrau", "m; Verantw", "ortlich; 2025–202", "6; 17.04.2", "024; bis", "zu"])
    assert resolve_cell_breaks(text, vocab) == "Zeitraum; Verantwortlich; 2025–2026; 17.04.2024; bis zu"


def test_fragments_join_when_the_document_spells_the_whole_word() -> None:
    vocab = vocabulary(["Das Handlungsfeld eins. Das Handlungsfeld zwei.", "und die Welt gleich zugleich"])
    assert rejoin_fragments("Handl ungsfe ld und die Welt", vocab) == "Handlungsfeld und die Welt"
    assert rejoin_fragments("zu gleich", vocab) == "zu gleich"  # "gleich" is a word of its own


def test_heading_keys_ignore_numbering_case_and_spaces() -> None:
    assert heading_key("1.4 Wo man Hilfe bekommen kann") == heading_key("WomanHilfebekommenkann")
    assert heading_key("Kapitel 3. Installation") == heading_key("Installation")


def test_bookmarks_match_wrapped_printed_headings() -> None:
    lines = [
        "Kapitel 1",
        "Einstieg, aber richtig!",
        "Text.",
        "4.1 Antriebsstrang",
        "(Verbrenner)",
        "Mehr Text.",
    ]
    merged, levels, unprinted = match_bookmarks(
        lines, [(1, "Einstieg, aber richtig!"), (2, "Antriebsstrang (Verbrenner)"), (2, "Fehlt")]
    )
    assert merged == ["Einstieg, aber richtig!", "Text.", "4.1 Antriebsstrang (Verbrenner)", "Mehr Text."]
    assert levels == [1, None, 2, None] and unprinted == [(2, "Fehlt")]


def test_table_rows_name_their_values_by_the_header() -> None:
    from ingest.tables import format_rows

    grid = [["Ort", "Teilnehmende"], ["Plauen", "22"], ["Zwickau", ""], ["Quelle: Landratsamt"]]
    assert format_rows(grid) == ["Ort: Plauen; Teilnehmende: 22", "Ort: Zwickau", "Quelle: Landratsamt"]
