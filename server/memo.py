"""The engine's and the presenter's answers kept per finite input; each request fills in only its own parts.

What is kept depends only on the data and on the answers, the site's kind, platform and URL warnings, the
language and the markup: a finite set. The reported URL, title, selection and time are never kept: they
are filled into a fresh checklist and site view on every request.
"""

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import orjson

from server import engine, gzipped
from server.bounded import Bounded
from server.model import Catalog
from server.present import ChecklistFrame, Known, checklist_frame, destination_view, own_view, shared_view
from server.urls import SiteInfo

V = TypeVar("V")


def encode(content: Any) -> bytes:
    """Compact JSON as UTF-8 bytes; orjson is ten times faster than the standard library here."""
    return orjson.dumps(content)


def site_kind(site: SiteInfo | None) -> str:
    """What the engine knows of the site: a known platform, another site, or none given."""
    if site is None:
        return "none"
    return "platform" if site.platform_id else "other"


@dataclass(frozen=True)
class Answer:
    """One request's answer: the part shared by every request with the same inputs, and its own parts."""

    key: Hashable
    shared: Mapping[str, Any]
    own: dict[str, Any]
    # The shared part as JSON, without its closing brace: the answer's JSON begins with it.
    head: bytes

    @property
    def view(self) -> dict[str, Any]:
        return {**self.shared, **self.own}

    def tail(self) -> bytes:
        """The rest of the answer's JSON after `head`: the request's own parts."""
        return b"," + encode(self.own)[1:]

    def json(self) -> bytes:
        """The view as JSON (its shared keys come first), only the request's own parts encoded anew."""
        return self.head + self.tail()


@dataclass(frozen=True)
class Shared:
    """What requests with the same answer key share: the view but its own parts, and the checklist's frame."""

    view: dict[str, Any]
    frame: ChecklistFrame
    head: bytes


class Memo:
    """The engine and the presenter for one catalog, each run once per input and then kept."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.assessments: Bounded[engine.Assessment] = Bounded()
        self.shared: Bounded[Shared] = Bounded()
        self.kept: Bounded[Any] = Bounded()

    def assess(self, answers: Mapping[str, str], site: str, lang: str) -> engine.Assessment:
        """engine.assess, kept per (answers as sent, site kind, language); AnswerError as it raises."""
        # Only answers naming known options are kept (the engine refuses the others first): a finite set.
        key = (tuple(answers.items()), site, lang)
        return self.assessments.get(key, lambda: engine.assess(self.catalog, answers, site, lang))

    def answer(self, answers: Mapping[str, str], known: Known, lang: str, markup: bool = False) -> Answer:
        """present.assessment_view of engine.assess for this request, its shared part kept."""
        site = known.site
        assessment = self.assess(answers, site_kind(site), lang)
        # A blank site with what the shared part may depend on: it must not keep this requester's URL.
        blank = site and SiteInfo("", "", "", "", "", site.platform_id, site.warnings)
        key = (tuple(assessment.answers.items()), blank, lang, markup)
        shared = self.shared.get(key, lambda: self._shared(assessment, blank, lang, markup))
        child = shared.view["audience"] == "child"
        own = own_view(self.catalog, shared.frame, known, lang, child, markup)
        return Answer(key, shared.view, own, shared.head)

    def _shared(
        self, assessment: engine.Assessment, site: SiteInfo | None, lang: str, markup: bool
    ) -> Shared:
        """The view without the request's own parts, made from a blank site."""
        child = assessment.answers.get("reporter") == "child"
        view = shared_view(self.catalog, assessment, site, lang, markup)
        frame = checklist_frame(self.catalog, assessment, lang, child, markup)
        return Shared(view, frame, encode(view)[:-1])

    def gzipped_json(self, answer: Answer, level: int) -> bytes:
        """The answer's JSON as a gzip stream, its shared head compressed once and kept."""
        head = self.kept.get(("json-gzip", answer.key, level), lambda: gzipped.runs([answer.head], level)[0])
        tail = answer.tail()
        return gzipped.member([(answer.head, head), (tail, gzipped.runs([tail], level)[0])])

    def destinations(self, lang: str) -> dict[str, dict[str, Any]]:
        """Every window's view in one language, by id: the map page's and GET /api/v1/destinations'."""
        catalog = self.catalog
        return self.kept.get(
            ("destinations", lang),
            lambda: {d.id: destination_view(catalog, d, lang) for d in catalog.destinations.values()},
        )

    def keep(self, key: Hashable, make: Callable[[], V]) -> V:
        """Any other value derived from the data and finite inputs (a page fragment, a document)."""
        return self.kept.get(key, make)
