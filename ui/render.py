"""Pure helpers of the Gradio app: filters from form values, chat text and the escaped source panel."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from assistant.types import DocumentMeta, Filters
from assistant.urls import link_url
from ui import strings

_YEAR = re.compile(r"^\d{4}$")


def build_filters(
    versions: Iterable[str] | None,
    doc_types: Iterable[str] | None,
    districts: Iterable[str] | None,
    year: str | None,
    *,
    include_internal: bool = False,
) -> Filters:
    """Turn the filter widgets' values into domain filters; empty selections mean 'any'."""
    year = (year or "").strip()
    has_year = bool(_YEAR.match(year))
    return Filters(
        versions=tuple(versions) if versions else None,
        doc_types=tuple(doc_types) if doc_types else None,
        districts=tuple(districts) if districts else None,
        date_from=f"{year}-01-01" if has_year else None,
        date_to=f"{year}-12-31" if has_year else None,
        audiences=("public", "internal") if include_internal else ("public",),
    )


def visible_documents(documents: Mapping[str, DocumentMeta], *, include_internal: bool) -> list[DocumentMeta]:
    """The documents this UI may show: public ones, plus internal ones if the setting allows."""
    return [m for m in documents.values() if include_internal or m.audience == "public"]


def year_choices(documents: Iterable[DocumentMeta]) -> list[str]:
    """Distinct document years, newest first."""
    years = {m.date[:4] for m in documents if m.date and _YEAR.match(m.date[:4])}
    return sorted(years, reverse=True)


def doc_type_choices() -> list[tuple[str, str]]:
    """(German label, value) pairs for the document type filter."""
    return [(label, value) for value, label in strings.DOC_TYPE_LABELS.items()]


def chat_text(answer: str, note: str | None = None) -> str:
    """Answer text for the Chatbot as HTML that shows the text literally, line breaks kept.

    The Chatbot runs with `render_markdown=False`, so `![x](https://…)` or `[a](javascript:…)` quoted
    from a document stays text; every character is escaped here, exactly like the widget's textContent.
    """
    text = html.escape(answer).replace("\n", "<br>")
    if note:
        text += f'<br><br><em class="itas-note">{html.escape(note)}</em>'
    return text


def _text(value: object) -> str:
    """Escape a document-derived string for the source panel; whitespace runs become one space.

    The panel is one raw HTML block inside Gradio Markdown: a blank line in a title or quote would end
    the block and let Markdown (images, links) apply to the rest, so no line break may survive.
    """
    return html.escape(" ".join(str(value).split()))


def _field(label: str, value: object) -> str:
    shown = _text(value) if value not in (None, "") else strings.NOT_SET
    return f"<dt>{html.escape(label)}</dt><dd>{shown}</dd>"


def safe_url(url: object) -> str | None:
    """Return the URL if it is root-relative or http(s), else None (no javascript:, data:, //host)."""
    return link_url(url)


def render_citation(citation: Mapping[str, Any]) -> str:
    """One citation as an HTML card; every document-derived string is escaped."""
    n = int(citation.get("n", 0))
    title = _text(citation.get("title", ""))
    doc_type = strings.DOC_TYPE_LABELS.get(str(citation.get("doc_type")), citation.get("doc_type"))
    page = citation.get("page") or strings.NOT_SET
    parts = [f'<article class="itas-source" id="itas-quelle-{n}">']
    parts.append(f'<h4><span class="itas-n">[{n}]</span> {title}</h4>')
    if citation.get("superseded_by"):
        note = strings.SUPERSEDED_BY.format(version=citation["superseded_by"])
        parts.append(f'<p class="itas-superseded">{html.escape(note)}</p>')
    parts.append("<dl>")
    parts.append(_field(strings.FIELD_DOC_TYPE, doc_type))
    parts.append(_field(strings.FIELD_VERSION, citation.get("version")))
    parts.append(_field(strings.FIELD_DISTRICT, citation.get("district")))
    parts.append(_field(strings.FIELD_DATE, citation.get("date")))
    parts.append(_field(strings.FIELD_PAGE, page))
    parts.append(_field(strings.FIELD_SECTION, citation.get("section")))
    parts.append("</dl>")
    parts.append(f"<blockquote>{_text(citation.get('quote', ''))}</blockquote>")
    url = safe_url(citation.get("url"))
    if url:
        label = html.escape(strings.OPEN_ORIGINAL.format(page=page))
        parts.append(
            f'<a class="itas-open" href="{html.escape(url)}" target="_blank" rel="noopener">{label}</a>'
        )
    parts.append("</article>")
    return "".join(parts)


def render_sources(citations: Sequence[Mapping[str, Any]] | None) -> str:
    """The source panel: a heading and one card per citation (or a placeholder)."""
    head = f'<h3 class="itas-sources-heading">{html.escape(strings.SOURCES_HEADING)}</h3>'
    if citations is None:
        return f'{head}<p class="itas-muted">{html.escape(strings.SOURCES_EMPTY)}</p>'
    if not citations:
        return f'{head}<p class="itas-muted">{html.escape(strings.SOURCES_NONE)}</p>'
    return head + "".join(render_citation(c) for c in citations)


def render_banner(show: bool) -> str:
    """The sample-corpus banner, or nothing."""
    if not show:
        return ""
    return f'<div class="itas-banner" role="note">{html.escape(strings.SAMPLE_BANNER)}</div>'


CSS = """
.itas-banner { background: #fff4ce; border: 1px solid #e0c060; color: #4a3b00; padding: .6rem .9rem;
  border-radius: 6px; font-weight: 600; }
.itas-sources-heading { margin: 0 0 .5rem; font-size: 1.1rem; }
.itas-muted { color: #5c6670; }
.itas-source { border: 1px solid #d5dbe1; border-radius: 8px; padding: .7rem .9rem; margin-bottom: .7rem;
  background: #fff; color: #1d2733; }
.itas-source h4 { margin: 0 0 .35rem; font-size: 1rem; overflow-wrap: anywhere; }
.itas-n { color: #005ca9; font-weight: 700; }
.itas-superseded { display: inline-block; background: #fde2e1; color: #8a1c14; border-radius: 4px;
  padding: .1rem .45rem; font-size: .85rem; font-weight: 600; margin: 0 0 .4rem; }
.itas-source dl { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .7rem; margin: 0 0 .5rem;
  font-size: .85rem; }
.itas-source dt { color: #5c6670; }
.itas-source dd { margin: 0; overflow-wrap: anywhere; }
.itas-source blockquote { margin: 0 0 .5rem; padding: .3rem .7rem; border-left: 3px solid #005ca9;
  background: #f3f6f9; font-size: .9rem; overflow-wrap: anywhere; }
.itas-open { color: #005ca9; font-weight: 600; }
"""
