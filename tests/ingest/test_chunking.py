"""German sentence splitting and section-bound, sentence-aligned chunking with stable ids."""

from __future__ import annotations

import hashlib
import itertools
from pathlib import Path

import pdfgen
import pytest

from assistant.sentences import split_sentences
from assistant.types import Chunk, DocumentMeta, LoadedDocument, TextBlock
from ingest.chunking import chunk_document, content_hash
from ingest.loaders import load_file

META = DocumentMeta(doc_id="forum-2024", title="Forumsbericht 2024", doc_type="forum_report")
FIELD = ("2 Handlungsfelder", "2.3 Fachkräfte")
PLAN = ("3 Umsetzung",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Das gilt z. B. für Zwickau. Das gilt z.B. auch hier. Es gibt u. a. Chemnitz. Das heißt d. h. Neues.",
            [
                "Das gilt z. B. für Zwickau.",
                "Das gilt z.B. auch hier.",
                "Es gibt u. a. Chemnitz.",
                "Das heißt d. h. Neues.",
            ],
        ),
        (
            "Das Treffen ist am 6. Juni 2024 in Zwickau. Am 16. Mai tagte das 1. Zukunftsforum. Der 3. Kongress folgt.",
            [
                "Das Treffen ist am 6. Juni 2024 in Zwickau.",
                "Am 16. Mai tagte das 1. Zukunftsforum.",
                "Der 3. Kongress folgt.",
            ],
        ),
        (
            "Das Land gibt 8,4 Mio. € und 1.000 Stellen. Industrie 3.0 und Kap. 2.3.1 gelten. Im Jahr 2024. Danach mehr.",
            [
                "Das Land gibt 8,4 Mio. € und 1.000 Stellen.",
                "Industrie 3.0 und Kap. 2.3.1 gelten.",
                "Im Jahr 2024.",
                "Danach mehr.",
            ],
        ),
        (
            "Laut Prof. Dr. Weber (vgl. Abs. 3, S. 12, Tab. 4, Abb. 2) ist das ca. 40 % bzw. Nr. 5 inkl. Mrd. Euro. Ende.",
            [
                "Laut Prof. Dr. Weber (vgl. Abs. 3, S. 12, Tab. 4, Abb. 2) ist das ca. 40 % bzw. Nr. 5 inkl. Mrd. Euro.",
                "Ende.",
            ],
        ),
        (
            "Der Verein e. V. hilft ggf. und evtl. im 19. Jh. Damals etc. und heute. Schulen etc. Dann Neues.",
            [
                "Der Verein e. V. hilft ggf. und evtl. im 19. Jh. Damals etc. und heute.",
                "Schulen etc.",
                "Dann Neues.",
            ],
        ),
        (
            "Wer kommt? Alle! Das … Ende… Neu. „Wir schaffen das.“ Dann weiter.",
            ["Wer kommt?", "Alle!", "Das … Ende…", "Neu.", "„Wir schaffen das.“", "Dann weiter."],
        ),
        ("Ziele:\n• mehr Fachkräfte\n• neue Netzwerke", ["Ziele:", "• mehr Fachkräfte", "• neue Netzwerke"]),
        (
            "Zwei Analysen:\n• Das AMZ zählt 560 Betriebe. • Die IHK zählt 600 KMU mit weniger als 30 Beschäftigten.",
            [
                "Zwei Analysen:",
                "• Das AMZ zählt 560 Betriebe.",
                "• Die IHK zählt 600 KMU mit weniger als 30 Beschäftigten.",
            ],
        ),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def _doc(blocks: list[TextBlock]) -> LoadedDocument:
    return LoadedDocument(meta=META, blocks=blocks, pages=max(b.page_index for b in blocks))


SENTENCES = [
    "Die Betriebe suchen z. B. Elektriker und Mechatroniker in der ganzen Region.",
    "Das nächste Treffen findet am 6. Juni 2024 in Zwickau statt und ist öffentlich.",
    "Das Land fördert die Ausbildung mit 8,4 Mio. € pro Jahr bis zum Ende der Laufzeit.",
    "Außerdem entstehen neue Lernorte in Chemnitz, Freiberg und Plauen.",
    "Die Kammern beraten Betriebe bei der Anerkennung ausländischer Abschlüsse.",
]


def _sample() -> LoadedDocument:
    return _doc(
        [
            TextBlock(" ".join(SENTENCES[:3]), "iv", 4, FIELD),
            TextBlock(" ".join(SENTENCES[3:]), "1", 5, FIELD),
            TextBlock("Ein Lenkungskreis begleitet die Umsetzung. Er berichtet jährlich.", "2", 6, PLAN),
        ]
    )


def _chunks(doc: LoadedDocument, size: int = 180, overlap: int = 90) -> list[Chunk]:
    return chunk_document(doc, size=size, overlap=overlap)


def test_chunks_are_sentence_aligned_and_never_cross_sections() -> None:
    chunks = _chunks(_sample())
    assert [c.section for c in chunks] == [FIELD, FIELD, FIELD, FIELD, PLAN]
    for chunk in chunks:
        assert 0 < len(chunk.text) <= 180
        assert chunk.text == chunk.text.strip()
        assert split_sentences(chunk.text) == [s for s in SENTENCES + _PLAN_SENTENCES if s in chunk.text]
    assert chunks[-1].text == "Ein Lenkungskreis begleitet die Umsetzung. Er berichtet jährlich."
    assert [c.ordinal for c in chunks] == [0, 1, 2, 3, 4]


_PLAN_SENTENCES = ["Ein Lenkungskreis begleitet die Umsetzung.", "Er berichtet jährlich."]


def test_chunk_overlap_repeats_whole_trailing_sentences() -> None:
    chunks = _chunks(_sample())
    field = [split_sentences(c.text) for c in chunks if c.section == FIELD]
    for previous, following in itertools.pairwise(field):
        assert following[0] == previous[-1]  # one whole sentence (< 90 chars) carried over
    assert [s for sentences in field for s in sentences[1:]] == SENTENCES[1:]


def test_chunk_pages_come_from_first_and_last_block() -> None:
    chunks = _chunks(_sample())
    assert [(c.page_start, c.page_end, c.page_index, c.page_label) for c in chunks] == [
        ("iv", "iv", 4, "iv"),
        ("iv", "iv", 4, "iv"),
        ("iv", "1", 4, "iv–1"),
        ("1", "1", 5, "1"),
        ("2", "2", 6, "2"),
    ]


def test_chunks_carry_meta_and_no_prefix() -> None:
    chunk = _chunks(_sample())[-1]
    assert chunk.meta == META and chunk.doc_id == "forum-2024"
    assert chunk.section_title == "3 Umsetzung"
    assert not chunk.text.startswith("3 Umsetzung")


def test_long_sentence_is_split_without_empty_pieces() -> None:
    words = " ".join(f"Maßnahme{i}" for i in range(80))
    chunks = _chunks(_doc([TextBlock(f"Kurz. {words} endet hier.", "1", 1, PLAN)]), size=120, overlap=30)
    assert len(chunks) > 4
    assert all(0 < len(c.text) <= 120 for c in chunks)
    assert "Maßnahme79 endet hier." in chunks[-1].text


def test_list_items_stay_on_their_lines() -> None:
    doc = _doc([TextBlock("Ziele:\n• mehr Fachkräfte\n• neue Netzwerke", "1", 1, FIELD)])
    assert [c.text for c in _chunks(doc)] == ["Ziele:\n• mehr Fachkräfte\n• neue Netzwerke"]


def test_chunk_ids_are_content_based_and_stable() -> None:
    first, second = _chunks(_sample()), _chunks(_sample())
    assert [c.chunk_id for c in first] == [c.chunk_id for c in second]
    last = first[-1]
    digest = hashlib.sha1("\x1f".join([*PLAN, last.text]).encode()).hexdigest()[:16]
    assert last.chunk_id == f"forum-2024:{digest}"


def test_only_changed_chunks_get_new_ids() -> None:
    before = _chunks(_sample())
    blocks = _sample().blocks
    blocks[2] = TextBlock(
        "Ein Lenkungskreis begleitet die Umsetzung. Er berichtet halbjährlich.", "2", 6, PLAN
    )
    after = _chunks(_doc(blocks))
    assert [c.chunk_id for c in after[:4]] == [c.chunk_id for c in before[:4]]
    assert after[4].chunk_id != before[4].chunk_id


def test_identical_repeats_get_numbered_ids() -> None:
    contact = "Kontakt: Geschäftsstelle der Charta in Zwickau."
    doc = _doc(
        [
            TextBlock(contact, "1", 1, PLAN),
            TextBlock("Anderer Abschnitt.", "1", 1, FIELD),
            TextBlock(contact, "2", 2, PLAN),
            TextBlock(contact, "3", 3, FIELD),
        ]
    )
    ids = [c.chunk_id for c in _chunks(doc)]
    assert ids[2] == f"{ids[0]}-2"
    assert len(set(ids)) == 4 and not ids[3].endswith("-2")  # other section → other hash


def test_content_hash_is_sha256() -> None:
    assert content_hash("Fachkräfte") == hashlib.sha256("Fachkräfte".encode()).hexdigest()


def test_real_pdf_gives_the_same_chunks_twice(tmp_path: Path) -> None:
    pdf = pdfgen.report_pdf(tmp_path / "charta.pdf")
    limits = {"max_bytes": 5 * 1024 * 1024, "pdf_timeout_s": 20.0, "pdf_memory_mb": 1024}
    runs = [chunk_document(load_file(pdf, META, **limits), size=200, overlap=60) for _ in range(2)]  # type: ignore[arg-type]
    assert runs[0] == runs[1]
    texts = " ".join(c.text for c in runs[0])
    assert "z. B. steigende Zahlen" in texts and "am 6. Juni 2024 in Zwickau" in texts
    assert "mit 8,4 Mio. € pro Jahr" in texts
    sections = {c.section for c in runs[0]}
    assert ("2 Handlungsfelder", "2.3 Fachkräfte und Qualifizierung", "2.3.1 Ausbildung") in sections
    assert all(c.text for c in runs[0])
