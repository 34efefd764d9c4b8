"""The engine's and the presenter's answers kept per finite input; each request fills in only its own parts.

What is kept depends only on the data and on the answers, the site's kind, platform and URL warnings, the
language and the markup: a finite set. The reported URL, title, selection and time are never kept: they
are filled into a fresh checklist and site view on every request.
"""

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import orjson

from server import engine
from server.model import Catalog
from server.present import (
    Known,
    assessment_view,
    checklist_items,
    checklist_of,
    known_facts,
    site_view,
    situation_text,
)
from server.urls import SiteInfo

V = TypeVar("V")

# Entries per cache: far more than the answer paths people take; the bound caps memory if someone
# walks every path with every platform.
SIZE = 2048
# The parts of an answer that hold what the request sent (URL, title, selection, time of finding).
OWN_PARTS = ("checklist", "site")
NEUTRAL_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


class Bounded(Generic[V]):
    """A least-recently-used cache: `get(key, make)` returns the kept value or makes and keeps it."""

    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self.values: OrderedDict[Hashable, V] = OrderedDict()

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        """The value kept for this key, made now if it is not (or no longer) kept."""
        if key in self.values:
            self.values.move_to_end(key)
            return self.values[key]
        value = self.values[key] = make()
        if len(self.values) > self.size:
            self.values.popitem(last=False)
        return value


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

    @property
    def view(self) -> dict[str, Any]:
        return {**self.shared, **self.own}

    def json(self) -> bytes:
        return encode(self.view)


@dataclass(frozen=True)
class Shared:
    """What requests with the same answer key share: the view but its own parts, the checklist's rows
    and the situation in words (in the page's language, and in Japanese for the block to paste)."""

    view: dict[str, Any]
    rows: list[dict[str, Any]]
    rows_ja: list[dict[str, Any]]
    situation: str | None
    situation_ja: str | None


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
        checklist = checklist_of(
            shared.rows,
            shared.rows_ja,
            known_facts(self.catalog, known, shared.situation, lang),
            known_facts(self.catalog, known, shared.situation_ja, "ja"),
            known.found_at,
        )
        own = {"checklist": checklist, "site": site_view(self.catalog, site, lang, child, markup)}
        return Answer(key, shared.view, own)

    def _shared(
        self, assessment: engine.Assessment, site: SiteInfo | None, lang: str, markup: bool
    ) -> Shared:
        """The view without the request's own parts, made from a blank site and a neutral time."""
        view = assessment_view(self.catalog, assessment, Known(NEUTRAL_TIME, site=site), lang, markup)
        for part in OWN_PARTS:
            del view[part]
        child = view["audience"] == "child"
        answers = dict(assessment.answers)
        return Shared(
            view,
            checklist_items(self.catalog, assessment, lang, child, markup),
            checklist_items(self.catalog, assessment, "ja", False),
            situation_text(self.catalog, answers, lang),
            situation_text(self.catalog, answers, "ja"),
        )

    def keep(self, key: Hashable, make: Callable[[], V]) -> V:
        """Any other value derived from the data and finite inputs (a page fragment, a document)."""
        return self.kept.get(key, make)
