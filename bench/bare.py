"""The bare Starlette app `make bench` compares the product with: the same response bytes, no work."""

import base64
import json
import os
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

# Written by bench.py from the product's own answers: assess bodies, and for each path {"type", "body"}
# as sent plain and, under "gzip", gzipped (base64).
CAPTURED = json.loads(Path(os.environ["BENCH_CAPTURED"]).read_text(encoding="utf-8"))
GZIPPED = {path: base64.b64decode(sent["body"]) for path, sent in CAPTURED["gzip"].items()}


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def assess(request: Request) -> Response:
    """Read the body and JSON-encode the product's answer anew, as any JSON API must."""
    body = await request.body()
    return JSONResponse(json.loads(CAPTURED["assess"][body.decode()]))


async def same_bytes(request: Request) -> Response:
    """Serve the product's bytes for this path as they are, gzipped ones to a client that takes gzip."""
    path = request.url.path
    # As server.edge decides it (accepts_gzip, GZIPPED), written out: importing the product's edge layer
    # would add its middleware imports to the baseline's start-up.
    if path in GZIPPED and "gzip" in request.headers.get("accept-encoding", ""):
        headers = {"content-encoding": "gzip", "vary": "Accept-Encoding"}
        return Response(GZIPPED[path], media_type=CAPTURED["gzip"][path]["type"], headers=headers)
    captured = CAPTURED["get"][path]
    return Response(captured["body"].encode(), media_type=captured["type"])


app = Starlette(
    routes=[
        Route("/healthz", healthz),
        Route("/api/v1/assess", assess, methods=["POST"]),
        Route("/api/v1/destinations", same_bytes),
        Route("/wizard", same_bytes),
    ]
)
