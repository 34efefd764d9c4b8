"""The application factory: the route list, middleware and start-up in one place."""

import contextlib
import logging
import re
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server import api, catalog, wizard
from server.errors import ApiError, api_error, http_error, server_error
from server.settings import ROOT, Settings
from server.urls import make_extractor

log = logging.getLogger("tsuho_navi")

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


class SecurityHeaders:
    """Add the security headers and log each request without its query string."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
                # The query holds the answers and the reported URL: only the path is logged.
                log.info("%s %s %s", scope["method"], scope["path"], message["status"])
            await send(message)

        await self.app(scope, receive, send_with_headers)


def origin_pattern(origins: tuple[str, ...]) -> str:
    """One regex for the allowed origins; `*` matches an extension id or host label."""
    return "|".join(re.escape(o).replace(r"\*", "[A-Za-z0-9._-]+") for o in origins)


def create_app(settings: Settings) -> Starlette:
    """Build an app for these settings; the data is loaded and validated at start-up."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.catalog = catalog.load(settings.data_dir)
        app.state.extractor = make_extractor()
        yield

    routes = [
        Route("/healthz", api.healthz),
        Route("/api/v1/assess", api.assess, methods=["POST"]),
        Route("/api/v1/destinations", api.destinations),
        Route("/openapi.json", api.openapi),
        *wizard.routes,
        Mount("/static", StaticFiles(directory=ROOT / "server" / "static"), name="static"),
    ]
    middleware = [
        Middleware(SecurityHeaders),
        Middleware(
            CORSMiddleware,
            allow_origin_regex=origin_pattern(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["content-type"],
            max_age=600,
        ),
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
    app.state.settings = settings
    return app
