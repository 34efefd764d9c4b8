"""The application factory: the route list, middleware and start-up in one place."""

import contextlib
import datetime as dt
import re
import threading
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.routing import Mount, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server import api, catalog, wizard
from server.accesslog import AccessLog
from server.assets import STATIC, VERSIONS, VersionedStatic
from server.errors import ApiError, api_error, http_error, server_error
from server.memo import Memo
from server.pages import templates
from server.present import Known
from server.protocol import AllowedHosts, JsonCORSMiddleware
from server.settings import Settings, from_environment
from server.urls import analyse, make_extractor

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
# The wizard's pages, compiled at start-up; the print, share and other pages compile on first use.
WARM_TEMPLATES = ("_macros.html", "start.html", "question.html", "result.html")
WARM_URL = "https://example.com/"


class SecurityHeaders:
    """Add the security headers to every response, and keep it out of caches unless it says otherwise."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                # Redirects and errors echo the query (answers, the reported URL) too: no-store is the
                # default; only what holds nothing personal (static files, the map) says otherwise.
                cached = any(name.lower() == b"cache-control" for name, _ in headers)
                message["headers"] = [*headers, *SECURITY_HEADERS, *([] if cached else [NO_STORE])]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def origin_pattern(origins: tuple[str, ...]) -> str:
    """One regex for the allowed origins; `*` matches an extension id or host label."""
    return "|".join(re.escape(o).replace(r"\*", "[A-Za-z0-9._-]+") for o in origins)


def compile_templates() -> None:
    """Compile the wizard's templates; Jinja keeps them. The other pages compile on first use."""
    for name in WARM_TEMPLATES:
        templates.env.get_template(name)


def warm_up(app: Starlette) -> None:
    """Do at start-up what would otherwise slow the first requests: the suffix list, templates, engine."""
    # Compiling the wizard's templates (~80 ms) need not hold up readiness: a thread does it meanwhile.
    app.state.warming = threading.Thread(target=compile_templates, daemon=True)
    app.state.warming.start()
    # The first analysis reads tldextract's suffix list and compiles the validators' patterns.
    site = analyse(WARM_URL, app.state.catalog.links, app.state.extractor)
    app.state.memo.answer({}, Known(dt.datetime.now(dt.UTC), site.url, site=site), "ja")


def create_app(settings: Settings) -> Starlette:
    """Build an app for these settings; the data is loaded and validated at start-up."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.catalog = catalog.load(settings.data_dir)
        app.state.extractor = make_extractor()
        app.state.memo = Memo(app.state.catalog)
        warm_up(app)
        yield

    routes = [
        Route("/healthz", api.healthz),
        Route("/api/v1/assess", api.assess, methods=["POST"]),
        Route("/api/v1/destinations", api.destinations),
        Route("/openapi.json", api.openapi),
        *wizard.routes,
        Mount("/static", VersionedStatic(STATIC, VERSIONS), name="static"),
    ]
    middleware = [
        Middleware(AccessLog),
        Middleware(SecurityHeaders),
        Middleware(AllowedHosts, allowed_hosts=settings.allowed_hosts),
        Middleware(
            JsonCORSMiddleware,
            allow_origin_regex=origin_pattern(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["content-type"],
            max_age=600,
        ),
        # Pages and JSON over ~500 bytes (a result page is ~15 KB, ~4 KB gzipped). Level 6, zlib's
        # default: level 9 costs far more CPU per page for a few bytes less.
        Middleware(GZipMiddleware, minimum_size=500, compresslevel=6),
    ]
    app = Starlette(
        debug=settings.debug,
        routes=routes,
        middleware=middleware,
        exception_handlers={
            ApiError: api_error,
            HTTPException: http_error,
            Exception: server_error,
        },
        lifespan=lifespan,
    )
    # Starlette would redirect "/wizard/" to an absolute URL built from the Host header (and
    # "//evil.example/" to "//evil.example"): a path with a trailing slash is a plain 404 instead.
    app.router.redirect_slashes = False
    app.state.settings = settings
    return app


# What `python -m server` and a process manager serve: each worker imports this and builds the app
# from the environment (uvicorn needs an import string to start more than one worker).
app = create_app(from_environment())
