"""`{% cache "name" %}…{% endcache %}`: a part of a page that depends only on the answer, rendered once.

Such a part may use the answer's shared view (windows, warnings, notices) and the page's words, never
what the request sent (the reported URL, title, selection, time, the page's links): it is kept per
answer key (answers, site kind and platform, language, audience) and served to everyone with that key.
"""

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING

from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.parser import Parser
from markupsafe import Markup

if TYPE_CHECKING:  # the pages (and the bench's bare app, through them) need not import the engine
    from server.memo import Memo


class Fragments:
    """Where the parts of one answer's page are kept: the memo, under the answer's key."""

    def __init__(self, memo: "Memo", key: Hashable) -> None:
        self.memo = memo
        self.key = key

    def get(self, name: str, render: Callable[[], Markup]) -> Markup:
        return self.memo.keep(("fragment", name, self.key), render)


class FragmentCache(Extension):
    """The `cache` tag: the block's output kept in the page context's `fragments`."""

    tags = {"cache"}  # noqa: RUF012 (Jinja's own class attribute)

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        name = parser.parse_expression()
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        call = self.call_method("_render", [nodes.Name("fragments", "load"), name])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _render(self, fragments: Fragments | None, name: str, caller: Callable[[], Markup]) -> Markup:
        # A page rendered without an answer has no `fragments` (undefined, so false): rendered each time.
        return fragments.get(name, caller) if fragments else caller()
