"""The Gradio app and the website widget in headless Chromium, against the real server."""

from __future__ import annotations

import re
from typing import Any

import pytest
from uistack import UNCITED_LLM_REPLY, Stack, Watched, shot

from assistant.feedback import FeedbackStore
from ui import strings

pytestmark = pytest.mark.browser

QUESTION = "Was sagt die Charta zu Gießereien?"
PAYLOADS = ("<img src=x onerror=alert(1)>", "<script>alert(2)</script>", "${alert(3)}")
TIMEOUT = 60_000


def assert_inert(watched: Watched) -> None:
    """No payload ran: no dialog opened and no injected element exists."""
    page = watched.page
    assert watched.dialogs == []
    injected = page.evaluate(
        """() => {
        const roots = [document];
        const host = document.getElementById('itas-assistant-widget');
        if (host && host.shadowRoot) roots.push(host.shadowRoot);
        return roots.reduce((n, r) => n + r.querySelectorAll('img[src="x"], img[src="y"]').length, 0);
    }"""
    )
    assert injected == 0


# ---- Gradio app -----------------------------------------------------------------------------


def ask_ui(page: Any, api: str, question: str) -> None:
    page.goto(f"{api}/ui/")
    page.locator("#itas-question textarea").fill(question)
    page.locator("#itas-send").click()


def test_ui_answers_with_citations_and_sources(stack: Stack, watched: Watched) -> None:
    page = watched.page
    ask_ui(page, stack.api, QUESTION)
    source = page.locator("#itas-sources .itas-source").first
    source.wait_for(timeout=TIMEOUT)

    answer = page.locator("#itas-chat [data-testid='bot']").last.inner_text()
    assert "Gießereien" in answer and "[1]" in answer
    panel = page.locator("#itas-sources").inner_text()
    for label in ("Dokumenttyp", "Version", "Landkreis", "Datum", "Seite", "Abschnitt"):
        assert label in panel
    assert "Charta" in panel and "3.0" in panel and "2025-03-01" in panel
    assert "klimaneutrale Schmelzverfahren" in panel
    assert page.get_by_text(strings.SAMPLE_BANNER).is_visible()

    link = source.locator("a.itas-open")
    assert link.inner_text() == "Original öffnen (S. 1)"
    assert link.get_attribute("target") == "_blank"
    assert "noopener" in (link.get_attribute("rel") or "")
    href = link.get_attribute("href") or ""
    assert href.startswith("/api/documents/charta-3-0/file")
    response = page.request.get(f"{stack.api}{href}")
    assert response.status == 200
    assert "klimaneutrale" in response.text()

    # The XSS payloads of the title are shown as text in the answer and the panel, and run nowhere.
    for payload in PAYLOADS:
        assert payload in answer
        assert payload in panel
    assert_inert(watched)
    shot(page, "ui-desktop")


def test_ui_feedback_is_stored(stack: Stack, watched: Watched) -> None:
    page = watched.page
    ask_ui(page, stack.api, QUESTION)
    page.locator("#itas-sources .itas-source").first.wait_for(timeout=TIMEOUT)
    store = FeedbackStore(stack.feedback_path)
    before = store.count("down")
    page.locator("#itas-feedback-comment textarea").fill("Quelle fehlt")
    page.locator("#itas-feedback-down").click()
    page.get_by_text(strings.FEEDBACK_THANKS).wait_for(timeout=TIMEOUT)
    assert store.count("down") == before + 1
    row = store.rows()[-1]
    assert (row["question"], row["rating"], row["comment"]) == (QUESTION, "down", "Quelle fehlt")
    assert row["citations"][0]["doc_id"] == "charta-3-0"


def test_ui_searches_public_documents_only(stack: Stack, watched: Watched) -> None:
    page = watched.page
    ask_ui(page, stack.api, "Wie hoch ist das Geheimbudget für den Workshop Flamingo?")
    page.locator("#itas-sources .itas-muted, #itas-sources .itas-source").first.wait_for(timeout=TIMEOUT)
    page.wait_for_function(
        "() => !document.querySelector('#itas-chat .pending')", timeout=TIMEOUT
    )  # streaming finished
    text = page.locator("#itas-chat").inner_text() + page.locator("#itas-sources").inner_text()
    assert "4711" not in text and "Interne Notiz" not in text


def test_ui_phone_layout(stack: Stack, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="de-DE")
    page = context.new_page()
    try:
        ask_ui(page, stack.api, QUESTION)
        page.locator("#itas-sources .itas-source").first.wait_for(timeout=TIMEOUT)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 375  # nothing forces horizontal scrolling
        shot(page, "ui-phone", full_page=True)
    finally:
        context.close()


# ---- Widget ---------------------------------------------------------------------------------


def shadow_focus(page: Any) -> str:
    """Describe the focused element inside the widget's shadow root ('' if focus is elsewhere)."""
    return str(
        page.evaluate(
            """() => {
        const host = document.getElementById('itas-assistant-widget');
        const el = host && document.activeElement === host ? host.shadowRoot.activeElement : null;
        return el ? (el.id || el.className || el.tagName) : '';
    }"""
        )
    )


def ask_widget(page: Any, question: str) -> None:
    page.locator("#itas-input").fill(question)
    page.locator("#itas-input").press("Enter")


def test_widget_cross_origin_keyboard(stack: Stack, watched: Watched) -> None:
    page = watched.page
    page.goto(f"{stack.site}/widget.html")
    launcher = page.locator(".launcher")
    launcher.wait_for()
    assert launcher.get_attribute("aria-label") == strings.WIDGET["open"]
    assert launcher.get_attribute("aria-expanded") == "false"

    page.keyboard.press("Tab")  # the website's own link
    page.keyboard.press("Tab")  # the widget button
    assert shadow_focus(page) == "launcher"
    page.keyboard.press("Enter")
    dialog = page.locator("[role='dialog']")
    assert dialog.is_visible() and dialog.get_attribute("aria-modal") == "true"
    assert launcher.get_attribute("aria-expanded") == "true"
    assert shadow_focus(page) == "itas-input"

    page.keyboard.type(QUESTION)
    page.keyboard.press("Enter")
    link = page.locator(".sources a").first
    link.wait_for(timeout=TIMEOUT)
    answer = page.locator(".msg.assistant .text").last.inner_text()
    assert "Gießereien" in answer and "[1]" in answer
    href = link.get_attribute("href") or ""
    assert href.startswith(f"{stack.api}/api/documents/charta-3-0/file")
    assert link.get_attribute("target") == "_blank"
    assert page.request.get(href).status == 200
    for payload in PAYLOADS:
        assert payload in answer and payload in link.inner_text()
    assert_inert(watched)
    assert page.locator(".log").get_attribute("aria-live") == "polite"
    shot(page, "widget-desktop")

    for _ in range(5):  # aria-modal: Tab cycles through the panel and never leaves it
        page.keyboard.press("Tab")
        assert shadow_focus(page)
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert launcher.get_attribute("aria-expanded") == "false"
    assert shadow_focus(page) == "launcher"


def test_widget_does_not_inherit_page_styles(stack: Stack, watched: Watched) -> None:
    page = watched.page
    page.goto(f"{stack.site}/widget.html")
    color = page.locator(".launcher").evaluate("el => getComputedStyle(el).backgroundColor")
    assert color == "rgb(0, 92, 169)"  # data-color, not the page's `button{background:lime!important}`
    font = page.locator(".launcher").evaluate("el => getComputedStyle(el).fontFamily")
    assert "Comic" not in font


def test_widget_phone_full_screen(stack: Stack, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="de-DE", has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{stack.site}/widget.html")
        shot(page, "widget-phone-closed")
        page.locator(".launcher").click()
        ask_widget(page, QUESTION)
        page.locator(".sources a").first.wait_for(timeout=TIMEOUT)
        box = page.locator("[role='dialog']").bounding_box()
        assert box is not None and (box["x"], box["y"], box["width"]) == (0, 0, 375)
        shot(page, "widget-phone")
    finally:
        context.close()


def test_widget_foreign_origin_gets_german_message(stack: Stack, watched: Watched) -> None:
    page = watched.page
    page.goto(f"{stack.foreign_site}/widget.html")
    page.locator(".launcher").click()
    ask_widget(page, QUESTION)
    error = page.locator(".msg.error .text")
    error.wait_for(timeout=TIMEOUT)
    assert error.inner_text() == strings.WIDGET["network"]
    assert page.locator(".sources").count() == 0
    assert "Gießereien bei der Umstellung" not in page.locator(".log").inner_text()


def test_widget_rate_limit_message(stack: Stack, watched: Watched) -> None:
    page = watched.page
    page.goto(f"{stack.site}/limited.html")
    page.locator(".launcher").click()
    for n in (1, 2):  # the limited instance allows two questions per minute
        ask_widget(page, QUESTION)
        page.locator(".msg.assistant .sources").nth(n - 1).wait_for(timeout=TIMEOUT)
        page.wait_for_function(
            "() => !document.getElementById('itas-assistant-widget').shadowRoot.querySelector('.send').disabled"
        )
    ask_widget(page, "Und was gilt für Zulieferer?")
    error = page.locator(".msg.error .text")
    error.wait_for(timeout=TIMEOUT)
    assert re.fullmatch(
        r"Zu viele Fragen in kurzer Zeit\. Bitte in \d+ Sekunden erneut versuchen\.", error.inner_text()
    )
    shot(page, "widget-rate-limited")


def test_widget_demo_page_shows_escaped_snippet(stack: Stack, watched: Watched) -> None:
    page = watched.page
    page.goto(f"{stack.api}/widget-demo")
    snippet = page.locator("#snippet").inner_text()
    assert snippet.startswith(f'<script src="{stack.api}/widget.js"\n') and "defer></script>" in snippet
    assert 'data-title="ITAS-Assistent"' in snippet
    page.locator(".launcher").click()
    ask_widget(page, QUESTION)
    page.locator(".sources a").first.wait_for(timeout=TIMEOUT)
    assert_inert(watched)
    shot(page, "widget-demo")


# ---- The final text comes from `done` -------------------------------------------------------


def test_widget_shows_done_text_not_the_replaced_stream(stack: Stack, watched: Watched) -> None:
    page = watched.page
    page.goto(f"{stack.site}/llm.html")
    page.locator(".launcher").click()
    ask_widget(page, QUESTION)
    page.locator(".sources a").first.wait_for(timeout=TIMEOUT)
    message = page.locator(".msg.assistant").last
    assert UNCITED_LLM_REPLY not in message.inner_text()
    assert "Gießereien bei der Umstellung" in message.locator(".text").inner_text()
    assert message.locator(".note").inner_text().startswith("Das Sprachmodell war nicht erreichbar")


def test_ui_shows_done_text_not_the_replaced_stream(stack: Stack, watched: Watched) -> None:
    page = watched.page
    ask_ui(page, stack.llm_api, QUESTION)
    page.locator("#itas-sources .itas-source").first.wait_for(timeout=TIMEOUT)
    answer = page.locator("#itas-chat [data-testid='bot']").last.inner_text()
    assert UNCITED_LLM_REPLY not in answer
    assert "Gießereien bei der Umstellung" in answer and "Das Sprachmodell war nicht erreichbar" in answer
