"""The server process on a real socket: bounded heads, timed-out partial requests, one-line logs."""

import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from server.accesslog import escaped_path
from tests.conftest import running_server

REQUEST_TIMEOUT = 1.0
MAX_HEADER_BYTES = 8192
LIMIT_CONCURRENCY = 50
HOST = b"Host: 127.0.0.1"
HALF_A_HEAD = b"GET /healthz HTTP/1.1\r\n" + HOST + b"\r\n"
HALF_A_BODY = (
    b"POST /api/v1/assess HTTP/1.1\r\n" + HOST + b"\r\nContent-Type: application/json\r\n"
    b'Content-Length: 100\r\n\r\n{"a'
)


@dataclass(frozen=True)
class Server:
    """A running `python -m server` and the file its log goes to."""

    address: tuple[str, int]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def connect(self, timeout: float = 5.0) -> socket.socket:
        return socket.create_connection(self.address, timeout=timeout)

    def exchange(self, request: bytes) -> bytes:
        """Send raw bytes and read until the server closes the connection."""
        with self.connect() as sock:
            sock.sendall(request)
            return read_to_end(sock)

    def wait_for_log(self, predicate: Callable[[str], bool], timeout: float = 10.0) -> str:
        """The log once predicate holds for it; fails after timeout."""
        deadline = time.monotonic() + timeout
        while not predicate(text := self.log()):
            assert time.monotonic() < deadline, f"log never matched; it ends:\n{text[-2000:]}"
            time.sleep(0.05)
        return text


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    log_path = tmp_path_factory.mktemp("server") / "server.log"
    env = {
        "REQUEST_TIMEOUT": str(REQUEST_TIMEOUT),
        "MAX_HEADER_BYTES": str(MAX_HEADER_BYTES),
        "LIMIT_CONCURRENCY": str(LIMIT_CONCURRENCY),
    }
    with running_server(log_path, env) as (base_url, _):
        url = urlsplit(base_url)
        yield Server((url.hostname or "", url.port or 0), log_path)


def read_to_end(sock: socket.socket) -> bytes:
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def status_and_json(response: bytes) -> tuple[int, dict]:
    head, _, body = response.partition(b"\r\n\r\n")
    assert b"content-type: application/json" in head.lower(), head
    return int(head.split(b" ", 2)[1]), json.loads(body)


def get(path: bytes, *headers: bytes) -> bytes:
    return b"\r\n".join([b"GET " + path + b" HTTP/1.1", HOST, *headers, b"Connection: close", b"", b""])


def test_an_oversized_header_is_refused_at_once_with_a_json_431(server: Server):
    started = time.monotonic()
    response = server.exchange(get(b"/healthz", b"X-Big: " + b"a" * 2 * MAX_HEADER_BYTES))
    status, body = status_and_json(response)
    assert (status, body["error"]["code"]) == (431, "headers-too-large")
    assert time.monotonic() - started < REQUEST_TIMEOUT


def test_a_100_mb_header_is_cut_off_and_others_are_still_answered(server: Server):
    sent = 0

    def send_huge_header() -> None:
        nonlocal sent
        chunk = b"a" * (1 << 20)
        with server.connect(timeout=10) as sock:
            sock.sendall(HALF_A_HEAD + b"X-Big: ")
            try:
                for _ in range(100):
                    sock.sendall(chunk)
                    sent += len(chunk)
            except OSError:
                pass  # the server closed the connection: what we want

    sender = threading.Thread(target=send_huge_header)
    sender.start()
    sender.join(timeout=30)
    assert not sender.is_alive()
    assert sent < 100 * (1 << 20)
    assert b" 200 " in server.exchange(get(b"/healthz"))


@pytest.mark.parametrize(
    "partial",
    [b"", HALF_A_HEAD, HALF_A_BODY],
    ids=["nothing", "half-a-head", "half-a-body"],
)
def test_a_partial_request_is_closed_within_the_timeout(server: Server, partial: bytes):
    with server.connect(timeout=REQUEST_TIMEOUT + 4) as sock:
        sock.sendall(partial)
        started = time.monotonic()
        assert sock.recv(1024) == b""
        assert time.monotonic() - started < REQUEST_TIMEOUT + 2


def test_a_partial_request_after_an_answer_is_closed_within_the_timeout(server: Server):
    with server.connect(timeout=REQUEST_TIMEOUT + 4) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\n" + HOST + b"\r\n\r\n")
        answer = b""
        while b'"ok"' not in answer:
            answer += sock.recv(65536)
        # uvicorn's keep-alive timer stops at the first byte of the next request: ours does not.
        sock.sendall(HALF_A_HEAD)
        started = time.monotonic()
        assert sock.recv(1024) == b""
        assert time.monotonic() - started < REQUEST_TIMEOUT + 2


def test_a_request_trickled_byte_by_byte_is_closed_within_the_timeout(server: Server):
    request = get(b"/healthz")
    with server.connect() as sock:
        # Pace one byte per 0.2 s, reading in between, until the server closes (a slow-loris client).
        sock.settimeout(0.2)
        started = time.monotonic()
        closed = False
        for byte in request:
            sock.sendall(bytes([byte]))
            try:
                if sock.recv(1024) == b"":
                    closed = True
                    break
            except TimeoutError:
                pass
        assert closed
        assert time.monotonic() - started < REQUEST_TIMEOUT + 2


def test_dropped_partial_requests_log_one_short_line_each(server: Server):
    count = 20
    before = len(server.log().splitlines())
    for _ in range(count):
        for partial in (HALF_A_HEAD, HALF_A_BODY):
            with server.connect() as sock:
                sock.sendall(partial)
    log = server.wait_for_log(lambda text: text.count("POST /api/v1/assess disconnected") >= count)
    new_lines = log.splitlines()[before:]
    assert "Traceback" not in log
    assert len(new_lines) <= 2 * count
    assert all(len(line) < 200 for line in new_lines)


def test_the_access_log_escapes_the_path_and_omits_the_query(server: Server):
    server.exchange(get(b"/x%0A2026-01-01%20tsuho_navi%20GET%20/forged%0D?url=https://secret.example/"))
    log = server.wait_for_log(lambda text: "GET /x%0A2026-01-01%20tsuho_navi%20GET%20/forged%0D 404" in text)
    assert not any(line.startswith("2026-01-01 tsuho_navi") for line in log.splitlines())
    assert "secret.example" not in log


@pytest.mark.parametrize(
    ("request_bytes", "status", "code"),
    [
        (get(b"/healthz").replace(b"GET", b"G@T", 1), 400, "bad-request"),
        (get(b"/" + b"a" * 2 * MAX_HEADER_BYTES), 431, "headers-too-large"),
        (get(b"/healthz").replace(b"GET", b"BREW", 1), 405, "method-not-allowed"),
    ],
    ids=["bad-method-token", "over-long-request-line", "unknown-method"],
)
def test_bad_request_lines_get_json_errors(server: Server, request_bytes: bytes, status: int, code: str):
    got, body = status_and_json(server.exchange(request_bytes))
    assert (got, body["error"]["code"]) == (status, code)
    assert body["error"]["message"]


def test_connections_over_the_limit_get_503(server: Server):
    idle = [server.connect() for _ in range(LIMIT_CONCURRENCY)]
    try:
        assert re.match(rb"HTTP/1.1 503 ", server.exchange(get(b"/healthz")))
    finally:
        for sock in idle:
            sock.close()
    # The next tests need the server to have seen those connections go.
    deadline = time.monotonic() + 10
    while not server.exchange(get(b"/healthz")).startswith(b"HTTP/1.1 200 "):
        assert time.monotonic() < deadline


def test_a_websocket_upgrade_is_answered_as_http_and_its_query_not_logged(server: Server):
    upgrade = (
        b"Upgrade: websocket",
        b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        b"Sec-WebSocket-Version: 13",
    )
    request = get(b"/healthz?url=https://upgrade-secret.example/", *upgrade).replace(
        b"Connection: close", b"Connection: upgrade, close"
    )
    assert server.exchange(request).startswith(b"HTTP/1.1 200 ")
    log = server.wait_for_log(lambda text: text.count("GET /healthz 200") >= 1)
    assert "upgrade-secret.example" not in log
    assert "upgrade" not in log.lower()  # nor uvicorn's two warnings about it


@pytest.mark.parametrize(
    ("scope", "logged"),
    [
        ({"path": "/x\nfake", "raw_path": b"/x%0Afake"}, "/x%0Afake"),
        # Without raw_path (another ASGI server) the decoded path is encoded again.
        ({"path": "/x\nfake\x1b[2J/日本"}, "/x%0Afake%1B[2J/%E6%97%A5%E6%9C%AC"),
    ],
)
def test_escaped_path_keeps_one_line_of_visible_ascii(scope: dict, logged: str):
    assert escaped_path(scope) == logged
