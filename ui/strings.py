"""German texts of the Gradio app and the website widget (one place for everything a visitor reads)."""

from __future__ import annotations

APP_TITLE = "ITAS-Charta-Assistent"
APP_INTRO = (
    "Fragen zur ITAS-Charta und zu den Berichten der Zukunftsforen der "
    "Initiative Transformation Automobilregion Südwestsachsen – jede Antwort mit Quellenangaben."
)
SAMPLE_BANNER = (
    "Beispielkorpus – fiktive Inhalte auf Basis öffentlicher Informationen, "
    "kein offizieller Text der ITAS-Initiative"
)

# Example questions on the empty screen, by user group.
EXAMPLE_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Für Unternehmen",
        (
            "Was sagt die Charta zu Gießereien?",
            "Welche Unterstützung ist für Zulieferer von Verbrenner-Komponenten vorgesehen?",
        ),
    ),
    ("Für Mitarbeitende", ("Was kam beim Zukunftsforum im Vogtland zu Fachkräften heraus?",)),
    ("Für Besucherinnen und Besucher", ("Was ist die ITAS-Charta?",)),
)
EXAMPLES_HEADING = "Beispielfragen"

# Chat
CHAT_LABEL = "Gespräch"
INPUT_LABEL = "Ihre Frage"
INPUT_PLACEHOLDER = "z. B. Was sagt die Charta zu Gießereien?"
SEND = "Senden"
CLEAR = "Neues Gespräch"
CHAT_PLACEHOLDER = "Stellen Sie eine Frage zur ITAS-Charta – oder wählen Sie eine Beispielfrage."

# Filters
FILTERS_HEADING = "Filter"
FILTER_VERSION = "Charta-Version"
FILTER_DOC_TYPE = "Dokumenttyp"
FILTER_DISTRICT = "Landkreis"
FILTER_YEAR = "Jahr"
FILTER_CURRENT_ONLY = "nur aktuelle Charta"
FILTER_ANY = "alle"
DOC_TYPE_LABELS: dict[str, str] = {
    "charta": "Charta",
    "verstetigungskonzept": "Verstetigungskonzept",
    "forum_report": "Bericht Zukunftsforum",
    "kongress": "Kongress",
    "study": "Studie",
    "other": "Sonstiges",
}

# Source panel
SOURCES_HEADING = "Quellen"
SOURCES_EMPTY = "Hier erscheinen die Quellen der letzten Antwort."
SOURCES_NONE = "Zu dieser Antwort gibt es keine Quellenangaben."
FIELD_DOC_TYPE = "Dokumenttyp"
FIELD_VERSION = "Version"
FIELD_DISTRICT = "Landkreis"
FIELD_DATE = "Datum"
FIELD_PAGE = "Seite"
FIELD_SECTION = "Abschnitt"
OPEN_ORIGINAL = "Original öffnen (S. {page})"
SUPERSEDED_BY = "ersetzt durch Charta {version}"
NOT_SET = "–"

# Feedback
FEEDBACK_PROMPT = "War die letzte Antwort hilfreich?"
FEEDBACK_UP = "👍 Hilfreich"
FEEDBACK_DOWN = "👎 Nicht hilfreich"
FEEDBACK_COMMENT = "Kommentar (optional)"
FEEDBACK_COMMENT_PLACEHOLDER = "Was war gut, was fehlte?"
FEEDBACK_THANKS = "Danke für Ihre Rückmeldung!"
FEEDBACK_NOTHING = "Es gibt noch keine Antwort, die bewertet werden kann."
FEEDBACK_FAILED = "Die Rückmeldung konnte nicht gespeichert werden. Bitte später erneut versuchen."

# Errors shown in the chat
ERROR_EMPTY = "Bitte geben Sie eine Frage ein."
ERROR_TOO_LONG = "Die Frage ist zu lang (höchstens {limit} Zeichen)."
ERROR_NO_INDEX = "Der Dokumentenindex ist noch nicht aufgebaut. Bitte später erneut versuchen."
ERROR_UNAVAILABLE = "Der Dienst ist gerade nicht verfügbar. Bitte später erneut versuchen."
ERROR_INTERNAL = "Bei der Antwort ist ein Fehler aufgetreten. Bitte später erneut versuchen."

# Widget (sent to the browser as JSON inside widget.js)
WIDGET: dict[str, str] = {
    "title": "ITAS-Assistent",
    "open": "ITAS-Assistent öffnen",
    "close": "Assistent schließen",
    "intro": "Fragen Sie zur ITAS-Charta und zu den Zukunftsforen. Jede Antwort nennt ihre Quellen.",
    "inputLabel": "Ihre Frage",
    "placeholder": "Frage eingeben …",
    "send": "Senden",
    "you": "Sie",
    "assistant": "Assistent",
    "sources": "Quellen",
    "page": "S. {page}",
    "version": "Version {version}",
    "superseded": "ersetzt durch Charta {version}",
    "thinking": "Antwort wird erstellt …",
    "answerReady": "Antwort erhalten.",
    "empty": "Bitte geben Sie eine Frage ein.",
    "network": (
        "Der Assistent ist gerade nicht erreichbar oder für diese Website nicht freigeschaltet. "
        "Bitte später erneut versuchen."
    ),
    "forbidden": "Diese Website ist für den ITAS-Assistenten nicht freigeschaltet.",
    "rateLimited": "Zu viele Fragen in kurzer Zeit. Bitte in {seconds} Sekunden erneut versuchen.",
    "failed": "Die Antwort konnte nicht erzeugt werden. Bitte später erneut versuchen.",
    "sample": SAMPLE_BANNER,
}

# Demo page
DEMO_TITLE = "ITAS-Assistent – Einbindung auf einer Website (Demo)"
DEMO_INTRO = (
    "Diese Seite bindet den Assistenten so ein, wie es eine Website tun würde. "
    "Der Knopf unten rechts öffnet ihn. Zum Einbinden genügt dieses eine Tag:"
)
