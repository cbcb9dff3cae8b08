"""The Gradio UI shares the API's question allowance, and the visitor reads the German limit message."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from webstack import QUESTION, QUESTIONS_PER_MINUTE, Served

pytestmark = pytest.mark.browser


def test_gradio_calls_count_against_the_same_allowance(limited_app: Served, chromium: Any) -> None:
    # The browser is 127.0.0.1; the API spends that client's allowance first, except one question.
    for _ in range(QUESTIONS_PER_MINUTE - 1):
        assert httpx.get(limited_app.url + "/api/search", params={"q": QUESTION}).status_code == 200
    page = chromium.new_page(locale="de-DE")
    try:
        page.goto(limited_app.url + "/ui/")  # the page-load event is the last allowed Gradio call
        page.locator("#itas-question textarea").wait_for()
        page.wait_for_timeout(1000)
        page.locator("#itas-question textarea").fill(QUESTION)
        page.locator("#itas-send").click()
        toast = page.get_by_text(re.compile(r"Zu viele Fragen in kurzer Zeit\. Bitte in \d+ Sekunden"))
        toast.first.wait_for(timeout=30_000)
        assert page.locator("#itas-sources .itas-source").count() == 0
    finally:
        page.close()
    assert httpx.post(limited_app.url + "/api/chat", json={"question": QUESTION}).status_code == 429
