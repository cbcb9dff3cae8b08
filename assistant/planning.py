"""Turn a question (and its history) into the query text and filters that retrieval gets."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, fields, replace
from typing import Any

from assistant.errors import BackendUnavailable
from assistant.protocols import ChatModel
from assistant.query_filters import DetectedFilters, bare_ordinal, detect_filters, is_elliptical
from assistant.types import Filters

log = logging.getLogger(__name__)
_FILTER_FIELDS = ("versions", "doc_types", "districts", "date_from", "date_to")
_RELAXABLE = ("doc_types", "date_from", "date_to")
# Words that name the kind of source rather than the topic ("Was sagt die Charta zu …?").
_CHARTER = re.compile(r"\bCharta\b", re.I)
_NAMED_VERSION = re.compile(r"\bCharta[\s-]+(?:Version\s+)?(\d{1,2}(?:\.\d)?)\b", re.I)
_SOURCE_WORDS = re.compile(
    r"\b(?:ITAS-)?(?:Charta|ITAS|Zukunftsforums?|Forums?|Kongress(?:es)?|Dokumente?n?)\b", re.I
)


# Question words that ask for "whatever there is" rather than name a topic ("Was kam … heraus?").
_GENERIC_WORDS = re.compile(
    r"\b(?:kam|kamen|heraus|raus|ergebnis(?:se)?|besprochen|gesagt|sagt|sagen|steht|stehen|enthalten|enthält|"
    r"thema|themen|passiert|diskutiert|beschlossen|wichtigsten?|zentralen?|genau|eigentlich|"
    r"zusammengefasst|zusammenfassung|überblick|inhalte?|worum|geht|ging|wurde|wurden|war|waren|"
    # comparison words: the change itself is found by comparing passages, not by these words
    r"geändert|verändert|änderung(?:en)?|unterschied(?:e|lich)?|unterscheidet|anders|vergleich|neu|hinzugekommen|"
    r"weggefallen|gestrichen|zwischen|gegenüber|seit|"
    # colloquial fillers ("Ich hab ne Gießerei …")
    r"hab|habe|hätte|ne|nen|nem|mal|halt|eben|denn|bitte|gibts|gibt's|dazu|darüber|drin|"
    # verbs that ask for advice or offers, not name a topic ("Was rät die Charta?", "Was bringt uns das?")
    r"rät|raten|empfiehlt|empfehlen|bietet|bieten|bringt|bringen|macht|machen|mache|tun|kriegen|kriege|kriegt)\b",
    re.I,
)


# A business describing itself ("mit 40 Leuten", "18 Mann", "70 % vom Umsatz", "30 Lkw") gives its size, not
# a topic the documents should repeat.
_OWN_FIGURES = re.compile(
    r"\b(?:ca\.?\s*|rund\s+|gut\s+|knapp\s+|über\s+|etwa\s+)?\d[\d.,]*\s*(?:%|prozent\b|leute\w*|mitarbeit\w*"
    r"|beschäftigt\w*|angestellt\w*|mann\b|ma\b|lkw\b|fahrzeug\w*|gesellen\b|azubis?\b)",
    re.I,
)


def topic_of(text: str) -> str:
    """The question without words that only name the source or ask for 'anything', and without the
    figures a business gives about itself."""
    text = _SOURCE_WORDS.sub(" ", _OWN_FIGURES.sub(" ", text))
    return " ".join(_GENERIC_WORDS.sub(" ", text).split())


@dataclass(frozen=True)
class QueryPlan:
    """What retrieval is asked: the query text, the filters, and which filters were guessed."""

    query: str
    filters: Filters
    focus: str = ""  # the question without its filter words: what an answer must be about
    auto_fields: tuple[str, ...] = ()  # filter fields set from the question text, not by the caller
    versions: tuple[str, ...] | None = None
    current_only: bool = False
    event_ordinal: tuple[str, int] | None = None  # "erstes Forum": resolved against the index later

    @property
    def auto_filtered(self) -> bool:
        return any(name in _RELAXABLE for name in self.auto_fields)

    def relaxed_fields(self) -> dict[str, Any]:
        """Field values that undo the guessed filters that may be dropped: the document type and the
        year. A version or district the user named stays; without it the answer would be about
        something else than the user asked ("laut der ersten Charta")."""
        return {name: None for name in self.auto_fields if name in _RELAXABLE}


def _previous_question(history: list[tuple[str, str]]) -> str | None:
    for role, text in reversed(history):
        if role == "user":
            return text
    return None


def _detected_values(detected: DetectedFilters) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in _FILTER_FIELDS:
        value = getattr(detected, name, None)
        if value:
            values[name] = tuple(value) if isinstance(value, list | tuple) else value
    return values


_DISTRICT_TYPES = frozenset({"forum_report", "kongress"})


def _soften(values: dict[str, Any]) -> dict[str, Any]:
    """A district named without "Forum" (or with "Charta") should not hide district-less documents such
    as the charter ("Wir sind in Chemnitz, was sagt die Charta 2.0?")."""
    if values.get("districts") and not _DISTRICT_TYPES.intersection(values.get("doc_types") or ()):
        return {**values, "districts": (*values["districts"], None)}
    return values


def _condense(chat: ChatModel, history: list[tuple[str, str]], question: str) -> str | None:
    from assistant.llm_answer import condense_messages

    try:
        text = chat.complete(condense_messages(history, question)).strip()
    except BackendUnavailable as exc:
        log.warning("condensing the follow-up failed: %s", exc)
        return None
    return text or None


def plan_query(
    question: str,
    history: list[tuple[str, str]] | None,
    explicit: Filters,
    *,
    chat: ChatModel | None = None,
) -> QueryPlan:
    """Plan retrieval: detect filters in the question, carry context over for follow-ups."""
    query = question.strip()
    found = detect_filters(query)
    detected, focus = _detected_values(found), found.stripped_question
    previous = _previous_question(history or [])
    if previous and is_elliptical(query):
        condensed = _condense(chat, history or [], query) if chat is not None else None
        if condensed:
            found = detect_filters(condensed)
            query, detected, focus = condensed, _detected_values(found), found.stripped_question
        else:
            # No LLM: the follow-up keeps the earlier question's topic and filters unless it names new ones.
            before = detect_filters(previous)
            detected = {**_detected_values(before), **detected}
            carried = before.event_ordinal
            if carried and (number := bare_ordinal(question)):
                carried = (carried[0], number)  # "Wann war der 2. Kongress?" → "Und der dritte?"
                detected.pop("date_from", None)
                detected.pop("date_to", None)
            found = replace(found, event_ordinal=found.event_ordinal or carried)
            query = f"{before.stripped_question} {query}"
            focus = f"{before.stripped_question} {focus}"
    if "versions" not in detected and (named := _NAMED_VERSION.search(query)):
        # A version the detector does not know ("Charta 4.0") is still a version: searching it finds
        # nothing, so the answer is a refusal instead of quoting another version.
        detected["versions"] = (named.group(1) if "." in named.group(1) else f"{named.group(1)}.0",)
    if "doc_types" not in detected and _CHARTER.search(query):
        # "Was sagt die Charta zu …?" asks the charter, not the forum reports; relaxed if that finds nothing.
        detected["doc_types"] = ("charta", "verstetigungskonzept")
    detected = _soften(detected)
    auto = tuple(name for name in detected if getattr(explicit, name) is None)
    filters = replace(explicit, **{name: detected[name] for name in auto})
    return QueryPlan(
        query, filters, topic_of(focus), auto, filters.versions, found.current_only, found.event_ordinal
    )


def filter_field_names() -> tuple[str, ...]:
    """Names of the Filters fields the planner may set."""
    return tuple(f.name for f in fields(Filters) if f.name in _FILTER_FIELDS)
