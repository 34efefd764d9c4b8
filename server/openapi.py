"""The OpenAPI 3.1 description served at /openapi.json, built from the contract's ids."""

from typing import Any

from server.contract import DESTINATION_IDS, PLATFORM_IDS, QUESTIONS, WARNING_IDS


def _obj(required: list[str], **properties: Any) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": properties}


STR = {"type": "string"}
NULLABLE_STR = {"type": ["string", "null"]}
MESSAGE = _obj(["id", "text"], id=STR, text=STR)
LINK = _obj(["url", "label"], url=STR, label=STR)
PLATFORM = {
    "oneOf": [
        {"type": "null"},
        _obj(
            ["id", "name", "top_url", "report"],
            id={"enum": sorted(PLATFORM_IDS)},
            name=STR,
            top_url=STR,
            report={"type": "array", "items": LINK},
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
DESTINATION = _obj(
    ["id", "name", "role", "url", "form_url", "phones", "hours", "channels"],
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
    phones={
        "type": "array",
        "items": _obj(["number", "tel", "label"], number=STR, tel=STR, label=STR),
    },
    hours={"type": "array", "items": STR},
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
        url={**STR, "maxLength": 2048, "description": "http(s) only; never fetched"},
        title={**STR, "description": "page title; cut to 500 characters"},
        selection={**STR, "description": "selected text; cut to 2,000 characters"},
        found_at={**STR, "format": "date-time", "description": "when it was found; default now"},
        answers={
            "type": "object",
            "description": "question id → option id",
            "properties": {q: {"enum": list(options)} for q, options in QUESTIONS.items()},
            "additionalProperties": False,
        },
        lang={"enum": ["ja", "en"], "default": "ja"},
    ),
    "description": "At most 64 KiB.",
}
ASSESS_RESPONSE = _obj(
    ["complete", "next_question", "destinations", "warnings", "checklist", "site", "evidence"],
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
    checklist=_obj(
        ["items", "text_ja", "found_at"],
        items={
            "type": "array",
            "items": _obj(
                ["id", "label", "value", "evidence"],
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
                ["host", "registered_domain", "platform"],
                url=STR,
                host=STR,
                host_ascii=STR,
                registered_domain=STR,
                platform=PLATFORM,
            ),
        ]
    },
    evidence=_obj(
        ["screenshot", "confirm"],
        screenshot={"enum": ["allowed", "forbidden"]},
        confirm={"type": "boolean"},
        reason=NULLABLE_STR,
    ),
)
ERROR = _obj(["error"], error=_obj(["code", "message"], code=STR, message=STR))


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERRORS = {
    "400": _json(ERROR, "Bad input: malformed JSON, unknown ids, a refused URL"),
    "413": _json(ERROR, "Body over 64 KiB"),
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
                    }
                ],
                "responses": {
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
