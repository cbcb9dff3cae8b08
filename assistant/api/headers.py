"""Security headers: a strict Content-Security-Policy per response kind, nosniff, no referrer.

HTML pages (Gradio at /ui, /docs, /widget-demo) get `script-src 'self'` plus the SHA-256 hash of each
inline script the page itself carries — computed from the response body, so no `'unsafe-inline'` for
scripts: markup injected later (an `onerror=` attribute, a `<script>` inside an answer) cannot run.
Gradio's page needs its five inline scripts (config, API info, mode flags, iframeResizer loader, a
padding fix) and sets many `style` attributes and `<style>` elements at run time, so styles keep
`'unsafe-inline'`; a style cannot run code or send data under `img-src`/`connect-src 'self'`.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable

_INLINE_SCRIPT = re.compile(rb"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_SRC_ATTR = re.compile(rb"\bsrc\s*=", re.IGNORECASE)

BASE_HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
# JSON, scripts, stylesheets, event streams: nothing may render or frame them as a page.
API_CSP = "default-src 'none'; frame-ancestors 'none'"
# Original documents that a browser would render as a page (HTML, SVG) run in a sandbox without scripts.
SANDBOX_CSP = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'"
# Other originals (PDF, DOCX, Markdown): the browser's own viewer must work, so only framing is limited.
FILE_CSP = "frame-ancestors 'none'"
RENDERED_TYPES = ("text/html", "image/svg+xml", "application/xhtml+xml", "text/xml", "application/xml")


def inline_script_hashes(html: bytes) -> list[str]:
    """CSP source expressions ('sha256-…') for every inline <script> of a page, in order, unique."""
    hashes: list[str] = []
    for attrs, body in _INLINE_SCRIPT.findall(html):
        if _SRC_ATTR.search(attrs):
            continue
        digest = base64.b64encode(hashlib.sha256(body).digest()).decode("ascii")
        source = f"'sha256-{digest}'"
        if source not in hashes:
            hashes.append(source)
    return hashes


def frame_ancestors(allowed_origins: Iterable[str]) -> str:
    """'self' plus the origins allowed to embed the assistant."""
    return " ".join(["'self'", *sorted(allowed_origins)])


def page_csp(ancestors: str, script_hashes: Iterable[str]) -> str:
    """The policy of an HTML page served by the app."""
    scripts = " ".join(["'self'", *script_hashes])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "media-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            f"frame-ancestors {ancestors}",
        ]
    )


def csp_for(content_type: str, *, document_file: bool) -> str | None:
    """The policy of a non-HTML response (None: the caller hashes the HTML page itself)."""
    kind = content_type.split(";", 1)[0].strip().lower()
    if document_file:
        return SANDBOX_CSP if kind in RENDERED_TYPES else FILE_CSP
    return None if kind == "text/html" else API_CSP
