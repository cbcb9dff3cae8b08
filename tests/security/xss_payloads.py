"""≥ 100 XSS payloads, each tagged with a unique id (X000 …) that stays readable when shown as text.

The vectors cover what a browser surface can get wrong: raw HTML and event handlers, `javascript:` and
`data:` URLs, Markdown images, links and autolinks (the Gradio chat is a Markdown renderer), LaTeX,
template syntax (`${…}`, `{{…}}`), CSS that loads from outside, parser confusion (`<noscript>`,
`<math>`, `<template>`), entity and whitespace tricks. Every outside URL points at evil.example, which
the browser tests block and count.
"""

from __future__ import annotations

EVIL = "https://evil.example"

_VECTORS: tuple[str, ...] = (
    '<script>alert("{id}")</script>',
    '<img src=x onerror=alert("{id}")>',
    '<img src="' + EVIL + '/{id}.png">',
    "![{id}](" + EVIL + "/{id}.png)",
    "![{id}](" + EVIL + '/{id}.png "t")',
    '[{id}](javascript:alert("{id}"))',
    "[{id}](JaVaScRiPt:alert('{id}'))",
    "[{id}](  javascript:alert('{id}'))",
    "[{id}](" + EVIL + "/{id})",
    "[{id}](//evil.example/{id})",
    "<" + EVIL + "/{id}>",
    EVIL + "/{id}.png",
    "[{id}]: " + EVIL + "/{id}.png",
    "![{id}][ref-{id}]\n\n[ref-{id}]: " + EVIL + "/{id}.png",
    '<svg onload=alert("{id}")>',
    '<svg><script>alert("{id}")</script></svg>',
    '<svg><use href="' + EVIL + '/{id}.svg#x"/></svg>',
    "<iframe src=\"javascript:alert('{id}')\"></iframe>",
    "<iframe srcdoc=\"<script>alert('{id}')</script>\"></iframe>",
    '<iframe src="' + EVIL + '/{id}"></iframe>',
    "<a href=\"javascript:alert('{id}')\">{id}</a>",
    "<a href=\"jav&#x09;ascript:alert('{id}')\">{id}</a>",
    '<a href="//evil.example/{id}">{id}</a>',
    '<body onload=alert("{id}")>',
    '<details open ontoggle=alert("{id}")>',
    '"><script>alert("{id}")</script>',
    "'><img src=x onerror=alert('{id}')>",
    '<style>@import "' + EVIL + '/{id}.css";</style>',
    '<link rel=stylesheet href="' + EVIL + '/{id}.css">',
    '<div style="background:url(' + EVIL + '/{id}.png)">{id}</div>',
    '<table background="' + EVIL + '/{id}.png"><tr><td>{id}</td></tr></table>',
    '<video><source onerror=alert("{id}")></video>',
    '<audio src=x onerror=alert("{id}")>',
    '<video poster="' + EVIL + '/{id}.png"></video>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert("{id}")>',
    "<object data=\"javascript:alert('{id}')\"></object>",
    '<object data="' + EVIL + '/{id}.swf"></object>',
    "<embed src=\"javascript:alert('{id}')\">",
    "<form action=\"javascript:alert('{id}')\"><button>{id}</button></form>",
    '<input autofocus onfocus=alert("{id}")>',
    '<marquee onstart=alert("{id}")>{id}</marquee>',
    '${alert("{id}")}',
    "{{constructor.constructor(\"alert('{id}')\")()}}",
    '<meta http-equiv="refresh" content="0;url=' + EVIL + '/{id}">',
    '<base href="' + EVIL + '/{id}/">',
    "![{id}](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "<img src=\"data:image/svg+xml,<svg onload=alert('{id}')>\">",
    '$$\\href{javascript:alert("{id}")}{x}$$',
    '<x-tag onclick=alert("{id}")>{id}</x-tag>',
    '<scr<script>ipt>alert("{id}")</script>',
    "<noscript><p title=\"</noscript><img src=x onerror=alert('{id}')>\">",
    '<template><script>alert("{id}")</script></template>',
)
_WRAPS: tuple[str, ...] = ("{v}", "Text vor {v} und danach")


def _payloads() -> tuple[str, ...]:
    out: list[str] = []
    for wrap in _WRAPS:
        for vector in _VECTORS:
            tag = f"X{len(out):03d}"
            out.append(wrap.format(v=vector.replace("{id}", tag)))
    return tuple(out)


PAYLOADS: tuple[str, ...] = _payloads()
IDS: tuple[str, ...] = tuple(f"X{i:03d}" for i in range(len(PAYLOADS)))
assert len(PAYLOADS) >= 100
