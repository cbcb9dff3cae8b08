"""The three view tabs of the Gradio app: version comparison, districts, sector check.

Each tab calls the same view functions as the API (assistant.views) and renders their result as one
escaped HTML block inside gr.Markdown (see ui.render: no blank line may survive, every document-derived
string is escaped, links only to the product's own paths).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import partial
from typing import Any

import gradio as gr

from assistant.errors import AssistantError, RequestError
from assistant.services import Services
from assistant.views.compare import compare, section_topics
from assistant.views.districts import district_list, district_view
from assistant.views.sectors import match_sectors, sector_list, sector_view
from ui import strings
from ui.render import safe_url


def _t(value: object) -> str:
    return html.escape(" ".join(str(value).split()))


def _link(url: object, label: str) -> str:
    href = safe_url(url)
    if not href:
        return _t(label)
    return f'<a class="itas-open" href="{html.escape(href)}" target="_blank" rel="noopener">{_t(label)}</a>'


def _notice(result: dict[str, Any]) -> str:
    note = result.get("sample_notice")
    return f'<div class="itas-banner" role="note">{_t(note)}</div>' if note else ""


def _message(text: str | None) -> str:
    return f'<p class="itas-muted itas-view-message">{_t(text)}</p>' if text else ""


def render_compare(result: dict[str, Any]) -> str:
    """Versions side by side: passage, citation, marked differences; change entries below."""
    parts = [_notice(result), _message(result.get("message"))]
    if result["status"]:
        parts.append('<p class="itas-status">' + " · ".join(_t(x) for x in result["status"]) + "</p>")
    parts.append(f'<p class="itas-muted">{_t(strings.DIFF_LEGEND)}</p><div class="itas-versions">')
    for row in result["rows"]:
        vclass = "itas-v-" + "".join(ch if ch.isalnum() else "-" for ch in str(row["version"]))
        parts.append(f'<section class="itas-version {vclass}">')
        parts.append(f"<h4>Fassung {_t(row['version'])}</h4>")
        if row.get("note"):
            parts.append(f'<p class="itas-muted">{_t(row["note"])}</p>')
        passage = row["passage"]
        if passage is None:
            parts.append(f'<p class="itas-muted">{_t(row["empty"])}</p></section>')
            continue
        label = f"{passage['title']}, S. {passage['page']} – {passage['section']}"
        parts.append(f'<p class="itas-cite">{_link(passage["url"], label)}</p>')
        if passage.get("superseded_by"):
            note = strings.SUPERSEDED_BY.format(version=passage["superseded_by"])
            parts.append(f'<p class="itas-superseded">{_t(note)}</p>')
        lines = row["diff"] or [{"kind": "same", "label": "", "text": x} for x in passage["sentences"]]
        parts.append("<ul>")
        for d in lines:
            tag = f'<span class="itas-diff-label">{_t(d["label"])}</span> ' if d["kind"] != "same" else ""
            parts.append(f'<li class="itas-diff-{d["kind"]}">{tag}{_t(d["text"])}</li>')
        parts.append("</ul>")
        if row.get("more"):
            parts.append(f'<p class="itas-muted">{_t(strings.COMPARE_MORE)} {_t("; ".join(row["more"]))}</p>')
        parts.append("</section>")
    parts.append("</div>")
    if result["changes"]:
        parts.append(f"<h4>{_t(strings.COMPARE_CHANGES)}</h4><ul>")
        for c in result["changes"]:
            parts.append(
                f"<li><strong>{_t(c['version'])} · {_t(c['kind_label'])}:</strong> {_t(c['summary'])}</li>"
            )
        parts.append("</ul>")
    return "".join(parts)


def render_district(result: dict[str, Any]) -> str:
    """Forums of a district with proposals, figures and suggested links (marked as suggestions)."""
    parts = [_notice(result), _message(result.get("message")), f"<h3>{_t(result['district'])}</h3>"]
    parts.append(f'<p class="itas-muted">{_t(result["link_note"])}</p>')
    for forum in result["forums"]:
        facts = [forum.get("date") or "", forum.get("place") or "", forum.get("participants") or ""]
        parts.append(f'<section class="itas-forum"><h4>{_link(forum["url"], forum["title"])}</h4>')
        parts.append(
            f'<p class="itas-muted">{_t(facts[0])} · {_t(strings.DISTRICT_PLACE)}: {_t(facts[1] or "–")} · '
            f"{_t(strings.DISTRICT_PARTICIPANTS)}: {_t(facts[2] or '–')}</p><ul>"
        )
        for p in forum["proposals"]:
            figure = f" – {_t(p['figure'])}" if p.get("figure") else ""
            parts.append(f'<li class="itas-proposal"><strong>{_t(p["name"])}</strong>{figure}')
            for link in p["links"]:
                label = f"Charta {link['version']}, S. {link['page']} – {link['section']}"
                parts.append(
                    f'<div class="itas-link"><span class="itas-diff-label">{_t(strings.DISTRICT_LINK)}</span> '
                    f"{_link(link['url'], label)}<blockquote>{_t(link['quote'])}</blockquote></div>"
                )
            if not p["links"]:
                parts.append(
                    f'<div class="itas-open-item">{_t(strings.DISTRICT_OPEN)}: {_t(p["note"])}</div>'
                )
            parts.append("</li>")
        parts.append("</ul></section>")
    return "".join(parts)


def render_sector(result: dict[str, Any], matches: list[dict[str, Any]] | None = None) -> str:
    """Matched sectors (if any), then the sector's passages grouped, each cited."""
    parts = [_notice(result)]
    if matches:
        items = "".join(f"<li>{_t(m['code'])} {_t(m['title'])}</li>" for m in matches[:3])
        parts.append(f'<h4>{_t(strings.SECTOR_MATCHES)}</h4><ol class="itas-matches">{items}</ol>')
    parts.append(f"<h3>WZ {_t(result['code'])}: {_t(result['title'])}</h3>")
    parts.append(_message(result.get("message")))
    for group in result["groups"]:
        parts.append(
            f'<section class="itas-sector-group itas-group-{_t(group["key"])}"><h4>{_t(group["title"])}</h4>'
        )
        for p in group["passages"]:
            label = f"{p['title']}, S. {p['page']} – {p['section']}"
            sup = (
                f' <span class="itas-superseded">{_t(p["superseded_label"])}</span>'
                if p.get("superseded_label")
                else ""
            )
            parts.append(
                f'<article class="itas-source">{_link(p["url"], label)}{sup}<blockquote>{_t(p["quote"])}</blockquote></article>'
            )
        parts.append("</section>")
    parts.append(f'<p class="itas-muted">{_t(strings.SECTOR_SOURCE.format(source=result["source"]))}</p>')
    return "".join(parts)


def _safely(render: Callable[[], str]) -> str:
    """Run a view; a German message instead of an exception."""
    try:
        return render()
    except RequestError as exc:  # unknown series/district/code, empty or too long input
        return _message(str(exc))
    except AssistantError:
        return _message(strings.VIEW_FAILED)


def run_compare(services: Services, topic: str, picked: str | None) -> str:
    """Gradio callback of the comparison tab (a picked section wins over typed text when typed is empty)."""
    text = (topic or "").strip() or (picked or "")
    return _safely(lambda: render_compare(compare(services.index.get(), services.embedder, text)))


def run_district(services: Services, district_id: str | None) -> str:
    """Gradio callback of the district tab."""
    return _safely(
        lambda: render_district(district_view(services.index.get(), services.embedder, district_id or ""))
    )


def run_sector(services: Services, text: str, picked: str | None) -> str:
    """Gradio callback of the sector tab: a description is matched first; else the picked code."""

    def render() -> str:
        description = " ".join((text or "").split())
        if description:
            if len(description) > 500:
                raise RequestError(strings.VIEW_TOO_LONG)
            matches = match_sectors(description, services.embedder)
            if not matches:
                return _message(strings.SECTOR_NO_MATCH)
            return render_sector(sector_view(services.index.get(), matches[0]["code"]), matches)
        return render_sector(sector_view(services.index.get(), picked or ""))

    return _safely(render)


def load_view_choices(services: Services) -> tuple[Any, Any]:
    """Page-load callback: section headings and districts of the current index."""
    try:
        snap = services.index.get()
        topics = section_topics(snap)["topics"]
        districts = [(d["district"], d["id"]) for d in district_list(snap)]
    except (AssistantError, RequestError):
        topics, districts = [], []
    return gr.update(choices=topics), gr.update(choices=districts)


def _sector_choices() -> list[tuple[str, str]]:
    return [
        (f"{d['code']} {d['title']}", d["code"])
        for sec in sector_list()["sections"]
        for d in sec["divisions"]
    ]


def add_view_tabs(demo: gr.Blocks, services: Services) -> None:
    """Add the three tabs (call inside a gr.Tabs context of `demo`)."""
    with gr.Tab(strings.TAB_COMPARE, elem_id="itas-tab-compare"):
        gr.Markdown(strings.COMPARE_INTRO)
        with gr.Row(equal_height=True):
            topic = gr.Textbox(
                label=strings.COMPARE_TOPIC,
                placeholder=strings.COMPARE_TOPIC_PLACEHOLDER,
                elem_id="itas-compare-topic",
                scale=3,
            )
            picked = gr.Dropdown(label=strings.COMPARE_PICK, choices=[], elem_id="itas-compare-pick", scale=2)
            run = gr.Button(strings.COMPARE_RUN, variant="primary", elem_id="itas-compare-run", scale=1)
        out = gr.Markdown("", elem_id="itas-compare-out", latex_delimiters=[])
    go = partial(run_compare, services)
    run.click(go, [topic, picked], out)
    topic.submit(go, [topic, picked], out)

    with gr.Tab(strings.TAB_DISTRICTS, elem_id="itas-tab-districts"):
        gr.Markdown(strings.DISTRICT_INTRO)
        with gr.Row(equal_height=True):
            district = gr.Dropdown(
                label=strings.DISTRICT_PICK, choices=[], elem_id="itas-district-pick", scale=3
            )
            show = gr.Button(strings.DISTRICT_RUN, variant="primary", elem_id="itas-district-run", scale=1)
        district_out = gr.Markdown("", elem_id="itas-district-out", latex_delimiters=[])
    show.click(partial(run_district, services), district, district_out)

    with gr.Tab(strings.TAB_SECTORS, elem_id="itas-tab-sectors"):
        gr.Markdown(strings.SECTOR_INTRO)
        with gr.Row(equal_height=True):
            business = gr.Textbox(
                label=strings.SECTOR_TEXT,
                placeholder=strings.SECTOR_TEXT_PLACEHOLDER,
                elem_id="itas-sector-text",
                scale=3,
            )
            code = gr.Dropdown(
                label=strings.SECTOR_PICK, choices=_sector_choices(), elem_id="itas-sector-pick", scale=2
            )
            find = gr.Button(strings.SECTOR_RUN, variant="primary", elem_id="itas-sector-run", scale=1)
        sector_out = gr.Markdown("", elem_id="itas-sector-out", latex_delimiters=[])
    check = partial(run_sector, services)
    find.click(check, [business, code], sector_out)
    business.submit(check, [business, code], sector_out)
    code.change(lambda c: run_sector(services, "", c) if c else "", code, sector_out)
    demo.load(partial(load_view_choices, services), None, [picked, district])


CSS = """
.itas-versions { display: grid; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); gap: .8rem; }
.itas-version { border: 1px solid #d5dbe1; border-radius: 8px; padding: .6rem .8rem; background: #fff; color: #1d2733; }
.itas-version ul, .itas-forum ul { padding-left: 1.1rem; }
.itas-diff-added { background: #e3f4e1; }
.itas-diff-changed { background: #fff4ce; }
.itas-diff-dropped { background: #fde2e1; text-decoration: line-through; }
.itas-diff-label { font-size: .75rem; font-weight: 700; text-transform: uppercase; color: #1d2733;
  background: #e8edf2; border-radius: 3px; padding: 0 .3rem; }
.itas-status { font-weight: 700; color: #005ca9; }
.itas-link blockquote, .itas-sector-group blockquote { margin: .2rem 0 .5rem; padding: .2rem .6rem;
  border-left: 3px solid #005ca9; background: #f3f6f9; font-size: .9rem; }
.itas-open-item { color: #5c6670; font-size: .9rem; }
"""
