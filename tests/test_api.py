"""The public API (domain README §6): shapes, status codes and errors a person can act on."""

import json
import logging
import socket
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
from starlette.testclient import TestClient

from server.api import parse_json
from server.app import create_app
from server.openapi import OPENAPI
from server.settings import Settings, from_environment
from tests.answers import DEFAMED_DELETE_MYSELF, SCAM_PAID, SEXTORTION_CHILD

ROOT = Path(__file__).resolve().parent.parent
COMPLETE = DEFAMED_DELETE_MYSELF


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
    # X's only verified page is for impersonation: a defamation case gets the top page and generic route.
    assert (operator["url"], operator["links"]) == ("https://x.com/", [])
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
    assert "大人" in result["notices"][0]["text"]
    assert result["evidence"]["screenshot"] == "forbidden"
    assert "スクショ" in result["evidence"]["reason"]
    assert [w["id"] for w in result["warnings"]] == ["csam-do-not-save"]


def test_destinations_lists_every_fact_with_its_source(client: TestClient):
    response = client.get("/api/v1/destinations?lang=en")
    assert response.status_code == 200
    jsonschema.validate(response.json(), response_schema("/api/v1/destinations", "get"))
    by_id = {d["id"]: d for d in response.json()["destinations"]}
    assert len(by_id) == 20
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
    ("date without time", b'{"answers": {}, "found_at": "2026-11-29"}', 400, "invalid-found_at"),
    ("no answers", b'{"lang": "en"}', 400, "invalid-answers"),
    ("javascript URL", b'{"answers": {}, "url": "javascript:alert(1)"}', 400, "url-scheme"),
    ("file URL", b'{"answers": {}, "url": "file:///etc/passwd"}', 400, "url-scheme"),
    ("localhost", b'{"answers": {}, "url": "http://localhost:8000/"}', 400, "url-local"),
    ("private IP", b'{"answers": {}, "url": "http://192.168.0.1/"}', 400, "url-local"),
    ("link-local", b'{"answers": {}, "url": "http://169.254.169.254/"}', 400, "url-local"),
    ("NUL", b'{"answers": {}, "url": "https://x.com/\\u0000a"}', 400, "url-control-chars"),
    (
        "too long",
        json.dumps({"answers": {}, "url": "https://x.com/" + "a" * 2040}).encode(),
        400,
        "url-too-long",
    ),
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

    response = client.post("/api/v1/assess", content=chunks(), headers={"content-type": "application/json"})
    assert error_of(response) == (413, "body-too-large")


def test_errors_speak_english_when_asked(client: TestClient):
    response = client.post(
        "/api/v1/assess?lang=en", content=b"{", headers={"content-type": "application/json"}
    )
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
    with TestClient(create_app(settings), base_url="http://localhost") as client:
        response = client.get("/healthz", headers={"origin": "https://helper.example"})
        assert response.headers["access-control-allow-origin"] == "https://helper.example"


@pytest.mark.parametrize("origin", [None, "chrome-extension://abcdefghijklmnopabcdefghijklmnop"])
@pytest.mark.parametrize("encoding", ["identity", "gzip"])
def test_the_map_says_what_it_varies_on_with_or_without_origin_and_gzip(
    client: TestClient, origin: str | None, encoding: str
):
    headers = {"accept-encoding": encoding, **({"origin": origin} if origin else {})}
    response = client.get("/api/v1/destinations", headers=headers)
    # The map may be cached: a cache must keep the answers for other origins and encodings apart.
    vary = {value.strip().lower() for value in ",".join(response.headers.get_list("vary")).split(",")}
    assert "origin" in vary
    assert response.headers.get("access-control-allow-origin") == origin
    assert response.headers.get("content-encoding") == ("gzip" if encoding == "gzip" else None)
    assert ("accept-encoding" in vary) is (encoding == "gzip")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.json()["destinations"]


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


def post_raw(client: TestClient, body: bytes, content_type: str | None = "application/json"):
    headers = {"content-type": content_type} if content_type else {}
    return client.post("/api/v1/assess", content=body, headers=headers)


# Each of these gave a 500 before: a datetime that overflows when shown in UTC or Japan time, the
# JSON parser's RecursionError, and a lone surrogate that cannot be written back as UTF-8.
CRAFTED = [
    ("year 1 east of UTC", {"answers": {}, "found_at": "0001-01-01T00:00:00+14:00"}, "invalid-found_at"),
    ("year 9999 west of UTC", {"answers": {}, "found_at": "9999-12-31T23:59:59-14:00"}, "invalid-found_at"),
    ("surrogate in an answer", {"answers": {"urgent": "\ud800"}}, "invalid-answers"),
    ("surrogate in a question id", {"answers": {"\ud800": "no"}}, "invalid-answers"),
    ("surrogate in the URL", {"answers": COMPLETE, "url": "https://x.com/\ud800"}, "url-invalid"),
]


@pytest.mark.parametrize(("body", "code"), [c[1:] for c in CRAFTED], ids=[c[0] for c in CRAFTED])
def test_crafted_input_gets_a_4xx_not_a_500(client: TestClient, body: dict, code: str):
    # json.dumps writes a lone surrogate as the escape "\ud800", as a crafted request would.
    assert error_of(post_raw(client, json.dumps(body).encode())) == (400, code)


@pytest.mark.parametrize(
    ("depth", "code"), [(1000, "invalid-title"), (1100, "invalid-json"), (20000, "invalid-json")]
)
def test_deeply_nested_json_gets_a_4xx(client: TestClient, depth: int, code: str):
    # orjson reads up to 1,024 levels (a title that is no string); deeper is not read as JSON at all.
    body = b'{"answers": {}, "title": ' + b"[" * depth + b"]" * depth + b"}"
    assert error_of(post_raw(client, body)) == (400, code)


@pytest.mark.parametrize("field", ["title", "selection"])
def test_a_broken_character_in_a_title_is_shown_as_a_replacement(client: TestClient, field: str):
    # A page title can hold one; the person cannot fix it, so it is not a reason to refuse.
    body = {"answers": COMPLETE, "url": "https://x.com/a/status/1", field: "ab\ud800c"}
    response = post_raw(client, json.dumps(body).encode())
    assert response.status_code == 200, response.text
    assert "ab\ufffdc" in response.json()["checklist"]["text_ja"]


@pytest.mark.parametrize(
    ("content_type", "status"),
    [
        ("application/json", 200),
        ("application/json; charset=utf-8", 200),
        ("Application/JSON", 200),
        (None, 415),
        ("text/plain", 415),
        ("application/x-www-form-urlencoded", 415),
        ("multipart/form-data; boundary=x", 415),
        ("application/merge-patch+json", 415),
        ("application/jsonx", 415),
    ],
)
def test_only_json_is_read(client: TestClient, content_type: str | None, status: int):
    response = post_raw(client, b'{"answers": {}}', content_type)
    assert response.status_code == status
    if status == 415:
        assert error_of(response) == (415, "unsupported-media-type")


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("post", "/api/v1/assess", 200),
        ("post", "/api/v1/assess", 400),
        ("post", "/api/v1/assess", 413),
        ("post", "/api/v1/assess", 415),
        ("get", "/api/v1/assess", 405),
        ("get", "/api/v1/nothing", 404),
    ],
)
def test_api_responses_are_kept_out_of_caches(client: TestClient, method: str, path: str, status: int):
    body = {200: b'{"answers": {}}', 400: b"{", 413: b"[" + b" " * 70000 + b"]", 415: b"{}"}.get(status, b"")
    content_type = "text/plain" if status == 415 else "application/json"
    response = client.request(method, path, content=body, headers={"content-type": content_type})
    assert response.status_code == status
    assert response.headers["cache-control"] == "no-store"


def test_a_405_says_which_methods_are_allowed(client: TestClient):
    response = client.get("/api/v1/assess")
    assert error_of(response) == (405, "method-not-allowed")
    assert response.headers["allow"] == "POST"
    assert set(client.post("/healthz").headers["allow"].split(", ")) == {"GET", "HEAD"}


def test_a_refused_preflight_is_a_json_error(client: TestClient):
    response = client.options(
        "/api/v1/assess",
        headers={
            "origin": "https://evil.example",
            "access-control-request-method": "POST",
            "accept-language": "en",
        },
    )
    assert error_of(response) == (403, "cors-refused")
    assert response.json()["error"]["message"].startswith("The API cannot be called")
    assert "access-control-allow-origin" not in response.headers


@pytest.mark.parametrize(
    "host",
    ["evil.example", "evil.example:8000", "localhost.evil.example", "127.0.0.1.evil.example", "[::2]", ""],
)
def test_an_unknown_host_header_is_refused(client: TestClient, host: str):
    for path in ("/", "/wizard", "/api/v1/assess", "/wizard/"):
        response = client.get(
            path, headers={"host": host, "x-forwarded-proto": "https"}, follow_redirects=False
        )
        assert error_of(response) == (400, "invalid-host")
        assert "location" not in response.headers


@pytest.mark.parametrize("host", ["localhost", "localhost:8000", "127.0.0.1:8000", "[::1]:8000", "LOCALHOST"])
def test_local_host_names_are_served_by_default(client: TestClient, host: str):
    assert client.get("/healthz", headers={"host": host}).status_code == 200


def test_allowed_hosts_are_configurable(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "tsuho.example.jp,*.tsuho.example.jp")
    settings = from_environment(env_file=None)
    assert settings.allowed_hosts == ("tsuho.example.jp", "*.tsuho.example.jp")
    with TestClient(create_app(settings), base_url="https://tsuho.example.jp") as client:
        assert client.get("/api/v1/destinations").status_code == 200
        assert client.get("/api/v1/destinations", headers={"host": "www.tsuho.example.jp"}).status_code == 200
        assert client.get("/api/v1/destinations", headers={"host": "localhost"}).status_code == 400
        assert client.get("/api/v1/destinations", headers={"host": "eviltsuho.example.jp"}).status_code == 400
        # Health checks send the container's address as Host; /healthz holds nothing to protect.
        assert client.get("/healthz", headers={"host": "10.1.2.3:8000"}).status_code == 200


def test_redirects_are_relative_and_a_trailing_slash_is_not_followed(client: TestClient):
    headers = {"x-forwarded-proto": "https", "accept": "text/html"}
    redirect = client.get("/wizard", headers=headers, follow_redirects=False)
    assert redirect.status_code == 303 and redirect.headers["location"].startswith("/wizard?")
    # Starlette answered "/wizard/" with "Location: http://<Host header>/wizard".
    for path in ("/wizard/", "/%2F%2Fevil.example/", "/destinations/"):
        response = client.get(path, headers=headers, follow_redirects=False)
        assert response.status_code == 404 and "location" not in response.headers


# Bodies on both sides of the request schema: the server takes exactly those the schema allows.
AGREEMENT = [
    {"answers": {}},
    {"answers": {}, "url": None, "title": None, "selection": None, "found_at": None},
    {"answers": {"urgent": "no"}, "lang": "en", "title": "", "selection": ""},
    {"answers": {}, "found_at": "2026-11-29T20:15"},
    {"answers": {}, "found_at": "2026-11-29T20:15:00.123Z"},
    {"answers": {}, "url": " https://x.com/a "},
    {"answers": {}, "extra": "ignored"},
    {"answers": {}, "markup": "ruby"},
    {"answers": {}, "markup": "html"},
    {},
    {"answers": None},
    {"answers": {}, "lang": None},
    {"answers": {}, "found_at": "2026-11-29"},
    {"answers": {}, "found_at": "20261129T201500"},
    {"answers": {}, "found_at": "2026-11-29 20:15:00"},
    {"answers": {}, "url": ""},
    {"answers": {}, "url": "x.com/a"},
    {"answers": {}, "url": "ftp://x.com/a"},
    {"answers": {}, "url": "https://x.com/" + "a" * 2034 + "  "},
    {"answers": {}, "title": 5},
    {"answers": {"urgent": "maybe"}},
]


@pytest.mark.parametrize("body", AGREEMENT, ids=[json.dumps(b)[:60] for b in AGREEMENT])
def test_the_request_schema_and_the_server_agree(client: TestClient, body: dict):
    request_schema = OPENAPI["paths"]["/api/v1/assess"]["post"]["requestBody"]["content"]["application/json"]
    valid = jsonschema.Draft202012Validator(request_schema["schema"]).is_valid(body)
    response = client.post("/api/v1/assess", json=body)
    assert (response.status_code == 200) is valid, response.text


def closed(schema: object) -> object:
    """The schema with every object closed (additionalProperties false), to catch undescribed fields."""
    if isinstance(schema, list):
        return [closed(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    copy = {key: closed(value) for key, value in schema.items()}
    if "properties" in copy:
        copy.setdefault("additionalProperties", False)
    return copy


@pytest.mark.parametrize(
    "body",
    [
        {"answers": SCAM_PAID, "url": "https://x.com/a/status/1"},
        {"answers": SEXTORTION_CHILD, "markup": "ruby"},
        {"answers": {"urgent": "no", "reporter": "parent", "situation": "worried"}},
        {"answers": COMPLETE, "lang": "en", "url": "https://www.youtube.com/watch?v=1"},
    ],
)
def test_the_schema_describes_every_field_the_server_sends(client: TestClient, body: dict):
    paths = client.get("/openapi.json").json()["paths"]
    for path, method, response in [
        ("/api/v1/assess", "post", client.post("/api/v1/assess", json=body)),
        (
            "/api/v1/destinations",
            "get",
            client.get("/api/v1/destinations", params={"lang": body.get("lang", "ja")}),
        ),
    ]:
        schema = paths[path][method]["responses"]["200"]["content"]["application/json"]["schema"]
        jsonschema.validate(response.json(), closed(schema))


def test_the_new_fields_are_required_and_exact():
    response = response_schema("/api/v1/assess", "post")
    destination = response["properties"]["destinations"]["items"]
    phone = destination["properties"]["phones"]["items"]
    platform = response["properties"]["site"]["oneOf"][1]["properties"]["platform"]["oneOf"][1]
    assert {"cost", "cost_label", "hours"} <= set(phone["required"])
    assert phone["properties"]["cost"] == {**phone["properties"]["cost"], "enum": ["free", "charged"]}
    assert {"languages", "next"} <= set(destination["required"])
    assert {"designated", "designated_services", "designation"} <= set(platform["required"])
    assert {"guide", "notices", "audience"} <= set(response["required"])
    assert "invalid-markup" in json.dumps(OPENAPI["paths"]["/api/v1/assess"]["post"]["responses"]["400"])
    request = OPENAPI["paths"]["/api/v1/assess"]["post"]["requestBody"]["content"]["application/json"][
        "schema"
    ]
    assert request["properties"]["markup"]["enum"] == ["ruby", None]


@pytest.mark.parametrize(
    "body",
    [
        b'{"answers": {}, "title": "\\ud800 broken"}',
        b'{"answers": {}, "n": NaN, "m": 1e400, "k": 123456789012345678901234567890}',
        b'{"answers": {"urgent": "no"}, "answers": {}}',
        b"[" * 1100 + b"]" * 1100,
        b'{"answers": {}',
        b"\xff\xfe",
        b"",
    ],
)
def test_bodies_orjson_refuses_are_read_as_the_standard_library_reads_them(body: bytes):
    try:
        expected: object = json.loads(body)
    except (ValueError, RecursionError) as error:
        expected = type(error)
    try:
        got: object = parse_json(body)
    except (ValueError, RecursionError) as error:
        got = type(error)
    assert repr(got) == repr(expected)
