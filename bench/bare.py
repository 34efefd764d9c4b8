"""The bare Starlette app `make bench` compares the product with: the same response bytes, no work."""

import json
import os
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

# Written by bench.py from the product's own answers: {path: {"status", "type", "body"}}.
CAPTURED = json.loads(Path(os.environ["BENCH_CAPTURED"]).read_text(encoding="utf-8"))


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def assess(request: Request) -> Response:
    """Read the body and JSON-encode the product's answer anew, as any JSON API must."""
    body = await request.body()
    return JSONResponse(json.loads(CAPTURED["assess"][body.decode()]))


async def same_bytes(request: Request) -> Response:
    """Serve the product's bytes for this path as they are."""
    captured = CAPTURED["get"][request.url.path]
    return Response(captured["body"].encode(), media_type=captured["type"])


app = Starlette(
    routes=[
        Route("/healthz", healthz),
        Route("/api/v1/assess", assess, methods=["POST"]),
        Route("/api/v1/destinations", same_bytes),
        Route("/wizard", same_bytes),
    ]
)
