"""The public API (domain README §6): shapes, status codes and errors a person can act on."""

import json
import logging
import socket
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
from starlette.testclient import TestClient

from server.app import create_app
from server.openapi import OPENAPI
from server.settings import Settings
from tests.answers import DEFAMED_DELETE_MYSELF

ROOT = Path(__file__).resolve().parent.parent
COMPLETE = DEFAMED_DELETE_MYSELF


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings())) as client:
        yield client


def response_schema(path: str, method: str) -> dict:
    return OPENAPI["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]


def assess(client: TestClient, **body) -> dict:
    response = client.post("/api/v1/assess", json=body)
    assert response.status_code == 200, response.text
    jsonschema.validate(response.json(), response_schema("/api/v1/assess", "post"))
    return response.json()


def test_healthz(client: TestClient):
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_first_call_asks_the_urgent_question(client: TestClient):
    result = assess(client, answers={})
    assert result["complete"] is False
    assert result["next_question"]["id"] == "urgent"
    assert [o["id"] for o in result["next_question"]["options"]] == ["yes", "no"]
    assert result["site"] is None


def test_urgent_answer_returns_110_at_once(client: TestClient):
    result = assess(client, answers={"urgent": "yes"})
    assert result["complete"] is False
    assert result["destinations"][0]["id"] == "police-110"
    assert result["destinations"][0]["phones"][0]["tel"] == "tel:110"
    assert result["warnings"][0]["id"] == "call-110"


def test_complete_result_with_a_platform_url(client: TestClient):
    result = assess(
        client,
        url="https://mobile.twitter.com/someone/status/1",
        title="ひどい投稿",
        found_at="2026-11-29T11:05:00+00:00",
        answers=COMPLETE,
    )
    assert result["complete"] is True and result["next_question"] is None
    assert [d["id"] for d in result["destinations"]] == ["site-operator", "ihaho", "jinken"]
    site = result["site"]
    assert (site["host"], site["registered_domain"], site["platform"]["id"]) == (
        "mobile.twitter.com",
        "twitter.com",
        "x",
    )
    operator = result["destinations"][0]
    assert operator["platform"]["id"] == "x"
    assert operator["links"][0]["url"].startswith("https://help.x.com/")
    assert {w["id"] for w in result["warnings"]} == {"platform-first"}
    values = {item["id"]: item["value"] for item in result["checklist"]["items"]}
    assert values["url"] == "https://mobile.twitter.com/someone/status/1"
    assert values["title"] == "ひどい投稿"
    assert values["site"] == "twitter.com（X（旧Twitter））"
    assert values["found_at"] == "2026年11月29日 20時05分（日本時間）"
    assert result["checklist"]["found_at"] == "2026-11-29T20:05:00+09:00"


def test_the_japanese_block_is_japanese_whatever_the_language(client: TestClient):
    body = {
        "url": "https://example.jp/a",
        "answers": COMPLETE,
        "found_at": "2026-01-02T03:04:00+09:00",
    }
    english = assess(client, lang="en", **body)
    japanese = assess(client, lang="ja", **body)
    assert english["checklist"]["text_ja"] == japanese["checklist"]["text_ja"]
    assert english["checklist"]["items"][0]["label"] == "The page's URL (address)"
    assert english["destinations"][1]["name"].startswith("Illegal and Harmful")
    block = japanese["checklist"]["text_ja"].splitlines()
    assert block[:3] == [
        "【通報・相談メモ】",
        "問題のページのURL：https://example.jp/a",
        "ページのタイトル：（　　　　　　　　）",
    ]
    assert "見つけた日時：2026年1月2日 3時04分（日本時間）" in block
    assert "□ 画面のスクリーンショット（内容とURL・日時が写るように）" in block


def test_selection_prefills_the_problem_post(client: TestClient):
    result = assess(client, selection="死ね " * 1000, answers=COMPLETE)
    value = {i["id"]: i["value"] for i in result["checklist"]["items"]}["selection"]
    assert value.startswith("死ね 死ね") and len(value) == 2000 and value.endswith("…")


def test_child_wording_and_csam_lock(client: TestClient):
    result = assess(
        client,
        answers={"urgent": "no", "reporter": "child", "situation": "found", "category": "csam"},
    )
    assert result["audience"] == "child"
    assert result["notices"][0]["id"] == "tell-trusted-adult"
    assert "おとな" in result["notices"][0]["text"]
    assert result["evidence"]["screenshot"] == "forbidden"
    assert "スクショ" in result["evidence"]["reason"]
    assert [w["id"] for w in result["warnings"]] == ["csam-do-not-save"]


def test_destinations_lists_every_fact_with_its_source(client: TestClient):
    response = client.get("/api/v1/destinations?lang=en")
    assert response.status_code == 200
    jsonschema.validate(response.json(), response_schema("/api/v1/destinations", "get"))
    by_id = {d["id"]: d for d in response.json()["destinations"]}
    assert len(by_id) == 15
    assert by_id["jinken"]["phones"][0]["number"] == "0570-003-110"
    assert {s["level"] for d in by_id.values() for s in d["sources"]} <= {"OFF", "GOV"}
    assert all(d["sources"] for i, d in by_id.items() if i != "site-operator")


def test_openapi_describes_every_api_route(client: TestClient):
    schema = client.get("/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert set(schema["paths"]) == {"/healthz", "/api/v1/assess", "/api/v1/destinations"}


def error_of(response) -> tuple[int, str]:
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["message"]
    return response.status_code, body["error"]["code"]


BAD_BODIES = [
    ("malformed JSON", b'{"answers": ', 400, "invalid-json"),
    ("empty body", b"", 400, "invalid-json"),
    ("not UTF-8", b"\xff\xfe{", 400, "invalid-json"),
    ("a list", b"[]", 400, "invalid-body"),
    ("answers a list", b'{"answers": ["urgent"]}', 400, "invalid-answers"),
    ("answer a number", b'{"answers": {"urgent": 1}}', 400, "invalid-answers"),
    ("unknown question", b'{"answers": {"mood": "sad"}}', 400, "unknown-question"),
    ("unknown option", b'{"answers": {"urgent": "maybe"}}', 400, "unknown-option"),
    ("unknown language", b'{"answers": {}, "lang": "fr"}', 400, "invalid-lang"),
    ("url a number", b'{"answers": {}, "url": 5}', 400, "invalid-url"),
    ("title an object", b'{"answers": {}, "title": {}}', 400, "invalid-title"),
    ("bad time", b'{"answers": {}, "found_at": "yesterday"}', 400, "invalid-found_at"),
    ("javascript URL", b'{"answers": {}, "url": "javascript:alert(1)"}', 400, "url-scheme"),
    ("file URL", b'{"answers": {}, "url": "file:///etc/passwd"}', 400, "url-scheme"),
    ("localhost", b'{"answers": {}, "url": "http://localhost:8000/"}', 400, "url-local"),
    ("private IP", b'{"answers": {}, "url": "http://192.168.0.1/"}', 400, "url-local"),
    ("link-local", b'{"answers": {}, "url": "http://169.254.169.254/"}', 400, "url-local"),
    ("NUL", b'{"answers": {}, "url": "https://x.com/\\u0000a"}', 400, "url-control-chars"),
    ("too long", json.dumps({"url": "https://x.com/" + "a" * 2040}).encode(), 400, "url-too-long"),
    ("over 64 KiB", b'{"answers": {}, "title": "' + b"a" * 70000 + b'"}', 413, "body-too-large"),
]


@pytest.mark.parametrize(
    ("body", "status", "code"), [b[1:] for b in BAD_BODIES], ids=[b[0] for b in BAD_BODIES]
)
def test_bad_input_gets_a_clear_4xx(client: TestClient, body: bytes, status: int, code: str):
    response = client.post("/api/v1/assess", content=body, headers={"content-type": "application/json"})
    assert error_of(response) == (status, code)


def test_a_streamed_body_over_the_limit_is_refused_without_a_length(client: TestClient):
    def chunks() -> Iterator[bytes]:
        yield b'{"answers": {}, "title": "'
        for _ in range(100):
            yield b"a" * 1024

    response = client.post("/api/v1/assess", content=chunks())
    assert error_of(response) == (413, "body-too-large")


def test_errors_speak_english_when_asked(client: TestClient):
    response = client.post("/api/v1/assess?lang=en", content=b"{")
    assert response.json()["error"]["message"].startswith("The body is not valid JSON")


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("get", "/api/v1/nothing", (404, "not-found")),
        ("get", "/api/v1/assess", (405, "method-not-allowed")),
    ],
)
def test_unknown_routes_and_methods(client: TestClient, method, path, expected):
    response = getattr(client, method)(path, headers={"accept": "application/json"})
    assert error_of(response) == expected


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("chrome-extension://abcdefghijklmnopabcdefghijklmnop", True),
        ("moz-extension://4b2c6f1e-0d5a-4c1e-9b7a-2f7e4a6c9d11", True),
        ("https://evil.example", False),
        ("chrome-extension://x/evil", False),
    ],
)
def test_cors_allows_extension_origins_only(client: TestClient, origin: str, allowed: bool):
    response = client.options(
        "/api/v1/assess",
        headers={
            "origin": origin,
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
    )
    assert (response.headers.get("access-control-allow-origin") == origin) is allowed


def test_cors_origins_are_configurable():
    settings = Settings(cors_origins=("https://helper.example",))
    with TestClient(create_app(settings)) as client:
        response = client.get("/healthz", headers={"origin": "https://helper.example"})
        assert response.headers["access-control-allow-origin"] == "https://helper.example"


def test_security_headers_on_every_response(client: TestClient):
    for response in (client.get("/healthz"), client.post("/api/v1/assess", content=b"{")):
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"


def test_reported_url_is_never_fetched_nor_logged(client: TestClient, monkeypatch, caplog):
    def no_network(*args, **kwargs):
        raise AssertionError("the service tried to open a connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    secret = "https://example.com/secret-page-7f3a"
    with caplog.at_level(logging.DEBUG):
        client.post(
            f"/api/v1/assess?url={secret}",
            json={"url": secret, "title": "secret-title-7f3a", "answers": COMPLETE},
        )
    # httpx (the test client) logs its own request line; only the server's logs count here.
    records = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    assert records, "the access log should have a line"
    logged = "\n".join(record.getMessage() for record in records)
    assert "7f3a" not in logged and "POST /api/v1/assess 200" in logged


def test_broken_data_stops_start_up(tmp_path: Path):
    (tmp_path / "data").mkdir()
    app = create_app(Settings(data_dir=tmp_path / "data"))
    with pytest.raises(Exception, match=r"data/sources\.toml: file is missing"), TestClient(app):
        pass


ODD_VALUES = [None, 0, 1.5, True, [], {}, "", "x" * 3000, "\x00", "２０２６", {"a": "b"}, ["a"]]


@pytest.mark.parametrize("field", ["url", "title", "selection", "found_at", "answers", "lang"])
def test_no_value_of_any_field_gives_a_5xx(client: TestClient, field: str):
    for value in ODD_VALUES:
        response = client.post("/api/v1/assess", json={"answers": {"urgent": "no"}, field: value})
        assert response.status_code < 500, (field, value, response.text)
        if response.status_code != 200:
            error_of(response)
