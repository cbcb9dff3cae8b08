"""German texts of the three views (version comparison, districts, sector check): API messages and labels."""

SAMPLE_NOTICE = "Beispielkorpus – fiktive Inhalte auf Basis öffentlicher Informationen, kein offizieller Text der ITAS-Initiative."

# Version comparison
EMPTY_TOPIC = "Bitte ein Thema eingeben oder einen Abschnitt aus der Liste wählen."
TOPIC_TOO_LONG = "Das Thema ist zu lang (höchstens {limit} Zeichen)."
UNKNOWN_SERIES = "Unbekannte Dokumentreihe „{value}“ – vorhanden: {valid}."
NO_SERIES = "Im Index gibt es keine Dokumentreihe mit mehreren Fassungen."
NOTHING_FOUND = "Zum Thema „{topic}“ enthält keine Fassung eine passende Stelle."
ONE_VERSION = "Diese Reihe hat nur eine Fassung ({version}) – es gibt nichts zu vergleichen."
NEW_IN = "neu in {version}"
DROPPED_FROM = "entfällt ab {version}"
NOT_IN_VERSION = "In der Fassung {version} findet sich dazu keine Stelle."
DUPLICATE_VERSION = "Mehrere Dokumente geben die Fassung {version} an ({docs}); verglichen wird {chosen}."
NO_DATE = "ohne Datum"
CHANGE_KINDS = {
    "added": "neu",
    "dropped": "entfallen",
    "reworded": "umformuliert",
    "reprioritised": "neu gewichtet",
}
DIFF_KINDS = {"same": "unverändert", "changed": "geändert", "added": "neu", "dropped": "entfallen"}

# Districts
UNKNOWN_DISTRICT = "Unbekannter Landkreis „{value}“ – vorhanden: {valid}."
NO_FORUMS = "Für {district} liegen keine Berichte von Zukunftsforen vor."
LINK_NOTE = (
    "Verknüpfungen sind Vorschläge: Sie beruhen auf Textähnlichkeit und können falsch sein – "
    "die Belegstelle zeigt, worauf sie sich stützen."
)
NOT_TAKEN_UP = "In keiner späteren Fassung der Charta aufgegriffen (nach Textvergleich)."
NO_LATER_VERSION = "Es gibt keine spätere Fassung der Charta, die den Vorschlag aufgreifen könnte."
NOT_STATED = "nicht angegeben"

# Sectors
UNKNOWN_SECTOR = (
    "Unbekannter Wirtschaftszweig „{value}“ – gültig sind WZ-2008-Abschnitte A–U und Abteilungen 01–99."
)
EMPTY_BUSINESS = "Bitte beschreiben Sie Ihr Unternehmen in einem Satz."
BUSINESS_TOO_LONG = "Die Beschreibung ist zu lang (höchstens {limit} Zeichen)."
NO_SECTOR_MATCH = "Zu dieser Beschreibung passt kein Wirtschaftszweig. Bitte wählen Sie ihn aus der Liste."
NO_SECTOR_PASSAGES = "Zu diesem Wirtschaftszweig enthalten die Dokumente keine Aussage."
SECTOR_SOURCE = "Statistisches Bundesamt, Klassifikation der Wirtschaftszweige, Ausgabe 2008 (WZ 2008)"
SUPERSEDED = "ersetzt durch Charta {version}"
GROUP_TITLES = {
    "current": "Aktuelle Fassung der Charta",
    "older": "Frühere Fassungen",
    "forum": "Zukunftsforen",
    "offers": "Angebote und weitere Dokumente",
}
