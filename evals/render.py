"""A tiny document model for eval reports: one list of blocks rendered to Markdown and to HTML."""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Doc:
    """Headings, paragraphs, tables, images and code blocks, in order."""

    blocks: list[tuple[str, Any]] = field(default_factory=list)

    def h(self, level: int, text: str) -> None:
        self.blocks.append(("h", (level, text)))

    def p(self, text: str) -> None:
        self.blocks.append(("p", text))

    def table(self, header: list[str], rows: list[list[Any]]) -> None:
        self.blocks.append(("table", (header, rows)))

    def img(self, path: Path, alt: str) -> None:
        self.blocks.append(("img", (path, alt)))

    def pre(self, text: str) -> None:
        self.blocks.append(("pre", text))


def fmt(value: Any) -> str:
    """Format a metric value for a table cell."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 10 else f"{value:.0f}"
    return str(value)


def to_markdown(doc: Doc) -> str:
    """Render blocks as Markdown; images are linked relative to the report."""
    out: list[str] = []
    for kind, value in doc.blocks:
        if kind == "h":
            out.append(f"{'#' * value[0]} {value[1]}")
        elif kind == "p":
            out.append(value)
        elif kind == "table":
            header, rows = value
            cells = [[fmt(c).replace("|", "\\|").replace("\n", " ") for c in row] for row in rows]
            out.append("\n".join(["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
                                 + ["| " + " | ".join(row) + " |" for row in cells]))  # fmt: skip
        elif kind == "img":
            out.append(f"![{value[1]}]({value[0].name})")
        elif kind == "pre":
            out.append(f"```\n{value}\n```")
    return "\n\n".join(out) + "\n"


def to_html(doc: Doc, title: str) -> str:
    """Render blocks as one self-contained HTML page (plots embedded as data URIs)."""
    esc = html.escape
    body: list[str] = []
    for kind, value in doc.blocks:
        if kind == "h":
            body.append(f"<h{value[0]}>{esc(value[1])}</h{value[0]}>")
        elif kind == "p":
            body.append(f"<p>{esc(value)}</p>")
        elif kind == "table":
            header, rows = value
            head = "".join(f"<th>{esc(h)}</th>" for h in header)
            trs = "".join("<tr>" + "".join(f"<td>{esc(fmt(c))}</td>" for c in row) + "</tr>" for row in rows)
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{trs}</tbody></table>")
        elif kind == "img":
            data = base64.b64encode(value[0].read_bytes()).decode("ascii")
            body.append(f'<img alt="{esc(value[1])}" src="data:image/png;base64,{data}">')
        elif kind == "pre":
            body.append(f"<pre>{esc(value)}</pre>")
    style = (
        "body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}"
        "table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:.9em}"
        "td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}"
        "th{background:#f3f3f3}img{max-width:100%}pre{background:#f7f7f7;padding:.6em;white-space:pre-wrap}"
    )
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{esc(title)}</title>'
        f"<style>{style}</style></head><body>{''.join(body)}</body></html>\n"
    )
