"""The three view tabs of the Gradio app and the widget's „Ihre Branche?“ entry point, in headless Chromium."""

from __future__ import annotations

from typing import Any

import pytest

from ui import strings

pytestmark = pytest.mark.browser
TIMEOUT = 90_000


def open_tab(page: Any, url: str, name: str) -> None:
    page.goto(f"{url}/ui/")
    page.get_by_role("tab", name=name).click()


def pick(page: Any, elem_id: str, option: str) -> None:
    page.locator(f"#{elem_id} input").click()
    page.get_by_role("option", name=option).click()


def test_compare_tab_shows_versions_side_by_side(views_ui_url: str, page: Any) -> None:
    open_tab(page, views_ui_url, strings.TAB_COMPARE)
    page.locator("#itas-compare-topic textarea").fill("Wasserstoff")
    page.locator("#itas-compare-run").click()
    page.locator("#itas-compare-out .itas-version").first.wait_for(timeout=TIMEOUT)
    out = page.locator("#itas-compare-out")
    assert out.locator(".itas-status").inner_text() == "neu in 2.0"
    versions = out.locator(".itas-version h4").all_inner_texts()
    assert versions == ["Fassung 1.0", "Fassung 2.0", "Fassung 3.0"]
    assert "In der Fassung 1.0 findet sich dazu keine Stelle." in out.inner_text()
    added = out.locator(".itas-v-3-0 .itas-diff-added").first.inner_text()
    assert "Wasserstoff bleibt nur für Prozesswärme eine Option." in added
    link = out.locator(".itas-v-2-0 a.itas-open")
    assert (link.get_attribute("href") or "").startswith("/api/documents/charta-2-0/file#page=")
    assert "Beispielkorpus" in out.locator(".itas-banner").inner_text()
    assert page.errors == []


def test_compare_tab_empty_topic_gets_german_message(views_ui_url: str, page: Any) -> None:
    open_tab(page, views_ui_url, strings.TAB_COMPARE)
    page.locator("#itas-compare-run").click()
    message = page.locator("#itas-compare-out .itas-view-message")
    message.wait_for(timeout=TIMEOUT)
    assert message.inner_text() == "Bitte ein Thema eingeben oder einen Abschnitt aus der Liste wählen."


def test_district_tab_lists_forums_and_proposals(views_ui_url: str, page: Any) -> None:
    open_tab(page, views_ui_url, strings.TAB_DISTRICTS)
    pick(page, "itas-district-pick", "Vogtlandkreis")
    page.locator("#itas-district-run").click()
    page.locator("#itas-district-out .itas-forum").first.wait_for(timeout=TIMEOUT)
    text = page.locator("#itas-district-out").inner_text()
    assert "Test-Forum Vogtlandkreis 2024" in text and "Plauen" in text
    assert "Vogtland-Rückkehrerportal – 100 Rückkehrende bis Ende 2026" in text
    assert "Verknüpfungen sind Vorschläge" in text
    assert "Flamingo" not in text


def test_sector_tab_matches_a_description(views_ui_url: str, page: Any) -> None:
    open_tab(page, views_ui_url, strings.TAB_SECTORS)
    page.locator("#itas-sector-text textarea").fill("wir sind ein spritzgiesser")
    page.locator("#itas-sector-run").click()
    page.locator("#itas-sector-out .itas-sector-group").first.wait_for(timeout=TIMEOUT)
    out = page.locator("#itas-sector-out")
    assert out.locator("h3").inner_text() == "WZ 22: Herstellung von Gummi- und Kunststoffwaren"
    groups = out.locator(".itas-sector-group h4").all_inner_texts()
    assert groups[0] == "Aktuelle Fassung der Charta"
    first = out.locator(".itas-sector-group").first.locator("a.itas-open").first
    assert (first.get_attribute("href") or "").startswith("/api/documents/charta-3-0/file")
    assert "Flamingo" not in out.inner_text()
    assert "Statistisches Bundesamt" in out.inner_text()


def test_sector_tab_pick_from_the_list(views_ui_url: str, page: Any) -> None:
    open_tab(page, views_ui_url, strings.TAB_SECTORS)
    pick(page, "itas-sector-pick", "22 Herstellung von Gummi- und Kunststoffwaren")
    page.locator("#itas-sector-out .itas-sector-group").first.wait_for(timeout=TIMEOUT)
    assert (
        page.locator("#itas-sector-out h3").inner_text()
        == "WZ 22: Herstellung von Gummi- und Kunststoffwaren"
    )


def test_widget_sector_entry_point(views_ui_url: str, page: Any) -> None:
    page.goto(f"{views_ui_url}/widget-demo")
    page.locator(".launcher").click()
    entry = page.locator("#itas-sector-entry")
    assert entry.inner_text() == strings.WIDGET_SECTOR_ENTRY
    entry.click()
    assert page.locator("#itas-input").get_attribute("placeholder") == strings.WIDGET["sectorPlaceholder"]
    page.locator("#itas-input").fill("Wir sind ein Spritzgießer.")
    page.locator("#itas-input").press("Enter")
    link = page.locator(".sources a").first
    link.wait_for(timeout=TIMEOUT)
    answer = page.locator(".msg.assistant .text").last.inner_text()
    assert answer.startswith(
        "Ihre Branche: 22 Herstellung von Gummi- und Kunststoffwaren. Das sagen die Dokumente dazu:"
    )
    assert "[1] " in answer
    assert (link.get_attribute("href") or "").startswith(f"{views_ui_url}/api/documents/charta-3-0/file")
    assert page.locator("#itas-input").get_attribute("placeholder") == strings.WIDGET["placeholder"]
    assert page.errors == []
