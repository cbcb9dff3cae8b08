#!/usr/bin/env python3
"""Render the ITAS sample corpus from ``corpus/src/*.md``.

Usage (from the repository root)::

    python corpus/generate.py                 # -> corpus/documents/ + corpus/manifest.yaml
    python corpus/generate.py --out /tmp/x    # -> /tmp/x/ (+ /tmp/x/manifest.yaml)

Every source file starts with a YAML front matter block (``---`` ... ``---``) that
holds the manifest metadata plus ``format`` (pdf | docx | md | html) and optional
``subtitle``/``publisher``/``place``.  The body uses a small Markdown subset:

* ``#``/``##``/``###`` headings, numbered automatically (1, 1.1, 1.1.1);
  a trailing `` {-}`` keeps a heading unnumbered and out of the numbering
* paragraphs, ``- `` bullet lists, ``1. `` numbered lists, ``> `` info boxes
* pipe tables (first row = header); a paragraph starting with ``Tabelle`` is a caption
* ``**bold**``, ``*italic*``, footnote references ``[^n]`` and definitions ``[^n]: text``
* directives ``<!-- columns: 2 -->`` / ``<!-- columns: 1 -->`` (new page, one or two
  columns) and ``<!-- pagebreak -->``

Output is deterministic: reportlab runs with ``invariant=1``, DOCX files get fixed
core properties and are re-zipped with fixed timestamps and sorted entries.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import html
import io
import itertools
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

NOTICE = (
    "Beispieldokument – fiktive Inhalte auf Basis öffentlicher Informationen, "
    "kein offizieller Text der ITAS-Initiative"
)
HERE = Path(__file__).resolve().parent
SRC_DIR = HERE / "src"
MANIFEST_KEYS = [
    "file",
    "doc_id",
    "title",
    "doc_type",
    "version",
    "district",
    "date",
    "audience",
    "sample",
    "url",
    "changes",
]


# --------------------------------------------------------------------------- parsing


@dataclass
class Heading:
    level: int
    text: str
    number: str  # "" if unnumbered

    @property
    def label(self) -> str:
        return f"{self.number} {self.text}" if self.number else self.text


@dataclass
class Doc:
    meta: dict
    blocks: list = field(default_factory=list)
    footnotes: dict = field(default_factory=dict)
    source: str = ""
    body: str = ""


def parse_source(path: Path) -> Doc:
    raw = path.read_text(encoding="utf-8")
    m = re.match(r"^---\n(.*?)\n---\n", raw, re.S)
    if not m:
        raise ValueError(f"{path}: missing front matter")
    meta = yaml.safe_load(m.group(1))
    body = raw[m.end() :]
    doc = Doc(meta=meta, source=raw, body=body)
    lines = body.split("\n")
    counters = [0, 0, 0]
    i = 0
    para: list[str] = []

    def flush_para():
        if para:
            doc.blocks.append(("p", " ".join(s.strip() for s in para)))
            para.clear()

    while i < len(lines):
        line = lines[i]
        s = line.strip()
        if not s:
            flush_para()
            i += 1
            continue
        fm = re.match(r"^\[\^(\w+)\]:\s*(.*)$", s)
        if fm:
            flush_para()
            doc.footnotes[fm.group(1)] = fm.group(2)
            i += 1
            continue
        dm = re.match(r"^<!--\s*(columns:\s*(\d)|pagebreak)\s*-->$", s)
        if dm:
            flush_para()
            if dm.group(2):
                doc.blocks.append(("columns", int(dm.group(2))))
            else:
                doc.blocks.append(("pagebreak",))
            i += 1
            continue
        if s.startswith("<!--"):
            flush_para()
            i += 1
            continue
        hm = re.match(r"^(#{1,3})\s+(.*)$", s)
        if hm:
            flush_para()
            level = len(hm.group(1))
            text = hm.group(2).strip()
            number = ""
            if text.endswith("{-}"):
                text = text[:-3].strip()
            else:
                counters[level - 1] += 1
                for k in range(level, 3):
                    counters[k] = 0
                number = ".".join(str(c) for c in counters[:level])
            doc.blocks.append(("h", Heading(level, text, number)))
            i += 1
            continue
        if re.match(r"^[-*]\s+", s) or re.match(r"^\d+\.\s+", s):
            flush_para()
            ordered = bool(re.match(r"^\d+\.\s+", s))
            items: list[str] = []
            while i < len(lines) and lines[i].strip():
                t = lines[i].strip()
                mm = re.match(r"^(?:[-*]|\d+\.)\s+(.*)$", t)
                if mm:
                    items.append(mm.group(1))
                else:
                    items[-1] += " " + t
                i += 1
            doc.blocks.append(("ol" if ordered else "ul", items))
            continue
        if s.startswith("|"):
            flush_para()
            rows = []
            while i < len(lines) and lines[i].strip().startswith("|"):
                t = lines[i].strip().strip("|")
                cells = [c.strip() for c in t.split("|")]
                if not all(re.match(r"^:?-+:?$", c) for c in cells):
                    rows.append(cells)
                i += 1
            doc.blocks.append(("table", rows))
            continue
        if s.startswith(">"):
            flush_para()
            q = []
            while i < len(lines) and lines[i].strip().startswith(">"):
                q.append(lines[i].strip()[1:].strip())
                i += 1
            doc.blocks.append(("quote", " ".join(q)))
            continue
        para.append(line)
        i += 1
    flush_para()
    return doc


def headings(doc: Doc) -> list[Heading]:
    return [b[1] for b in doc.blocks if b[0] == "h"]


INLINE_RE = re.compile(r"(\*\*.+?\*\*|\*.+?\*|\[\^\w+\])")


def inline_tokens(text: str):
    """Yield (kind, text) with kind in plain|b|i|fn."""
    for part in INLINE_RE.split(text):
        if not part:
            continue
        if part.startswith("**") and part.endswith("**") and len(part) > 4:
            yield "b", part[2:-2]
        elif part.startswith("[^"):
            yield "fn", part[2:-1]
        elif part.startswith("*") and part.endswith("*") and len(part) > 2:
            yield "i", part[1:-1]
        else:
            yield "plain", part


def plain_text(text: str) -> str:
    return "".join(t for k, t in inline_tokens(text) if k != "fn")


# ----------------------------------------------------------------------- hyphenation

_VOWELS = "aeiouäöüyAEIOUÄÖÜY"
_KEEP = ("sch", "ch", "ck", "ph", "qu", "th")
# explicit patterns for frequent compounds (German new orthography)
_HYPH_EXCEPTIONS = {
    w.replace("-", "").lower(): w
    for w in [
        "Trans-for-ma-ti-on",
        "Trans-for-ma-ti-ons-pro-zess",
        "Zu-lie-fer-in-dus-trie",
        "Au-to-mo-bil-zu-lie-fe-rer",
        "Au-to-mo-bil-re-gi-on",
        "Qua-li-fi-zie-rung",
        "Wei-ter-bil-dung",
        "Kreis-lauf-wirt-schaft",
        "Fach-kräf-te-si-che-rung",
        "Be-schäf-tig-ten",
        "Be-schäf-ti-gung",
        "Wert-schöp-fung",
        "Wert-schöp-fungs-ket-te",
        "In-dus-trie-po-li-tik",
        "Ver-ste-ti-gung",
        "Ver-ste-ti-gungs-kon-zept",
        "Un-ter-neh-men",
        "Zu-kunfts-fo-rum",
        "Zu-kunfts-fo-ren",
        "Hand-lungs-feld",
        "Hand-lungs-fel-der",
        "Leis-tungs-elek-tro-nik",
        "Ver-bren-nungs-mo-tor",
        "ver-bren-nungs-mo-to-ri-schen",
        "Ge-schäfts-mo-del-le",
        "Di-gi-ta-li-sie-rung",
        "Au-to-ma-ti-sie-rung",
        "In-fra-struk-tur",
        "Kon-sor-ti-al-part-ner",
        "Süd-west-sach-sen",
        "In-ter-es-sen-ver-tre-tung",
        "Ver-än-de-rungs-be-reit-schaft",
        "Wei-ter-ent-wick-lung",
        "Re-gi-ons-ana-ly-se",
        "Ak-ti-vi-täts-re-port",
        "Ar-beits-plät-ze",
        "Pla-nungs-si-cher-heit",
        "Bat-te-rie-re-cy-cling",
        "Was-ser-stoff",
        "Pro-zess-wär-me",
        "Rück-füh-rungs-lo-gis-tik",
        "Mo-bi-li-täts-diens-ten",
        "Kunst-stoff-ver-ar-bei-ter",
        "Kunst-stoff-tech-nik",
        "Nach-hal-tig-keit",
        "Elek-tro-mo-bi-li-tät",
    ]
}


def _syllable_splits(word: str) -> list[int]:
    low = word.lower()
    if low in _HYPH_EXCEPTIONS:
        pos, n = [], 0
        for part in _HYPH_EXCEPTIONS[low].split("-")[:-1]:
            n += len(part)
            pos.append(n)
        return pos
    pos = []
    i = 0
    n = len(word)
    # find vowel groups
    groups = []
    while i < n:
        if word[i] in _VOWELS:
            j = i
            while j < n and word[j] in _VOWELS:
                j += 1
            groups.append((i, j))
            i = j
        else:
            i += 1
    for (_a, b), (c, _d) in itertools.pairwise(groups):
        cons = low[b:c]
        if not cons:
            continue
        if len(cons) == 1:
            p = b
        else:
            p = c - 1
            for k in _KEEP:
                if cons.endswith(k):
                    p = c - len(k)
                    break
            if p == b and len(cons) > 1 and cons not in _KEEP:
                p = b + 1
            # keep r-onsets (pr, tr, gr, str, ...) together: Pro-gramm, Zen-trum, Anlagen-programm
            if cons[-1] == "r" and cons[-2] in "bdfgkpt" and p == c - 1:
                p = c - 2
                if cons.endswith(("str", "spr")) and c - 3 > b:
                    p = c - 3
                if p == b:
                    p = b if len(cons) == 2 else b + 1
        pos.append(p)
    return [p for p in pos if 3 <= p <= n - 3]


def german_hyphenator(word: str):
    """reportlab hyphenator: yields (head, tail) pairs, longest head first."""
    if not word.isalpha() or len(word) < 9:
        return []
    return [(word[:p], word[p:]) for p in reversed(_syllable_splits(word))]


# ------------------------------------------------------------------------------- PDF


def render_pdf(doc: Doc) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import (
        BaseDocTemplate,
        Flowable,
        Frame,
        ListFlowable,
        ListItem,
        NextPageTemplate,
        PageBreak,
        PageTemplate,
        Paragraph,
        Spacer,
        Table,
        TableStyle,
    )

    _register_fonts(pdfmetrics, TTFont)
    meta = doc.meta
    W, H = A4
    LM = RM = 2.4 * cm
    TM, BM = 2.6 * cm, 2.4 * cm
    accent = colors.HexColor("#1f4e79")
    base = ParagraphStyle(
        "body",
        fontName="DejaVu",
        fontSize=10.5,
        leading=15,
        alignment=TA_JUSTIFY,
        spaceAfter=5,
        hyphenationLang=german_hyphenator,
        embeddedHyphenation=1,
        hyphenationMinWordLength=9,
    )
    st = {
        "body": base,
        "h1": ParagraphStyle(
            "h1",
            parent=base,
            fontName="DejaVu-Bold",
            fontSize=14.5,
            leading=18,
            spaceBefore=12,
            spaceAfter=7,
            alignment=TA_LEFT,
            textColor=accent,
            hyphenationLang="",
            embeddedHyphenation=0,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName="DejaVu-Bold",
            fontSize=11.5,
            leading=15,
            spaceBefore=9,
            spaceAfter=4,
            alignment=TA_LEFT,
            hyphenationLang="",
            embeddedHyphenation=0,
        ),
        "h3": ParagraphStyle(
            "h3",
            parent=base,
            fontName="DejaVu-Bold",
            fontSize=10.2,
            leading=13.5,
            spaceBefore=7,
            spaceAfter=3,
            alignment=TA_LEFT,
            hyphenationLang="",
            embeddedHyphenation=0,
        ),
        "cell": ParagraphStyle(
            "cell", parent=base, fontSize=8.6, leading=11, alignment=TA_LEFT, spaceAfter=0, hyphenationLang=""
        ),
        "cellh": ParagraphStyle(
            "cellh",
            parent=base,
            fontName="DejaVu-Bold",
            fontSize=8.6,
            leading=11,
            alignment=TA_LEFT,
            spaceAfter=0,
            textColor=colors.white,
            hyphenationLang="",
        ),
        "caption": ParagraphStyle(
            "caption",
            parent=base,
            fontName="DejaVu-Oblique",
            fontSize=8.8,
            leading=11.5,
            alignment=TA_LEFT,
            spaceBefore=4,
            spaceAfter=3,
            hyphenationLang="",
        ),
        "quote": ParagraphStyle(
            "quote",
            parent=base,
            fontSize=9.4,
            leading=13,
            backColor=colors.HexColor("#eef3f8"),
            borderPadding=6,
            leftIndent=8,
            rightIndent=8,
            spaceBefore=8,
            spaceAfter=10,
            borderColor=colors.HexColor("#9db6cf"),
            borderWidth=0.6,
        ),
        "fn": ParagraphStyle(
            "fn", parent=base, fontSize=7.6, leading=9.6, alignment=TA_LEFT, spaceAfter=0, hyphenationLang=""
        ),
        "toc1": ParagraphStyle(
            "toc1",
            parent=base,
            fontName="DejaVu-Bold",
            fontSize=10,
            leading=15,
            alignment=TA_LEFT,
            hyphenationLang="",
        ),
        "toc2": ParagraphStyle(
            "toc2", parent=base, fontSize=9.4, leading=13, alignment=TA_LEFT, leftIndent=0, hyphenationLang=""
        ),
    }

    def fmt(text: str, fn_sink: list | None = None) -> str:
        out = []
        for kind, t in inline_tokens(text):
            e = html.escape(t, quote=False)
            if kind == "b":
                out.append(f"<b>{e}</b>")
            elif kind == "i":
                out.append(f"<i>{e}</i>")
            elif kind == "fn":
                num = fn_numbers[t]
                out.append(f"<super>{num}</super>")
                if fn_sink is not None:
                    fn_sink.append(t)
            else:
                out.append(e)
        return "".join(out)

    fn_numbers = {}
    for b in doc.blocks:
        texts = []
        if b[0] in ("p", "quote"):
            texts = [b[1]]
        elif b[0] in ("ul", "ol"):
            texts = b[1]
        elif b[0] == "table":
            texts = [c for r in b[1] for c in r]
        for t in texts:
            for k, v in inline_tokens(t):
                if k == "fn" and v not in fn_numbers:
                    fn_numbers[v] = len(fn_numbers) + 1

    state = {"toc": {}, "fn_reserve": {}, "front": 2}

    class FNMark(Flowable):
        def __init__(self, key):
            super().__init__()
            self.key = key

        def wrap(self, aw, ah):
            return 0, 0

        def draw(self):
            cur["fn_seen"].setdefault(cur["doc"].page, []).append(self.key)

    class HeadingPara(Paragraph):
        def __init__(self, text, style, heading, idx):
            super().__init__(text, style)
            self.heading = heading
            self.idx = idx

    def fn_height(keys, width):
        h = 0
        for k in keys:
            p = Paragraph(f"<super>{fn_numbers[k]}</super> {fmt(doc.footnotes[k])}", st["fn"])
            h += p.wrap(width, 1000)[1] + 2
        return h + 10 if keys else 0

    def label(page: int) -> str:
        front = state["front"]
        if page <= front:
            return _roman(page)
        return str(page - front)

    def on_page(canv, d):
        page = d.page
        reserve = fn_height(state["fn_reserve"].get(page, []), W - LM - RM)
        for f in d.pageTemplate.frames:
            f._y1p = f._y1 + f._bottomPadding + reserve
            f._aH = f._y2 - f._y1p - f._topPadding
        canv.saveState()
        if d.pageTemplate.id != "title":
            canv.setFont("DejaVu", 8)
            canv.setFillColor(colors.HexColor("#555555"))
            canv.drawString(LM, H - 1.5 * cm, meta["title"])
            canv.drawRightString(W - RM, H - 1.5 * cm, meta.get("header_right", "ITAS"))
            canv.setStrokeColor(colors.HexColor("#999999"))
            canv.setLineWidth(0.4)
            canv.line(LM, H - 1.65 * cm, W - RM, H - 1.65 * cm)
        canv.setStrokeColor(colors.HexColor("#999999"))
        canv.setLineWidth(0.4)
        canv.line(LM, 1.75 * cm, W - RM, 1.75 * cm)
        canv.setFont("DejaVu", 7)
        canv.setFillColor(colors.HexColor("#444444"))
        canv.drawString(LM, 1.35 * cm, NOTICE)
        canv.setFont("DejaVu", 8)
        canv.drawRightString(W - RM, 1.35 * cm, f"Seite {label(page)}")
        canv.restoreState()

    def on_page_end(canv, d):
        keys = cur["fn_seen"].get(d.page, [])
        if not keys:
            return
        width = W - LM - RM
        y = BM + 4
        paras = []
        for k in keys:
            p = Paragraph(f"<super>{fn_numbers[k]}</super> {fmt(doc.footnotes[k])}", st["fn"])
            paras.append((p, p.wrap(width, 1000)[1]))
        total = sum(h + 2 for _, h in paras)
        canv.saveState()
        canv.setLineWidth(0.5)
        canv.line(LM, y + total + 4, LM + 5 * cm, y + total + 4)
        yy = y + total
        for p, h in paras:
            yy -= h + 2
            p.drawOn(canv, LM, yy + 2)
        canv.restoreState()

    class Template(BaseDocTemplate):
        def afterFlowable(self, fl):
            if isinstance(fl, HeadingPara):
                h = fl.heading
                key = f"h{fl.idx}"
                cur["toc"][fl.idx] = self.page
                self.canv.bookmarkPage(key)
                self.canv.addOutlineEntry(h.label, key, level=h.level - 1, closed=h.level > 1)
            if getattr(fl, "_is_body_start", False):
                cur["front"] = self.page - 1

    class BodyStart(Flowable):
        _is_body_start = True

        def wrap(self, aw, ah):
            return 0, 0

        def draw(self):
            pass

    def build_story():
        story = []
        # ---- title page
        story.append(Spacer(1, 3.2 * cm))
        story.append(
            Paragraph(
                html.escape(
                    meta.get("publisher", "Initiative Transformation Automobilregion Südwestsachsen (ITAS)")
                ),
                ParagraphStyle(
                    "pub", parent=base, fontSize=10.5, textColor=accent, alignment=TA_LEFT, hyphenationLang=""
                ),
            )
        )
        story.append(Spacer(1, 1.2 * cm))
        story.append(
            Paragraph(
                html.escape(meta["title"]),
                ParagraphStyle(
                    "t",
                    parent=base,
                    fontName="DejaVu-Bold",
                    fontSize=26,
                    leading=32,
                    alignment=TA_LEFT,
                    textColor=accent,
                    hyphenationLang="",
                ),
            )
        )
        if meta.get("subtitle"):
            story.append(Spacer(1, 0.4 * cm))
            story.append(
                Paragraph(
                    html.escape(meta["subtitle"]),
                    ParagraphStyle(
                        "st", parent=base, fontSize=14, leading=19, alignment=TA_LEFT, hyphenationLang=""
                    ),
                )
            )
        story.append(Spacer(1, 1.6 * cm))
        for line in meta.get("title_lines", []):
            story.append(
                Paragraph(
                    html.escape(line),
                    ParagraphStyle(
                        "tl", parent=base, fontSize=10.5, leading=15, alignment=TA_LEFT, hyphenationLang=""
                    ),
                )
            )
        story.append(Spacer(1, 2.2 * cm))
        story.append(
            Paragraph(
                f"<b>Hinweis:</b> {html.escape(NOTICE)}",
                ParagraphStyle(
                    "notice", parent=st["quote"], hyphenationLang="", embeddedHyphenation=0, alignment=TA_LEFT
                ),
            )
        )
        # ---- TOC
        story.append(NextPageTemplate("front"))
        story.append(PageBreak())
        story.append(Paragraph("Inhalt", st["h1"]))
        rows = []
        for idx, b in enumerate(doc.blocks):
            if b[0] != "h" or b[1].level > 2:
                continue
            h = b[1]
            pg = state["toc"].get(idx)
            lab = label(pg) if pg else "0"
            sty = st["toc1"] if h.level == 1 else st["toc2"]
            num = h.number if h.number else ""
            rows.append(
                [
                    Paragraph(num, sty),
                    Paragraph(html.escape(h.text), sty),
                    Paragraph(lab, ParagraphStyle("r", parent=sty, alignment=2)),
                ]
            )
        if rows:
            t = Table(rows, colWidths=[1.3 * cm, W - LM - RM - 2.8 * cm, 1.5 * cm])
            t.setStyle(
                TableStyle(
                    [
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LEFTPADDING", (0, 0), (-1, -1), 0),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                        ("TOPPADDING", (0, 0), (-1, -1), 1),
                    ]
                )
            )
            story.append(t)
        story.append(NextPageTemplate("body"))
        story.append(PageBreak())
        story.append(BodyStart())
        # ---- body
        for idx, b in enumerate(doc.blocks):
            kind = b[0]
            if kind == "h":
                h = b[1]
                story.append(HeadingPara(html.escape(h.label), st[f"h{h.level}"], h, idx))
            elif kind == "p":
                sink: list = []
                if b[1].startswith("Tabelle ") or b[1].startswith("*Tabelle "):
                    para = Paragraph(fmt(b[1].strip("*"), sink), st["caption"])
                else:
                    para = Paragraph(fmt(b[1], sink), st["body"])
                # the marks record the page on which the paragraph starts
                story.extend(FNMark(k) for k in sink)
                story.append(para)
            elif kind == "quote":
                sink = []
                story.append(Paragraph(fmt(b[1], sink), st["quote"]))
                story.extend(FNMark(k) for k in sink)
            elif kind in ("ul", "ol"):
                sink = []
                items = [
                    ListItem(
                        Paragraph(fmt(t, sink), ParagraphStyle("li", parent=base, spaceAfter=2)),
                        leftIndent=14,
                    )
                    for t in b[1]
                ]
                if kind == "ul":
                    lf = ListFlowable(
                        items,
                        bulletType="bullet",
                        start="•",
                        leftIndent=14,
                        bulletFontName="DejaVu",
                        bulletFontSize=9,
                    )
                else:
                    lf = ListFlowable(
                        items,
                        bulletType="1",
                        leftIndent=16,
                        bulletFontName="DejaVu",
                        bulletFontSize=9.5,
                        bulletFormat="%s.",
                    )
                story.append(lf)
                story.append(Spacer(1, 3))
                story.extend(FNMark(k) for k in sink)
            elif kind == "table":
                sink = []
                rows = b[1]
                ncol = max(len(r) for r in rows)
                rows = [r + [""] * (ncol - len(r)) for r in rows]
                avail = cur["colwidth"] or (W - LM - RM)
                lens = [max(min(len(plain_text(r[c])), 60) for r in rows) + 6 for c in range(ncol)]
                tot = sum(lens)
                widths = [avail * x / tot for x in lens]
                data = [
                    [Paragraph(fmt(c, sink), st["cellh"] if ri == 0 else st["cell"]) for c in r]
                    for ri, r in enumerate(rows)
                ]
                t = Table(data, colWidths=widths, repeatRows=1)
                t.setStyle(
                    TableStyle(
                        [
                            ("BACKGROUND", (0, 0), (-1, 0), accent),
                            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f2f5f9")]),
                            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa9b8")),
                            ("VALIGN", (0, 0), (-1, -1), "TOP"),
                            ("TOPPADDING", (0, 0), (-1, -1), 3),
                            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                        ]
                    )
                )
                story.append(Spacer(1, 3))
                story.append(t)
                story.append(Spacer(1, 6))
                story.extend(FNMark(k) for k in sink)
            elif kind == "columns":
                story.append(NextPageTemplate("body2" if b[1] == 2 else "body"))
                story.append(PageBreak())
                cur["colwidth"] = (W - LM - RM - 0.8 * cm) / 2 if b[1] == 2 else None
            elif kind == "pagebreak":
                story.append(PageBreak())
        return story

    def build_once() -> bytes:
        buf = io.BytesIO()
        d = Template(
            buf,
            pagesize=A4,
            leftMargin=LM,
            rightMargin=RM,
            topMargin=TM,
            bottomMargin=BM,
            title=meta["title"],
            author="ITAS-Beispielkorpus",
            subject=NOTICE,
            creator="corpus/generate.py",
            producer="corpus/generate.py",
            keywords=f"ITAS, {meta['doc_id']}",
            invariant=1,
            lang="de-DE",
        )
        fw, fh = W - LM - RM, H - TM - BM
        colw = (fw - 0.8 * cm) / 2
        d.addPageTemplates(
            [
                PageTemplate("title", [Frame(LM, BM, fw, fh, id="t")], onPage=on_page, onPageEnd=on_page_end),
                PageTemplate("front", [Frame(LM, BM, fw, fh, id="f")], onPage=on_page, onPageEnd=on_page_end),
                PageTemplate("body", [Frame(LM, BM, fw, fh, id="b")], onPage=on_page, onPageEnd=on_page_end),
                PageTemplate(
                    "body2",
                    [Frame(LM, BM, colw, fh, id="c1"), Frame(LM + colw + 0.8 * cm, BM, colw, fh, id="c2")],
                    onPage=on_page,
                    onPageEnd=on_page_end,
                ),
            ]
        )
        cur["doc"] = d
        story = build_story()

        def canvasmaker(*a, **k):
            from reportlab.pdfgen.canvas import Canvas

            c = Canvas(*a, **k)
            c.setPageCompression(1)
            if cur.get("labels"):
                c.addPageLabel(0, "ROMAN_LOWER")
                c.addPageLabel(state["front"], "ARABIC", start=1)
            return c

        d.build(story, canvasmaker=canvasmaker)
        return buf.getvalue()

    result = b""
    for attempt in range(10):
        cur = {"toc": {}, "fn_seen": {}, "front": 2, "doc": None, "colwidth": None}
        result = build_once()
        new = (dict(cur["toc"]), {k: list(v) for k, v in cur["fn_seen"].items()}, cur["front"])
        old = (state["toc"], state["fn_reserve"], state["front"])
        if new == old:
            break
        if attempt >= 5:  # oscillation guard: only ever add reservations
            merged = {k: list(v) for k, v in state["fn_reserve"].items()}
            for k, v in new[1].items():
                merged.setdefault(k, [])
                merged[k] += [x for x in v if x not in merged[k]]
            new = (new[0], merged, new[2])
        state["toc"], state["fn_reserve"], state["front"] = new
    else:
        print(f"warning: {meta['doc_id']}: layout did not converge", file=sys.stderr)
    # final pass with page labels (front matter roman, body arabic from 1)
    cur = {"toc": {}, "fn_seen": {}, "front": 2, "doc": None, "colwidth": None, "labels": True}
    result = build_once()
    return result


_FONTS_DONE = False


def _register_fonts(pdfmetrics, TTFont):
    global _FONTS_DONE
    if _FONTS_DONE:
        return
    cands = [
        Path("/usr/share/fonts/truetype/dejavu"),
        Path("/usr/share/fonts/dejavu"),
        Path("/usr/share/fonts/TTF"),
    ]
    d = next((c for c in cands if (c / "DejaVuSans.ttf").exists()), None)
    if d is None:
        raise SystemExit("DejaVuSans.ttf not found (apt-get install fonts-dejavu-core)")
    pdfmetrics.registerFont(TTFont("DejaVu", str(d / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("DejaVu-Bold", str(d / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFont(TTFont("DejaVu-Oblique", str(d / "DejaVuSans-Oblique.ttf")))
    pdfmetrics.registerFont(TTFont("DejaVu-BoldOblique", str(d / "DejaVuSans-BoldOblique.ttf")))
    from reportlab.lib.fonts import addMapping

    addMapping("DejaVu", 0, 0, "DejaVu")
    addMapping("DejaVu", 1, 0, "DejaVu-Bold")
    addMapping("DejaVu", 0, 1, "DejaVu-Oblique")
    addMapping("DejaVu", 1, 1, "DejaVu-BoldOblique")
    _FONTS_DONE = True


def _roman(n: int) -> str:
    vals = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = ""
    for v, s in vals:
        while n >= v:
            out += s
            n -= v
    return out


# ------------------------------------------------------------------------------ DOCX


def render_docx(doc: Doc) -> bytes:
    import docx
    from docx.enum.text import WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    meta = doc.meta
    d = docx.Document()
    normal = d.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    fn_order: list[str] = []

    def add_runs(par, text):
        for kind, t in inline_tokens(text):
            if kind == "fn":
                if t not in fn_order:
                    fn_order.append(t)
                r = par.add_run(str(fn_order.index(t) + 1))
                r.font.superscript = True
            else:
                r = par.add_run(t)
                r.bold = kind == "b"
                r.italic = kind == "i"

    def add_field(par, instr):
        r = par.add_run()
        f1 = OxmlElement("w:fldChar")
        f1.set(qn("w:fldCharType"), "begin")
        it = OxmlElement("w:instrText")
        it.set(qn("xml:space"), "preserve")
        it.text = instr
        f2 = OxmlElement("w:fldChar")
        f2.set(qn("w:fldCharType"), "end")
        r._r.append(f1)
        r._r.append(it)
        r._r.append(f2)

    sec = d.sections[0]
    hp = sec.header.paragraphs[0]
    hp.text = meta["title"]
    hp.runs[0].font.size = Pt(8)
    fp = sec.footer.paragraphs[0]
    r = fp.add_run(NOTICE + " – Seite ")
    r.font.size = Pt(7.5)
    add_field(fp, "PAGE")

    # title page
    p = d.add_paragraph()
    r = p.add_run(meta.get("publisher", "Initiative Transformation Automobilregion Südwestsachsen (ITAS)"))
    r.font.color.rgb = RGBColor(0x1F, 0x4E, 0x79)
    d.add_paragraph(meta["title"], style="Title")
    if meta.get("subtitle"):
        d.add_paragraph(meta["subtitle"], style="Subtitle")
    for line in meta.get("title_lines", []):
        d.add_paragraph(line)
    p = d.add_paragraph()
    r = p.add_run("Hinweis: " + NOTICE)
    r.bold = True
    p.add_run().add_break(WD_BREAK.PAGE)
    d.add_paragraph("Inhalt", style="Heading 1")
    for h in headings(doc):
        if h.level <= 2:
            d.add_paragraph(("    " if h.level == 2 else "") + h.label)
    d.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)

    for b in doc.blocks:
        kind = b[0]
        if kind == "h":
            d.add_heading(b[1].label, level=b[1].level)
        elif kind == "p":
            p = d.add_paragraph()
            add_runs(p, b[1])
            if b[1].startswith("Tabelle"):
                for r in p.runs:
                    r.italic = True
        elif kind == "quote":
            p = d.add_paragraph(style="Intense Quote")
            add_runs(p, b[1])
        elif kind in ("ul", "ol"):
            for t in b[1]:
                p = d.add_paragraph(style="List Bullet" if kind == "ul" else "List Number")
                add_runs(p, t)
        elif kind == "table":
            rows = b[1]
            ncol = max(len(r) for r in rows)
            t = d.add_table(rows=len(rows), cols=ncol)
            t.style = "Table Grid"
            for ri, row in enumerate(rows):
                for ci in range(ncol):
                    cell = t.cell(ri, ci)
                    cell.text = ""
                    add_runs(cell.paragraphs[0], row[ci] if ci < len(row) else "")
                    if ri == 0:
                        for r in cell.paragraphs[0].runs:
                            r.bold = True
            d.add_paragraph()
        elif kind == "pagebreak":
            d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    if fn_order:
        d.add_paragraph("Anmerkungen", style="Heading 2")
        for i, k in enumerate(fn_order, 1):
            p = d.add_paragraph()
            r = p.add_run(f"{i} ")
            r.font.superscript = True
            add_runs(p, doc.footnotes[k])
            for r in p.runs:
                r.font.size = Pt(8.5)
    p = d.add_paragraph()
    r = p.add_run(NOTICE)
    r.italic = True
    r.font.size = Pt(8)

    dt = _dt.datetime.fromisoformat(str(meta["date"]) + "T09:00:00")
    cp = d.core_properties
    cp.author = "ITAS-Beispielkorpus"
    cp.last_modified_by = "corpus/generate.py"
    cp.title = meta["title"]
    cp.subject = NOTICE
    cp.keywords = f"ITAS, {meta['doc_id']}"
    cp.comments = NOTICE
    cp.created = dt
    cp.modified = dt
    cp.last_printed = dt
    cp.revision = 1
    cp.language = "de-DE"
    buf = io.BytesIO()
    d.save(buf)
    return _normalize_zip(buf.getvalue())


def _normalize_zip(data: bytes) -> bytes:
    zin = zipfile.ZipFile(io.BytesIO(data))
    names = sorted(zin.namelist(), key=lambda n: (n != "[Content_Types].xml", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for n in names:
            zi = zipfile.ZipInfo(n, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zi.create_system = 3
            zout.writestr(zi, zin.read(n))
    return out.getvalue()


# ------------------------------------------------------------------------- MD / HTML


def render_md(doc: Doc) -> bytes:
    meta = doc.meta
    out = [f"> **Hinweis:** {NOTICE}", "", f"# {meta['title']}", ""]
    if meta.get("subtitle"):
        out += [f"*{meta['subtitle']}*", ""]
    for line in meta.get("title_lines", []):
        out.append(f"- {line}")
    out.append("")
    for b in doc.blocks:
        k = b[0]
        if k == "h":
            out += ["#" * (b[1].level + 1) + " " + b[1].label, ""]
        elif k == "p":
            out += [b[1], ""]
        elif k == "quote":
            out += ["> " + b[1], ""]
        elif k in ("ul", "ol"):
            out += [("- " if k == "ul" else f"{i}. ") + t for i, t in enumerate(b[1], 1)] + [""]
        elif k == "table":
            rows = b[1]
            out.append("| " + " | ".join(rows[0]) + " |")
            out.append("|" + "---|" * len(rows[0]))
            out += ["| " + " | ".join(r) + " |" for r in rows[1:]]
            out.append("")
    if doc.footnotes:
        out += [f"[^{k}]: {v}" for k, v in doc.footnotes.items()] + [""]
    out += ["---", "", f"> **Hinweis:** {NOTICE}", ""]
    return "\n".join(out).encode("utf-8")


def _html_inline(text: str, fns: list) -> str:
    out = []
    for kind, t in inline_tokens(text):
        e = html.escape(t, quote=False)
        if kind == "b":
            out.append(f"<strong>{e}</strong>")
        elif kind == "i":
            out.append(f"<em>{e}</em>")
        elif kind == "fn":
            if t not in fns:
                fns.append(t)
            n = fns.index(t) + 1
            out.append(f'<sup id="fnref-{n}"><a href="#fn-{n}">{n}</a></sup>')
        else:
            out.append(e)
    return "".join(out)


def render_html(doc: Doc) -> bytes:
    meta = doc.meta
    fns: list[str] = []
    body = []
    for b in doc.blocks:
        k = b[0]
        if k == "h":
            lvl = b[1].level + 1
            body.append(f"<h{lvl}>{html.escape(b[1].label)}</h{lvl}>")
        elif k == "p":
            body.append(f"<p>{_html_inline(b[1], fns)}</p>")
        elif k == "quote":
            body.append(f'<aside class="infobox"><p>{_html_inline(b[1], fns)}</p></aside>')
        elif k in ("ul", "ol"):
            tag = "ul" if k == "ul" else "ol"
            items = "\n".join(f"  <li>{_html_inline(t, fns)}</li>" for t in b[1])
            body.append(f"<{tag}>\n{items}\n</{tag}>")
        elif k == "table":
            rows = b[1]
            head = "".join(f"<th>{_html_inline(c, fns)}</th>" for c in rows[0])
            trs = "\n".join(
                "    <tr>" + "".join(f"<td>{_html_inline(c, fns)}</td>" for c in r) + "</tr>"
                for r in rows[1:]
            )
            body.append(f"<table>\n  <thead><tr>{head}</tr></thead>\n  <tbody>\n{trs}\n  </tbody>\n</table>")
    if fns:
        items = "\n".join(
            f'  <li id="fn-{i}">{_html_inline(doc.footnotes[k], [])} <a href="#fnref-{i}">↩</a></li>'
            for i, k in enumerate(fns, 1)
        )
        body.append(f'<section class="footnotes">\n<h2>Anmerkungen</h2>\n<ol>\n{items}\n</ol>\n</section>')
    sub = f'<p class="subtitle">{html.escape(meta["subtitle"])}</p>\n' if meta.get("subtitle") else ""
    lines = "".join(f"<li>{html.escape(x)}</li>" for x in meta.get("title_lines", []))
    page = f"""<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{html.escape(NOTICE)}">
<title>{html.escape(meta["title"])} – ITAS</title>
<link rel="stylesheet" href="/assets/site.css">
<script>window.dataLayer = window.dataLayer || []; function consent(){{return false;}}</script>
</head>
<body>
<div class="cookie-banner" role="dialog">Diese Website verwendet technisch notwendige Cookies. <button>Verstanden</button></div>
<header class="site-header">
  <a class="logo" href="/">ITAS – Initiative Transformation Automobilregion Südwestsachsen</a>
  <form class="search" action="/suche"><input name="q" placeholder="Suche …"></form>
</header>
<nav class="main-nav" aria-label="Hauptnavigation">
  <ul>
    <li><a href="/">Start</a></li>
    <li><a href="/itas-charta/">ITAS-Charta</a></li>
    <li><a href="/itas-handlungsfelder/">Handlungsfelder</a></li>
    <li><a href="/veranstaltungen/">Veranstaltungen</a></li>
    <li><a href="/presse/">Presse</a></li>
    <li><a href="/kontakt/">Kontakt</a></li>
  </ul>
</nav>
<nav class="breadcrumb" aria-label="Brotkrumen"><a href="/">Start</a> › <a href="/veranstaltungen/">Veranstaltungen</a> › {html.escape(meta["title"])}</nav>
<main id="content">
<article>
<p class="notice"><strong>Hinweis:</strong> {html.escape(NOTICE)}</p>
<h1>{html.escape(meta["title"])}</h1>
{sub}<ul class="meta">{lines}</ul>
{chr(10).join(body)}
<p class="notice"><strong>Hinweis:</strong> {html.escape(NOTICE)}</p>
</article>
</main>
<aside class="sidebar">
  <h2>Aktuelles</h2>
  <ul><li><a href="/newsletter/">Newsletter abonnieren</a></li><li><a href="/downloads/">Downloads</a></li></ul>
</aside>
<footer class="site-footer">
  <p>{html.escape(NOTICE)}</p>
  <p><a href="/impressum/">Impressum</a> · <a href="/datenschutz/">Datenschutz</a> · <a href="/barrierefreiheit/">Barrierefreiheit</a></p>
  <p>Gefördert im Rahmen der Förderbekanntmachung „Transformationsstrategien für Regionen der Fahrzeug- und Zulieferindustrie“ des BMWK.</p>
</footer>
</body>
</html>
"""
    return page.encode("utf-8")


RENDERERS = {"pdf": render_pdf, "docx": render_docx, "md": render_md, "html": render_html}


def manifest_entry(doc: Doc) -> dict:
    m = doc.meta
    e = {
        "file": f"documents/{m['doc_id']}.{m['format']}",
        "doc_id": m["doc_id"],
        "title": m["title"],
        "doc_type": m["doc_type"],
        "version": m.get("version"),
        "district": m.get("district"),
        "date": str(m["date"]),
        "audience": m.get("audience", "public"),
        "sample": True,
        "url": m.get("url"),
    }
    if m["doc_type"] == "charta":
        e["changes"] = m.get("changes") or []
    return e


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--out",
        type=Path,
        default=None,
        help="output directory for the documents (default: corpus/documents)",
    )
    ap.add_argument(
        "--manifest",
        type=Path,
        default=None,
        help="manifest path (default: corpus/manifest.yaml, or OUT/manifest.yaml with --out)",
    )
    ap.add_argument("--only", default=None, help="render only this doc_id (debugging)")
    args = ap.parse_args(argv)
    out = args.out or HERE / "documents"
    manifest_path = args.manifest or (out / "manifest.yaml" if args.out else HERE / "manifest.yaml")
    out.mkdir(parents=True, exist_ok=True)
    docs = [parse_source(p) for p in sorted(SRC_DIR.glob("*.md"))]
    docs.sort(key=lambda d: (d.meta.get("order", 99), d.meta["doc_id"]))
    entries = []
    for d in docs:
        entries.append(manifest_entry(d))
        if args.only and d.meta["doc_id"] != args.only:
            continue
        data = RENDERERS[d.meta["format"]](d)
        (out / f"{d.meta['doc_id']}.{d.meta['format']}").write_bytes(data)
        print(f"wrote {d.meta['doc_id']}.{d.meta['format']} ({len(data)} bytes)", file=sys.stderr)
    if not args.only:
        text = (
            "# Generated by corpus/generate.py from corpus/src/*.md – edit the sources, not this file.\n"
            + yaml.safe_dump(
                {"sample_notice": NOTICE, "documents": entries},
                sort_keys=False,
                allow_unicode=True,
                width=200,
            )
        )
        manifest_path.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
