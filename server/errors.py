"""JSON errors a person can act on: every 4xx carries {"error": {"code", "message"}}."""

from collections.abc import Mapping
from typing import Any

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from server.pages import error_page

MESSAGES = {
    400: ("リクエストの形式が正しくありません。", "The request is not in the expected form."),
    404: (
        "そのページやAPIはありません。アドレスを確かめてください。",
        "There is no such page or API. Check the address.",
    ),
    405: ("この方法（メソッド）では使えません。", "This method is not allowed here."),
    500: (
        "問題が起きました。時間をおいて試してください。緊急のときは110番へ。",
        "Something went wrong on our side. Try again later. In an emergency, call 110.",
    ),
}
CODES = {404: "not-found", 405: "method-not-allowed", 500: "internal"}
OTHER = ("エラーが起きました。", "Something went wrong.")


class ApiError(Exception):
    """A refusal with a status, a stable code and a message in Japanese and English."""

    def __init__(self, status: int, code: str, message_ja: str, message_en: str) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.message_ja = message_ja
        self.message_en = message_en

    def message(self, lang: str) -> str:
        """The message in English for "en", else in Japanese."""
        return self.message_en if lang == "en" else self.message_ja


def header_lang(headers: Headers) -> str:
    """English when the browser asks for it first, else Japanese."""
    return "en" if headers.get("accept-language", "").lower().startswith("en") else "ja"


def lang_of(request: Request) -> str:
    """English when the query or the browser asks for it, else Japanese."""
    if request.query_params.get("lang") in ("ja", "en"):
        return request.query_params["lang"]
    return header_lang(request.headers)


def json_response(content: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> JSONResponse:
    """A JSON answer kept out of caches: requests and answers echo the reported URL and title."""
    return JSONResponse(content, status_code=status, headers={**(headers or {}), "cache-control": "no-store"})


def error_response(
    status: int, code: str, message: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    return json_response({"error": {"code": code, "message": message}}, status, headers)


def refusal(error: ApiError, lang: str) -> JSONResponse:
    """The JSON error for an ApiError, in this language."""
    return error_response(error.status, error.code, error.message(lang))


def wants_page(request: Request) -> bool:
    """A person's browser asking for a page, rather than the API or another client."""
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


async def api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return refusal(exc, lang_of(request))


def status_error(request: Request, status: int, headers: Mapping[str, str] | None = None) -> Response:
    """A page with the quick exit for a person's browser, the JSON error for anyone else."""
    ja, en = MESSAGES.get(status, OTHER)
    lang = lang_of(request)
    message = en if lang == "en" else ja
    if wants_page(request):
        return error_page(request, status, message, lang, headers)
    return error_response(status, CODES.get(status, "bad-request"), message, headers)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    # A 405 carries its Allow header (RFC 9110), whichever form the error takes.
    return status_error(request, exc.status_code, exc.headers)


async def server_error(request: Request, exc: Exception) -> Response:
    return status_error(request, 500)
