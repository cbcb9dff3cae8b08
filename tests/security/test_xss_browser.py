"""≥ 100 XSS payloads through answers, titles, file names, headings and text, in Chromium: UI and widget.

The LLM endpoint (a fake that answers with every payload and cites [1]) and the hostile corpus feed
both surfaces. Every request to a host other than the test servers is blocked and counted. Passing
means: no dialog, no outside request, no element or attribute from a payload in the page, and every
payload id the API returned is visible as text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from webstack import QUESTION, XssStack
from xss_payloads import IDS, PAYLOADS

pytestmark = pytest.mark.browser
TIMEOUT = 90_000
_ID = re.compile(r"X\d{3}")

# Tags and attributes no payload may produce inside the chat, the source panel or the widget.
ACTIVE = """(root, links) => {
    const bad = 'script,iframe,object,embed,img,svg,video,audio,source,math,form,input,button,base,meta,'
        + 'link,style,template,noscript,details,marquee,table,x-tag,body';
    const found = [];
    for (const el of root.querySelectorAll('*')) {
        if (el.matches(bad)) found.push(el.tagName);
        for (const attr of el.attributes) {
            if (attr.name.startsWith('on') || /^\\s*(javascript|data):/i.test(attr.value)) found.push(attr.name);
        }
        if (el.tagName === 'A' && !new RegExp(links).test(el.getAttribute('href') || '')) {
            found.push('a ' + el.getAttribute('href'));
        }
    }
    return found;
}"""


@dataclass
class Guarded:
    """A page whose dialogs and outside requests are recorded (outside requests are aborted)."""

    page: Any
    dialogs: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)  # console reports of Content-Security-Policy violations


@pytest.fixture
def guarded(chromium: Any) -> Iterator[Guarded]:
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    page = context.new_page()
    watched = Guarded(page)

    def route(r: Any) -> None:
        url = r.request.url
        if url.startswith(("http://127.0.0.1:", "data:", "blob:")):
            r.continue_()
        else:
            watched.outside.append(url)
            r.abort()

    context.route("**/*", route)

    def on_dialog(dialog: Any) -> None:
        watched.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("console", lambda m: watched.csp.append(m.text) if "Content Security Policy" in m.text else None)
    yield watched
    context.close()


def api_ids(api: str) -> set[str]:
    """The payload ids the API itself returns for the question (answer, titles, sections, quotes)."""
    body = httpx.post(f"{api}/api/chat", json={"question": QUESTION}, timeout=120).json()
    texts = [body["answer"]] + [c[k] for c in body["citations"] for k in ("title", "section", "quote")]
    return set(_ID.findall(" ".join(texts)))


def payload_questions(limit: int = 1900) -> list[str]:
    """Every payload, packed into questions the API accepts (≤ 2000 characters each)."""
    questions, current = [], QUESTION
    for payload in PAYLOADS:
        if len(current) + len(payload) + 1 > limit:
            questions.append(current)
            current = QUESTION
        current += " " + payload
    return [*questions, current]


def fabricated_stream() -> str:
    """An answer stream with every payload in every field the widget shows (as if a filter failed)."""
    citations = [
        {
            "n": n,
            "doc_id": f"d{n}",
            "title": p,
            "doc_type": "study",
            "version": p[:20],
            "district": p[:30],
            "date": p[:10],
            "page": p[:15],
            "section": p,
            "quote": p,
            "superseded_by": None,
            "url": "javascript:alert('X-url')" if n % 2 else p,
        }
        for n, p in enumerate(PAYLOADS, start=1)
    ]
    answer = " ".join(PAYLOADS)
    done = {
        "answer": answer,
        "refused": False,
        "mode": "llm",
        "citations": citations,
        "filters": {},
        "timings_ms": {},
        "note": PAYLOADS[0],
    }
    events = [("delta", {"text": answer}), ("citations", citations), ("done", done)]
    return "".join(f"event: {e}\ndata: {json.dumps(d)}\n\n" for e, d in events)


def wait_answered(page: Any, n: int) -> None:
    """Wait until the n-th answer bubble holds text that has stopped changing (streaming is over)."""
    bots = page.locator("#itas-chat [data-testid='bot']")
    seen, stable = "", 0
    for _ in range(TIMEOUT // 500):
        text = bots.nth(n - 1).inner_text() if bots.count() >= n else ""
        stable = stable + 1 if text == seen and text.strip() not in ("", "…") else 0
        if stable >= 4:
            return
        seen = text
        page.wait_for_timeout(500)
    raise AssertionError(f"answer {n} did not settle: {seen[:200]!r}")


def test_payload_list_is_large_and_distinct() -> None:
    assert len(set(PAYLOADS)) == len(PAYLOADS) >= 100 and len(IDS) == len(PAYLOADS)
    assert set(_ID.findall(" ".join(payload_questions()))) == set(IDS)


def test_gradio_ui_shows_every_payload_as_text(xss_stack: XssStack, guarded: Guarded) -> None:
    expected = set(IDS) | api_ids(xss_stack.api)  # the questions carry all; the answers what survives
    page = guarded.page
    page.goto(f"{xss_stack.api}/ui/")
    for n, question in enumerate(payload_questions(), start=1):
        page.locator("#itas-question textarea").fill(question)
        page.locator("#itas-send").click()
        wait_answered(page, n)  # answered or refused: the ids a question carries show either way
    page.wait_for_timeout(1500)  # let any image, frame or handler a payload might create fire

    shown = page.locator("#itas-chat").inner_text() + page.locator("#itas-sources").inner_text()
    assert expected <= set(_ID.findall(shown))
    for root in ("#itas-chat .message-content", "#itas-sources"):
        for element in page.locator(root).all():
            assert element.evaluate(ACTIVE, r"^/api/documents/") == [], root
    assert guarded.dialogs == [] and guarded.outside == []
    assert guarded.csp == []  # Gradio itself runs under the page's CSP (no eval, no blocked script)


def test_widget_shows_every_payload_as_text(xss_stack: XssStack, guarded: Guarded) -> None:
    expected = set(IDS) | api_ids(xss_stack.api)
    page = guarded.page
    page.goto(f"{xss_stack.site}/")
    page.locator(".launcher").click()
    ask_widget(page, payload_questions()[0], 1)  # real answer from the hostile corpus
    page.route(
        "**/api/chat/stream",
        lambda route: route.fulfill(status=200, content_type="text/event-stream", body=fabricated_stream()),
    )
    ask_widget(page, QUESTION, 2)
    page.wait_for_timeout(1500)

    shown = page.locator(".log").inner_text()
    assert expected <= set(_ID.findall(shown))
    # Locators pierce the widget's open shadow root; it links only to its own server (http, same origin).
    assert page.locator(".log").evaluate(ACTIVE, rf"^{re.escape(xss_stack.api)}/") == []
    assert guarded.dialogs == [] and guarded.outside == []


def ask_widget(page: Any, question: str, n: int) -> None:
    page.locator("#itas-input").fill(question)
    page.locator("#itas-input").press("Enter")
    page.locator(".msg.assistant").nth(n - 1).wait_for(timeout=TIMEOUT)
    page.wait_for_function(
        "() => !document.getElementById('itas-assistant-widget').shadowRoot.querySelector('.send').disabled"
    )
