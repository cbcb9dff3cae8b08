"""Plain-text rendering of the views for the command line (German, like everything a user reads)."""

from __future__ import annotations

from typing import Any

from assistant.views import strings as s

_MARK = {"same": " ", "changed": "~", "added": "+", "dropped": "-"}


def _cite(p: dict[str, Any]) -> str:
    extra = f" – {s.SUPERSEDED.format(version=p['superseded_by'])}" if p.get("superseded_by") else ""
    return f"{p['title']}, S. {p['page']}, {p['section']}{extra}"


def render_compare(result: dict[str, Any]) -> str:
    """The version comparison as text: per version the passage, then the differences."""
    lines = [f"Thema: {result['topic']} ({result['series']}, Fassungen {', '.join(result['versions'])})"]
    if result.get("message"):
        lines.append(result["message"])
    if result["status"]:
        lines.append("Status: " + "; ".join(result["status"]))
    for row in result["rows"]:
        lines.append("")
        lines.append(f"== Fassung {row['version']} ({row['date'] or s.NO_DATE})")
        if row.get("note"):
            lines.append(row["note"])
        passage = row["passage"]
        if passage is None:
            lines.append(row["empty"])
            continue
        lines.append(f"[{_cite(passage)}]")
        if row["diff"]:
            lines.extend(f" {_MARK[d['kind']]} {d['text']}" for d in row["diff"])
        else:
            lines.extend(f"   {x}" for x in passage["sentences"])
    if result["changes"]:
        lines.append("")
        lines.append("Änderungen laut Dokumentverzeichnis:")
        lines.extend(
            f" - {c['version']} ({c['kind_label']}): {c['topic']} – {c['summary']}" for c in result["changes"]
        )
    if result.get("sample_notice"):
        lines += ["", result["sample_notice"]]
    return "\n".join(lines)


def render_district(result: dict[str, Any]) -> str:
    """The district view as text: forums, proposals with figures, suggested links."""
    lines = [result["district"]]
    if result.get("message"):
        lines.append(result["message"])
    for forum in result["forums"]:
        lines.append("")
        people = forum.get("participants") or s.NOT_STATED
        lines.append(
            f"== {forum['title']} ({forum['date'] or s.NO_DATE}, {forum.get('place') or s.NOT_STATED}, Teilnehmende: {people})"
        )
        for p in forum["proposals"]:
            figure = f" – {p['figure']}" if p.get("figure") else ""
            lines.append(f" * {p['name']}{figure}")
            for link in p["links"]:
                lines.append(
                    f"     → Charta {link['version']}, S. {link['page']}, {link['section']}: „{link['quote']}“"
                )
            if not p["links"]:
                lines.append(f"     {p['note']}")
    lines += ["", result["link_note"]]
    if result.get("sample_notice"):
        lines.append(result["sample_notice"])
    return "\n".join(lines)


def render_sector(result: dict[str, Any]) -> str:
    """The sector view as text: grouped passages with citations."""
    lines = [f"WZ 2008 {result['code']}: {result['title']}"]
    if result["branchen"]:
        lines.append("Branchen der Charta: " + ", ".join(result["branchen"]))
    if result.get("message"):
        lines.append(result["message"])
    for group in result["groups"]:
        lines += ["", f"== {group['title']}"]
        for p in group["passages"]:
            lines.append(f" * [{_cite(p)}] {p['quote']}")
    lines += ["", f"Quelle der Klassifikation: {result['source']}"]
    if result.get("sample_notice"):
        lines.append(result["sample_notice"])
    return "\n".join(lines)


def render_matches(matches: list[dict[str, Any]]) -> str:
    """Sector matches as text."""
    if not matches:
        return s.NO_SECTOR_MATCH
    return "\n".join(f"{m['code']}  {m['title']}  ({m['score']:.2f})" for m in matches)
