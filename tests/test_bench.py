"""`make bench` compares like with like: the bare app sends what the product sent, headers and body."""

import gzip
import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from bench.bench import ENDPOINTS, NOT_REPLAYED, Endpoint, capture, fetch
from tests.conftest import running_server

Answer = tuple[list[tuple[str, str]], bytes]
SECURITY_HEADERS = {"content-security-policy", "x-content-type-options", "referrer-policy", "x-frame-options"}


@pytest.fixture(scope="module")
def product() -> Iterator[tuple[Path, dict[str, Answer]]]:
    """The product's answers as the bench captured them, and as it sends them again."""
    with running_server() as (base, _):
        captured = capture(base)
        answers = {endpoint.name: fetch(base, endpoint) for endpoint in ENDPOINTS}
    yield captured, answers
    captured.unlink()


def bare_app(monkeypatch: pytest.MonkeyPatch, captured: Path, mode: str | None) -> Starlette:
    """The bare app as a bench process imports it, with this capture and mode."""
    monkeypatch.setenv("BENCH_CAPTURED", str(captured))
    if mode is None:
        monkeypatch.delenv("BENCH_BARE", raising=False)
    else:
        monkeypatch.setenv("BENCH_BARE", mode)
    monkeypatch.delitem(sys.modules, "bench.bare", raising=False)
    return importlib.import_module("bench.bare").app


def asked(client: TestClient, endpoint: Endpoint) -> tuple[list[tuple[str, str]], object]:
    """What the bare app answers to wrk's request: its headers, and its body to compare."""
    headers = {"accept-encoding": "gzip" if endpoint.gzip else "identity"}
    if endpoint.body is None:
        response = client.get(endpoint.path, headers=headers)
    else:
        # As wrk sends it (bench.wrk_script): the JSON text with its non-ASCII characters as they are.
        content = json.dumps(endpoint.body, ensure_ascii=False).encode()
        response = client.post(endpoint.path, content=content, headers=headers)
    assert response.status_code == 200
    sent = [(name, value) for name, value in response.headers.multi_items() if name not in NOT_REPLAYED]
    # The client has undone the gzip the headers name.
    return sent, compared(endpoint, response.content)


def compared(endpoint: Endpoint, body: bytes) -> object:
    """A plain body as compared: an assessment as JSON (the bare app encodes it anew), others as bytes."""
    return json.loads(body) if endpoint.body else body


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: endpoint.name)
def test_the_bare_app_sends_the_products_headers_and_body(
    monkeypatch: pytest.MonkeyPatch, product: tuple[Path, dict[str, Answer]], endpoint: Endpoint
):
    captured, answers = product
    headers, body = answers[endpoint.name]
    with TestClient(bare_app(monkeypatch, captured, None)) as client:
        bare_headers, bare_body = asked(client, endpoint)
    assert {name for name, _ in headers} >= SECURITY_HEADERS
    # A replayed "Connection: close" would make wrk open a connection per request to the bare app.
    assert "connection" not in dict(headers)
    assert bare_headers == headers
    assert bare_body == compared(endpoint, gzip.decompress(body) if endpoint.gzip else body)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: endpoint.name)
def test_the_body_only_bare_app_sends_the_body_and_what_it_is(
    monkeypatch: pytest.MonkeyPatch, product: tuple[Path, dict[str, Answer]], endpoint: Endpoint
):
    captured, answers = product
    headers, body = answers[endpoint.name]
    with TestClient(bare_app(monkeypatch, captured, "body")) as client:
        bare_headers, bare_body = asked(client, endpoint)
    of_the_body = [("content-type", dict(headers)["content-type"])]
    if endpoint.gzip:
        of_the_body += [("content-encoding", "gzip"), ("vary", "Accept-Encoding")]
    assert sorted(bare_headers) == sorted(of_the_body)
    assert bare_body == compared(endpoint, gzip.decompress(body) if endpoint.gzip else body)
