"""Pure prompt assembly and reply checking for the LLM answer path (no backend, no I/O)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from assistant.prompts import load_prompt
from assistant.reply_check import Support, drop_instructions, strip_active
from assistant.sentences import split_sentences
from assistant.strings import REFUSAL
from assistant.types import Hit

# Data blocks are fenced by these markers; the same sequences inside data are defused so a passage or a
# question cannot close the block early and pose as instructions.
_FENCE_RE = re.compile(r"<{3,}|>{3,}")
_HISTORY_LABELS = {"user": "Nutzer", "assistant": "Assistent"}
_HISTORY_TURNS = 6  # enough context for follow-ups; older turns rarely matter and cost tokens
_HISTORY_TURN_CHARS = 500

# A marker group: "[1]", "[1, 3]", "[1-2]", "[1; 2]", plus the garbage models echo from the prompt
# ("[n]", "[x]", "[?]", "[]"). Letters other than the placeholders are left alone so "[sic]", "[Hrsg.]"
# and the German elision mark "[…]" survive.
_GROUP = r"\[[\d\s,;\-–?nNxX]*\]"
_RUN_RE = re.compile(rf"{_GROUP}(?:[ \t]*{_GROUP})*")
_LEAD_RUN_RE = re.compile(rf"\s*{_GROUP}(?:[ \t]*{_GROUP})*\s*")
_RANGE_RE = re.compile(r"^(\d+)\s*[-–]\s*(\d+)$")
_MAX_RANGE = 20  # "[1-2]" is a range; "[1-500]" is garbage
_MAX_MARKER = 999  # the largest number read as a citation marker when looking for invented ones
_GAP = "\x00"  # stands where a marker was removed until whitespace is tidied
_GAP_RE = re.compile(rf"[ \t]*(?:{_GAP}[ \t]*)+")
_CLOSING = ".,;:!?)]}»“\"'"

_NO_INFO_RE = re.compile(
    r"\b(keine|nicht)\b.*\b(aussage|aussagen|angabe|angaben|information|informationen|hinweis|hinweise)"
    r"|\b(nicht|keine)\b.*\b(enthalten|beantworten|beantwortet)"
)
_SOURCE_WORD_RE = re.compile(r"dokument|textstelle|unterlage|quelle|passage")
_REFUSAL_MAX_CHARS = 200


def _defuse(text: str) -> str:
    """Break fence sequences inside data so they cannot end a data block."""
    return _FENCE_RE.sub(lambda m: " ".join(m.group(0)), text)


def format_passage(n: int, hit: Hit) -> str:
    """Render one hit as a numbered passage for the prompt."""
    chunk = hit.chunk
    meta = chunk.meta
    scope_parts = [f"Version {meta.version}" if meta.version else "", meta.district or ""]
    scope = " / ".join(part for part in scope_parts if part)
    return load_prompt("passages").format(
        n=n,
        title=_defuse(meta.title),
        scope=f" ({_defuse(scope)})" if scope else "",
        page=chunk.page_label or "–",
        section=_defuse(chunk.section_title) or "–",
        text=_defuse(_shown_text(chunk.text)),
    )


def _shown_text(text: str) -> str:
    """Passage text as the model sees it: no URLs or markup to copy, no sentences that address a model."""
    return drop_instructions(strip_active(text)).strip()


def build_messages(
    question: str, hits: list[Hit], history: list[tuple[str, str]] | None = None
) -> list[tuple[str, str]]:
    """Build the grounded-answer messages: the system rules and one user message with passages and question.

    Passages are numbered from 1 in hit order. `history` is accepted for symmetry with the callers but not
    passed on: condense the history into a standalone question first (`condense_messages`).
    """
    del history  # deliberately unused, see docstring
    passages = "\n\n".join(format_passage(n, hit).strip() for n, hit in enumerate(hits, start=1))
    user = load_prompt("question").format(passages=passages, question=_one_line(question))
    return [("system", system_prompt()), ("user", user.strip())]


def system_prompt() -> str:
    """Return the German system prompt with the fixed refusal sentence filled in."""
    return load_prompt("system").format(refusal=REFUSAL).strip()


def condense_messages(history: list[tuple[str, str]], question: str) -> list[tuple[str, str]]:
    """Build the messages that turn chat history plus a follow-up into one standalone German question."""
    lines = []
    for role, text in history[-_HISTORY_TURNS:]:
        label = _HISTORY_LABELS.get(role)
        if label is None:
            continue  # system turns and unknown roles carry no conversational content
        cleaned = _one_line(validate_markers(text, 0)[0])  # old [n] refer to old passages
        if len(cleaned) > _HISTORY_TURN_CHARS:
            cleaned = cleaned[:_HISTORY_TURN_CHARS].rstrip() + " …"
        lines.append(f"{label}: {cleaned}")
    prompt = load_prompt("condense").format(history="\n".join(lines) or "–", question=_one_line(question))
    return [("user", prompt.strip())]


def _one_line(text: str) -> str:
    """Collapse whitespace (newlines included) so user text cannot fake prompt structure."""
    return _defuse(" ".join(text.split()))


def check_reply(text: str, hits: list[Hit]) -> tuple[str, list[int]]:
    """Keep the part of a model reply that the passages support; drop everything else.

    Links, images, URLs and HTML go (`validate_markers`); so does every sentence that cites a passage that
    does not exist, or whose words (and every number) do not come from the passages as the model saw them:
    what an injected instruction makes a model write (its system prompt, English, role-play, encoded text,
    invented facts) is not in them. Returns the cleaned text and the valid passage numbers it cites; no
    numbers means nothing usable is left (answer extractively instead).
    """
    gate = ReplyGate(hits)
    return validate_markers((gate.feed(text) + gate.flush()).strip(), len(hits))


class ReplyGate:
    """Check a streamed reply sentence by sentence, as `check_reply` does, and pass on what holds.

    A sentence is held back until the next one starts or its line ends, so nothing unchecked is ever shown.
    """

    def __init__(self, hits: list[Hit]) -> None:
        self._n = len(hits)
        self._support = Support(_passage_text(hit) for hit in hits)
        self._buffer = ""
        self._last = ""  # the last text passed on: decides the space or line break before the next
        self._prev_kept = False  # whether the previous sentence was shown

    def feed(self, piece: str) -> str:
        """Add a piece of the reply; return the checked text of the sentences it completed."""
        self._buffer += piece
        out: list[str] = []
        if "\n" in self._buffer:
            lines, self._buffer = self._buffer.rsplit("\n", 1)
            out.extend(self._line(line, end="\n") for line in lines.split("\n"))
        sentences = split_sentences(self._buffer)
        if len(sentences) > 1:
            cut = self._buffer.rindex(sentences[-1])
            out.append(self._line(self._buffer[:cut], end=""))
            self._buffer = self._buffer[cut:]
        return "".join(out)

    def flush(self) -> str:
        """Return the checked rest of the reply."""
        rest, self._buffer = self._buffer, ""
        return self._line(rest, end="")

    def _holds(self, sentence: str) -> bool:
        """Show a sentence that cites no missing passage and is grounded, or that is the refusal sentence.

        A sentence of markers only ("Satz. [1]" splits after the period) goes with the sentence before it.
        """
        if _cites_missing(sentence, self._n):
            return False
        bare = validate_markers(sentence, 0)[0].strip()
        if not bare:
            return self._prev_kept
        return self._support.grounded(bare) or _normalise(bare) == _normalise(REFUSAL)

    def _line(self, text: str, *, end: str) -> str:
        """The grounded sentences of a piece of one line (links and invalid markers removed), spaced to follow
        what was already passed on; `end` closes the line."""
        shown = []
        for sentence in _marker_split(split_sentences(strip_active(text))):
            self._prev_kept = self._holds(sentence)
            if self._prev_kept:
                shown.append(validate_markers(sentence, self._n)[0])
        kept = " ".join(shown)
        open_line = bool(self._last) and not self._last.endswith("\n")
        out = (" " if kept and open_line else "") + kept
        if end and (kept or open_line):
            out += end
        if out:
            self._last = out
        return out


def _marker_split(sentences: list[str]) -> Iterator[str]:
    """Split leading markers off a sentence: in "Satz. [1] Nächster Satz." the [1] belongs to "Satz."."""
    for sentence in sentences:
        lead = _LEAD_RUN_RE.match(sentence)
        if lead and lead.end() < len(sentence):
            yield lead.group(0).strip()
            yield sentence[lead.end() :].strip()
        else:
            yield sentence


def _cites_missing(sentence: str, n_passages: int) -> bool:
    """Tell whether a sentence cites a passage that does not exist ("[9]" of 4): it claims a false source."""
    named = [n for run in _RUN_RE.findall(sentence) for n in _parse_run(run, _MAX_MARKER)]
    return any(n > n_passages for n in named)


def _passage_text(hit: Hit) -> str:
    """What the model was shown for a hit: its text plus the title line (title, version, district, section)."""
    meta = hit.chunk.meta
    parts = (meta.title, meta.version, meta.district, hit.chunk.section_title, _shown_text(hit.chunk.text))
    return " ".join(part or "" for part in parts)


def validate_markers(text: str, n_passages: int) -> tuple[str, list[int]]:
    """Make reply text safe to show: no link, image, URL or HTML tag; only citation markers that point to a
    passage, normalised to "[1][3]".

    Returns the cleaned text and the distinct valid passage numbers in order of first appearance.
    """
    text = strip_active(text)
    seen: list[int] = []

    def replace(match: re.Match[str]) -> str:
        numbers = _parse_run(match.group(0), n_passages)
        for number in numbers:
            if number not in seen:
                seen.append(number)
        return "".join(f"[{number}]" for number in numbers) or _GAP

    marked = _RUN_RE.sub(replace, text)
    return _GAP_RE.sub(_tidy_gap, marked), seen


def _parse_run(run: str, n_passages: int) -> list[int]:
    """Return the distinct valid passage numbers named in a run of adjacent marker groups."""
    numbers: list[int] = []
    for group in re.findall(r"\[([^\[\]]*)\]", run):
        group = re.sub(r"\s*[-–]\s*", "-", group)  # "1 - 2" is one range
        for part in re.split(r"[,;\s]+", group):
            for number in _parse_part(part.strip()):
                if 1 <= number <= n_passages and number not in numbers:
                    numbers.append(number)
    return numbers


def _parse_part(part: str) -> list[int]:
    """Parse "3" or "1-2" into numbers; anything else yields nothing."""
    if part.isdigit():
        return [int(part)]
    span = _RANGE_RE.match(part)
    if span:
        low, high = int(span.group(1)), int(span.group(2))
        if low <= high and high - low <= _MAX_RANGE:
            return list(range(low, high + 1))
    return []


def _tidy_gap(match: re.Match[str]) -> str:
    """Replace a removed marker and its surrounding blanks with one space or nothing."""
    before = match.string[match.start() - 1] if match.start() > 0 else "\n"
    after = match.string[match.end()] if match.end() < len(match.string) else "\n"
    if before == "\n" or after == "\n" or after in _CLOSING:
        return ""
    return " "


def is_refusal(text: str) -> bool:
    """Tell whether a reply is the fixed refusal sentence or a close variant of it."""
    cleaned = validate_markers(text, 0)[0]
    norm = _normalise(cleaned)
    if not norm:
        return True  # an empty reply supports nothing
    refusal = _normalise(REFUSAL)
    if norm == refusal or norm.startswith(refusal):
        return True
    if len(cleaned) > _REFUSAL_MAX_CHARS or re.search(r"\[\d", text):
        return False  # long or cited replies answer at least part of the question
    if difflib.SequenceMatcher(None, norm, refusal).ratio() >= 0.8:
        return True
    return bool(_NO_INFO_RE.search(norm) and _SOURCE_WORD_RE.search(norm))


def _normalise(text: str) -> str:
    """Lower-case, drop punctuation and collapse whitespace for fuzzy comparison."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())
