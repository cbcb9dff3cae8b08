"""German text analysis for BM25 and sentence scoring: fold, tokenise, drop stopwords, split compounds, stem."""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache

import Stemmer

# Bump when the output of `analyze` changes: a persisted index built with another version must be rebuilt.
ANALYZER_VERSION = 1

MIN_PART = 4  # shortest compound part taken from the corpus vocabulary ("Netz" yes, "Bau" only if built in)
MAX_PARTS = 4
# Fugenelemente between the parts of a German compound ("Arbeit-s-markt", "Kunde-n-service"); "" = none.
LINKING = ("", "s", "es", "n", "en", "e", "er", "ens")

# Frequent heads and modifiers of the domain, known even when a word occurs in the corpus only inside
# compounds ("Zuliefererindustrie" without a standalone "Industrie"). Short heads like "bau" are allowed here.
DOMAIN_PARTS: tuple[str, ...] = (
    "zulieferer", "zulieferung", "industrie", "elektronik", "leistung", "fachkraft", "fachkrafte",
    "mangel", "wirtschaft", "kreislauf", "technik", "technologie", "forum", "angebot", "angebote",
    "netzwerk", "netz", "strategie", "weiterbildung", "bildung", "qualifizierung", "ausbildung",
    "automobil", "fahrzeug", "mobilitat", "energie", "wasserstoff", "batterie", "speicher", "maschine",
    "maschinen", "bau", "region", "entwicklung", "forschung", "innovation", "transfer", "wissen",
    "unternehmen", "betrieb", "standort", "markt", "arbeit", "arbeitskraft", "sicherung", "gewinnung",
    "kompetenz", "zentrum", "plattform", "projekt", "programm", "konzept", "verstetigung", "kongress",
    "charta", "handlungsfeld", "massnahme", "massnahmen", "ziel", "wandel", "struktur", "transformation",
    "digitalisierung", "daten", "produktion", "fertigung", "werkstoff", "material", "leichtbau", "antrieb",
    "infrastruktur", "verkehr", "logistik", "hochschule", "schule", "kommune", "verwaltung", "forderung",
    "beratung", "gruendung", "grundung", "kooperation", "partner", "akteur", "akteure", "cluster",
    "wertschopfung", "kette", "lieferkette", "nachhaltigkeit", "klima", "umwelt", "ressource", "recycling",
    "giesserei", "metall", "stahl", "textil", "chemie", "software", "anlage", "anlagen", "handwerk",
    "nachwuchs", "jugend", "studium", "student", "lehre", "beschaftigung", "beschaftigte", "zukunft",
)  # fmt: skip

# German function words, auxiliaries and content-free question words, in folded form (see `fold`).
_STOPWORD_TEXT = """
    aber ab alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes
    auch auf aus bei beide beiden beim bereits besonders bin bis bisher bist bitte da dabei dadurch dafur
    dagegen daher damit danach dann daran darauf daraus daruber darum darunter das dass davon dazu
    dein deine dem den denen denn dennoch der deren derer des deshalb dessen dich die dies diese diesem
    diesen dieser dieses dir doch dort du durch eben ebenfalls ein eine einem einen einer eines einige
    einigen einiger einiges einmal er es etwa etwas euch euer eure fur gab ganz gar gegen gegenuber
    gehabt gewesen gibt gilt hab habe haben hat hatte hatten hattest hier hin hinter ich ihm ihn ihnen
    ihr ihre ihrem ihren ihrer ihres im immer in indem ins ist ja je jede jedem jeden jeder jedes jedoch
    jene jenem jenen jener jenes jetzt kann kannst kein keine keinem keinen keiner keines konnen konnte
    konnten lasst man manche manchem manchen mancher manches mehr mein meine mich mir mit muss mussen
    musste nach nachdem neben nein nicht nichts noch nun nur ob oder ohne schon sehr sei seid sein
    seine seinem seinen seiner seines seit sich sie sind so sodass solche solchem solchen solcher solches
    soll sollen sollte sollten somit sondern sowie sowohl uber um und uns unser unsere unserem unseren
    unserer unter viel viele vielen vom von vor wahrend war waren warst was weil weiter weitere weiteren
    weiterer weiteres welche welchem welchen welcher welches wenn wer werde werden werdet weshalb wie
    wieder wieso will wir wird wirst wo wobei wodurch wofur woher wohin wollen wollte womit woran worauf
    woraus worin worum wozu wurde wurden warum wann wen wem wessen zu zum zur zwar zwischen
    sagt sagen sagte gesagt steht stehen stehe genannt nennt nenne nennen beschreibt beschreibe
    erklare erklart erlautere erlautert bitte eigentlich genau gerne insbesondere jeweils kurz ganz
    heisst hiess geht gehen ging sieht wirklich welch derzeit etc bzw usw ca sowas mal halt eher dort
    """
STOPWORDS: frozenset[str] = frozenset(_STOPWORD_TEXT.split())

# Endings that look like words but end derived forms: "vorliegende" is no "vorlieg" + "Ende",
# "Geschäftsführerinnen" no "Geschäftsführer" + "innen".
_NOT_A_HEAD = frozenset({"ende", "enden", "endes", "ender", "endem", "innen", "ungen"})

_WORD = re.compile(r"(?<![\w.])\d\.\d(?![\w]|\.\d)|[^\W_]+")
_SOFT_HYPHEN = "\u00ad"
_stemmer: Stemmer.Stemmer | None = None
_stemmer_lock = threading.Lock()  # a PyStemmer instance must not be used by two threads at once
_CACHE_LIMIT = 200_000  # per-splitter memo entries before the memo is cleared (queries add new words)
# (number of parts, negative mean log frequency, cut position) and the parts; the smallest key wins.
_Segment = tuple[tuple[int, float, int], list[str]]


def fold(text: str) -> str:
    """Lowercase and strip accents so "Gießerei", "GIESSEREI" and "Giesserei" compare equal.

    Umlauts lose their dots (ä→a, ö→o, ü→u), ß becomes ss, ligatures and other compatibility forms
    ("ﬁ" from PDFs) are decomposed, soft hyphens vanish. Offsets into the original text are not preserved.
    """
    return _NON_ASCII.sub(_fold_match, text.lower())


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _fold_match(match: re.Match[str]) -> str:
    return _fold_char(match.group())


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """Fold one non-ASCII character; a lone combining mark (decomposed "u" + "¨") folds to nothing."""
    if char == "ß":
        return "ss"
    if char == _SOFT_HYPHEN:
        return ""
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def tokenize(text: str) -> list[str]:
    """Split folded text into content words: no stopwords, no one-character tokens.

    Version numbers like "3.0" stay one token; hyphenated words split at the hyphen ("ITAS-Charta").
    """
    return [tok for tok in _WORD.findall(fold(text)) if len(tok) > 1 and tok not in STOPWORDS]


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Return the Snowball German stem of a folded word (cached)."""
    global _stemmer
    with _stemmer_lock:
        if _stemmer is None:
            _stemmer = Stemmer.Stemmer("german")
        return str(_stemmer.stemWord(word))


class CompoundSplitter:
    """Split German compounds into parts known from a vocabulary of stems with their frequencies.

    A word splits into parts of at least `MIN_PART` letters, each known as a stem of the vocabulary or of
    `DOMAIN_PARTS`, with optional linking elements between them. Among candidate splits the one with the
    fewest parts wins, then the one whose parts are most frequent (Koehn & Knight, 2003), then the
    leftmost. Parts split again, so "Kreislaufwirtschaftsstrategie" can yield "kreislaufwirtschaft",
    "strategie", "kreislauf" and "wirtschaft". Results are memoised per word.
    """

    def __init__(self, vocabulary: Mapping[str, int] | None = None) -> None:
        self.vocabulary: dict[str, int] = dict(vocabulary or {})
        self._known = Counter(self.vocabulary)
        for part in DOMAIN_PARTS:
            self._known[stem(part)] += 1
        self._builtin = frozenset(DOMAIN_PARTS)
        self._cache: dict[str, tuple[str, ...]] = {}
        self._segments: dict[tuple[str, bool], _Segment | None] = {}

    @classmethod
    def from_tokens(cls, tokens: Iterable[str]) -> CompoundSplitter:
        """Build from folded corpus tokens (see `tokenize`): count the stems of alphabetic words."""
        counts: Counter[str] = Counter()
        for token, n in Counter(tokens).items():
            if token.isalpha() and len(token) >= MIN_PART:
                counts[stem(token)] += n
        return cls(dict(sorted(counts.items())))

    def split(self, word: str) -> tuple[str, ...]:
        """Return the parts of a folded word, or () if it is no compound.

        Parts are folded surface forms; a linking "s" may remain ("arbeits"), as it stems away.
        """
        cached = self._cache.get(word)
        if cached is None:
            if len(self._segments) > _CACHE_LIMIT:
                self._cache.clear()
                self._segments.clear()
            best = self._segment(word, top=True) if word.isalpha() and len(word) >= 2 * MIN_PART - 1 else None
            cached = tuple(best[1]) if best else ()
            self._cache[word] = cached
        return cached

    def terms(self, word: str) -> tuple[str, ...]:
        """Return the index terms of one folded token: its stem, then the stems of its parts, deduplicated."""
        out = [stem(word)]
        pending = list(self.split(word))
        depth = 0
        while pending and depth < MAX_PARTS:
            nxt: list[str] = []
            for part in pending:
                term = stem(part)
                if term not in out:
                    out.append(term)
                nxt.extend(self.split(part))
            pending, depth = nxt, depth + 1
        return tuple(out)

    def _is_part(self, part: str) -> bool:
        if part in self._builtin:
            return True
        return len(part) >= MIN_PART and part not in STOPWORDS and stem(part) in self._known

    def _segment(self, word: str, *, top: bool) -> _Segment | None:
        """Find the best split of `word` as (sort key, parts); a non-top word may stay whole (memoised)."""
        key = (word, top)
        if key not in self._segments:
            self._segments[key] = self._best_segment(word, top=top)
        return self._segments[key]

    def _best_segment(self, word: str, *, top: bool) -> _Segment | None:
        candidates: list[_Segment] = []
        if not top and self._is_part(word):
            candidates.append(((1, -self._logfreq(word), 0), [word]))
        for cut in range(3, len(word) - 2):
            head = word[cut:]
            if head in _NOT_A_HEAD or not self._is_part(head):
                continue
            for modifier in self._modifier_forms(word[:cut]):
                sub = self._segment(modifier, top=False)
                if sub is None or sub[0][0] + 1 > MAX_PARTS:
                    continue
                parts = [*sub[1], head]
                logfreq = sum(self._logfreq(p) for p in parts) / len(parts)
                candidates.append(((len(parts), -logfreq, cut), parts))
        return min(candidates, key=lambda c: c[0]) if candidates else None

    def _modifier_forms(self, prefix: str) -> list[str]:
        """Return what the left part may have been before a linking element was added."""
        forms: list[str] = []
        for link in LINKING:
            if link and not prefix.endswith(link):
                continue
            base = prefix[: len(prefix) - len(link)] if link else prefix
            if len(base) < 3:
                continue
            forms.append(base)
            if link in ("", "s", "n") and not base.endswith("e"):
                forms.append(base + "e")  # elided -e: "Erzgebirg-s-kreis", "Schul-abschluss"
        return list(dict.fromkeys(forms))

    def _logfreq(self, part: str) -> float:
        return math.log1p(self._known.get(stem(part), 0))


@lru_cache(maxsize=1)
def _default_splitter() -> CompoundSplitter:
    return CompoundSplitter()


def analyze(text: str, splitter: CompoundSplitter | None = None) -> list[str]:
    """Turn text into BM25 terms: folded, stopword-free, stemmed, compounds expanded into their parts.

    Pass the splitter persisted with the index so queries and documents split alike; without one only the
    built-in domain parts are known.
    """
    splitter = splitter or _default_splitter()
    terms: list[str] = []
    for token in tokenize(text):
        terms.extend(splitter.terms(token))
    return terms
