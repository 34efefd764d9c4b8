"""HTML pages for people: the templates, their words, the links every page carries and error pages."""

import re
from collections.abc import Iterable
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

import jinja2
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from server import ruby
from server.assets import static_url
from server.compiled import CompiledTemplates
from server.contract import LANGS
from server.settings import ROOT
from server.words import UI

TEMPLATES = ROOT / "server" / "templates"
# Service texts kept drawn as HTML: more than the data and the page words hold in both languages.
DRAWN_KEPT = 8192


# Autoescape for .html, as Jinja2Templates(directory=...) sets it; trimmed blocks keep the HTML tidy.
templates = Jinja2Templates(
    env=jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        # Compiling the wizard's templates takes ~50 ms of every start; loading them compiled, ~2 ms.
        # This file sets the options the compiled code depends on.
        bytecode_cache=CompiledTemplates(TEMPLATES / "__pycache__", Path(__file__)),
        autoescape=jinja2.select_autoescape(),
        trim_blocks=True,
        lstrip_blocks=True,
        # The templates do not change while the service runs: no stat() of each file on every render.
        auto_reload=False,
    )
)

templates.env.globals["static_url"] = static_url

# A missing translation fails here, at import, not on some page later. A namespace, not a dict, so
# that `t.copy` in a template is the word and not dict.copy.
STRINGS = {lang: SimpleNamespace(**{key: text[lang] for key, text in UI.items()}) for lang in LANGS}
# What a child reads: the child version (with readings) where there is one.
CHILD_STRINGS = {
    lang: SimpleNamespace(**{key: text.get(f"{lang}_child", text[lang]) for key, text in UI.items()})
    for lang in LANGS
}


Params = list[tuple[str, str]]
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def fill(text: str, **values: Any) -> str:
    """A page word with its `{n}` places filled; a reading group such as `{質問|しつもん}` is left alone."""
    return _PLACEHOLDER.sub(lambda match: str(values[match.group(1)]), text)


def has_readings(text: str) -> bool:
    """Whether a text may hold {base|reading} groups; most hold none, and then need no parsing."""
    return "{" in text or "|" in text or "}" in text


def _draw(text: str) -> Markup:
    return ruby.html(text) if has_readings(text) else escape(text)


# Service texts drawn as HTML: the data and the page words are finite, so each is drawn once.
DRAWN: dict[str, Markup] = {}


def draw_ruby(text: str | None) -> Markup:
    """Service text as HTML, a child text's readings drawn as <ruby>; never for what a person typed."""
    text = text or ""
    # A Markup equals the plain string of its HTML: it is drawn each time, never kept under that key.
    if type(text) is not str:
        return _draw(text)
    drawn = DRAWN.get(text)
    if drawn is None:
        drawn = _draw(text)
        if len(DRAWN) < DRAWN_KEPT:
            DRAWN[text] = drawn
    return drawn


def plain_text(text: str) -> str:
    """A text without its readings (ruby.plain), as a plain string."""
    return ruby.plain(text) if has_readings(text) else str(text)


# `|ruby` after `|fill`: the readings are drawn once the numbers are in. `|plain` for <title> and attributes.
templates.env.filters.update(ruby=draw_ruby, plain=plain_text, fill=fill)


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


def joined(path: str, encoded: list[str]) -> str:
    """A same-site link from query pairs already encoded (as `href` makes it from the pairs)."""
    return f"{path}?{'&'.join(encoded)}" if encoded else path


def other_lang_href(request: Request, lang: str) -> str:
    """This page in the other language, keeping the rest of the query; the start page if unknown."""
    # The path comes from our own route table, never from the request: a requested path such as
    # "//evil.example" would make a link that leaves the site.
    route = request.scope.get("route")
    if not isinstance(route, Route):
        return href("/", lang_params("en" if lang == "ja" else "ja"))
    query = request.scope["query_string"].decode("latin-1")
    if not (query.isascii() and query.isprintable()):
        params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
        return href(route.path, [*params, ("lang", "en")] if lang == "ja" else params)
    # A query as browsers send it (encoded, printable ASCII) is kept as sent, but for its language:
    # decoding and encoding again every pair cost as much as the rest of the page.
    pairs = [pair for pair in query.split("&") if pair and pair.partition("=")[0] != "lang"]
    return joined(route.path, [*pairs, "lang=en"] if lang == "ja" else pairs)


def common(request: Request, lang: str, child: bool, **context: Any) -> dict[str, Any]:
    """What every page needs: its language, its words (a child's), the quick exit and the usual links."""
    # A kept page passes its language link marked (server.kept): it is the request's own.
    if "other_lang_href" not in context:
        context["other_lang_href"] = other_lang_href(request, lang)
    return {
        "lang": lang,
        "t": (CHILD_STRINGS if child else STRINGS)[lang],
        "quick_exit_url": request.app.state.settings.quick_exit_url,
        "home_href": href("/", lang_params(lang)),
        "map_href": href("/destinations", lang_params(lang)),
        "verify_href": href("/verify", lang_params(lang)),
        **context,
    }


def page(
    request: Request, name: str, lang: str, status: int = 200, child: bool = False, **context: Any
) -> Response:
    """Render a page with what every page needs."""
    # The page holds the reported URL and the answers: the security headers add no-store.
    context = common(request, lang, child, **context)
    return templates.TemplateResponse(request, name, context, status_code=status)


def render(request: Request, name: str, lang: str, child: bool, **context: Any) -> str:
    """A page as text, drawn with what every page needs."""
    return templates.get_template(name).render(common(request, lang, child, **context))


def error_page(
    request: Request, status: int, message: str, lang: str, headers: dict[str, str] | None = None
) -> Response:
    """An HTML error page for people, with a way back to the start."""
    response = page(request, "error.html", lang, status=status, message=message)
    response.headers.update(headers or {})
    return response
