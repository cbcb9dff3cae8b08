"""Detect metadata filters (charter version, document type, district, years) in German questions."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from assistant.analysis import analyze, fold
from assistant.types import Filters

# Patterns run on a length-preserving folded copy of the question (lowercase, ä→a, ß→s), so match
# offsets are offsets into the original text and umlaut spellings ("Vogtländer", "Döbeln") need no variants.
_V = r"(?!\.?\d)"  # a version digit must not continue into a longer number ("Charta 2024")
_VERSION_NAMED = re.compile(
    rf"\b(?:itas[- ]?)?(?:charta|version|fassung|ausgabe)(?:[- ]?(?:version|fassung))?\s*v?\.?\s*([123])(?:\.0)?{_V}"
)
_VERSION_BARE = re.compile(rf"(?<![\w.])v?([123])\.0{_V}")
_VERSION_ORDINAL = re.compile(
    r"\b(erst|zweit|dritt|ursprunglich)(?:e|en|er|es|em)\s+(?:itas[- ]?)?(charta|fassung|version|ausgabe|auflage)\b"
    r"(?:\s+der\s+(?:itas[- ]?)?charta\b)?"
)
_ORDINALS = {"erst": "1.0", "ursprunglich": "1.0", "zweit": "2.0", "dritt": "3.0"}
_CURRENT = re.compile(
    r"\b(?:aktuell|neu|neuest|jungst|letzt|gultig|derzeit|derzeitig|heutig|geltend)(?:e|en|er|es|em)?\s+"
    r"(?:itas[- ]?)?(charta|fassung|version|ausgabe)\b"
)
_DOC_TYPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("forum_report", re.compile(r"\b(?:zukunfts)?(?:forum|forums|foren)\w*|\bworkshops?\b")),
    ("kongress", re.compile(r"\b(?:itas-)?kongress\w*")),
    ("verstetigungskonzept", re.compile(r"\bverstetigung\w*")),
)
_DISTRICTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "Erzgebirgskreis",
        re.compile(
            r"\berzgebirg\w*|\bannaberg(?:-buchholz)?\w*|\baue\b(?:-bad schlema)?|\bstollberg\w*"
            r"|\bmarienberg\w*|\bzschopau\w*|\bschwarzenberg\w*|\bolbernhau\w*|\boberwiesenthal\w*"
        ),
    ),
    (
        "Vogtlandkreis",
        re.compile(r"\bvogtland\w*|\bplauen\w*|\bklingenthal\w*|\bmarkneukirchen\w*|\badorf\b"),
    ),
    (
        "Landkreis Mittelsachsen",
        re.compile(
            r"\bmittelsachs\w*|\bfreiberg\w*|\bmittweida\w*|\bdobeln\w*|\bfloha\w*|\brochlitz\w*"
            r"|\bhainichen\w*|\bbrand-erbisdorf\w*|\bfrankenberg\w*"
        ),
    ),
    (
        "Landkreis Zwickau",
        re.compile(
            r"\bzwickau\w*|\bcrimmitschau\w*|\bglauchau\w*|\bwerdau\w*|\bmeerane\w*"
            r"|\blimbach-oberfrohna\b|\bhohenstein-ernstthal\b|\bwilkau-haslau\b"
        ),
    ),
    ("Stadt Chemnitz", re.compile(r"\bchemnitz\w*")),
)
# A place name inside an institution or the whole region's name is no district filter
# ("TU Chemnitz", "Hochschule Mittweida", "Region Chemnitz-Zwickau").
_INSTITUTION_BEFORE = re.compile(
    r"\b(?:tu|technischen?\s+universitat|universitat|hochschule|ihk|hwk|handwerkskammer|bergakademie"
    r"|technikum|klinikum)[\s-]+$"
)
_REGION_NAMES = re.compile(
    r"\b(?:(?:wirtschafts)?region\s+)?(?:chemnitz-zwickau|zwickau-chemnitz)\b|\b(?:wirtschafts)?region\s+chemnitz\b"
)
_Y = r"(20[0-4]\d)"
_YEAR_FORMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("range", re.compile(rf"\b(?:von|zwischen)\s+(?:dem\s+)?(?:jahr\s+)?{_Y}\s*(?:bis|und|-|–)\s*(?:zum\s+|ins\s+)?(?:jahr\s+)?{_Y}\b")),
    ("range", re.compile(rf"\b{_Y}\s*[-–/]\s*{_Y}\b")),
    ("since", re.compile(rf"\b(?:seit|ab)\s+(?:dem\s+)?(?:jahr\s+)?{_Y}\b")),
    ("until", re.compile(rf"\bbis\s+(?:zum\s+|ins\s+|ende\s+)?(?:jahr\s+)?{_Y}\b")),
    ("before", re.compile(rf"\bvor\s+(?:dem\s+jahr\s+)?{_Y}\b")),
    ("after", re.compile(rf"\bnach\s+(?:dem\s+jahr\s+)?{_Y}\b")),
    ("year", re.compile(rf"(?<![\d.]){_Y}(?![\d.]*\d)")),
)  # fmt: skip
_YEAR_BOUNDS = {
    "range": lambda first, last: (first, last),
    "since": lambda first, last: (first, None),
    "until": lambda first, last: (None, last),
    "before": lambda first, last: (None, last - 1),
    "after": lambda first, last: (first + 1, None),
    "year": lambda first, last: (first, last),
}
# A year filters documents only when it names a source ("Forum 2024", "im Bericht von 2025"); otherwise
# it is part of the topic ("Wie viele Lotsen gab es Ende 2023?" must find a 2024 report stating it).
_SOURCE_NEAR = re.compile(
    r"\b(?:zukunfts)?(?:forum|forums|foren)\w*|\bkongress\w*|\bbericht\w*|\bcharta\b|\bkonzept\w*"
    r"|\bveranstaltung\w*|\bworkshops?\b|\btagung\w*|\bdokument\w*|\bprotokoll\w*|\bfassung\b"
    r"|\bausgabe\b|\bstudie\w*|\bbefragung\w*|\bumfrage\w*|\bergebnis\w*|\btreffen\b"
)
_THIS_YEAR = date.today().year  # no document of a later year exists; such a year is part of the topic
_SOURCE_WINDOW = 45  # characters either side of a year, within its clause
_CLAUSE_END = re.compile(r"[.?!;:]")
# "erstes Forum", "2. Kongress": the n-th event of its kind, resolved against the index's documents.
_EVENT_ORDINAL = re.compile(
    r"\b(?:(erst|zweit|dritt|viert|funft)(?:e|en|er|es|em)|([1-5])\.)\s+(?:itas[- ]?)?(?=(zukunftsforum|forum|kongress))"
)
_ORDINAL_NUMBERS = {"erst": 1, "zweit": 2, "dritt": 3, "viert": 4, "funft": 5}
_NOT_A_VERSION_BEFORE = re.compile(r"\b(?:web|industrie|arbeit|wirtschaft|gesundheit|verwaltung)\s*$")
_NOT_A_DATE_BEFORE = re.compile(r"\b(?:kulturhauptstadt\w*|chemnitz|industrie|agenda|vision|strategie)\s+$")
# Prepositions, articles and nouns that belong to a removed filter phrase ("im Landkreis", "in der").
_LEAD = re.compile(
    r"(?:\b(?:im|in|ins|am|an|auf|aus|bei|beim|fur|uber|vom|von|zum|zur|zu|seit|ab|bis|laut|gemass|nach|vor"
    r"|zwischen|und|oder|sowie|mit|fuers)\s+)?(?:\b(?:der|die|das|dem|den|des|ihrer|ihre)\s+)?"
    r"(?:\b(?:landkreis|kreis|stadt|jahr|jahre|raum)\s+)?$"
)
_FOLLOW_UP = re.compile(
    r"^\W*(?:und|aber|auch|sowie|ebenso|dasselbe|das gleiche|gleiche frage|was ist (?:denn )?mit"
    r"|wie (?:ist|steht) es (?:mit|um)|wie sieht(?:'s| es)\b)\b"
)
_FOLLOW_UP_MAX_WORDS = 10
# Words that point back to the previous turn ("Wie viele gibt es davon?", "Gibt's da auch was …?",
# "wie viele module hat das?", "beim ersten", "das dritte davon").
_ANAPHORA = re.compile(
    r"\b(?:davon|dazu|dafur|daruber|daran|damit|dabei|dadurch|daraus|dort|dorthin|deren|denen|diese[mnrs]?"
    r"|jene[mnrs]?|solche[mnrs]?|da)\b|\b(?:das|der|die|es|dem|den)\s*\?\s*$"
    r"|\b(?:beim|im|am|das|der|die|den|dem)\s+(?:erst|zweit|dritt|viert|funft|letzt)(?:e|en|er|es|em)\b"
    r"(?!\s+(?:zukunfts)?(?:forum|kongress|charta|fassung|version|termin|treffen|workshop))"
)
_BARE_ORDINAL = re.compile(
    r"\b(?:der|die|das|den|dem|beim|im|am)\s+(erst|zweit|dritt|viert|funft)(?:e|en|er|es|em)\b(?!\s+(?:zukunfts)?(?:forum|kongress|charta))"
)
_ANAPHORA_MAX_WORDS = 16


@dataclass(frozen=True)
class DetectedFilters:
    """Filters found in a question, and the question without the phrases that expressed them."""

    versions: tuple[str, ...] | None = None
    doc_types: tuple[str, ...] | None = None
    districts: tuple[str, ...] | None = None
    date_from: str | None = None
    date_to: str | None = None
    current_only: bool = False  # "aktuelle Charta": restrict to the latest version, whichever that is
    stripped_question: str = ""
    event_ordinal: tuple[str, int] | None = None  # ("forum_report" | "kongress", n) for "erstes Forum"

    @property
    def found(self) -> bool:
        """Tell whether any filter or the current-version flag was detected."""
        return self.current_only or any(
            v is not None
            for v in (self.versions, self.doc_types, self.districts, self.date_from, self.date_to)
        )

    def to_filters(self, audiences: tuple[str, ...] = ("public",)) -> Filters:
        """Return the detected metadata filters as `Filters` (current_only is left to the caller)."""
        return Filters(
            versions=self.versions,
            doc_types=self.doc_types,
            districts=self.districts,
            date_from=self.date_from,
            date_to=self.date_to,
            audiences=audiences,
        )


class _Scan:
    """Folded question plus the character spans already taken by a filter phrase or a blocking name."""

    def __init__(self, question: str) -> None:
        self.question = question
        self.text = "".join(_fold_char(ch) for ch in question)
        self.spans: list[tuple[int, int]] = []  # filter phrases: removed from the stripped question
        self.blocked: list[tuple[int, int]] = []  # names that are no filter: kept, but never matched again

    def free(self, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
        """Yield the matches of `pattern` that overlap no taken or blocked span."""
        for match in pattern.finditer(self.text):
            if not any(
                match.start() < end and start < match.end() for start, end in self.spans + self.blocked
            ):
                yield match

    def take(self, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
        """Yield free matches, taking each as a filter phrase."""
        for match in self.free(pattern):
            self.spans.append(match.span())
            yield match

    def before(self, match: re.Match[str]) -> str:
        """Return the folded text left of a match."""
        return self.text[: match.start()]

    def stripped(self) -> str:
        """Return the question without taken spans and their leading prepositions and articles."""
        keep = [True] * len(self.question)
        for start, end in self.spans:
            lead = _LEAD.search(self.text, 0, start)
            for i in range(lead.start() if lead else start, end):
                keep[i] = False
        text = "".join(ch for ch, k in zip(self.question, keep, strict=True) if k)
        text = re.sub(r"\s+", " ", text)
        text = re.sub(r"\s+([?!.,;:])", r"\1", text)
        text = re.sub(r"[,;:]+(?=[?!.]|$)", "", text)  # "Im Erzgebirgskreis, 2023?" leaves ",?"
        text = text.strip(" ,;:-–")
        return text if re.search(r"[^\W_]", text) else ""


def detect_filters(question: str) -> DetectedFilters:
    """Find charter versions, document types, districts and years mentioned in a German question."""
    scan = _Scan(question)
    versions, current_only, charta = _versions(scan)
    ordinal = _event_ordinal(scan)
    doc_types = [doc_type for doc_type, pattern in _DOC_TYPES if any(scan.take(pattern))]
    if charta:
        doc_types.insert(0, "charta")
    districts = _districts(scan)
    date_from, date_to = _dates(scan)
    return DetectedFilters(
        versions=tuple(sorted(versions)) or None,
        doc_types=tuple(dict.fromkeys(doc_types)) or None,
        districts=tuple(districts) or None,
        date_from=date_from,
        date_to=date_to,
        current_only=current_only,
        stripped_question=scan.stripped(),
        event_ordinal=ordinal,
    )


def _event_ordinal(scan: _Scan) -> tuple[str, int] | None:
    """The first "n-tes Forum/Kongress" of the question; its ordinal word is taken as a filter phrase."""
    for match in scan.free(_EVENT_ORDINAL):
        number = _ORDINAL_NUMBERS[match[1]] if match[1] else int(match[2])
        scan.spans.append(match.span())
        return ("kongress" if match[3] == "kongress" else "forum_report", number)
    return None


def _names_source(scan: _Scan, match: re.Match[str]) -> bool:
    """Tell whether a year stands next to a word naming a source, within its clause."""
    before = _CLAUSE_END.split(scan.text[max(0, match.start() - _SOURCE_WINDOW) : match.start()])[-1]
    after = _CLAUSE_END.split(scan.text[match.end() : match.end() + _SOURCE_WINDOW])[0]
    return bool(_SOURCE_NEAR.search(before) or _SOURCE_NEAR.search(after))


def is_elliptical(question: str) -> bool:
    """Tell whether a question is a follow-up that needs the previous turn ("Und im Vogtland?", "Und 2024?")."""
    if not question.strip():
        return False
    folded = "".join(_fold_char(ch) for ch in question)
    words = len(re.findall(r"[^\W_]+", folded))
    if _FOLLOW_UP.search(folded) and words <= _FOLLOW_UP_MAX_WORDS:
        return True
    if _ANAPHORA.search(folded) and words <= _ANAPHORA_MAX_WORDS:
        return True
    return not analyze(detect_filters(question).stripped_question)


def bare_ordinal(question: str) -> int | None:
    """An ordinal without its noun ("Und der dritte?"): the n-th of whatever the previous turn named."""
    folded = "".join(_fold_char(ch) for ch in question)
    match = _BARE_ORDINAL.search(folded)
    return _ORDINAL_NUMBERS[match[1]] if match else None


def _versions(scan: _Scan) -> tuple[set[str], bool, bool]:
    """Return (versions, current_only, whether the charter itself is meant)."""
    versions: set[str] = set()
    charta = False
    for match in scan.take(_VERSION_ORDINAL):
        versions.add(_ORDINALS[match[1]])
        charta = True
    for match in scan.take(_VERSION_NAMED):
        versions.add(f"{match[1]}.0")
        charta = True
    for match in scan.free(_VERSION_BARE):
        if _NOT_A_VERSION_BEFORE.search(scan.before(match)):
            scan.blocked.append(match.span())  # "Industrie 4.0"-style names: "Web 2.0"
            continue
        scan.spans.append(match.span())
        versions.add(f"{match[1]}.0")
        charta = True
    current_only = False
    for match in scan.take(_CURRENT):
        current_only = True
        charta = charta or match[1] == "charta"
    return versions, current_only, charta


def _districts(scan: _Scan) -> list[str]:
    """Return the districts named in the question, in canonical spelling, first mention first."""
    scan.blocked.extend(m.span() for m in scan.free(_REGION_NAMES))
    found: list[tuple[int, str]] = []
    for district, pattern in _DISTRICTS:
        for match in scan.free(pattern):
            if _INSTITUTION_BEFORE.search(scan.before(match)):
                scan.blocked.append(match.span())
                continue
            scan.spans.append(match.span())
            found.append((match.start(), district))
    return list(dict.fromkeys(district for _, district in sorted(found)))


def _dates(scan: _Scan) -> tuple[str | None, str | None]:
    """Return the inclusive ISO date range covering every year expression, or (None, None)."""
    lows: list[int | None] = []
    highs: list[int | None] = []
    for form, pattern in _YEAR_FORMS:
        for match in scan.free(pattern):
            future = any(int(y) > _THIS_YEAR for y in match.groups())  # a target year ("Produktion 2035")
            if future or _NOT_A_DATE_BEFORE.search(scan.before(match)) or not _names_source(scan, match):
                scan.blocked.append(match.span())
                continue
            scan.spans.append(match.span())
            years = sorted(int(y) for y in match.groups())
            low, high = _YEAR_BOUNDS[form](years[0], years[-1])
            lows.append(low)
            highs.append(high)
    if not lows:
        return None, None
    low_bound = None if None in lows else min(y for y in lows if y is not None)
    high_bound = None if None in highs else max(y for y in highs if y is not None)
    return (
        f"{low_bound}-01-01" if low_bound is not None else None,
        f"{high_bound}-12-31" if high_bound is not None else None,
    )


def _fold_char(char: str) -> str:
    """Fold one character to exactly one character (ß→s), so offsets survive folding."""
    folded = fold(char)
    return folded[0] if len(folded) >= 1 else char
