"""Pure helpers of the Gradio app: filters, escaping, the source panel and the answer stream."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from assistant.answering import Question
from assistant.errors import IndexNotReady
from assistant.services import Services
from ui import strings
from ui.app import stream_answer
from ui.render import build_filters, chat_text, render_sources, safe_url

CITATION = {
    "n": 2,
    "doc_id": "charta-2-0",
    "title": 'Charta 2.0 <img src=x onerror="alert(1)">',
    "doc_type": "charta",
    "version": "2.0",
    "district": None,
    "date": "2024-04-01",
    "page": "7",
    "section": "3 Gießereien",
    "quote": "Gießereien <script>alert(2)</script> werden unterstützt.",
    "superseded_by": "3.0",
    "url": "/api/documents/charta-2-0/file#page=7",
}


def test_filters_from_form_values() -> None:
    filters = build_filters(["3.0"], [], None, "2024")
    assert (filters.versions, filters.doc_types, filters.districts) == (("3.0",), None, None)
    assert (filters.date_from, filters.date_to, filters.audiences) == (
        "2024-01-01",
        "2024-12-31",
        ("public",),
    )
    assert build_filters(None, None, None, "", include_internal=True).audiences == ("public", "internal")
    assert build_filters(None, None, None, "letztes Jahr").date_from is None


def test_source_card_escapes_and_marks_superseded() -> None:
    html = render_sources([CITATION])
    assert "<img" not in html and "<script" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert "ersetzt durch Charta 3.0" in html and 'class="itas-superseded"' in html
    assert "<dt>Landkreis</dt><dd>–</dd>" in html and "<dd>3 Gießereien</dd>" in html
    assert (
        '<a class="itas-open" href="/api/documents/charta-2-0/file#page=7" target="_blank" '
        'rel="noopener">Original öffnen (S. 7)</a>'
    ) in html


def test_unsafe_urls_get_no_link() -> None:
    for url in ("javascript:alert(1)", "//evil.example/x", "data:text/html,x", ' /x" onclick="y'):
        assert safe_url(url) is None
        assert "itas-open" not in render_sources([{**CITATION, "url": url}])
    assert safe_url("https://example.org/a.pdf#page=2") == "https://example.org/a.pdf#page=2"


def test_placeholders_and_chat_text() -> None:
    assert strings.SOURCES_EMPTY in render_sources(None)
    assert strings.SOURCES_NONE in render_sources([])
    assert chat_text("A <b>x</b> [1]\nB", "Hinweis") == (
        'A &lt;b&gt;x&lt;/b&gt; [1]<br>B<br><br><em class="itas-note">Hinweis</em>'
    )


def test_chat_text_keeps_markdown_and_urls_literal() -> None:
    text = chat_text('![x](https://evil.example/a.png) [y](javascript:alert(1)) "q" & <i>')
    assert text == ("![x](https://evil.example/a.png) [y](javascript:alert(1)) &quot;q&quot; &amp; &lt;i&gt;")


class ScriptedAnswerer:
    """Replays a fixed event sequence, like AnswerService.stream; raises if given an exception."""

    def __init__(self, events: list[tuple[str, Any]] | Exception) -> None:
        self.events = events

    def stream(self, question: Question) -> Iterator[tuple[str, Any]]:
        if isinstance(self.events, Exception):
            raise self.events
        yield from self.events


def services_with(answerer: ScriptedAnswerer) -> Services:
    return cast(Services, type("S", (), {"answerer": answerer})())


def test_stream_shows_deltas_then_the_done_text() -> None:
    done = {"answer": "Extraktive Antwort [1]", "note": "Hinweis", "citations": [CITATION]}
    events = [("delta", "LLM-Text "), ("delta", "ohne Beleg"), ("citations", [CITATION]), ("done", done)]
    steps = list(stream_answer(services_with(ScriptedAnswerer(events)), Question("F")))
    assert [s.text for s in steps] == [
        "LLM-Text ",
        "LLM-Text ohne Beleg",
        'Extraktive Antwort [1]<br><br><em class="itas-note">Hinweis</em>',
    ]
    assert steps[-1].citations == [CITATION] and steps[-1].done == done


def test_stream_errors_become_german_messages() -> None:
    for exc, text in (
        (IndexNotReady("x"), strings.ERROR_NO_INDEX),
        (RuntimeError("boom"), strings.ERROR_INTERNAL),
    ):
        steps = list(stream_answer(services_with(ScriptedAnswerer(exc)), Question("F")))
        assert [(s.text, s.error) for s in steps] == [(text, True)]


def test_widget_script_has_texts_css_and_limit_filled_in() -> None:
    from ui.widget_routes import widget_js

    script = widget_js(4)
    assert "/*ITAS_" not in script
    assert '"inputLabel": "Ihre Frage"' in script and ":host" in script
    assert "var MAX_TURNS = 4;" in script
    assert "innerHTML" not in script and "localStorage" not in script and "document.cookie" not in script
