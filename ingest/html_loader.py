"""Load HTML pages: main text only, without page chrome, scripts or text hidden from readers."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ingest import cleaning
from ingest.loader_base import STATUS_BINARY, Loaded, SkipFile, hidden_dropped, looks_binary, make_blocks
from ingest.tables import format_rows

_DROP_TAGS = [
    "nav", "header", "footer", "aside", "script", "style", "form", "noscript", "template", "svg",
    "iframe", "object", "embed", "canvas", "head",
]  # fmt: skip
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_TEXT_TAGS = (*_HEADINGS, "p", "li", "tr", "pre", "blockquote", "dt", "dd", "figcaption", "caption")
_BLOCK_TAGS = [*_TEXT_TAGS, "div", "section"]

# CSS that hides text from a reader while it stays in the markup: planted instructions and links
# live there (hidden text must never reach an answer). Values are matched after lower-casing and
# removing whitespace; "!important" does not matter.
_ZERO = r"[-+]?0*\.?0+(?:px|pt|em|rem|%|vh|vw|ex|ch|pc|mm|cm|in)?"
_HIDING = [
    re.compile(r"(?:^|;)display:none"),
    re.compile(r"(?:^|;)visibility:(?:hidden|collapse)"),
    re.compile(rf"(?:^|;)font-size:{_ZERO}(?:;|$|!)"),
    re.compile(rf"(?:^|;)font:{_ZERO}(?:/|;|$|!)"),
    re.compile(rf"(?:^|;)opacity:{_ZERO}(?:;|$|!)"),
    re.compile(r"(?:^|;)color:(?:transparent|rgba\([^)]*,0(?:\.0*)?\))"),
    re.compile(r"(?:^|;)(?:text-indent|left|top|margin-left|margin-top):-\d{3,}"),
    re.compile(r"(?:^|;)transform:scale\(0(?:\.0*)?\)"),
    re.compile(r"(?:^|;)clip:rect\(0[^)]*\)"),
    re.compile(r"(?:^|;)clip-path:inset\((?:50|100)%\)"),
]
_COLLAPSED = re.compile(rf"(?:^|;)(?:max-)?(?:height|width):{_ZERO}(?:;|$|!)")
_OVERFLOW_HIDDEN = re.compile(r"(?:^|;)overflow(?:-[xy])?:hidden")
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CSS_RULE = re.compile(r"([^{}@]+)\{([^{}]*)\}")


def load_html(path: Path, max_bytes: int) -> Loaded:
    """Read the main content of a page into blocks under its headings."""
    from bs4 import BeautifulSoup

    data = path.read_bytes()
    if looks_binary(data):
        raise SkipFile(STATUS_BINARY)
    # lxml's HTML parser never loads external DTDs or entities.
    soup = BeautifulSoup(data, "lxml")
    hidden = drop_hidden(soup)
    content = soup.find("main") or soup.find("article")
    root = content or soup.body or soup
    # Inside <main>/<article> a <header> holds the article's own title; elsewhere it is page chrome.
    for tag in root.find_all([t for t in _DROP_TAGS if not (content and t == "header")]):
        tag.decompose()
    blocks = []
    section: cleaning.Section = ()
    for element in _leaf_blocks(root):
        text = _element_text(element)
        if element.name in _HEADINGS:
            section = cleaning.open_heading(section, int(element.name[1]), text) if text else section
        else:
            blocks += make_blocks(text, section)
    if not blocks and not section:  # a page of loose text without block elements ("<body>Text</body>")
        blocks = make_blocks(" ".join(cleaning.normalize_text(root.get_text(" ")).split()), ())
    return Loaded(blocks, 1, [hidden_dropped(hidden)] if hidden else [])


def _leaf_blocks(root: Any) -> list[Any]:
    """Text elements not inside another text element, and divs/sections without block children.

    Linear in the page: an element looks up only to its nearest block ancestor (seen before it in
    document order), and each ancestor is marked as a container once. Searching every subtree and
    every ancestor chain made a page of 100,000 nested divs run into the time limit.
    """
    elements = root.find_all(_BLOCK_TAGS)
    inside_text: set[int] = set()  # below a text element: its text is taken with that element
    containers: set[int] = set()  # with a block element somewhere below
    for element in elements:  # document order: ancestors before descendants
        for ancestor in element.parents:
            if ancestor is root:
                break
            if ancestor.name in _TEXT_TAGS or id(ancestor) in inside_text:
                inside_text.add(id(element))
                break
            if ancestor.name in ("div", "section"):
                break  # a block ancestor not inside text: neither is this element
        ancestor = element.parent
        while ancestor is not None and id(ancestor) not in containers:
            containers.add(id(ancestor))
            ancestor = ancestor.parent
    return [
        element
        for element in elements
        if id(element) not in inside_text
        and not (element.name in ("div", "section") and id(element) in containers)
    ]


def drop_hidden(soup: Any) -> int:
    """Remove elements hidden by attributes, inline styles or <style> rules; count those with text."""
    hidden = [tag for tag in soup.find_all(True) if _is_hidden(tag)]
    hidden += _styled_hidden(soup)
    count = 0
    ids = {id(tag) for tag in hidden}
    for tag in hidden:
        if any(id(parent) in ids for parent in tag.parents):
            continue  # goes with its hidden ancestor
        if tag.get_text(strip=True):
            count += 1
    for tag in hidden:
        if not tag.decomposed:
            tag.decompose()
    return count


def _is_hidden(tag: Any) -> bool:
    if tag.name in ("html", "body"):
        return _style_hides(str(tag.get("style", "")))  # hidden="" on <body> is no reason to drop all
    if tag.has_attr("hidden") or str(tag.get("aria-hidden", "")).strip().lower() == "true":
        return True
    if tag.name == "input" and str(tag.get("type", "")).lower() == "hidden":
        return True
    return _style_hides(str(tag.get("style", "")))


def _style_hides(style: str) -> bool:
    declarations = "".join(style.lower().split()).replace("!important", "")
    if not declarations:
        return False
    if any(pattern.search(declarations) for pattern in _HIDING):
        return True
    return bool(_COLLAPSED.search(declarations) and _OVERFLOW_HIDDEN.search(declarations))


def _styled_hidden(soup: Any) -> list[Any]:
    """Elements matched by <style> rules that hide them (selectors soupsieve cannot read are skipped)."""
    found: list[Any] = []
    for style in soup.find_all("style"):
        css = _CSS_COMMENT.sub("", style.get_text())
        for selectors, declarations in _CSS_RULE.findall(css):
            if not _style_hides(declarations):
                continue
            try:
                found += soup.select(selectors.strip())
            except Exception:  # soupsieve raises SelectorSyntaxError / NotImplementedError
                continue
    return [tag for tag in found if tag.name not in ("html", "body")]


def _header_row(row: Any) -> Any:
    """The first row of the row's table when it names the columns (<th> cells), else None."""
    table = row.find_parent("table")
    first = table.find("tr") if table is not None else None
    if first is None or first.find("th") is None:
        return None
    return first


def _element_text(element: Any) -> str:
    if element.name == "tr":
        cells = [_element_text(cell) for cell in element.find_all(["td", "th"])]
        header = _header_row(element)
        if header is None:
            return "; ".join(cell for cell in cells if cell)
        if header is element:
            return ""  # the header row: its names go into every other row
        rows = format_rows([[_element_text(c) for c in header.find_all(["td", "th"])], cells])
        return rows[0] if rows else ""
    text = cleaning.normalize_text(element.get_text(" " if element.name != "pre" else ""))
    if element.name == "pre":
        return text.strip()
    return " ".join(text.split())
