"""The no-JavaScript web wizard: one question per page, all state in the query string."""

import functools
import re
import tomllib
from collections.abc import Awaitable, Callable, Iterable
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

import jinja2
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from server.api import MAX_SELECTION, MAX_TITLE, AssessRequest, assess_request, optional_text, parse_found_at
from server.contract import LANGS
from server.errors import ApiError
from server.present import destination_view
from server.settings import ROOT

TEMPLATES = ROOT / "server" / "templates"
# Autoescape for .html, as Jinja2Templates(directory=...) sets it; trimmed blocks keep the HTML tidy.
templates = Jinja2Templates(
    env=jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(),
        trim_blocks=True,
        lstrip_blocks=True,
    )
)

_pages = tomllib.loads((TEMPLATES / "strings.toml").read_text(encoding="utf-8"))
# A missing translation fails here, at import, not on some page later. A namespace, not a dict, so
# that `t.copy` in a template is the word and not dict.copy.
STRINGS = {lang: SimpleNamespace(**{key: text[lang] for key, text in _pages["ui"].items()}) for lang in LANGS}
CHART: list[dict[str, Any]] = _pages["chart"]

# Query keys that describe the page; every other key is an answer (question id = option id).
KNOWN_KEYS = ("url", "title", "selection", "lang", "found_at")
# What the start page's form carries on besides the URL field and the language.
CARRIED_KEYS = ("title", "selection", "found_at")
Params = list[tuple[str, str]]
Handler = Callable[[Request], Awaitable[Response]]


def lang_of_page(request: Request) -> str:
    """Japanese unless the query asks for English."""
    return "en" if request.query_params.get("lang") == "en" else "ja"


def lang_params(lang: str) -> Params:
    """The query parameter that keeps a link in this language (Japanese needs none)."""
    return [("lang", "en")] if lang == "en" else []


def href(path: str, params: Iterable[tuple[str, str]]) -> str:
    """A same-site link carrying the given query parameters."""
    query = urlencode(list(params))
    return f"{path}?{query}" if query else path


def other_lang_href(request: Request, lang: str) -> str:
    """This page in the other language, keeping the rest of the query."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return href(request.url.path, [*params, ("lang", "en")] if lang == "ja" else params)


def page(request: Request, name: str, lang: str, status: int = 200, **context: Any) -> Response:
    """Render a page with what every page needs: its language, its words and the quick exit."""
    return templates.TemplateResponse(
        request,
        name,
        {
            "lang": lang,
            "t": STRINGS[lang],
            "quick_exit_url": request.app.state.settings.quick_exit_url,
            "other_lang_href": other_lang_href(request, lang),
            "home_href": href("/", lang_params(lang)),
            "map_href": href("/destinations", lang_params(lang)),
            "verify_href": href("/verify", lang_params(lang)),
            **context,
        },
        status_code=status,
        # The page holds the reported URL and the answers: keep it out of caches.
        headers={"cache-control": "no-store"},
    )


def error_page(request: Request, status: int, message: str, lang: str) -> Response:
    """An HTML error page for people, with a way back to the start."""
    return page(request, "error.html", lang, status=status, message=message)


def start_page(
    request: Request, lang: str, status: int = 200, drop: tuple[str, ...] = (), **context: Any
) -> Response:
    """The start page, its URL field filled and the page's other known facts carried on."""
    params = request.query_params
    hidden = [(key, params[key]) for key in CARRIED_KEYS if params.get(key) and key not in drop]
    return page(request, "start.html", lang, status, url=params.get("url", ""), hidden=hidden, **context)


def refused(request: Request, error: ApiError) -> Response:
    """The start page again, with the message and the URL field to correct it."""
    lang = lang_of_page(request)
    # The URL's refusals say how to fix it; the API's other messages name fields and the OpenAPI
    # document, which a person who only clicked buttons cannot act on.
    url_refused = error.code.startswith("url-")
    message = error.message(lang) if url_refused else STRINGS[lang].bad_answer
    # found_at may be the bad part, so it is not carried back.
    return start_page(request, lang, error.status, error=message, url_refused=url_refused, drop=("found_at",))


def html_refusals(handler: Handler) -> Handler:
    """Bad input in the wizard gets a page a person can act on, not the API's JSON."""

    @functools.wraps(handler)
    async def wrapped(request: Request) -> Response:
        try:
            return await handler(request)
        except ApiError as error:
            return refused(request, error)

    return wrapped


# A host and path typed without "https://" ("x.com/someone/status/1"): people type addresses so.
TYPED_ADDRESS = re.compile(r"^[^\s/:@]+\.[^\s/:@.]{2,}(/\S*)?$")


def typed_url(value: str) -> str | None:
    """The URL field as typed, with https:// added where the scheme was left off."""
    value = value.strip()
    return f"https://{value}" if TYPED_ADDRESS.match(value) else value or None


def read_query(request: Request) -> AssessRequest:
    """The wizard's state from the query string, in the API's request shape."""
    params = request.query_params
    return AssessRequest(
        answers={k: v for k, v in params.multi_items() if k not in KNOWN_KEYS},
        lang=lang_of_page(request),
        url=typed_url(params.get("url", "")),
        title=optional_text(dict(params), "title", MAX_TITLE),
        selection=optional_text(dict(params), "selection", MAX_SELECTION),
        found_at=parse_found_at(params.get("found_at")),
    )


def links(query: AssessRequest, view: dict[str, Any]) -> dict[str, Any]:
    """Every link of a wizard page, built from the known facts and the answers kept so far."""
    known = [
        (key, value)
        for key, value in (
            ("url", view["site"] and view["site"]["url"]),
            ("title", query.title),
            ("selection", query.selection),
            *lang_params(query.lang),
            ("found_at", view["checklist"]["found_at"]),
        )
        if value
    ]
    answers = list(view["answers"].items())
    return {
        "hidden": known + answers,
        "here": href("/wizard", known + answers),
        "back": href("/wizard", known + answers[:-1]) if answers else href("/", known),
        "restart": href("/wizard", known),
        "print": href("/wizard/print", known + answers),
    }


async def start(request: Request) -> Response:
    """The start page: what this is, the optional URL field and the 110 note."""
    return start_page(request, lang_of_page(request))


def assessed(request: Request) -> tuple[AssessRequest, dict[str, Any], dict[str, Any]]:
    """The query, the API's answer to it and the page's links; ApiError on bad input."""
    query = read_query(request)
    view = assess_request(request, query)
    return query, view, links(query, view)


@html_refusals
async def wizard(request: Request) -> Response:
    """One question, or the result once every question that matters is answered."""
    query, view, urls = assessed(request)
    if "found_at" not in request.query_params:
        # Fix the time of finding on the first visit, so the result and a shared link stay stable.
        return RedirectResponse(urls["here"], status_code=303)
    name = "result.html" if view["complete"] else "question.html"
    return page(request, name, query.lang, view=view, links=urls)


@html_refusals
async def print_memo(request: Request) -> Response:
    """The A4 consultation memo of a finished wizard."""
    query, view, urls = assessed(request)
    if not view["complete"]:
        return RedirectResponse(urls["here"], status_code=303)
    if "found_at" not in request.query_params:
        return RedirectResponse(urls["print"], status_code=303)
    return page(request, "print.html", query.lang, view=view, links=urls)


async def destinations(request: Request) -> Response:
    """Every window under the flyer's chart."""
    lang = lang_of_page(request)
    catalog = request.app.state.catalog
    views = {d.id: destination_view(catalog, d, lang) for d in catalog.destinations.values()}
    return page(request, "destinations.html", lang, chart=CHART, destinations=views)


async def verify(request: Request) -> Response:
    """Check an evidence pack in the browser; the file never reaches the server."""
    return page(request, "verify.html", lang_of_page(request))


routes = [
    Route("/", start, name="start"),
    Route("/wizard", wizard, name="wizard"),
    Route("/wizard/print", print_memo, name="print"),
    Route("/destinations", destinations, name="destinations"),
    Route("/verify", verify, name="verify"),
]
