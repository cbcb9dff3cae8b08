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

# View tabs (ui/views_tabs.py) and the widget's sector entry point
TAB_CHAT = "Fragen"
TAB_COMPARE = "Was hat sich geändert?"
TAB_DISTRICTS = "Landkreise"
TAB_SECTORS = "Branchen-Check"
COMPARE_INTRO = (
    "Wählen Sie ein Thema oder einen Abschnitt: Der Vergleich zeigt die Fassungen der Charta nebeneinander."
)
COMPARE_TOPIC = "Thema"
COMPARE_TOPIC_PLACEHOLDER = "z. B. Fachkräfte, Wasserstoff, Kunststofftechnik"
COMPARE_PICK = "… oder Abschnitt wählen"
COMPARE_RUN = "Vergleichen"
COMPARE_CHANGES = "Änderungen laut Dokumentverzeichnis"
COMPARE_MORE = "Weitere Stellen zum Thema:"
DIFF_LEGEND = "Markiert: neu, geändert, entfallen gegenüber der vorigen Fassung."
DISTRICT_INTRO = (
    "Zukunftsforen je Landkreis, ihre Vorschläge und was spätere Fassungen der Charta davon aufgreifen."
)
DISTRICT_PICK = "Landkreis"
DISTRICT_RUN = "Anzeigen"
DISTRICT_PARTICIPANTS = "Teilnehmende"
DISTRICT_PLACE = "Ort"
DISTRICT_LINK = "Vorschlag für eine Verknüpfung"
DISTRICT_OPEN = "Noch nicht aufgegriffen"
SECTOR_INTRO = (
    "Beschreiben Sie Ihr Unternehmen in einem Satz oder wählen Sie Ihren Wirtschaftszweig (WZ 2008)."
)
SECTOR_TEXT = "Ihr Unternehmen"
SECTOR_TEXT_PLACEHOLDER = "z. B. Wir sind ein Spritzgießer mit 40 Beschäftigten."
SECTOR_RUN = "Branche finden"
SECTOR_PICK = "… oder Wirtschaftszweig wählen"
SECTOR_MATCHES = "Passende Wirtschaftszweige"
SECTOR_SOURCE = "Klassifikation: {source}"
VIEW_FAILED = "Die Ansicht konnte nicht geladen werden. Bitte später erneut versuchen."
WIDGET_SECTOR_ENTRY = "Ihre Branche?"
VIEW_TOO_LONG = "Die Beschreibung ist zu lang (höchstens 500 Zeichen)."
SECTOR_NO_MATCH = "Zu dieser Beschreibung passt kein Wirtschaftszweig. Bitte wählen Sie ihn aus der Liste."
WIDGET.update(
    {
        "sectorEntry": WIDGET_SECTOR_ENTRY,
        "sectorIntro": "Beschreiben Sie Ihr Unternehmen in einem Satz – z. B. „Wir sind ein Spritzgießer.“",
        "sectorPlaceholder": "Ihr Unternehmen in einem Satz …",
        "sectorFound": "Ihre Branche: {code} {title}. Das sagen die Dokumente dazu:",
        "sectorNone": SECTOR_NO_MATCH,
    }
)
