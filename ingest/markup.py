"""Reduce active markup in document text to its words: no image or link survives into a chunk.

Documents may carry Markdown or HTML that a surface could render: `![x](https://evil.example/…)`
planted in a page makes a Markdown renderer fetch an outside URL, a link can point anywhere. The
text of a link and the alt text of an image are kept (they are content); the destinations go.
Patterns follow CommonMark's inline link syntax with bounded repeats, so they stay linear on
hostile one-line input.
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.types import TextBlock
from ingest import cleaning

# A destination may hold one level of balanced parentheses ("https://x/a_(b)"), as in CommonMark.
_DEST = r"(?:<[^<>\n]{0,2000}>|(?:[^\s()<>]|\([^\s()<>]{0,2000}\)){0,2000})"
_TITLE = r"""(?:\s{1,20}(?:"[^"\n]{0,500}"|'[^'\n]{0,500}'|\([^()\n]{0,500}\)))?"""
_TARGET = rf"(?:\(\s{{0,20}}{_DEST}{_TITLE}\s{{0,20}}\)|\[[^\[\]\n]{{0,200}}\])"
# Link text and alt text may hold one level of balanced brackets ("![alt [mit] klammern](…)").
_LABEL = r"((?:[^\[\]\n]|\[[^\[\]\n]{0,200}\]){0,1000})"
_IMAGE = re.compile(rf"!\[{_LABEL}\]{_TARGET}")
_LINK = re.compile(rf"\[{_LABEL}\]{_TARGET}")
_REFERENCE = re.compile(r"^ {0,3}\[[^\[\]\n]{1,200}\]:[ \t]*\S[^\n]{0,2000}$", re.MULTILINE)
_AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^<>\s]{0,2000})>")
_ACTIVE_TAG = re.compile(
    r"</?(?:img|image|a|iframe|frame|script|style|svg|object|embed|video|audio|source|track|link|meta|"
    r"base|form|input|button|picture|math|template|details|summary)\b[^<>]{0,4000}>",
    re.IGNORECASE,
)


_TAG = re.compile(r"<[^<>]{0,500}>")


def plain_title(text: str) -> str:
    """A title as plain one-line text: NFC, no invisible characters, tags or angle brackets ("" if none left)."""
    text = _TAG.sub(" ", cleaning.normalize_text(text))
    return " ".join(text.replace("<", " ").replace(">", " ").split())[:200]


def reduce_markup(text: str) -> str:
    """Replace images by their alt text and links by their text; drop active HTML tags."""
    if "[" in text:
        text = _IMAGE.sub(r"\1", text)
        text = _IMAGE.sub(r"\1", text)  # an image inside another image's alt text
        text = _LINK.sub(r"\1", text)
        text = _REFERENCE.sub("", text)
        if "](" in text:  # image syntax the patterns missed (e.g. brackets in the alt text): no "!"
            text = text.replace("![", "[")
    if "<" in text:
        text = _AUTOLINK.sub(r"\1", text)
        text = _ACTIVE_TAG.sub("", text)
    return text


def reduce_blocks(blocks: list[TextBlock]) -> list[TextBlock]:
    """Apply `reduce_markup` to the text and section titles of blocks; drop blocks left empty."""
    out = []
    for block in blocks:
        text = reduce_markup(block.text).strip()
        section = tuple(reduce_markup(title).strip() for title in block.section)
        if any(ch.isalnum() for ch in text):
            changed = text != block.text or section != block.section
            out.append(replace(block, text=text, section=section) if changed else block)
    return out
