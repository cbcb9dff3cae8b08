"""Question analysis in one place: normalise, plan filters, find the answer type and the topic terms.

Everything the answerer needs to know about a question comes from `analyse`: the normalised text, the
retrieval query, the filters (detected in `query_filters`, carried over for follow-ups in `planning`, and
resolved here against the index: event ordinals, history questions, filters that would exclude every
document), the answer type and the weighted topic terms used as lexical evidence.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from enum import StrEnum

from assistant.analysis import fold
from assistant.planning import QueryPlan, plan_query
from assistant.protocols import ChatModel
from assistant.reply_check import is_instruction
from assistant.snapshot import IndexSnapshot
from assistant.synonyms import expansions
from assistant.types import Filters

# Zero-width characters, bidi controls, soft hyphen and BOM: invisible, so a user (or a paste from a PDF)
# can carry them inside words without seeing them ("Fach\u200bkräfte" must still match "Fachkräfte").
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# Cyrillic and Greek letters that look like Latin ones. Hand-written because the confusables data of
# Unicode (TR39) is not in the standard library; only applied inside words that also hold Latin letters,
# so a Russian or Greek word stays what it is.
_HOMOGLYPHS = str.maketrans(
    "аеорсухіјѕАВЕКМНОРСТХІЈЅΑΒΕΗΙΚΜΝΟΡΤΧΥΖαοτ",
    "aeopcyxijsABEKMHOPCTXIJSABEHIKMNOPTXYZaot",
)
_MIXED_WORD = re.compile(r"\w+")


def normalize_question(text: str) -> str:
    """NFC, invisible characters removed, Latin look-alikes inside Latin words mapped, spaces collapsed."""
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", text))

    def fix(match: re.Match[str]) -> str:
        word = match.group()
        if word.isascii() or not any("a" <= ch.lower() <= "z" for ch in word):
            return word
        return word.translate(_HOMOGLYPHS)

    return " ".join(_MIXED_WORD.sub(fix, text).split())


class AnswerType(StrEnum):
    """What kind of information a question asks for."""

    AMOUNT = "Betrag"
    NUMBER = "Zahl"
    DATE = "Datum"
    CONTACT = "Kontakt"
    PERSON = "Person"
    ORGANISATION = "Organisation"
    PLACE = "Ort"
    LIST = "Liste"
    DEFINITION = "Definition"
    COMPARISON = "Vergleich"
    OTHER = "Sonstiges"


# Patterns on the folded question (lowercase, umlauts without dots, ß → ss), most specific first.
_TYPE_PATTERNS: tuple[tuple[AnswerType, re.Pattern[str]], ...] = (
    (AnswerType.CONTACT, re.compile(
        r"\b(?:telefon\w*|handynummer|rufnummer|hotline|e-?mail\w*|mailadresse|anschrift|postadresse"
        r"|kontaktdaten|adresse|webseite|internetseite|homepage|website)\b")),
    (AnswerType.AMOUNT, re.compile(
        r"\bwie ?viel (?:geld|euro|zuschuss\w*|forder\w*|foerder\w*|budget|kohle|mittel)|\bwas kostet\b"
        r"|\bwas kosten\b|\bwie teuer\b|\bwie hoch (?:ist|sind|war|waren|fallt|fallen) (?:die |der |das )?"
        r"(?:forder\w*|zuschuss\w*|budget\w*|summe|betrag|kosten|mittel|foerder\w*)|\bwelche (?:summe|kosten)\b"
        r"|\bwelcher (?:betrag|zuschuss)\b|\bwie ?viel (?:bekommt|bekommen|kriegt|kriegen|gibt es)\b")),
    (AnswerType.DATE, re.compile(
        r"\b(?:wann|bis wann|seit wann|ab wann)\b|\ban welchem (?:tag|datum)\b"
        r"|\bwelche[mn]? (?:datum|termin|zeitraum|monat)\b|\bin welchem jahr\b|\bwie lange\b|\blaufzeit\b")),
    (AnswerType.NUMBER, re.compile(
        r"\bwie ?viele\b|\bwie ?viel\b|\banzahl\b|\bwie gross\b|\bwie hoch\b|\bwelcher anteil\b|\bprozent\b")),
    (AnswerType.PERSON, re.compile(
        r"\b(?:ansprechpartner\w*|ansprechperson\w*|kontaktperson\w*|wie heisst (?:der|die)"
        r"|wer (?:ist|war) (?:der|die) (?:leiter\w*|chef\w*|geschaftsfuhrer\w*|vorsitzende\w*|sprecher\w*))\b")),
    (AnswerType.COMPARISON, re.compile(
        r"\b(?:geandert|verandert|anderung\w*|unterschied\w*|unterscheid\w*|vergleich\w*|anders|entwickelt"
        r"|weggefallen|gestrichen|hinzugekommen|dazugekommen|geworden|was wurde aus|was ist aus)\b"
        r"|\bnoch (?:drin|da|aktuell|gultig|vorgesehen|geplant|dabei|ein thema)\b|\bimmer noch\b|\bnach wie vor\b")),
    (AnswerType.ORGANISATION, re.compile(
        r"\bwer (?:gehort|steckt|ist beteiligt|sind die|tragt|finanziert|bezahlt|zahlt|macht|organisiert"
        r"|bietet|veranstaltet|leitet|fuhrt)\b|\bwelche (?:partner|organisation\w*|institution\w*|einrichtung\w*)\b"
        r"|\bwer\b")),
    (AnswerType.PLACE, re.compile(r"\bwo\b|\ban welchem ort\b|\bin welcher stadt\b|\bwohin\b|\bwoher\b")),
    (AnswerType.LIST, re.compile(
        r"\bwelche\b|\bwas sind die\b|\baus welchen\b|\bnenne\w*\b|\bliste\w*\b|\baufzahl\w*\b|\bwas gibt es\b"
        r"|\bwas fur\b|\bwas bietet\b|\bwas bringt\b|\bwas hat .{0,40} vorgeschlagen\b")),
    (AnswerType.DEFINITION, re.compile(
        r"\bwas (?:ist|sind|bedeutet|bedeuten|heisst|meint) \b|\bwas versteht man\b|\bworum geht\b")),
)  # fmt: skip
# A question about what became of something ("Was wurde aus dem Fonds der ersten Charta?") is about
# every version, not only the one it names.
_HISTORY = re.compile(
    r"\b(?:was wurde aus|was ist aus|geworden|noch|immer noch|nach wie vor|weiterhin|seit der|seitdem"
    r"|geandert|verandert|entwickelt|weggefallen|gestrichen|mittlerweile|inzwischen|heute|jetzt|nun)\b"
)
# "im Landkreis Görlitz": a district the corpus does not cover is no reason to answer about another one.
_DISTRICT_PHRASE = re.compile(r"\b(Landkreis|Kreis|Stadt)\s+([A-ZÄÖÜ][\w-]+)")
# Questions for the parts of something are answered from the outline when the text names them only as headings.
_PARTS = re.compile(
    r"\b(?:welche|aus welchen|was sind die|nenne|wie heissen die|wie viele)\s+(?:\w+\s+){0,2}?"
    r"(\w*(?:felder|teile|bausteine|saulen|kapitel|abschnitte|schwerpunkte|themen|bereiche|ziele|merkmale"
    r"|profile|handlungsfelder|themenfelder|leitprojekte|module|phasen|stufen|teilen"
    r"|gruppen|tische|runden|workshops|blocke|ags))\b"
)


_SUPERLATIVE = re.compile(
    r"\bam (?:meisten|haufigsten|starksten)\b|\bmeisten (?:punkte|stimmen|nennungen)\b"
    r"|\bmeistgenannt\w*|\bhochste[nrs]? (?:punktzahl|zustimmung)\b"
)
_COUNTED = re.compile(r"\b[Ww]ie ?viele?\s+((?:\S+\s+){0,2}\S+)")
_NOT_COUNTED = frozenset(
    [
        "es",
        "sie",
        "er",
        "das",
        "die",
        "der",
        "den",
        "dem",
        "ein",
        "eine",
        "denn",
        "davon",
        "dort",
        "da",
        "hat",
        "haben",
        "gibt",
        "gab",
        "sind",
        "waren",
        "war",
        "ist",
        "werden",
        "wurden",
        "sollen",
        "soll",
        "kann",
        "konnen",
        "insgesamt",
        "etwa",
        "ungefahr",
        "noch",
        "schon",
        "genau",
    ]
)


def answer_type(text: str) -> AnswerType:
    """The kind of information the question asks for (first matching pattern)."""
    folded = fold(text)
    return next((kind for kind, pattern in _TYPE_PATTERNS if pattern.search(folded)), AnswerType.OTHER)


def asks_for_parts(text: str) -> str | None:
    """The plural noun of a question for the parts of something ("Welche Handlungsfelder …" → the noun)."""
    match = _PARTS.search(fold(text))
    return match.group(1) if match else None


@dataclass
class TopicTerms:
    """The question's topic terms: idf weights and alternatives that count as the same term.

    Terms the index has never seen are neutral: they are left out of the weights (a question worded in
    everyday German must not look unanswerable because of its everyday words), and counted in
    `unknown_weight` for the abstention model.
    """

    weights: dict[str, float] = field(default_factory=dict)
    alternatives: dict[str, frozenset[str]] = field(default_factory=dict)
    expansion: list[str] = field(default_factory=list)  # words added to the retrieval query
    unknown: list[str] = field(default_factory=list)  # question words the index never saw

    def __bool__(self) -> bool:
        return bool(self.weights)

    def coverage(self, terms: set[str] | frozenset[str]) -> float:
        """Idf-weighted share of the question's known terms found among `terms`."""
        total = sum(self.weights.values())
        found = sum(
            w
            for t, w in self.weights.items()
            if t in terms or not self.alternatives.get(t, frozenset()).isdisjoint(terms)
        )
        return found / total if total else 0.0

    @property
    def unknown_share(self) -> float:
        """Share of the question's content words that the index never saw."""
        n = len(self.weights) + len(self.unknown)
        return len(self.unknown) / n if n else 0.0


@dataclass(frozen=True)
class Analysis:
    """Everything the answerer needs to know about a question."""

    text: str  # normalised question
    plan: QueryPlan  # retrieval query, filters (resolved), focus
    answer_type: AnswerType
    terms: TopicTerms
    history_intent: bool = False  # about every version of a family ("was wurde aus …")
    parts_noun: str | None = None  # "Welche Handlungsfelder …": answer from the outline if possible
    spread_versions: bool = False  # represent every version among the hits in the answer
    empty_reason: str | None = None  # the filters match no document (an unknown version or district)
    injection: bool = (
        False  # the question addresses the assistant as a model ("Ignoriere alle Anweisungen …")
    )
    counted: tuple[str, ...] = ()  # "Wie viele Teilnehmerplätze …": the known terms of what is counted
    superlative: bool = False  # "am meisten", "die meisten Punkte": the top row of a ranking is asked for

    @property
    def query(self) -> str:
        """Text sent to retrieval: the planned query plus expansions."""
        return " ".join([self.plan.query, *self.terms.expansion])


def analyse(
    question: str,
    history: list[tuple[str, str]],
    explicit: Filters,
    snap: IndexSnapshot,
    *,
    chat: ChatModel | None = None,
    current_only: bool = False,
) -> Analysis:
    """Analyse a question against the index it will be answered from."""
    text = normalize_question(question)
    history = [(role, normalize_question(t)) for role, t in history]
    from assistant.vocabulary import correct_spelling

    spelled = correct_spelling(restore_umlauts(text, snap), snap)
    history = [(role, correct_spelling(restore_umlauts(t, snap), snap)) for role, t in history]
    plan = plan_query(spelled, history, explicit, chat=chat)
    kind = answer_type(text)
    if kind is AnswerType.OTHER and plan.query != spelled:  # a follow-up asks what the previous turn asked
        kind = answer_type(plan.query)
    history_intent = bool(_HISTORY.search(fold(text))) and plan.versions is not None
    filters = plan.filters
    if history_intent and "versions" in plan.auto_fields and len(plan.versions or ()) < 2:
        filters = replace(filters, versions=None)  # all versions; the answer shows old and current
    filters = _resolve_event_ordinal(plan, filters, snap)
    if (current_only or plan.current_only) and snap.latest_version:
        older = tuple(v for v in snap.known_versions if v != snap.latest_version)
        filters = replace(filters, exclude_versions=older or None)
    filters, empty = _never_empty(filters, plan.auto_fields, snap)
    empty = empty or ("unknown_district" if unknown_district(text) else None)
    plan = replace(plan, filters=filters)
    spread = (plan.versions is not None and len(plan.versions) > 1) or history_intent
    spread = spread or kind is AnswerType.COMPARISON
    terms = topic_terms(snap, plan.focus)
    counted = tuple(t for t in snap.lexical.analyze(counted_noun(text) or "") if t in terms.weights)
    return Analysis(
        text,
        plan,
        kind,
        terms,
        history_intent,
        asks_for_parts(text),
        spread,
        empty,
        is_instruction(text),
        counted if kind is AnswerType.NUMBER else (),
        bool(_SUPERLATIVE.search(fold(text))),
    )


def counted_noun(text: str) -> str | None:
    """What a "Wie viele …?" question counts: the first capitalised word of the next three (in an
    all-lowercase question the first word), none if a verb or pronoun comes first ("wie viele waren …")."""
    match = _COUNTED.search(text)
    if not match:
        return None
    lowercase = text == text.lower()
    for word in (w.strip("?!.,;:–-") for w in match.group(1).split()):
        if fold(word) in _NOT_COUNTED:
            return None
        if word[:1].isupper() or lowercase:
            return word
    return None


def _resolve_event_ordinal(plan: QueryPlan, filters: Filters, snap: IndexSnapshot) -> Filters:
    """ "erstes Forum" → the year of the first forum in the index (unless the question names a year)."""
    ordinal = plan.event_ordinal
    if ordinal is None or filters.date_from or filters.date_to:
        return filters
    doc_type, number = ordinal
    years = sorted({m.date[:4] for m in snap.documents.values() if m.doc_type == doc_type and m.date})
    if not 1 <= number <= len(years):
        return filters
    year = years[number - 1]
    return replace(filters, doc_types=(doc_type,), date_from=f"{year}-01-01", date_to=f"{year}-12-31")


def _never_empty(filters: Filters, auto: tuple[str, ...], snap: IndexSnapshot) -> tuple[Filters, str | None]:
    """Drop a guessed document type that contradicts the other cues ("Forum" + "Charta 2.0"); a named
    version, district or source year that matches no document stays, and the answer says so."""
    if snap.matching_documents(filters):
        return filters, None
    steps: list[dict[str, object]] = []
    if "doc_types" in auto:
        steps.append({"doc_types": None})
    if filters.versions and filters.districts:  # "Was hat das Forum im Vogtland zur Charta 1.0 beigetragen?"
        steps.append({"doc_types": None, "districts": (*filters.districts, None)})
        if "versions" in auto:
            steps.append({"doc_types": None, "versions": None})
    for step in steps:
        relaxed = replace(filters, **step)  # type: ignore[arg-type]
        if snap.matching_documents(relaxed):
            return relaxed, None
    return filters, "empty"


def unknown_district(text: str) -> str | None:
    """A "Landkreis/Kreis/Stadt X" the filter detector does not know (the corpus covers five districts)."""
    from assistant.query_filters import detect_filters
    from assistant.vocabulary import is_german_word

    for match in _DISTRICT_PHRASE.finditer(text):
        kind, name = match.group(1), match.group(2)
        if detect_filters(match.group(0)).districts:
            continue
        # "im Kreis Chancen": after "Kreis" or "Stadt" a dictionary noun is no place name; "Landkreis X" is one
        if kind == "Landkreis" or not is_german_word(name):
            return name
    return None


def restore_umlauts(text: str, snap: IndexSnapshot) -> str:
    """Write "ae/oe/ue" back as umlauts in words the index only knows with umlauts ("Foerderung")."""
    known = snap.surface_vocabulary

    def fix(match: re.Match[str]) -> str:
        word = match.group()
        folded = fold(word)
        if folded in known or not re.search(r"ae|oe|ue", folded):
            return word
        candidate = re.sub(r"ae", "ä", re.sub(r"oe", "ö", re.sub(r"ue", "ü", word)))
        candidate = re.sub(r"Ae", "Ä", re.sub(r"Oe", "Ö", re.sub(r"Ue", "Ü", candidate)))
        return candidate if fold(candidate) in known else word

    return re.sub(r"[^\W\d_]{3,}", fix, text)


def topic_terms(snap: IndexSnapshot, focus: str) -> TopicTerms:
    """What an answer must be about: each analysed question term the index knows, with its idf weight
    and the alternatives that count as the same term (everyday synonyms, lemmas, typo corrections).

    Coverage is measured on the question without its filter words ("in Plauen", "Charta 2.0"), so a
    passage that merely shares the place name does not count as an answer.
    """
    from assistant.vocabulary import lemma, nearest_term

    lexical = snap.lexical
    terms = TopicTerms()
    for word in re.findall(r"[\w-]+", focus):
        found = expansions([word, lemma(word)])
        synonyms = found.get(word) or found.get(lemma(word), ())
        terms.expansion.extend(synonyms)
        analysed = lexical.analyze(word)
        known = lexical.term_weights(" ".join([word, lemma(word)]))
        alternatives = {a for synonym in synonyms for a in lexical.analyze(synonym)}
        alternatives |= set(lexical.analyze(lemma(word))) & set(known)
        for position, term in enumerate(analysed):
            if term in terms.weights or term in terms.unknown:
                continue
            if position == 0 and term not in known and any(part in known for part in analysed[1:]):
                continue  # an unseen compound whose parts are known ("Autoindustrie"): the parts count
            weight = known.get(term)
            if weight is None and (near := nearest_term(snap, term)):
                weight = lexical.term_weights(near).get(near) or None
                alternatives.add(near)
                terms.expansion.append(near)
            if weight is None:
                known_alternatives = [a for a in alternatives if lexical.term_weights(a)]
                if not known_alternatives:
                    terms.unknown.append(term)  # neutral: neither evidence nor missing evidence
                    continue
                weight = max(lexical.term_weights(a).get(a, 0.0) for a in known_alternatives)
            terms.weights[term] = weight
            terms.alternatives[term] = frozenset(alternatives)
    return terms
