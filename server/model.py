"""The typed catalog the engine and the views use, built from data that passed the schema."""

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from server import ruby
from server.urls import LinkRules, PlatformPage, SearchPage

Condition = Mapping[str, tuple[str, ...]]

# What a call costs, from the number alone: free-dial prefixes, the free emergency number, the paid
# ナビダイヤル, short codes such as #9110 and ordinary numbers (domain README §7).
_TARIFFS = (
    (re.compile(r"^(0120|0800)-"), "free"),
    (re.compile(r"^110$"), "free"),
    (re.compile(r"^188$"), "charged"),
    (re.compile(r"^0570-"), "navi-dial"),
    (re.compile(r"^#\d{4}$"), "charged"),
    (re.compile(r"^0[1-9]\d{0,3}-\d{1,4}-\d{4}$"), "charged"),
)


def phone_tariff(number: str) -> str | None:
    """The tariff of a shown number ("free", "navi-dial" or "charged"), None when unknown."""
    return next((tariff for pattern, tariff in _TARIFFS if pattern.match(number)), None)


@dataclass(frozen=True)
class Text:
    ja: str
    en: str
    ja_child: str | None = None
    en_child: str | None = None

    def get(self, lang: str, child: bool = False, markup: bool = False) -> str:
        """The wording for a language, the child version when there is one, its readings kept on request."""
        text = getattr(self, f"{lang}_child") if child else None
        if text is None:
            return getattr(self, lang)
        return text if markup else ruby.plain(text)


@dataclass(frozen=True)
class Source:
    id: str
    url: str
    title: str
    level: str
    checked: dt.date


@dataclass(frozen=True)
class Fact:
    """A shown value (a URL, a phone number, a sentence) and the source that backs it."""

    value: Any
    source: str
    # Any one of these conditions must hold for the fact to be shown; empty = always.
    when: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class Link:
    """A shown URL with its label and its source."""

    value: str
    label: Text
    source: str
    when: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class Phone:
    """A shown phone number with its label, hours and tariff."""

    value: str
    label: Text
    source: str
    hours: Fact | None
    tariff: str  # "free" | "navi-dial" | "charged"

    @property
    def cost(self) -> str:
        return "free" if self.tariff == "free" else "charged"


@dataclass(frozen=True)
class Destination:
    id: str
    name: Text
    operator: Text
    role: Text
    does: Text
    url: Fact | None
    form_url: Fact | None
    links: tuple[Link, ...]
    phones: tuple[Phone, ...]
    hours: tuple[Fact, ...]
    channels: Fact | None
    who_may_report: Fact | None
    languages: Fact
    next: Fact | None
    not_accepted: tuple[Fact, ...]
    form_asks: tuple[Fact, ...]
    notes: tuple[Fact, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Option:
    id: str
    label: Text


@dataclass(frozen=True)
class Question:
    id: str
    ask_when: Condition
    text: Text
    options: tuple[Option, ...]

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True)
class Addition:
    destination: str
    why: Text
    after: str | None = None  # placed right after this window, and only when it is in the result
    instead_of: str | None = None  # takes this window's place wherever it appears


@dataclass(frozen=True)
class Rule:
    id: str
    chart: str
    when: Condition
    add: tuple[Addition, ...]
    drop: tuple[str, ...]
    warnings: tuple[str, ...]
    notices: tuple[str, ...]
    evidence: str | None
    guides: tuple[str, ...] = ()


@dataclass(frozen=True)
class GuideItem:
    """One piece of advice for the adults helping a child; without a source it is our own advice."""

    id: str
    text: Text
    source: str | None


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    label: Text
    fill: str | None
    evidence: bool
    when: Condition
    destinations: tuple[str, ...]
    how: Text | None
    source: str | None


@dataclass(frozen=True)
class Message:
    """A warning or notice, shown only when one of the windows it names is in the result."""

    text: Text
    requires: tuple[str, ...]


@dataclass(frozen=True)
class Platform:
    id: str
    name: Text
    domains: tuple[str, ...]
    top_url: str
    designated: Fact  # value: bool; services: which of the platform's services are designated
    services: Text | None
    report: tuple[Link, ...]


@dataclass(frozen=True)
class Catalog:
    sources: Mapping[str, Source]
    destinations: Mapping[str, Destination]
    questions: tuple[Question, ...]
    rules: tuple[Rule, ...]
    checklist: tuple[ChecklistItem, ...]
    warnings: Mapping[str, Message]
    notices: Mapping[str, Message]
    channels: Mapping[str, Text]
    reporters: Mapping[str, Text]
    evidence: Mapping[str, Text]
    phone_costs: Mapping[str, Text]
    platforms: Mapping[str, Platform]
    designation: Fact  # what a designated platform must do (value: Text)
    links: LinkRules
    guides: Mapping[str, tuple[GuideItem, ...]] = field(default_factory=dict)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def option_label(self, question_id: str, option_id: str) -> Text:
        """The label of an answer already checked to exist."""
        question = self.question(question_id)
        option = question.option(option_id) if question else None
        if option is None:
            raise KeyError(f"{question_id}={option_id}")
        return option.label


def _text(raw: Mapping[str, str]) -> Text:
    return Text(raw["ja"], raw["en"], raw.get("ja_child"), raw.get("en_child"))


def _condition(raw: Mapping[str, Any] | None) -> dict[str, tuple[str, ...]]:
    return {k: (v,) if isinstance(v, str) else tuple(v) for k, v in (raw or {}).items()}


def _any_of(raws: list[Mapping[str, Any]] | None) -> tuple[Condition, ...]:
    return tuple(_condition(raw) for raw in raws or [])


def _fact(raw: Mapping[str, Any] | None) -> Fact | None:
    return Fact(raw["value"], raw["source"]) if raw else None


def _sentence(raw: Mapping[str, Any]) -> Fact:
    return Fact(_text(raw), raw["source"], _any_of(raw.get("when")))


def _sentences(raws: list[Mapping[str, Any]]) -> tuple[Fact, ...]:
    return tuple(_sentence(raw) for raw in raws)


def _links(raws: list[Mapping[str, Any]]) -> tuple[Link, ...]:
    return tuple(Link(r["url"], _text(r["label"]), r["source"], _any_of(r.get("when"))) for r in raws)


def _phones(raws: list[Mapping[str, Any]]) -> tuple[Phone, ...]:
    return tuple(
        Phone(
            r["number"],
            _text(r["label"]),
            r["source"],
            _sentence(r["hours"]) if "hours" in r else None,
            phone_tariff(r["number"]) or "charged",  # the checks refuse numbers with no tariff
        )
        for r in raws
    )


def _destination(d: Mapping[str, Any]) -> Destination:
    languages = d["languages"]
    return Destination(
        id=d["id"],
        name=_text(d["name"]),
        operator=_text(d["operator"]),
        role=_text(d["role"]),
        does=_text(d["does"]),
        url=_fact(d.get("url")),
        form_url=_fact(d.get("form_url")),
        links=_links(d.get("links", [])),
        phones=_phones(d.get("phones", [])),
        hours=_sentences(d.get("hours", [])),
        channels=_fact(d.get("channels")),
        who_may_report=_fact(d.get("who_may_report")),
        languages=Fact(tuple(languages["value"]), languages.get("source", "")),
        next=_sentence(d["next"]) if "next" in d else None,
        not_accepted=_sentences(d.get("not_accepted", [])),
        form_asks=_sentences(d.get("form_asks", [])),
        notes=_sentences(d.get("notes", [])),
        warnings=tuple(d.get("warnings", [])),
    )


def _platform(p: Mapping[str, Any]) -> Platform:
    designated = p["designated"]
    return Platform(
        p["id"],
        _text(p["name"]),
        tuple(p["domains"]),
        p["top_url"],
        Fact(designated["value"], designated.get("source", "")),
        _text(designated["services"]) if "services" in designated else None,
        _links(p["report"]),
    )


def _rule(r: Mapping[str, Any]) -> Rule:
    return Rule(
        r["id"],
        r["chart"],
        _condition(r["when"]),
        tuple(
            Addition(a["destination"], _text(a["why"]), a.get("after"), a.get("instead_of"))
            for a in r.get("add", [])
        ),
        tuple(r.get("drop", [])),
        tuple(r.get("warnings", [])),
        tuple(r.get("notices", [])),
        r.get("evidence"),
        tuple(r.get("guides", [])),
    )


def _messages(raw: Mapping[str, Mapping[str, Any]]) -> dict[str, Message]:
    return {k: Message(_text(v), tuple(v.get("requires", []))) for k, v in raw.items()}


def build(raw: Mapping[str, dict]) -> Catalog:
    """The typed catalog from the raw files, which have passed the schema and the references."""
    platforms = {p["id"]: _platform(p) for p in raw["platforms.toml"]["platforms"]}
    links = raw["platforms.toml"]["links"]
    wording = raw["wording.toml"]
    return Catalog(
        sources={k: Source(k, **v) for k, v in raw["sources.toml"].items()},
        destinations={d["id"]: _destination(d) for d in raw["destinations.toml"]["destinations"]},
        questions=tuple(
            Question(
                q["id"],
                _condition(q.get("ask_when")),
                _text(q["text"]),
                tuple(Option(o["id"], _text(o["label"])) for o in q["options"]),
            )
            for q in raw["questions.toml"]["questions"]
        ),
        rules=tuple(_rule(r) for r in raw["rules.toml"]["rules"]),
        checklist=tuple(
            ChecklistItem(
                i["id"],
                _text(i["label"]),
                i.get("fill"),
                i.get("evidence", False),
                _condition(i.get("when")),
                tuple(i.get("destinations", [])),
                _text(i["how"]) if "how" in i else None,
                i.get("source"),
            )
            for i in raw["checklist.toml"]["items"]
        ),
        warnings=_messages(wording["warnings"]),
        notices=_messages(wording["notices"]),
        guides={
            k: tuple(GuideItem(i["id"], _text(i), i.get("source")) for i in items)
            for k, items in wording["guides"].items()
        },
        channels={k: _text(v) for k, v in wording["channels"].items()},
        reporters={k: _text(v) for k, v in wording["reporters"].items()},
        evidence={k: _text(v) for k, v in wording["evidence"].items()},
        phone_costs={k: _text(v) for k, v in wording["phone_costs"].items()},
        platforms=platforms,
        designation=_sentence(raw["platforms.toml"]["designation"]),
        links=LinkRules(
            platform_domains={d: p.id for p in platforms.values() for d in p.domains},
            shorteners=frozenset(links["shorteners"]),
            search_pages=tuple(SearchPage(**s) for s in links["search_pages"]),
            platform_pages=tuple(PlatformPage(**s) for s in links["platform_pages"]),
        ),
    )
