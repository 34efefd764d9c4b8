"""The OpenAPI 3.1 description served at /openapi.json, built from the contract's ids."""

from typing import Any

from server.contract import DESTINATION_IDS, PLATFORM_IDS, QUESTIONS, WARNING_IDS


def _obj(required: list[str], **properties: Any) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": properties}


# The server applies these same patterns, so that the schema and the server agree on what is well formed.
# A time of finding: date, hours and minutes at least, an offset if any (none = Japan time).
_DATE = r"(?!0000)[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
_TIME = r"(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]{1,6})?)?"
_OFFSET = r"(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
FOUND_AT_FORM = f"{_DATE}T{_TIME}{_OFFSET}?"
# A reported URL: http(s), after the spaces a paste may bring (what else is refused needs urls.analyse).
URL_PATTERN = r"^[ \t\r\n\u3000]*[Hh][Tt][Tt][Pp][Ss]?://"

STR = {"type": "string"}
NULLABLE_STR = {"type": ["string", "null"]}
MESSAGE = _obj(["id", "text"], id=STR, text=STR)
LINK = _obj(["url", "label"], url=STR, label=STR)
# A sentence with the id of the source in sources.toml that says it.
SOURCED_TEXT = _obj(["text", "source"], text=STR, source={**STR, "description": "a source id"})
PLATFORM = {
    "oneOf": [
        {"type": "null"},
        _obj(
            [
                "id",
                "name",
                "top_url",
                "report",
                "designated",
                "designated_source",
                "designated_services",
                "designation",
            ],
            id={"enum": sorted(PLATFORM_IDS)},
            name=STR,
            top_url=STR,
            report={"type": "array", "items": LINK},
            designated={
                "type": "boolean",
                "description": "designated under 情報流通プラットフォーム対処法 (GOV list of 2025-04-30)",
            },
            designated_source={**NULLABLE_STR, "description": "the source id of `designated` (GOV list)"},
            designated_services={**NULLABLE_STR, "description": "which of its services are designated"},
            designation={
                "oneOf": [{"type": "null"}, SOURCED_TEXT],
                "description": "what the operator of a designated platform must do; null when not designated",
            },
        ),
    ]
}
SOURCE = _obj(
    ["url", "level", "checked"],
    id=STR,
    url=STR,
    title=STR,
    level={"enum": ["OFF", "GOV"]},
    checked=STR,
)
PHONE = _obj(
    ["number", "tel", "label", "cost", "cost_label", "hours"],
    number=STR,
    tel=STR,
    label=STR,
    cost={
        "enum": ["free", "charged"],
        "description": "free: 0120/0800 and 110; charged: 0570 ナビダイヤル, ordinary numbers, short codes",
    },
    cost_label={**STR, "description": "what the call costs, in words"},
    hours={**NULLABLE_STR, "description": "when the line answers; null when not sourced"},
)
DESTINATION = _obj(
    ["id", "name", "role", "url", "form_url", "phones", "hours", "channels", "languages", "next"],
    id={"enum": sorted(DESTINATION_IDS)},
    rank={"type": "integer"},
    name=STR,
    operator=STR,
    role=STR,
    why=STR,
    does=STR,
    url=NULLABLE_STR,
    form_url=NULLABLE_STR,
    links={"type": "array", "items": LINK},
    phones={"type": "array", "items": PHONE},
    hours={"type": "array", "items": STR},
    languages={
        "type": "array",
        "items": STR,
        "description": 'language codes it answers in; ["ja"] when only Japanese is known',
    },
    next={
        "oneOf": [{"type": "null"}, SOURCED_TEXT],
        "description": "what happens after you report: who replies, roughly when, "
        "where to go if nothing happens",
    },
    channels={"type": "array", "items": _obj(["id", "label"], id=STR, label=STR)},
    who_may_report={"type": "array", "items": STR},
    not_accepted={"type": "array", "items": STR},
    form_asks={"type": "array", "items": STR},
    notes={"type": "array", "items": STR},
    sources={"type": "array", "items": SOURCE},
    platform=PLATFORM,
    checklist={"type": "array", "items": STR, "description": "ids of checklist items to prepare"},
)
QUESTION = _obj(
    ["id", "text", "options"],
    id={"enum": list(QUESTIONS)},
    text=STR,
    options={"type": "array", "items": _obj(["id", "label"], id=STR, label=STR)},
)
ASSESS_REQUEST = {
    **_obj(
        ["answers"],
        url={
            **NULLABLE_STR,
            "maxLength": 2048,
            "pattern": URL_PATTERN,
            "description": "http(s) only; never fetched; not a local or private address",
        },
        title={**NULLABLE_STR, "description": "page title; cut to 500 characters"},
        selection={**NULLABLE_STR, "description": "selected text; cut to 2,000 characters"},
        found_at={
            **NULLABLE_STR,
            "pattern": f"^(?:{FOUND_AT_FORM})$",
            "description": "when it was found, e.g. 2026-11-29T20:15:00+09:00 (no offset: Japan time)",
        },
        answers={
            "type": "object",
            "description": "question id → option id",
            "properties": {q: {"enum": list(options)} for q, options in QUESTIONS.items()},
            "additionalProperties": False,
        },
        lang={"enum": ["ja", "en"], "default": "ja"},
        markup={
            "enum": ["ruby", None],
            "description": '"ruby": child texts keep readings as {base|reading} '
            "(the paste block stays plain); anything else is refused with invalid-markup",
        },
    ),
    "description": "At most 64 KiB. An optional field sent as null counts as not given.",
}
GUIDE_ITEM = _obj(
    ["id", "text", "source"],
    id=STR,
    text=STR,
    source={"oneOf": [{"type": "null"}, SOURCE], "description": "null: the service's own advice"},
)
ASSESS_RESPONSE = _obj(
    [
        "complete",
        "lang",
        "audience",
        "answers",
        "next_question",
        "progress",
        "destinations",
        "warnings",
        "notices",
        "guide",
        "checklist",
        "site",
        "evidence",
    ],
    complete={"type": "boolean"},
    lang={"enum": ["ja", "en"]},
    audience={"enum": ["adult", "child"]},
    answers={"type": "object", "additionalProperties": STR},
    next_question={"oneOf": [{"type": "null"}, QUESTION]},
    progress=_obj(["answered", "total"], answered={"type": "integer"}, total={"type": "integer"}),
    destinations={"type": "array", "items": DESTINATION},
    warnings={
        "type": "array",
        "items": {**MESSAGE, "properties": {"id": {"enum": sorted(WARNING_IDS)}, "text": STR}},
    },
    notices={"type": "array", "items": MESSAGE},
    guide={
        "type": "array",
        "items": GUIDE_ITEM,
        "description": "for a parent or school staff (reporter parent/school): how to help the child",
    },
    checklist=_obj(
        ["items", "text_ja", "found_at"],
        items={
            "type": "array",
            "items": _obj(
                ["id", "label", "value", "fill", "evidence", "how"],
                id=STR,
                label=STR,
                value=NULLABLE_STR,
                fill=NULLABLE_STR,
                evidence={"type": "boolean"},
                how=NULLABLE_STR,
            ),
        },
        text_ja={**STR, "description": "the checklist as one Japanese block, whatever lang is"},
        found_at=STR,
    ),
    site={
        "oneOf": [
            {"type": "null"},
            _obj(
                ["url", "host", "host_ascii", "registered_domain", "platform"],
                url=STR,
                host=STR,
                host_ascii=STR,
                registered_domain=STR,
                platform=PLATFORM,
            ),
        ]
    },
    evidence=_obj(
        ["screenshot", "confirm", "reason"],
        screenshot={"enum": ["allowed", "forbidden"]},
        confirm={"type": "boolean"},
        reason=NULLABLE_STR,
    ),
)
ERROR_CODES = (
    "invalid-json, invalid-body, invalid-answers, unknown-question, unknown-option, invalid-lang, "
    "invalid-url, invalid-title, invalid-selection, invalid-found_at, invalid-markup, url-scheme, url-local, "
    "url-control-chars, url-too-long, url-invalid, body-too-large, unsupported-media-type, invalid-host "
    "(a Host header not served); a refused CORS preflight (OPTIONS) gets 403 cors-refused"
)
ERROR = _obj(
    ["error"],
    error=_obj(["code", "message"], code={**STR, "description": f"one of: {ERROR_CODES}"}, message=STR),
)


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERRORS = {
    "400": _json(ERROR, "Bad input: malformed JSON, unknown ids, a refused URL, a Host not served"),
    "413": _json(ERROR, "Body over 64 KiB"),
    "415": _json(ERROR, "Not sent as Content-Type: application/json"),
}

OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "通報ナビ API",
        "version": "1",
        "description": "Where to report or consult about harmful content online in Japan. "
        "The service never fetches the reported URL and stores nothing.",
    },
    "paths": {
        "/healthz": {
            "get": {
                "summary": "Liveness",
                "responses": {"200": _json(_obj(["status"], status={"const": "ok"}), "Up")},
            }
        },
        "/api/v1/assess": {
            "post": {
                "summary": "Next question, or the ranked destinations with a prefilled checklist",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": ASSESS_REQUEST}},
                },
                "responses": {"200": _json(ASSESS_RESPONSE, "The assessment so far"), **ERRORS},
            }
        },
        "/api/v1/destinations": {
            "get": {
                "summary": "Every destination with its facts and sources",
                "parameters": [
                    {
                        "name": "lang",
                        "in": "query",
                        "schema": {"enum": ["ja", "en"], "default": "ja"},
                    },
                    {
                        "name": "If-None-Match",
                        "in": "header",
                        "description": "The ETag of a copy already held: 304 while it is current",
                        "schema": STR,
                    },
                ],
                "responses": {
                    "304": {"description": "Not modified: the copy with this ETag is current"},
                    "200": _json(
                        _obj(
                            ["destinations"],
                            lang=STR,
                            destinations={"type": "array", "items": DESTINATION},
                        ),
                        "All destinations",
                    ),
                    "400": ERRORS["400"],
                },
            }
        },
    },
}
