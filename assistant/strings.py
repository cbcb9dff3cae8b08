"""German texts of the answers (kept in one place; LLM prompts live in assistant/prompts/)."""

REFUSAL = "Dazu enthalten die vorliegenden Dokumente keine Aussage."
RELATED_INTRO = "Das könnte verwandt sein:"
# The topic is in the documents, the asked detail is not ("Wie viel Geld …" and no amount anywhere).
DETAIL_MISSING = "Dazu nennen die Dokumente keine {detail}."
DETAIL_NAMES = {
    "Betrag": "Beträge",
    "Zahl": "Zahlen",
    "Datum": "Termine oder Daten",
    "Kontakt": "Kontaktdaten",
    "Person": "Namen von Ansprechpersonen",
}
RELATED_PASSAGES = "Zum Thema finden sich diese Stellen:"
NO_MATCHING_DOCUMENTS = "Zu dieser Auswahl (z. B. Version oder Landkreis) gibt es keine Dokumente."
OUTLINE_LEAD = "{heading} gliedert sich in: {parts}"
SOURCE_LEAD = "Laut {title}"
SUPERSEDED = " (ersetzt durch Charta {version})"
LLM_FALLBACK_NOTE = (
    "Das Sprachmodell war nicht erreichbar oder lieferte keine belegte Antwort; "
    "angezeigt wird die Antwort aus den Textstellen."
)
NO_INDEX = "Der Dokumentenindex ist noch nicht aufgebaut. Bitte später erneut versuchen."
SERVICE_UNAVAILABLE = "Der Dienst ist gerade nicht verfügbar. Bitte später erneut versuchen."
INTERNAL_ERROR = "Interner Fehler. Bitte später erneut versuchen."
EMPTY_QUESTION = "Bitte eine Frage eingeben."
QUESTION_TOO_LONG = "Die Frage ist zu lang (höchstens {limit} Zeichen)."
TOO_MANY_TURNS = "Zu viele Gesprächsschritte im Verlauf (höchstens {limit})."
UNKNOWN_VERSION = "Unbekannte Charta-Version „{value}“ – vorhanden: {valid}."
DOCUMENT_NOT_FOUND = "Dokument nicht gefunden."
RATE_LIMITED = "Zu viele Fragen in kurzer Zeit. Bitte in {seconds} Sekunden erneut versuchen."
ORIGIN_FORBIDDEN = "Diese Website ist für den ITAS-Assistenten nicht freigeschaltet."
STREAM_FAILED = "Die Antwort konnte nicht erzeugt werden. Bitte später erneut versuchen."
REQUESTS_LIMITED = "Zu viele Anfragen in kurzer Zeit. Bitte in {seconds} Sekunden erneut versuchen."
BODY_TOO_LARGE = "Die Anfrage ist zu groß (höchstens {limit} KB)."
ROUTE_BLOCKED = "Diese Funktion ist auf diesem Server abgeschaltet."
INVALID_BODY = "Der Anfragetext ist kein gültiges JSON in UTF-8."
UNSUPPORTED_MEDIA_TYPE = "Bitte den Anfragetext als JSON senden (Content-Type: application/json)."
NOT_FOUND = "Nicht gefunden."
METHOD_NOT_ALLOWED = "Methode nicht erlaubt."
BAD_REQUEST = "Fehler bei der Anfrage."
# Ingest and CLI (German: the operator reads them).
INGEST_NO_FOLDER = (
    "Der Ordner „{path}“ existiert nicht. Bitte den Pfad prüfen – der Index bleibt unverändert."
)
INGEST_NO_FILES = (
    "Im Ordner „{path}“ liegt keine unterstützte Datei ({extensions}). Der Index bleibt unverändert."
)
INGEST_PRUNE_NEEDED = (
    "Dieser Lauf würde {n} von {total} Dokumenten aus dem Index entfernen: {names}. "
    "Zum Bestätigen mit --prune wiederholen – der Index bleibt unverändert."
)
ASK_NO_INDEX = "Es gibt noch keinen Dokumentenindex. Bitte zuerst `itas ingest` ausführen."
