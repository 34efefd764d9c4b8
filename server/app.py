"""The application factory: the route list, middleware and start-up in one place."""

import contextlib
import datetime as dt
import gc
import re
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.routing import Mount, Route

from server import api, catalog, wizard
from server.assets import STATIC, VERSIONS, VersionedStatic
from server.edge import Edge
from server.errors import ApiError, api_error, http_error, server_error
from server.memo import Memo
from server.pages import templates
from server.present import Known
from server.settings import Settings, from_environment
from server.urls import Analyses, make_extractor

# The wizard's pages, compiled at start-up; the print, share and other pages compile on first use.
WARM_TEMPLATES = ("_macros.html", "start.html", "question.html", "result.html")
WARM_URL = "https://example.com/"


def origin_pattern(origins: tuple[str, ...]) -> str:
    """One regex for the allowed origins; `*` matches an extension id or host label."""
    return "|".join(re.escape(o).replace(r"\*", "[A-Za-z0-9._-]+") for o in origins)


def compile_templates() -> None:
    """Compile the wizard's templates; Jinja keeps them. The other pages compile on first use."""
    for name in WARM_TEMPLATES:
        templates.env.get_template(name)


def warm_up(app: Starlette) -> None:
    """Do at start-up what would otherwise slow the first requests: the suffix list, templates, engine."""
    # Loaded compiled from the last start (~2 ms): no thread left competing with the first requests.
    compile_templates()
    # The first analysis reads tldextract's suffix list and compiles the validators' patterns.
    site = app.state.analyses(WARM_URL)
    app.state.memo.answer({}, Known(dt.datetime.now(dt.UTC), site.url, site=site), "ja")


def create_app(settings: Settings) -> Starlette:
    """Build an app for these settings; the data is loaded and validated at start-up."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # What start-up makes lives as long as the service: no collector pass while making it (each
        # would scan every imported object, ~30 ms in all), and none of it scanned by later passes.
        gc.disable()
        try:
            app.state.catalog = catalog.load(settings.data_dir)
            app.state.analyses = Analyses(app.state.catalog.links, make_extractor())
            app.state.memo = Memo(app.state.catalog)
            warm_up(app)
        finally:
            gc.freeze()
            gc.enable()
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
        Middleware(
            Edge,
            allowed_hosts=settings.allowed_hosts,
            allow_origin_regex=origin_pattern(settings.cors_origins),
        )
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
