"""The one layer every HTTP request passes: host check, CORS and gzip when asked for, headers, access log.

One layer instead of five: each ASGI layer parses the headers again and wraps `send` once more, which
cost a fifth of a small answer's time. CORS runs only for requests with an Origin header and gzip
only for clients that accept it; the others get the same headers those layers would have added.
"""

from starlette.datastructures import Headers
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server import accesslog
from server.errors import header_lang, refusal
from server.protocol import BAD_HOST, JsonCORSMiddleware, host_allowed, host_name

# Every response: no inline script, no framing, no referrer leaking the reported page.
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]
NO_STORE = (b"cache-control", b"no-store")
# What CORS adds to an answer for a request without an Origin header: a cache must not hand it to
# a page on another origin, whose answer carries Access-Control-Allow-Origin.
VARY_ORIGIN = (b"vary", b"Origin")
# Pages and JSON over ~500 bytes (a result page is ~15 KB, ~4 KB gzipped). Level 6, zlib's default:
# level 9 costs far more CPU per page for a few bytes less.
GZIP_MINIMUM = 500
GZIP_LEVEL = 6
# What an answer the app gzipped itself says (the gzip layer lets an encoded answer pass as it is).
GZIPPED = {"content-encoding": "gzip", "vary": "Accept-Encoding"}


def accepts_gzip(headers: Headers) -> bool:
    """Whether the client takes gzip, as Starlette's gzip layer decides it."""
    return "gzip" in headers.get("accept-encoding", "")


class Edge:
    """Refuse unknown hosts, run CORS and gzip where they apply, add the headers and log the request."""

    def __init__(self, app: ASGIApp, allowed_hosts: tuple[str, ...], allow_origin_regex: str) -> None:
        self.app = app
        self.allowed_hosts = tuple(host.lower() for host in allowed_hosts)
        gzip = GZipMiddleware(app, minimum_size=GZIP_MINIMUM, compresslevel=GZIP_LEVEL)
        cors = {
            "allow_origin_regex": allow_origin_regex,
            "allow_methods": ["GET", "POST"],
            "allow_headers": ["content-type"],
            "max_age": 600,
        }
        # (Origin sent, gzip accepted) → what answers.
        self.inner: dict[tuple[bool, bool], ASGIApp] = {
            (False, False): app,
            (False, True): gzip,
            (True, False): JsonCORSMiddleware(app, **cors),
            (True, True): JsonCORSMiddleware(gzip, **cors),
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = "origin" in headers
        # Without an Origin header CORS would add only Vary: Origin; it is added here instead, to what a
        # cache may keep (a no-store answer is kept by none, so it needs no Vary).
        vary = [] if origin else [VARY_ORIGIN]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                sent = message.get("headers", [])
                # Redirects and errors echo the query (answers, the reported URL) too: no-store is the
                # default; only what holds nothing personal (static files, the map) says otherwise.
                cached = any(name.lower() == b"cache-control" for name, _ in sent)
                message["headers"] = [*sent, *SECURITY_HEADERS, *(vary if cached else [NO_STORE])]
                accesslog.answered(scope, message["status"])
            await send(message)

        # /healthz says nothing about anyone, and health checks (Docker, the kubelet) send an address.
        if scope["path"] != "/healthz" and not host_allowed(
            host_name(headers.get("host", "")), self.allowed_hosts
        ):
            await refusal(BAD_HOST, header_lang(headers))(scope, receive, send_with_headers)
            return
        inner = self.inner[origin, accepts_gzip(headers)]
        try:
            await inner(scope, receive, send_with_headers)
        except ClientDisconnect:
            # Nobody is left to answer: a dropped upload is an event worth a line, not a server error.
            accesslog.disconnected(scope)
