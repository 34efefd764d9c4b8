"""The JSON API (domain README §6): thin handlers over the engine and the presenter."""

import datetime as dt
import gzip
import hashlib
import json
import re
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from server import engine
from server.contract import LANGS
from server.edge import GZIP_LEVEL, GZIPPED, accepts_gzip
from server.errors import ApiError, json_response
from server.memo import Answer, encode
from server.openapi import FOUND_AT_FORM, OPENAPI
from server.present import JST, Known
from server.urls import MAX_URL_LENGTH, UrlRefused, too_long

MAX_TITLE = 500
JSON = "application/json"
# The API description is the same for every request: encoded once.
OPENAPI_JSON = encode(OPENAPI)
PUBLIC_CACHE = "public, max-age=600"
MAX_SELECTION = 2000
# json.loads joins escaped pairs ("\\ud83d\\ude00"), so a surrogate left in a string is a lone one: it
# cannot be written as UTF-8, and answering with it would fail.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class AssessRequest:
    """A validated body of POST /api/v1/assess."""

    answers: dict[str, str]
    lang: str = "ja"
    url: str | None = None
    title: str | None = None
    selection: str | None = None
    found_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    markup: bool = False  # "markup": "ruby" keeps the readings of child texts as {base|reading}


def bad(code: str, ja: str, en: str) -> ApiError:
    return ApiError(400, code, ja, en)


def url_refusal(refused: UrlRefused) -> ApiError:
    """A refused URL as the API's error, with the same code and words."""
    return bad(refused.code, refused.message_ja, refused.message_en)


def check_lang(lang: Any) -> str:
    """The language asked for, refusing anything but ja and en."""
    if lang not in LANGS:
        raise bad("invalid-lang", "lang は ja か en にしてください。", 'lang must be "ja" or "en".')
    return lang


def check_content_type(request: Request) -> None:
    """Only JSON is read: a form or text/plain post (which browsers send without asking CORS) is refused."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json":
        raise ApiError(
            415,
            "unsupported-media-type",
            "JSONを Content-Type: application/json で送ってください。",
            "Send JSON with Content-Type: application/json.",
        )


def parse_json(body: bytes | bytearray) -> Any:
    """JSON as the standard library reads it; orjson first, as it reads most bodies five times faster."""
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        # What orjson refuses and the standard library reads (a lone surrogate escape in a pasted title,
        # NaN, an integer over 64 bits) is read as before; what neither reads raises ValueError here.
        return json.loads(body)


async def read_json(request: Request) -> Any:
    """The body as JSON, refusing bodies over the limit before reading them whole."""
    limit = request.app.state.settings.max_body_bytes
    too_large = ApiError(
        413,
        "body-too-large",
        f"送られた内容が大きすぎます（{limit // 1024}KiBまで）。URLと回答だけを送ってください。",
        f"The request body is too large ({limit // 1024} KiB at most). Send only the URL and the answers.",
    )
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise too_large
    try:
        return parse_json(body)
    # RecursionError: arrays or objects nested about a thousand deep.
    except (ValueError, RecursionError):
        raise bad(
            "invalid-json",
            'JSONとして読めません。{"answers": {...}} の形で送ってください。',
            'The body is not valid JSON. Send an object like {"answers": {...}}.',
        ) from None


def string_field(body: dict, key: str) -> str | None:
    """An optional field: a string, or absent or null (as the schema says)."""
    value = body.get(key)
    if value is not None and not isinstance(value, str):
        raise bad(f"invalid-{key}", f"{key} は文字列で送ってください。", f"{key} must be a string.")
    return value


def optional_text(value: str | None, limit: int) -> str | None:
    """A free-text field, cut to its limit: long page titles are normal, not an error."""
    if not value:
        return None
    # A page title can hold a broken character the person cannot fix: it is shown as "\ufffd".
    value = LONE_SURROGATE.sub("\ufffd", value.replace("\x00", "")).strip()
    return value if len(value) <= limit else value[: limit - 1] + "…"


def parse_found_at(value: str | None) -> dt.datetime:
    """The time of finding; a time without an offset is Japan time, where the person is."""
    if value is None:
        return dt.datetime.now(dt.UTC)
    try:
        if not re.fullmatch(FOUND_AT_FORM, value):
            raise ValueError(value)
        moment = dt.datetime.fromisoformat(value)
        moment = moment if moment.tzinfo else moment.replace(tzinfo=JST)
        # Both are shown; near year 1 or 9999 one of them falls outside what a datetime can hold.
        moment.astimezone(dt.UTC), moment.astimezone(JST)
    except (ValueError, OverflowError):
        raise bad(
            "invalid-found_at",
            "found_at は 2026-11-29T20:15:00+09:00 のような日時で送ってください。",
            "found_at must be a date and time like 2026-11-29T20:15:00+09:00.",
        ) from None
    return moment


def parse_url(value: str | None) -> str | None:
    """The reported URL as sent (an empty one is refused by the analysis); urls.analyse checks the rest."""
    if value is None:
        return None
    # The schema counts what was sent; analyse counts after trimming pasted spaces.
    if len(value) > MAX_URL_LENGTH:
        raise url_refusal(too_long())
    if LONE_SURROGATE.search(value):
        raise bad(
            "url-invalid",
            "アドレス（URL）に読み取れない文字があります。ブラウザのアドレス欄からコピーし直してください。",
            "The address (URL) holds a character that cannot be read. Copy it again from the address bar.",
        )
    return value


def parse_markup(value: Any) -> bool:
    """Plain text unless the client draws readings itself ("markup": "ruby")."""
    if value not in (None, "ruby"):
        raise bad("invalid-markup", 'markup は "ruby" にしてください。', 'markup must be "ruby".')
    return value == "ruby"


def parse_assess(body: Any) -> AssessRequest:
    """Check the body's shape as the OpenAPI schema describes it; the engine checks the ids."""
    if not isinstance(body, dict):
        raise bad("invalid-body", "JSONオブジェクトで送ってください。", "Send a JSON object.")
    answers = body.get("answers")
    if not isinstance(answers, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and not LONE_SURROGATE.search(k + v)
        for k, v in answers.items()
    ):
        raise bad(
            "invalid-answers",
            'answers は {"質問id": "選択肢id"} の形で送ってください（最初は {}）。',
            'answers must map question ids to option ids, e.g. {"urgent": "no"} ({} at first).',
        )
    return AssessRequest(
        answers=answers,
        lang=check_lang(body.get("lang", "ja")),
        url=parse_url(string_field(body, "url")),
        title=optional_text(string_field(body, "title"), MAX_TITLE),
        selection=optional_text(string_field(body, "selection"), MAX_SELECTION),
        found_at=parse_found_at(string_field(body, "found_at")),
        markup=parse_markup(body.get("markup")),
    )


def assess_request(request: Request, query: AssessRequest) -> Answer:
    """Run one assessment for the API or the wizard; refusals become ApiError."""
    state = request.app.state
    try:
        site = None if query.url is None else state.analyses(query.url)
        known = Known(query.found_at, site.url if site else None, query.title, query.selection, site)
        return state.memo.answer(query.answers, known, query.lang, query.markup)
    except UrlRefused as refused:
        raise url_refusal(refused) from None
    except engine.AnswerError as error:
        what = f"{error.question}={error.option}" if error.option else error.question
        raise bad(
            error.code,
            f"{what} は知らない質問・選択肢です。GET /openapi.json の一覧から選んでください。",
            f"{what} is not a known question or option; see GET /openapi.json.",
        ) from None


async def healthz(request: Request) -> JSONResponse:
    return json_response({"status": "ok"})


async def assess(request: Request) -> Response:
    check_content_type(request)
    query = parse_assess(await read_json(request))
    answer = assess_request(request, query)
    # The answer echoes the reported URL and title: kept out of caches.
    # No-store comes from the security headers, as on every response that sets no cache policy.
    if accepts_gzip(request.headers):
        # Compressed here, its shared part once (the edge layer lets an encoded answer pass).
        body = request.app.state.memo.gzipped_json(answer, GZIP_LEVEL)
        return Response(body, media_type=JSON, headers=GZIPPED)
    return Response(answer.json(), media_type=JSON)


def destinations_body(views: list[dict[str, Any]], lang: str) -> tuple[bytes, str]:
    """GET /api/v1/destinations as JSON bytes with their (weak: gzip changes the bytes) ETag."""
    body = encode({"lang": lang, "destinations": views})
    return body, f'W/"{hashlib.sha256(body).hexdigest()[:32]}"'


def names_etag(if_none_match: str, etag: str) -> bool:
    """Whether an If-None-Match header names this ETag, by weak comparison (RFC 9110 §13.1.2)."""
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or etag.removeprefix("W/") in tags


async def destinations(request: Request) -> Response:
    """Every window: the same bytes for everyone, built once per language, revalidated by ETag."""
    lang = check_lang(request.query_params.get("lang", "ja"))
    state = request.app.state
    body, etag = state.memo.keep(
        ("api-destinations", lang),
        lambda: destinations_body(list(state.memo.destinations(lang).values()), lang),
    )
    # It holds nothing about anyone, so shared caches may keep it too.
    headers = {"etag": etag, "cache-control": PUBLIC_CACHE}
    if names_etag(request.headers.get("if-none-match", ""), etag):
        return Response(status_code=304, headers=headers)
    return same_bytes(request, ("api-destinations", lang), body, headers)


def same_bytes(
    request: Request, key: Hashable, body: bytes, headers: dict[str, str] | None = None
) -> Response:
    """JSON that is the same for everyone; gzipped once, and kept so, for the clients that take gzip."""
    if not accepts_gzip(request.headers):
        return Response(body, media_type=JSON, headers=headers)
    packed = request.app.state.memo.keep(("gzip", key), lambda: gzip.compress(body, GZIP_LEVEL, mtime=0))
    return Response(packed, media_type=JSON, headers={**(headers or {}), **GZIPPED})


async def openapi(request: Request) -> Response:
    return same_bytes(request, ("openapi",), OPENAPI_JSON)
