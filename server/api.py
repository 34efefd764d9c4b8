"""The JSON API (domain README §6): thin handlers over the engine and the presenter."""

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from server import engine
from server.contract import LANGS
from server.errors import ApiError
from server.openapi import OPENAPI
from server.present import Known, assessment_view, destination_view
from server.urls import UrlRefused, analyse

MAX_TITLE = 500
MAX_SELECTION = 2000


@dataclass(frozen=True)
class AssessRequest:
    """A validated body of POST /api/v1/assess."""

    answers: dict[str, str]
    lang: str = "ja"
    url: str | None = None
    title: str | None = None
    selection: str | None = None
    found_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))


def bad(code: str, ja: str, en: str) -> ApiError:
    return ApiError(400, code, ja, en)


def check_lang(lang: Any) -> str:
    """The language asked for, refusing anything but ja and en."""
    if lang not in LANGS:
        raise bad("invalid-lang", "lang は ja か en にしてください。", 'lang must be "ja" or "en".')
    return lang


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
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise bad(
            "invalid-json",
            'JSONとして読めません。{"answers": {...}} の形で送ってください。',
            'The body is not valid JSON. Send an object like {"answers": {...}}.',
        ) from None


def optional_text(body: dict, key: str, limit: int) -> str | None:
    """A free-text field, cut to its limit: long page titles are normal, not an error."""
    value = body.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise bad(f"invalid-{key}", f"{key} は文字列で送ってください。", f"{key} must be a string.")
    value = value.replace("\x00", "").strip()
    return value if len(value) <= limit else value[: limit - 1] + "…"


def parse_found_at(value: Any) -> dt.datetime:
    if value is None:
        return dt.datetime.now(dt.UTC)
    try:
        moment = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise bad(
            "invalid-found_at",
            "found_at は 2026-11-29T20:15:00+09:00 のような日時で送ってください。",
            "found_at must be a date and time like 2026-11-29T20:15:00+09:00.",
        ) from None
    # A time without an offset is read as Japan time: that is where the person is.
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone(dt.timedelta(hours=9)))


def parse_assess(body: Any) -> AssessRequest:
    """Check the body's shape; unknown answer ids are checked by the engine."""
    if not isinstance(body, dict):
        raise bad("invalid-body", "JSONオブジェクトで送ってください。", "Send a JSON object.")
    answers = body.get("answers", {})
    if not isinstance(answers, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in answers.items()
    ):
        raise bad(
            "invalid-answers",
            'answers は {"質問id": "選択肢id"} の形で送ってください。',
            'answers must map question ids to option ids, e.g. {"urgent": "no"}.',
        )
    lang = check_lang(body.get("lang", "ja"))
    url = body.get("url")
    if url is not None and not isinstance(url, str):
        raise bad("invalid-url", "url は文字列で送ってください。", "url must be a string.")
    return AssessRequest(
        answers=answers,
        lang=lang,
        url=url or None,
        title=optional_text(body, "title", MAX_TITLE),
        selection=optional_text(body, "selection", MAX_SELECTION),
        found_at=parse_found_at(body.get("found_at")),
    )


def assess_request(request: Request, query: AssessRequest) -> dict[str, Any]:
    """Run one assessment for the API or the wizard; refusals become ApiError."""
    state = request.app.state
    try:
        site = analyse(query.url, state.catalog.links, state.extractor) if query.url else None
        result = engine.assess(state.catalog, query.answers, site_kind(site))
    except UrlRefused as refused:
        raise bad(refused.code, refused.message_ja, refused.message_en) from None
    except engine.AnswerError as error:
        what = f"{error.question}={error.option}" if error.option else error.question
        raise bad(
            error.code,
            f"{what} は知らない質問・選択肢です。GET /openapi.json の一覧から選んでください。",
            f"{what} is not a known question or option; see GET /openapi.json.",
        ) from None
    known = Known(query.found_at, site.url if site else None, query.title, query.selection, site)
    return assessment_view(state.catalog, result, known, query.lang)


def site_kind(site: Any) -> str:
    if site is None:
        return "none"
    return "platform" if site.platform_id else "other"


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def assess(request: Request) -> JSONResponse:
    query = parse_assess(await read_json(request))
    return JSONResponse(assess_request(request, query))


async def destinations(request: Request) -> JSONResponse:
    lang = check_lang(request.query_params.get("lang", "ja"))
    catalog = request.app.state.catalog
    return JSONResponse(
        {
            "lang": lang,
            "destinations": [destination_view(catalog, d, lang) for d in catalog.destinations.values()],
        }
    )


async def openapi(request: Request) -> JSONResponse:
    return JSONResponse(OPENAPI)
