"""The bare Starlette app `make bench` compares the product with: the same response bytes, no work.

It sends the product's answers as they were captured, headers and body. With BENCH_BARE=body it sends
the body with only the headers that say what the body is (type, encoding), as earlier benches did.
"""

import base64
import json
import os
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

# Written by bench.py from the product's own answers: for each assess body and each path, the headers
# and the body as sent plain and, under "gzip", gzipped (base64).
CAPTURED = json.loads(Path(os.environ["BENCH_CAPTURED"]).read_text(encoding="utf-8"))
BODY_ONLY = os.environ.get("BENCH_BARE") == "body"

Headers = list[tuple[bytes, bytes]]


def of_the_body(name: str, value: str) -> bool:
    """Whether a header describes the body itself, and stays when only the body is sent."""
    return name in ("content-type", "content-encoding") or (name, value) == ("vary", "Accept-Encoding")


def sent_headers(captured: dict) -> Headers:
    """The product's headers for one answer, as this app sends them."""
    return [
        (name.encode("latin-1"), value.encode("latin-1"))
        for name, value in captured["headers"]
        if not BODY_ONLY or of_the_body(name, value)
    ]


def replaying(response: Response, headers: Headers) -> Response:
    """The response with the product's headers but its own length."""
    response.raw_headers = [pair for pair in response.raw_headers if pair[0] == b"content-length"] + headers
    return response


ASSESS = {body: (json.loads(sent["body"]), sent_headers(sent)) for body, sent in CAPTURED["assess"].items()}
GET = {path: (sent["body"], sent_headers(sent)) for path, sent in CAPTURED["get"].items()}
GZIPPED = {
    path: (base64.b64decode(sent["body"]), sent_headers(sent)) for path, sent in CAPTURED["gzip"].items()
}


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def assess(request: Request) -> Response:
    """Read the body and JSON-encode the product's answer anew, as any JSON API must."""
    body = await request.body()
    content, headers = ASSESS[body.decode()]
    return replaying(JSONResponse(content), headers)


async def same_bytes(request: Request) -> Response:
    """Serve the product's bytes for this path as they are, gzipped ones to a client that takes gzip."""
    path = request.url.path
    # As server.edge decides it (accepts_gzip), written out: importing the product's edge layer would add
    # its middleware imports to the baseline's start-up.
    if path in GZIPPED and "gzip" in request.headers.get("accept-encoding", ""):
        return replaying(Response(GZIPPED[path][0]), GZIPPED[path][1])
    text, headers = GET[path]
    return replaying(Response(text.encode()), headers)


app = Starlette(
    routes=[
        Route("/healthz", healthz),
        Route("/api/v1/assess", assess, methods=["POST"]),
        Route("/api/v1/destinations", same_bytes),
        Route("/wizard", same_bytes),
    ]
)
