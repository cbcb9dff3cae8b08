"""Read-only view routes: version comparison, districts, sector check (public documents only)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from pydantic import BaseModel, Field

from assistant.services import Services
from assistant.views import UnknownItem
from assistant.views import strings as s
from assistant.views.compare import compare, section_topics
from assistant.views.corpus import generation_cache
from assistant.views.districts import district_list, district_view, resolve_district
from assistant.views.sectors import match_sectors, resolve_code, sector_list, sector_view

router = APIRouter(prefix="/api", tags=["views"])
MAX_QUERY_CHARS = 5000  # longer query strings are cut before the views' own (German) length checks
MAX_BUSINESS_CHARS = 500


def _services(request: Request) -> Services:
    return request.app.state.services  # type: ignore[no-any-return]


Svc = Annotated[Services, Depends(_services)]


def _not_found(exc: UnknownItem) -> HTTPException:
    return HTTPException(404, str(exc))


def _cached_json(svc: Services, key: str, build: Any) -> Response:
    """A view's JSON, serialised once per index generation (district and sector views are read-only)."""
    snap = svc.index.get()
    body: bytes = generation_cache(
        snap, f"json:{key}", lambda: json.dumps(build(snap), ensure_ascii=False).encode()
    )
    return Response(body, media_type="application/json")


class MatchRequest(BaseModel):
    """A business described in a sentence."""

    text: str = Field(..., max_length=MAX_QUERY_CHARS, description="z. B. „Wir sind ein Spritzgießer.“")


@router.get("/series")
def series(svc: Svc, series: str | None = None) -> dict[str, Any]:
    """The document series (charter versions) with the section headings to pick a topic from."""
    try:
        return section_topics(svc.index.get(), series)
    except UnknownItem as exc:
        raise _not_found(exc) from exc


@router.get("/compare")
def compare_versions(
    svc: Svc,
    topic: Annotated[str, Query(max_length=MAX_QUERY_CHARS)] = "",
    series: Annotated[str | None, Query(max_length=200)] = None,
) -> dict[str, Any]:
    """What changed on a topic across the versions of a series („Was hat sich geändert?“).

    Per version the matching passage with page and citation, sentence-level differences to the version
    before, „neu in …“ / „entfällt ab …“ and the manifest's change entries on the topic.
    """
    try:
        return compare(svc.index.get(), svc.embedder, topic, series)
    except UnknownItem as exc:
        raise _not_found(exc) from exc


@router.get("/districts")
def districts(svc: Svc) -> list[dict[str, Any]]:
    """The districts with forum reports (id, name, number of forums, years)."""
    return district_list(svc.index.get())


@router.get("/districts/{district_id}")
def district(district_id: str, svc: Svc) -> Response:
    """One district: its forums, their proposals with figures, and suggested links to later charter
    passages that take a proposal up (each with its evidence) — or none."""
    try:
        name = resolve_district(svc.index.get(), district_id)
    except UnknownItem as exc:
        raise _not_found(exc) from exc
    return _cached_json(svc, f"district:{name}", lambda snap: district_view(snap, svc.embedder, name))


@router.get("/sectors")
def sectors() -> dict[str, Any]:
    """The WZ 2008 sections and divisions (German titles, source: Statistisches Bundesamt)."""
    return sector_list()


@router.get("/sectors/{code}")
def sector(code: str, svc: Svc) -> Response:
    """What the documents say about one sector (a WZ 2008 section letter or a division number)."""
    try:
        resolved = resolve_code(code)[0]
    except UnknownItem as exc:
        raise _not_found(exc) from exc
    return _cached_json(svc, f"sector:{resolved}", lambda snap: sector_view(snap, resolved))


@router.post("/sectors/match")
def sector_match(body: MatchRequest, svc: Svc) -> dict[str, Any]:
    """A business description → the best-matching WZ 2008 divisions with scores."""
    from assistant.errors import RequestError

    text = " ".join(body.text.split())
    if not text:
        raise RequestError(s.EMPTY_BUSINESS)
    if len(text) > MAX_BUSINESS_CHARS:
        raise RequestError(s.BUSINESS_TOO_LONG.format(limit=MAX_BUSINESS_CHARS))
    found = match_sectors(text, svc.embedder)
    return {"text": text, "sectors": found, "message": None if found else s.NO_SECTOR_MATCH}
