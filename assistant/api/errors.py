"""Translate errors into German JSON responses with a request id; nothing internal leaves the server."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant import strings
from assistant.errors import AssistantError, IndexNotReady, RequestError

log = logging.getLogger(__name__)

_STATUS_TEXT = {
    400: strings.BAD_REQUEST,
    404: strings.NOT_FOUND,
    405: strings.METHOD_NOT_ALLOWED,
    413: "Anfrage zu groß.",
    415: strings.UNSUPPORTED_MEDIA_TYPE,
}
# English details FastAPI and Starlette raise themselves (body parsing, routing); ours are German.
# "error parsing the body" covers invalid UTF-8 and JSON nested too deeply for the parser.
_ENGLISH_DETAIL = {
    "Not Found": strings.NOT_FOUND,
    "Method Not Allowed": strings.METHOD_NOT_ALLOWED,
    "There was an error parsing the body": strings.INVALID_BODY,
    "Content Too Large": "Anfrage zu groß.",
    "Unsupported Media Type": strings.UNSUPPORTED_MEDIA_TYPE,
}


def error_response(
    request: Request, status: int, detail: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    """A JSON error with the request id."""
    request_id = getattr(request.state, "request_id", "")
    return JSONResponse({"detail": detail, "request_id": request_id}, status_code=status, headers=headers)


def _validation_detail(exc: RequestValidationError) -> str:
    messages = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()) if p != "body")
        message = str(error.get("msg", "")).removeprefix("Value error, ")
        if error.get("type") == "missing":
            message = "Pflichtfeld fehlt."
        elif error.get("type") == "json_invalid":
            message = "Ungültiges JSON."
        elif not any(ch in message for ch in "äöüÄÖÜß„") and error.get("type") != "value_error":
            message = "Ungültiger Wert."
        messages.append(f"{where}: {message}" if where else message)
    return "Ungültige Anfrage – " + "; ".join(messages)


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that turn every failure into a German message."""

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(request, 422, _validation_detail(exc))

    @app.exception_handler(RequestError)
    async def _bad_request(request: Request, exc: RequestError) -> JSONResponse:
        return error_response(request, 400, str(exc))

    @app.exception_handler(IndexNotReady)
    async def _not_ready(request: Request, exc: IndexNotReady) -> JSONResponse:
        return error_response(request, 503, strings.NO_INDEX)

    @app.exception_handler(AssistantError)
    async def _assistant(request: Request, exc: AssistantError) -> JSONResponse:
        log.error("request %s failed: %s", getattr(request.state, "request_id", ""), exc)
        return error_response(request, 503, strings.SERVICE_UNAVAILABLE)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) and exc.status_code < 500 else ""
        detail = _ENGLISH_DETAIL.get(detail, detail) or _STATUS_TEXT.get(exc.status_code, strings.BAD_REQUEST)
        return error_response(request, exc.status_code, detail, getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("request %s failed", getattr(request.state, "request_id", ""))
        return error_response(request, 500, strings.INTERNAL_ERROR)
