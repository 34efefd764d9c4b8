"""JSON errors a person can act on: every 4xx carries {"error": {"code", "message"}}."""

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

MESSAGES = {
    400: ("リクエストの形式が正しくありません。", "The request is not in the expected form."),
    404: (
        "そのページやAPIはありません。アドレスを確かめてください。",
        "There is no such page or API. Check the address.",
    ),
    405: ("この方法（メソッド）では使えません。", "This method is not allowed here."),
    413: (
        "送られた内容が大きすぎます（64KiBまで）。",
        "The request body is too large (64 KiB at most).",
    ),
    415: (
        "JSON（Content-Type: application/json）で送ってください。",
        "Send JSON (Content-Type: application/json).",
    ),
}


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


def lang_of(request: Request) -> str:
    """English when the query or the browser asks for it, else Japanese."""
    if request.query_params.get("lang") in ("ja", "en"):
        return request.query_params["lang"]
    accept = request.headers.get("accept-language", "")
    return "en" if accept.lower().startswith("en") else "ja"


def error_response(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


async def api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.code, exc.message(lang_of(request)))


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    ja, en = MESSAGES.get(exc.status_code, ("エラーが起きました。", "Something went wrong."))
    code = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "bad-request")
    lang = lang_of(request)
    message = en if lang == "en" else ja
    # A person's browser gets a page with the quick exit; the API and other clients get JSON.
    is_api = request.url.path.startswith("/api/")
    if not is_api and "text/html" in request.headers.get("accept", ""):
        from server.wizard import error_page  # the wizard imports this module, so not at the top

        return error_page(request, exc.status_code, message, lang)
    return error_response(exc.status_code, code, message)


async def server_error(request: Request, exc: Exception) -> Response:
    return error_response(
        500,
        "internal",
        "問題が起きました。時間をおいて試してください。緊急のときは110番へ。",
    )
