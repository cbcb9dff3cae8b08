"""Give pypdf a true word-gap threshold for pages whose text came out without spaces.

pypdf inserts a space when a TJ offset or a text move exceeds half the font's space width. It
takes that width from the glyph it believes is the space. TeX output has no space glyph: in a
Type0/Identity-H font (xdvipdfmx, LuaTeX) pypdf then reads the width of CID 32, an arbitrary glyph
(564/1000 em in Liberation Serif), and in a T1-encoded Type1 font the width of code 32, the
"visible space" (500/1000 em). Inter-word gaps of 180-330/1000 em fall under half of that, so
whole lines run together ("BevorSiesichentschließen"). pypdf has an option for the
case of a font without a space width (`extract_text(space_width=…)`), but only when it finds
that width to be 0. From the first glued page of a document on, this module zeroes that bogus
width in the in-memory font dictionaries of the reader (the file is never written) and extracts
with a space width whose half (~0.12 em) lies between kerning (< 0.09 em) and the narrowest TeX
word gap. Documents without glued pages keep pypdf's default result. The heuristic lives in
pypdf's `Font._add_space_width` and `PageObject._extract_text`.
"""

from __future__ import annotations

from typing import Any

from pypdf.generic import ArrayObject, DictionaryObject, NumberObject

from ingest.pdf_text import glued_chars, is_glued

_SPACE_CODE = 32
_SPACE_WIDTH = 240  # thousandths of an em; pypdf splits at half of it (times 0.95)


def extract_texts(reader: Any) -> tuple[list[str], int]:
    """Extract every page; from the first glued page on, with the TeX-fitting word-gap threshold.

    A document's pages share their fonts, so once one page proves glued the rest are read in the
    same mode straight away (one pass over the content streams, which is what extraction costs).

    Returns:
        The page texts and how many pages were read with the corrected threshold.
    """
    texts: list[str] = []
    respaced = 0
    for page in reader.pages:
        if respaced:
            texts.append(_respace(page))
            respaced += 1
            continue
        text = page.extract_text() or ""
        if is_glued(text):
            fixed = _respace(page)
            if glued_chars(fixed)[0] < glued_chars(text)[0]:
                text = fixed
                respaced += 1
        texts.append(text)
    return texts, respaced


def _respace(page: Any) -> str:
    for font in _fonts(page):
        _zero_space_width(font)
    return page.extract_text(space_width=_SPACE_WIDTH) or ""


def _fonts(page: Any) -> list[DictionaryObject]:
    resources = page.get("/Resources")
    fonts = resources.get_object().get("/Font") if resources is not None else None
    if fonts is None:
        return []
    out = []
    for ref in fonts.get_object().values():
        font = ref.get_object()
        if isinstance(font, DictionaryObject):
            out.append(font)
    return out


def _zero_space_width(font: DictionaryObject) -> None:
    """Set the width pypdf reads for code/CID 32 to 0, so its `space_width` option applies."""
    if font.get("/Subtype") == "/Type0":
        descendants = font.get("/DescendantFonts")
        if not descendants:
            return
        widths = descendants.get_object()[0].get_object().get("/W")
        widths = widths.get_object() if widths is not None else None
        if isinstance(widths, ArrayObject) and widths[-3:] != [_SPACE_CODE, _SPACE_CODE, 0]:
            widths.extend([NumberObject(_SPACE_CODE), NumberObject(_SPACE_CODE), NumberObject(0)])
        return
    widths = font.get("/Widths")
    first = font.get("/FirstChar")
    if widths is None or first is None:
        return
    widths = widths.get_object()
    slot = _SPACE_CODE - int(first)
    if isinstance(widths, ArrayObject) and 0 <= slot < len(widths):
        widths[slot] = NumberObject(0)
