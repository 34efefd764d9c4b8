"""The no-JavaScript web wizard: one question per page, all state in the query string."""

import functools
import ipaddress
import re
from collections.abc import Awaitable, Callable, Hashable
from typing import Any
from urllib.parse import quote_plus, urlsplit

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from server import kept
from server.api import MAX_SELECTION, MAX_TITLE, AssessRequest, assess_request, optional_text, parse_found_at
from server.edge import GZIP_LEVEL, GZIPPED, accepts_gzip
from server.errors import ApiError
from server.evidence import PROBLEMS
from server.kept import Own
from server.memo import Answer
from server.pages import (
    CHILD_STRINGS,
    STRINGS,
    href,
    joined,
    lang_of_page,
    lang_params,
    other_lang_href,
    render,
)
from server.words import CHART

# Query keys that describe the page; every other key is an answer (question id = option id).
KNOWN_KEYS = ("url", "title", "selection", "lang", "found_at", "include_url")
# What the start page's form carries on besides the URL field and the language.
CARRIED_KEYS = ("title", "selection", "found_at")
Handler = Callable[[Request], Awaitable[Response]]
# Every sentence verify.js may show, by its key: the verdicts, the kinds of file found and the
# problems a pack can be refused for (the command line's, server/evidence.py).
VERIFY_SENTENCES = ("ok", "bad", "refused", "altered", "missing", "unlisted", *PROBLEMS)


def start_page(
    request: Request,
    lang: str,
    status: int = 200,
    drop: tuple[str, ...] = (),
    error: str | None = None,
    url_refused: bool = False,
) -> Response:
    """The start page, its URL field filled and the page's other known facts carried on."""
    params = request.query_params
    own = Own()
    # Every carried key is marked, given or not, so which ones were given is part of the page's shape.
    carried = [(key, own("" if key in drop else params.get(key, ""))) for key in CARRIED_KEYS]
    context = {
        "url": own(params.get("url", "")),
        "hidden": [(key, value) for key, value in carried if value],
        "error": own(error),
        "url_refused": own.decide(url_refused),
        # The child entry speaks to a child whoever reads the page.
        "child_t": CHILD_STRINGS[lang],
        "other_lang_href": own(other_lang_href(request, lang)),
    }
    return kept_html(
        request,
        ("start.html", lang, status),
        own,
        lambda: render(request, "start.html", lang, False, **context),
        status,
    )


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
        title=optional_text(params.get("title"), MAX_TITLE),
        selection=optional_text(params.get("selection"), MAX_SELECTION),
        # An emptied time field in the facts form means "now", as when it is not given.
        found_at=parse_found_at(params.get("found_at") or None),
        # A child's page draws the readings of its words (the |ruby filter); copied text stays plain.
        markup=params.get("reporter") == "child",
    )


def pair(key: str, value: str) -> str:
    """One query pair, encoded as urlencode encodes it."""
    return f"{quote_plus(key)}={quote_plus(value)}"


# An answer is a known question and option (the engine refuses the others first): a finite set.
answer_pair = functools.cache(pair)


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
    editable = ("title", "selection", "found_at")
    # Each link's query is a beginning of the same pairs (known facts, then answers): each pair is
    # encoded once, as urlencode would, and the links join as many as they carry.
    encoded = [pair(key, value) for key, value in known] + [answer_pair(key, value) for key, value in answers]
    facts = len(known)
    # Here, print and share carry the same query.
    here = joined("", encoded)
    return {
        "hidden": known + answers,
        # The result's facts form edits these; everything else rides along.
        "facts_hidden": [(k, v) for k, v in known if k not in editable] + answers,
        "title": query.title,
        "selection": query.selection,
        "here": f"/wizard{here}",
        "back": joined("/wizard", encoded[:-1]) if answers else joined("/", encoded),
        "restart": joined("/wizard", encoded[:facts]),
        "print": f"/wizard/print{here}",
        "share": f"/wizard/share{here}",
    }


def is_local(base_url: str) -> bool:
    """Whether an address reaches only this computer (a loopback host)."""
    host = urlsplit(base_url).hostname or ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost" or host.endswith(".localhost")


def share_view(request: Request, view: dict[str, Any], with_url: bool) -> dict[str, Any]:
    """The link that opens this result on another device, and its QR code as inline SVG.

    It holds the answers, the time of finding and the language; the reported URL only when asked;
    never the title or the selected text.
    """
    with_url = with_url and view["site"] is not None
    params = [
        ("found_at", view["checklist"]["found_at"]),
        *lang_params(view["lang"]),
        *view["answers"].items(),
    ]
    if with_url:
        params.insert(0, ("url", view["site"]["url"]))
    base = request.app.state.settings.public_url or str(request.base_url)
    link = base.rstrip("/") + href("/wizard", params)
    # Imported here, by the share and print pages only: ~7 ms less at every start.
    import segno

    # segno draws paths only (no style attribute, no script): the CSP allows an inline <svg>.
    svg = segno.make(link, error="m").svg_inline(scale=4, border=4, dark="#000", light="#fff", title=link)
    return {"link": link, "svg": Markup(svg), "local": is_local(base), "with_url": with_url}


async def start(request: Request) -> Response:
    """The start page: what this is, the optional URL field and the 110 note."""
    return start_page(request, lang_of_page(request))


def assessed(request: Request) -> tuple[AssessRequest, Answer, dict[str, Any]]:
    """The query, the API's answer and the page's links; ApiError on bad input."""
    query = read_query(request)
    answer = assess_request(request, query)
    return query, answer, links(query, answer.view)


def marked(view: dict[str, Any], urls: dict[str, Any], own: Own) -> tuple[dict[str, Any], dict[str, Any]]:
    """The answer and the links as a kept page is drawn from them: the request's own strings marked."""
    site = view["site"] and {
        **view["site"],
        **{key: own(view["site"][key]) for key in ("url", "host", "host_ascii", "registered_domain")},
        "punycode": own.decide(view["site"]["host_ascii"] != view["site"]["host"]),
    }
    checklist = view["checklist"]
    checklist = {
        "items": [{**item, "value": own(item["value"])} for item in checklist["items"]],
        "found_at": own(checklist["found_at"]),
        "found_at_input": own(checklist["found_at"][:16]),
        "text_ja": own(checklist["text_ja"]),
    }
    # Hidden fields carry the known facts, marked, and the answers, which are part of the page's key.
    marked_links = {
        key: [(name, own(value) if name in KNOWN_KEYS else value) for name, value in item]
        if isinstance(item, list)
        else own(item)
        for key, item in urls.items()
    }
    return {**view, "site": site, "checklist": checklist}, marked_links


def kept_html(
    request: Request, key: Hashable, own: Own, draw: Callable[[], str], status: int = 200
) -> Response:
    """A page kept per key and shape (server.kept), filled for this request; gzipped if the client asks."""
    # Compressed here, from the kept runs, rather than whole by the edge layer (which lets it pass).
    gzipped = accepts_gzip(request.headers)
    body = kept.page(request.app.state.memo.keep, key, own, draw, GZIP_LEVEL if gzipped else None)
    return HTMLResponse(body, status, headers=GZIPPED if gzipped else None)


def same_for_everyone(request: Request, name: str, **context: Any) -> Response:
    """A page that differs only by its language (and its language link, which keeps the query)."""
    lang = lang_of_page(request)
    own = Own()
    link = own(other_lang_href(request, lang))
    return kept_html(
        request,
        (name, lang),
        own,
        lambda: render(request, name, lang, False, other_lang_href=link, **context),
    )


def answer_page(
    request: Request,
    name: str,
    query: AssessRequest,
    answer: Answer,
    urls: dict[str, Any],
    share: dict[str, Any] | None = None,
) -> Response:
    """A page of this answer, kept per answer and shape and filled with this request's own strings."""
    own = Own()
    view, marked_links = marked(answer.view, urls, own)
    context: dict[str, Any] = {"view": view, "links": marked_links}
    if share:
        context["share"] = {
            "link": own(share["link"]),
            "svg": own(share["svg"]),
            "local": own.decide(share["local"]),
            "with_url": own.decide(share["with_url"]),
        }
    context["other_lang_href"] = own(other_lang_href(request, query.lang))
    return kept_html(
        request, (name, answer.key), own, lambda: render(request, name, query.lang, query.markup, **context)
    )


@html_refusals
async def wizard(request: Request) -> Response:
    """One question, or the result once every question that matters is answered."""
    query, answer, urls = assessed(request)
    if "found_at" not in request.query_params:
        # Fix the time of finding on the first visit, so the result and a shared link stay stable.
        return RedirectResponse(urls["here"], status_code=303)
    name = "result.html" if answer.view["complete"] else "question.html"
    return answer_page(request, name, query, answer, urls)


@html_refusals
async def print_memo(request: Request) -> Response:
    """The A4 consultation memo of a finished wizard."""
    query, answer, urls = assessed(request)
    if not answer.view["complete"]:
        return RedirectResponse(urls["here"], status_code=303)
    if "found_at" not in request.query_params:
        return RedirectResponse(urls["print"], status_code=303)
    # The printed code holds the answers only: a memo travels further than a screen.
    shared = share_view(request, answer.view, with_url=False)
    return answer_page(request, "print.html", query, answer, urls, shared)


@html_refusals
async def share(request: Request) -> Response:
    """Hand the result to an adult: what the link holds, then the link and its QR code."""
    query, answer, urls = assessed(request)
    if not answer.view["complete"] or "found_at" not in request.query_params:
        return RedirectResponse(urls["here"], status_code=303)
    shared = share_view(request, answer.view, with_url=request.query_params.get("include_url") == "1")
    return answer_page(request, "share.html", query, answer, urls, shared)


async def destinations(request: Request) -> Response:
    """Every window under the flyer's chart."""
    views = request.app.state.memo.destinations(lang_of_page(request))
    return same_for_everyone(request, "destinations.html", chart=CHART, destinations=views)


async def verify(request: Request) -> Response:
    """Check an evidence pack in the browser; the file never reaches the server."""
    return same_for_everyone(request, "verify.html", sentences=VERIFY_SENTENCES)


routes = [
    Route("/", start, name="start"),
    Route("/wizard", wizard, name="wizard"),
    Route("/wizard/print", print_memo, name="print"),
    Route("/wizard/share", share, name="share"),
    Route("/destinations", destinations, name="destinations"),
    Route("/verify", verify, name="verify"),
]
