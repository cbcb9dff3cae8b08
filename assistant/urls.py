"""The one rule for URLs shown to visitors: only http(s) links, and the product's own root-relative paths."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_FORBIDDEN = re.compile(r"[\s\"'<>`\\\x00-\x1f\x7f]")


def web_url(url: object) -> str | None:
    """Return an absolute http(s) URL with a host unchanged, else None (javascript:, data:, //host, …)."""
    if not isinstance(url, str) or not url or len(url) > 2000 or _FORBIDDEN.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.hostname else None


def link_url(url: object) -> str | None:
    """A URL the product may render as a link: root-relative paths it builds (`/api/…`) or `web_url`."""
    if isinstance(url, str) and url.startswith("/") and not url.startswith("//"):
        return None if _FORBIDDEN.search(url) else url
    return web_url(url)
