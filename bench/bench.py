"""`make bench`: the product beside a bare Starlette app serving the same bytes, driven by wrk.

Each endpoint is run against the product, the bare app and the bare app sending only the body (the
earlier baseline, without the product's security and cache headers) in turn, ROUNDS times, and the
median of the per-round ratios is printed: a shared, noisy machine slows every side of a round alike,
so the ratio holds where absolute numbers do not. Traffic stays on loopback.
"""

import base64
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from tests.answers import DEFAMED_DELETE_MYSELF
from tests.conftest import running_server

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "4"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "64"))
TICKS = os.sysconf("SC_CLK_TCK")
# Asked every 0.1 s, a ~0.2 s start would be rounded up to the next tenth.
START_POLL = 0.005

COMPLETE = {
    "url": "https://x.com/someone/status/1",
    "title": "ひどい投稿",
    "answers": DEFAMED_DELETE_MYSELF,
    "lang": "ja",
}
PARTIAL = {**COMPLETE, "answers": {"urgent": "no", "reporter": "self", "situation": "victim"}}
# With its time of finding, as every result link carries it: without one the wizard answers with a redirect.
FOUND_AT = "2026-11-29T20:15:00+09:00"
RESULT_PAGE = "/wizard?" + urlencode({**COMPLETE["answers"], "url": COMPLETE["url"], "found_at": FOUND_AT})


@dataclass(frozen=True)
class Endpoint:
    """One thing to measure: a GET path, or a POST of a JSON body."""

    name: str
    path: str
    body: dict | None = None
    target: str = ""
    gzip: bool = False


ENDPOINTS = [
    Endpoint("assess (complete)", "/api/v1/assess", COMPLETE, "≥ 0.8×"),
    Endpoint("assess (partial)", "/api/v1/assess", PARTIAL, "≥ 0.8×"),
    Endpoint("destinations", "/api/v1/destinations", None, "≥ 0.9×"),
    Endpoint("result page", RESULT_PAGE, None, "≥ 0.5×"),
    # As browsers ask for it: both apps send the product's gzipped bytes (the bare app has them ready).
    Endpoint("result page, gzip", RESULT_PAGE, None, "≥ 0.5×", gzip=True),
]


@dataclass(frozen=True)
class Run:
    """What one wrk run measured."""

    rps: float
    p50_ms: float
    p99_ms: float
    cpu_us: float


def command(kind: str) -> list[str]:
    """The product as `make run` starts it, or the bare app through the very same uvicorn set-up."""
    if kind == "product":
        return [sys.executable, "-m", "server"]
    return [sys.executable, "-m", "bench.serve_bare"]


@contextmanager
def server(
    kind: str, workers: int = 1, env: dict | None = None, poll: float = 0.1
) -> Iterator[tuple[str, int]]:
    """Start one server on a free port and yield its base URL and process id."""
    environ = {**(env or {}), "WORKERS": str(workers)}
    with running_server(env=environ, command=command(kind), poll=poll) as (base, process):
        yield base, process.pid


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and all its descendants (uvicorn's workers)."""
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / TICKS
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def wrk_script(endpoint: Endpoint) -> str:
    script = 'wrk.headers["Accept-Encoding"] = "gzip"\n' if endpoint.gzip else ""
    if endpoint.body is None:
        return script
    encoded = json.dumps(json.dumps(endpoint.body, ensure_ascii=False), ensure_ascii=False)
    return (
        script
        + f'wrk.method = "POST"\nwrk.body = {encoded}\nwrk.headers["Content-Type"] = "application/json"\n'
    )


def milliseconds(text: str) -> float:
    """A wrk duration ("812.00us", "1.20ms", "2.01s", "1.00m") in milliseconds."""
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if found is None:
        raise SystemExit(f"wrk printed a duration this cannot read: {text!r}")
    value, unit = found.groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}[unit]


def drive(base: str, pid: int, endpoint: Endpoint) -> Run:
    """One wrk run against one server; fails on any non-2xx answer."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(wrk_script(endpoint))
    before = tree_cpu_seconds(pid)
    output = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{CONNECTIONS}",
            f"-d{SECONDS}s",
            "--latency",
            "-s",
            script.name,
            base + endpoint.path,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    cpu = tree_cpu_seconds(pid) - before
    os.unlink(script.name)
    if "Non-2xx" in output or "Socket errors" in output:
        raise SystemExit(f"{endpoint.name} at {base}: errors\n{output}")
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    return Run(
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50_ms=milliseconds(re.search(r"^\s*50%\s+(\S+)", output, re.M).group(1)),
        p99_ms=milliseconds(re.search(r"^\s*99%\s+(\S+)", output, re.M).group(1)),
        cpu_us=cpu / requests * 1e6,
    )


# What the server writes itself (urllib's requests ask for Connection: close; wrk's keep the connection)
# and the length Starlette computes: the bare app's own.
NOT_REPLAYED = {"date", "server", "connection", "content-length"}


def fetch(base: str, endpoint: Endpoint) -> tuple[list[tuple[str, str]], bytes]:
    """The product's answer for an endpoint: its headers (those the bare app sends too) and its body as
    sent, gzipped if asked for."""
    data = json.dumps(endpoint.body).encode() if endpoint.body else None
    headers = {"Content-Type": "application/json", "Accept-Encoding": "gzip" if endpoint.gzip else "identity"}
    request = urllib.request.Request(base + endpoint.path, data=data, headers=headers)
    with urllib.request.urlopen(request) as response:
        if endpoint.gzip and response.headers["content-encoding"] != "gzip":
            raise SystemExit(f"{endpoint.name}: the product did not gzip its answer")
        sent = [(name.lower(), value) for name, value in response.getheaders()]
        return [(name, value) for name, value in sent if name not in NOT_REPLAYED], response.read()


def capture(base: str) -> Path:
    """Record the product's answers, headers and bodies, for the bare app to send."""
    captured: dict = {"assess": {}, "get": {}, "gzip": {}}
    for endpoint in ENDPOINTS:
        headers, body = fetch(base, endpoint)
        path = endpoint.path.split("?")[0]
        if endpoint.body:
            captured["assess"][json.dumps(endpoint.body, ensure_ascii=False)] = {
                "headers": headers,
                "body": body.decode(),
            }
        elif endpoint.gzip:
            captured["gzip"][path] = {"headers": headers, "body": base64.b64encode(body).decode()}
        else:
            captured["get"][path] = {"headers": headers, "body": body.decode()}
    path = Path(tempfile.mkstemp(suffix=".json")[1])
    path.write_text(json.dumps(captured, ensure_ascii=False), encoding="utf-8")
    return path


def cold_start(kind: str, env: dict) -> float:
    """Seconds from starting the process to its first answer on /healthz, asked every START_POLL s."""
    started = time.monotonic()
    with server(kind, env=env, poll=START_POLL):
        return time.monotonic() - started


def first_request_ms(env: dict) -> tuple[float, float]:
    """The first and the median of the next 20 complete assessments after start-up, in ms."""
    endpoint = ENDPOINTS[0]
    with server("product", env=env) as (base, _):
        times = []
        for _ in range(21):
            started = time.perf_counter()
            fetch(base, endpoint)
            times.append((time.perf_counter() - started) * 1000)
    return times[0], statistics.median(times[1:])


def ratio_row(name: str, target: str, rounds: list[tuple[Run, Run, Run]]) -> str:
    """One table row from rounds of (product, bare app, bare app sending the body only)."""

    def ratio(key: str, side: int) -> float:
        return statistics.median(getattr(r[0], key) / getattr(r[side], key) for r in rounds)

    def med(key: str, side: int) -> float:
        return statistics.median(getattr(r[side], key) for r in rounds)

    return (
        f"| {name} | **{ratio('rps', 1):.2f}×** ({target}) | {ratio('rps', 2):.2f}× "
        f"| {med('rps', 0):,.0f} / {med('rps', 1):,.0f} / {med('rps', 2):,.0f} "
        f"| {med('p50_ms', 0):.1f} / {med('p50_ms', 1):.1f} "
        f"| {med('p99_ms', 0):.1f} / {med('p99_ms', 1):.1f} ({ratio('p99_ms', 1):.2f}×) "
        f"| {med('cpu_us', 0):,.0f} / {med('cpu_us', 1):,.0f} / {med('cpu_us', 2):,.0f} |"
    )


def main() -> None:
    """Measure and print a Markdown table for the README."""
    print(
        f"# make bench — {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, wrk -c{CONNECTIONS} "
        f"-d{SECONDS}s, {ROUNDS} interleaved rounds, medians of per-round ratios\n"
    )
    with server("product") as (base, _):
        captured = capture(base)
    env = {"BENCH_CAPTURED": str(captured)}
    print(
        "| endpoint | product / bare (target) | product / body-only bare "
        "| req/s (product / bare / body-only) | p50 ms | p99 ms (ratio, target ≤ 2×) "
        "| CPU µs/req (product / bare / body-only) |"
    )
    print("|---|---|---|---|---|---|---|")
    with (
        server("product", env=env) as product,
        server("bare", env=env) as bare,
        server("bare", env={**env, "BENCH_BARE": "body"}) as body_only,
    ):
        for endpoint in ENDPOINTS:
            rounds = [
                (drive(*product, endpoint), drive(*bare, endpoint), drive(*body_only, endpoint))
                for _ in range(ROUNDS)
            ]
            print(ratio_row(endpoint.name, endpoint.target, rounds), flush=True)

    starts = [(cold_start("product", env), cold_start("bare", env)) for _ in range(ROUNDS)]
    ratio = statistics.median(p / b for p, b in starts)
    product_ms = statistics.median(p for p, _ in starts) * 1000
    bare_ms = statistics.median(b for _, b in starts) * 1000
    print(f"\ncold start to /healthz: **{ratio:.2f}×** (target ≤ 1.3×), {product_ms:.0f} / {bare_ms:.0f} ms")
    first, rest = first_request_ms(env)
    print(f"first complete assess after start: {first:.1f} ms; the next 20: median {rest:.1f} ms")

    endpoint = ENDPOINTS[0]
    with server("product", workers=1, env=env) as one, server("product", workers=2, env=env) as two:
        pairs = [(drive(*two, endpoint), drive(*one, endpoint)) for _ in range(ROUNDS)]
    scale = statistics.median(t.rps / o.rps for t, o in pairs)
    two_rps = statistics.median(t.rps for t, _ in pairs)
    one_rps = statistics.median(o.rps for _, o in pairs)
    print(
        f"workers: 2 vs 1 on {endpoint.name}: **{scale:.2f}×** the throughput "
        f"({two_rps:,.0f} vs {one_rps:,.0f} req/s; wrk shares the same 2 cores)"
    )
    captured.unlink()


if __name__ == "__main__":
    main()
