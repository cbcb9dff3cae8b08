"""The Gradio app: streamed, cited answers from the shared answer service, filters, sources, feedback."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

import gradio as gr
from gradio.components.chatbot import ExampleMessage

from assistant.answering import Question
from assistant.errors import AssistantError, IndexNotReady
from assistant.feedback import FeedbackEntry, FeedbackStore, Rating
from assistant.services import Services
from assistant.types import DISTRICTS
from ui import strings
from ui.render import (
    build_filters,
    chat_text,
    doc_type_choices,
    render_banner,
    render_sources,
    visible_documents,
    year_choices,
)
from ui.views_tabs import add_view_tabs

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StreamStep:
    """What the chat shows after one event of the answer stream."""

    text: str
    citations: list[dict[str, Any]] | None = None
    done: dict[str, Any] | None = None
    error: bool = False


def error_text(exc: Exception) -> str:
    """The German message for a failure while answering (never a traceback)."""
    if isinstance(exc, IndexNotReady):
        return strings.ERROR_NO_INDEX
    if isinstance(exc, AssistantError):
        return strings.ERROR_UNAVAILABLE
    return strings.ERROR_INTERNAL


def stream_answer(services: Services, question: Question) -> Iterator[StreamStep]:
    """Run the shared answer stream; the final text comes from `done` (it may replace the deltas)."""
    shown = ""
    try:
        for event, data in services.answerer.stream(question):
            if event == "delta":
                shown += data
                yield StreamStep(chat_text(shown))
            elif event == "done":
                yield StreamStep(chat_text(data["answer"], data.get("note")), data["citations"], data)
    except Exception as exc:
        log.exception("answering failed for the Gradio app")
        yield StreamStep(error_text(exc), error=True)


def make_question(services: Services, text: str, session: dict[str, Any], form: tuple[Any, ...]) -> Question:
    """Build the question from the text, the session's turns and the filter form values."""
    versions, doc_types, districts, year, current_only = form
    include_internal = services.settings.ui.include_internal
    filters = build_filters(versions, doc_types, districts, year, include_internal=include_internal)
    turns = session.get("turns", [])[-services.settings.api.max_history_turns :]
    return Question(text, [(r, t) for r, t in turns], filters, bool(current_only))


def check_question(text: str, limit: int) -> str | None:
    """The German problem with a question, or None if it can be asked."""
    if not text:
        return strings.ERROR_EMPTY
    return strings.ERROR_TOO_LONG.format(limit=limit) if len(text) > limit else None


def new_session() -> dict[str, Any]:
    """Per-browser-tab state: the raw conversation turns and the last answered exchange."""
    return {"turns": [], "last": None}


def respond(
    services: Services, text: str, history: list[dict[str, Any]], session: dict[str, Any], *form: Any
) -> Iterator[tuple[Any, ...]]:
    """Chat callback: stream the answer into the chat and fill the source panel when done."""
    text = (text or "").strip()
    problem = check_question(text, services.settings.api.max_question_chars)
    history = [*history, {"role": "user", "content": chat_text(text)}, {"role": "assistant", "content": "…"}]
    if problem:
        history[-1]["content"] = problem
        yield history, render_sources(None), text, session
        return
    question = make_question(services, text, session, form)
    for step in stream_answer(services, question):
        history[-1] = {"role": "assistant", "content": step.text}
        if step.done is not None:
            turns = [*session["turns"], ("user", text), ("assistant", step.done["answer"])]
            session = {
                "turns": turns,
                "last": {"question": text, "answer": step.done, "current_only": question.current_only},
            }
        sources = render_sources(step.citations) if step.done or step.error else render_sources(None)
        yield history, sources, "", session


def record_feedback(store: FeedbackStore, rating: Rating, comment: str, session: dict[str, Any]) -> str:
    """Store a rating of the last answer; returns the German status line (no client data is stored)."""
    last = (session or {}).get("last")
    if not last:
        return strings.FEEDBACK_NOTHING
    answer = last["answer"]
    settings = {
        "filters": answer.get("filters", {}),
        "current_only": last.get("current_only", False),
        "mode": answer.get("mode"),
    }
    entry = FeedbackEntry(
        last["question"], answer["answer"], rating, answer.get("citations", []), settings, comment or ""
    )
    try:
        store.add(entry)
    except Exception:
        log.exception("storing feedback failed")
        return strings.FEEDBACK_FAILED
    return strings.FEEDBACK_THANKS


def load_choices(services: Services) -> tuple[Any, ...]:
    """Page-load callback: version and year choices and the sample banner from the current index."""
    try:
        snap = services.retriever.snapshot()
    except AssistantError:
        return gr.update(choices=[]), gr.update(choices=[]), gr.update(value="", visible=False)
    docs = visible_documents(snap.documents, include_internal=services.settings.ui.include_internal)
    sample = any(m.sample for m in docs)
    years = [(strings.FILTER_ANY, ""), *((y, y) for y in year_choices(docs))]
    return (
        gr.update(choices=list(snap.known_versions)),
        gr.update(choices=years, value=""),
        gr.update(value=render_banner(sample), visible=sample),
    )


@dataclass
class Parts:
    """The components the callbacks read or write."""

    session: gr.State
    banner: gr.Markdown
    chatbot: gr.Chatbot
    question: gr.Textbox
    send: gr.Button
    form: list[Any]
    sources: gr.Markdown
    comment: gr.Textbox
    up: gr.Button
    down: gr.Button
    feedback_status: gr.Markdown


def build_ui(services: Services) -> gr.Blocks:
    """Build the Gradio Blocks app over the shared services (mount it with `gr.mount_gradio_app`)."""
    # No telemetry to Gradio's servers from the product (not only in tests): visitors' use stays here.
    with gr.Blocks(title=strings.APP_TITLE, analytics_enabled=False) as demo:
        with gr.Tabs(elem_id="itas-tabs"):
            with gr.Tab(strings.TAB_CHAT, elem_id="itas-tab-chat"):
                parts = _layout()
            add_view_tabs(demo, services)
        _wire(demo, parts, services)
    return demo


def _layout() -> Parts:
    session = gr.State(new_session())
    # gr.Markdown, not gr.HTML: Gradio 6's HTML component compiles a template with `new Function`,
    # which the page's Content-Security-Policy forbids ('unsafe-eval'). The HTML we pass is complete,
    # escaped and free of blank lines (see ui.render), so Markdown leaves it as one raw HTML block.
    banner = gr.Markdown("", visible=False, elem_id="itas-banner", latex_delimiters=[])
    gr.Markdown(f"# {strings.APP_TITLE}\n{strings.APP_INTRO}")
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=320):
            chatbot = gr.Chatbot(
                label=strings.CHAT_LABEL,
                height=480,
                placeholder=strings.CHAT_PLACEHOLDER,
                feedback_options=None,
                buttons=["copy"],
                # Text, never Markdown/LaTeX: answers quote documents (see ui.render.chat_text).
                render_markdown=False,
                latex_delimiters=[],
                examples=_examples(),
                elem_id="itas-chat",
            )
            with gr.Row(equal_height=True):
                question = gr.Textbox(
                    label=strings.INPUT_LABEL,
                    placeholder=strings.INPUT_PLACEHOLDER,
                    scale=5,
                    max_lines=4,
                    elem_id="itas-question",
                )
                send = gr.Button(strings.SEND, variant="primary", scale=1, elem_id="itas-send")
            comment, up, down, status = _feedback_box()
        with gr.Column(scale=2, min_width=300):
            form = _filters()
            sources = gr.Markdown(render_sources(None), elem_id="itas-sources", latex_delimiters=[])
    return Parts(session, banner, chatbot, question, send, form, sources, comment, up, down, status)


def _wire(demo: gr.Blocks, p: Parts, services: Services) -> None:
    store = FeedbackStore(services.settings.feedback.path)
    outputs = [p.chatbot, p.sources, p.question, p.session]
    inputs = [p.question, p.chatbot, p.session, *p.form]
    answer = partial(respond, services)
    # One shared limit for all three triggers (Gradio's default is one answer at a time for everyone).
    limits: dict[str, Any] = {
        "concurrency_limit": services.settings.ui.concurrency_limit,
        "concurrency_id": "answer",
    }
    p.question.submit(answer, inputs, outputs, **limits)
    p.send.click(answer, inputs, outputs, **limits)
    p.chatbot.example_select(pick_example, None, p.question).then(answer, inputs, outputs, **limits)
    ratings: tuple[tuple[gr.Button, Rating], ...] = ((p.up, "up"), (p.down, "down"))
    for button, rating in ratings:
        feedback = partial(record_feedback, store, rating)
        button.click(feedback, [p.comment, p.session], p.feedback_status).then(lambda: "", None, p.comment)
    reset = [p.session, p.sources, p.feedback_status]
    p.chatbot.clear(lambda: (new_session(), render_sources(None), ""), None, reset)
    demo.load(partial(load_choices, services), None, [p.form[0], p.form[3], p.banner])


def _feedback_box() -> tuple[gr.Textbox, gr.Button, gr.Button, gr.Markdown]:
    with gr.Group(elem_id="itas-feedback"):
        gr.Markdown(f"**{strings.FEEDBACK_PROMPT}**", padding=True)
        comment = gr.Textbox(
            label=strings.FEEDBACK_COMMENT,
            placeholder=strings.FEEDBACK_COMMENT_PLACEHOLDER,
            elem_id="itas-feedback-comment",
        )
        with gr.Row():
            up = gr.Button(strings.FEEDBACK_UP, size="sm", elem_id="itas-feedback-up")
            down = gr.Button(strings.FEEDBACK_DOWN, size="sm", elem_id="itas-feedback-down")
        status = gr.Markdown("", elem_id="itas-feedback-status", padding=True)
    return comment, up, down, status


def _examples() -> list[ExampleMessage]:
    return [
        {"text": q, "display_text": f"{group}: {q}"}
        for group, questions in strings.EXAMPLE_GROUPS
        for q in questions
    ]


def pick_example(event: gr.SelectData) -> str:
    """Put the chosen example question into the input box."""
    return str(event.value.get("text", "")) if isinstance(event.value, dict) else str(event.value)


def _filters() -> list[Any]:
    with gr.Accordion(strings.FILTERS_HEADING, open=False, elem_id="itas-filters"):
        version = gr.Dropdown([], label=strings.FILTER_VERSION, multiselect=True, elem_id="itas-f-version")
        doc_type = gr.Dropdown(doc_type_choices(), label=strings.FILTER_DOC_TYPE, multiselect=True)
        district = gr.Dropdown(list(DISTRICTS), label=strings.FILTER_DISTRICT, multiselect=True)
        year = gr.Dropdown([(strings.FILTER_ANY, "")], value="", label=strings.FILTER_YEAR)
        current = gr.Checkbox(False, label=strings.FILTER_CURRENT_ONLY, elem_id="itas-f-current")
    return [version, doc_type, district, year, current]


def theme() -> gr.themes.Base:
    """ITAS blue on the system font stack (no web fonts to load)."""
    return gr.themes.Default(
        primary_hue=gr.themes.Color(
            c50="#e6f0f8",
            c100="#cce0f1",
            c200="#99c2e3",
            c300="#66a3d5",
            c400="#3385c7",
            c500="#005ca9",
            c600="#004f91",
            c700="#00437a",
            c800="#003663",
            c900="#00294c",
            c950="#001d36",
        ),
        font=["system-ui", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
        font_mono=["ui-monospace", "Menlo", "Consolas", "monospace"],
    )
