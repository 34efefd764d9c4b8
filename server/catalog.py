"""Load data/*.toml, check it against the declared schema and cross-references, build a Catalog."""

import datetime as dt
import itertools
import sys
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from server import contract
from server.urls import LinkRules, SearchPage


class CatalogError(Exception):
    """Broken data: the message names the file, the entry and the field."""


# ---------------------------------------------------------------------------------------------
# The declared schema. A dict spec is a table (a key ending in "?" is optional, "*" means any
# key), a one-item list is an array of that spec, Choice and Ref constrain strings; Ref targets
# are checked after every file has passed the schema.


@dataclass(frozen=True)
class Choice:
    values: tuple[str, ...]


@dataclass(frozen=True)
class Ref:
    kind: str  # "source", "destination", "question", "warning", "notice"


class Url:
    """An absolute http(s) URL."""


class Condition:
    """A `when` table: question id (or site/evidence) -> option id or list of option ids."""


TEXT = {"ja": str, "en": str, "ja_child?": str, "en_child?": str}
SOURCED_TEXT = {"ja": str, "en": str, "source": Ref("source")}
SOURCED_LIST = {"value": [str], "source": Ref("source")}

SCHEMA: dict[str, dict[str, Any]] = {
    "sources.toml": {
        "*": {
            "url": Url,
            "title": str,
            "level": Choice(("OFF", "GOV")),
            "checked": dt.date,
        }
    },
    "destinations.toml": {
        "destinations": [
            {
                "id": str,
                "name": TEXT,
                "operator": TEXT,
                "role": TEXT,
                "does": TEXT,
                "url?": {"value": Url, "source": Ref("source")},
                "form_url?": {"value": Url, "source": Ref("source")},
                "links?": [{"url": Url, "label": TEXT, "source": Ref("source")}],
                "phones?": [{"number": str, "label": TEXT, "source": Ref("source")}],
                "hours?": [SOURCED_TEXT],
                "channels?": SOURCED_LIST,
                "who_may_report?": SOURCED_LIST,
                "not_accepted?": [SOURCED_TEXT],
                "form_asks?": [SOURCED_TEXT],
                "notes?": [SOURCED_TEXT],
                "warnings?": [Ref("warning")],
            }
        ]
    },
    "questions.toml": {
        "questions": [
            {
                "id": str,
                "ask_when?": Condition,
                "text": TEXT,
                "options": [{"id": str, "label": TEXT}],
            }
        ]
    },
    "rules.toml": {
        "rules": [
            {
                "id": str,
                "chart": str,
                "when": Condition,
                "add?": [{"destination": Ref("destination"), "why": TEXT}],
                "warnings?": [Ref("warning")],
                "notices?": [Ref("notice")],
                "evidence?": Choice(("confirm", "forbidden")),
            }
        ]
    },
    "checklist.toml": {
        "items": [
            {
                "id": str,
                "label": TEXT,
                "fill?": Choice(("url", "title", "site", "found_at", "situation", "selection")),
                "evidence?": bool,
                "when?": Condition,
                "destinations?": [Ref("destination")],
                "how?": TEXT,
                "source?": Ref("source"),
            }
        ]
    },
    "wording.toml": {
        "warnings": {"*": TEXT},
        "notices": {"*": TEXT},
        "channels": {"*": TEXT},
        "reporters": {"*": TEXT},
        "evidence": {"confirm": TEXT, "forbidden": TEXT},
    },
    "platforms.toml": {
        "platforms": [
            {
                "id": Choice(tuple(sorted(contract.PLATFORM_IDS))),
                "name": TEXT,
                "domains": [str],
                "top_url": Url,
                "report": [{"url": Url, "label": TEXT, "source": Ref("source")}],
            }
        ],
        "links": {
            "shorteners": [str],
            "search_pages": [
                {"domain": str, "path": str, "host?": str, "query?": str},
            ],
        },
    },
}

FILES = tuple(SCHEMA)


@dataclass
class _Checker:
    """Walks one file against its schema, collecting references for the second pass."""

    file: str
    refs: list[tuple[str, str, str]] = field(default_factory=list)  # (where, kind, id)
    conditions: list[tuple[str, dict]] = field(default_factory=list)

    def fail(self, where: str, problem: str) -> None:
        raise CatalogError(f"data/{self.file}: {where or '(top level)'}: {problem}")

    def check(self, value: Any, spec: Any, where: str) -> None:
        if isinstance(spec, dict):
            self.check_table(value, spec, where)
        elif isinstance(spec, list):
            if not isinstance(value, list):
                self.fail(where, f"expected a list, got {type(value).__name__}")
            for index, item in enumerate(value):
                label = item.get("id", index) if isinstance(item, dict) else index
                self.check(item, spec[0], f"{where}[{label}]")
        elif isinstance(spec, Choice):
            if value not in spec.values:
                self.fail(where, f"{value!r} is not one of {', '.join(spec.values)}")
        elif isinstance(spec, Ref):
            if not isinstance(value, str):
                self.fail(where, f"expected a {spec.kind} id")
            self.refs.append((where, spec.kind, value))
        elif spec is Url:
            if not isinstance(value, str) or not value.startswith(("https://", "http://")):
                self.fail(where, f"{value!r} is not an http(s) URL")
        elif spec is Condition:
            if not isinstance(value, dict) or not value:
                self.fail(where, "expected a table of question = option(s)")
            self.conditions.append((where, value))
        elif spec is dt.date:
            if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
                self.fail(where, f"expected a date like 2026-11-29, got {value!r}")
        elif not isinstance(value, spec) or (spec is str and not value.strip()):
            self.fail(where, f"expected a non-empty {spec.__name__}, got {value!r}")

    def check_table(self, value: Any, spec: dict, where: str) -> None:
        if not isinstance(value, dict):
            self.fail(where, f"expected a table, got {type(value).__name__}")
        if "*" in spec:
            for key, item in value.items():
                self.check(item, spec["*"], f"{where}.{key}" if where else key)
            return
        known = {key.rstrip("?"): key for key in spec}
        for key in value:
            if key not in known:
                self.fail(f"{where}.{key}" if where else key, "unknown field")
        for name, key in known.items():
            path = f"{where}.{name}" if where else name
            if name in value:
                self.check(value[name], spec[key], path)
            elif not key.endswith("?"):
                self.fail(path, "missing field")


# ---------------------------------------------------------------------------------------------
# The typed catalog the engine and the views use.


@dataclass(frozen=True)
class Text:
    ja: str
    en: str
    ja_child: str | None = None
    en_child: str | None = None

    def get(self, lang: str, child: bool = False) -> str:
        """The wording for a language, the child version when there is one."""
        if child:
            return getattr(self, f"{lang}_child") or getattr(self, lang)
        return getattr(self, lang)


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


@dataclass(frozen=True)
class Link:
    """A shown URL or phone number with its label and its source."""

    value: str
    label: Text
    source: str


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
    phones: tuple[Link, ...]
    hours: tuple[Fact, ...]
    channels: Fact | None
    who_may_report: Fact | None
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
    ask_when: Mapping[str, tuple[str, ...]]
    text: Text
    options: tuple[Option, ...]

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True)
class Addition:
    destination: str
    why: Text


@dataclass(frozen=True)
class Rule:
    id: str
    chart: str
    when: Mapping[str, tuple[str, ...]]
    add: tuple[Addition, ...]
    warnings: tuple[str, ...]
    notices: tuple[str, ...]
    evidence: str | None


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    label: Text
    fill: str | None
    evidence: bool
    when: Mapping[str, tuple[str, ...]]
    destinations: tuple[str, ...]
    how: Text | None
    source: str | None


@dataclass(frozen=True)
class Platform:
    id: str
    name: Text
    domains: tuple[str, ...]
    top_url: str
    report: tuple[Link, ...]


@dataclass(frozen=True)
class Catalog:
    sources: Mapping[str, Source]
    destinations: Mapping[str, Destination]
    questions: tuple[Question, ...]
    rules: tuple[Rule, ...]
    checklist: tuple[ChecklistItem, ...]
    warnings: Mapping[str, Text]
    notices: Mapping[str, Text]
    channels: Mapping[str, Text]
    reporters: Mapping[str, Text]
    evidence: Mapping[str, Text]
    platforms: Mapping[str, Platform]
    links: LinkRules

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


def _fact(raw: Mapping[str, Any] | None) -> Fact | None:
    return Fact(raw["value"], raw["source"]) if raw else None


def _sentences(raws: list[Mapping[str, Any]]) -> tuple[Fact, ...]:
    return tuple(Fact(_text(raw), raw["source"]) for raw in raws)


def _links(raws: list[Mapping[str, Any]], key: str) -> tuple[Link, ...]:
    return tuple(Link(raw[key], _text(raw["label"]), raw["source"]) for raw in raws)


def _condition(raw: Mapping[str, Any] | None) -> dict[str, tuple[str, ...]]:
    return {k: (v,) if isinstance(v, str) else tuple(v) for k, v in (raw or {}).items()}


def _build(raw: Mapping[str, dict]) -> Catalog:
    dests = {
        d["id"]: Destination(
            id=d["id"],
            name=_text(d["name"]),
            operator=_text(d["operator"]),
            role=_text(d["role"]),
            does=_text(d["does"]),
            url=_fact(d.get("url")),
            form_url=_fact(d.get("form_url")),
            links=_links(d.get("links", []), "url"),
            phones=_links(d.get("phones", []), "number"),
            hours=_sentences(d.get("hours", [])),
            channels=_fact(d.get("channels")),
            who_may_report=_fact(d.get("who_may_report")),
            not_accepted=_sentences(d.get("not_accepted", [])),
            form_asks=_sentences(d.get("form_asks", [])),
            notes=_sentences(d.get("notes", [])),
            warnings=tuple(d.get("warnings", [])),
        )
        for d in raw["destinations.toml"]["destinations"]
    }
    platforms_raw = raw["platforms.toml"]
    platforms = {
        p["id"]: Platform(
            p["id"], _text(p["name"]), tuple(p["domains"]), p["top_url"], _links(p["report"], "url")
        )
        for p in platforms_raw["platforms"]
    }
    links = platforms_raw["links"]
    wording = raw["wording.toml"]
    return Catalog(
        sources={k: Source(k, **v) for k, v in raw["sources.toml"].items()},
        destinations=dests,
        questions=tuple(
            Question(
                q["id"],
                _condition(q.get("ask_when")),
                _text(q["text"]),
                tuple(Option(o["id"], _text(o["label"])) for o in q["options"]),
            )
            for q in raw["questions.toml"]["questions"]
        ),
        rules=tuple(
            Rule(
                r["id"],
                r["chart"],
                _condition(r["when"]),
                tuple(Addition(a["destination"], _text(a["why"])) for a in r.get("add", [])),
                tuple(r.get("warnings", [])),
                tuple(r.get("notices", [])),
                r.get("evidence"),
            )
            for r in raw["rules.toml"]["rules"]
        ),
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
        warnings={k: _text(v) for k, v in wording["warnings"].items()},
        notices={k: _text(v) for k, v in wording["notices"].items()},
        channels={k: _text(v) for k, v in wording["channels"].items()},
        reporters={k: _text(v) for k, v in wording["reporters"].items()},
        evidence={k: _text(v) for k, v in wording["evidence"].items()},
        platforms=platforms,
        links=LinkRules(
            platform_domains={d: p.id for p in platforms.values() for d in p.domains},
            shorteners=frozenset(links["shorteners"]),
            search_pages=tuple(SearchPage(**s) for s in links["search_pages"]),
        ),
    )


# ---------------------------------------------------------------------------------------------
# Cross-references: ids exist, match the contract, every question and rule can be reached, and
# every complete answer routes somewhere.


def _ids(entries: list[dict], file: str, what: str) -> set[str]:
    seen: set[str] = set()
    for entry in entries:
        if entry["id"] in seen:
            raise CatalogError(f"data/{file}: {what}[{entry['id']}].id: duplicate id")
        seen.add(entry["id"])
    return seen


def _require_exactly(found: set[str], expected: set[str], file: str, what: str) -> None:
    missing, unknown = sorted(expected - found), sorted(found - expected)
    if unknown:
        raise CatalogError(f"data/{file}: {what}[{unknown[0]}].id: unknown id (not in the contract)")
    if missing:
        raise CatalogError(f"data/{file}: {what}: missing {', '.join(missing)}")


def _check_references(raw: Mapping[str, dict], checkers: Mapping[str, _Checker]) -> None:
    questions = raw["questions.toml"]["questions"]
    _require_exactly(
        _ids(raw["destinations.toml"]["destinations"], "destinations.toml", "destinations"),
        set(contract.DESTINATION_IDS),
        "destinations.toml",
        "destinations",
    )
    _require_exactly(
        _ids(questions, "questions.toml", "questions"),
        set(contract.QUESTIONS),
        "questions.toml",
        "questions",
    )
    for question in questions:
        where = f"questions[{question['id']}].options"
        found = _ids(question["options"], "questions.toml", where)
        _require_exactly(found, set(contract.QUESTIONS[question["id"]]), "questions.toml", where)
    _require_exactly(
        set(raw["wording.toml"]["warnings"]), set(contract.WARNING_IDS), "wording.toml", "warnings"
    )
    _ids(raw["rules.toml"]["rules"], "rules.toml", "rules")
    _ids(raw["checklist.toml"]["items"], "checklist.toml", "items")
    _ids(raw["platforms.toml"]["platforms"], "platforms.toml", "platforms")

    known = {
        "source": set(raw["sources.toml"]),
        "destination": set(contract.DESTINATION_IDS),
        "question": set(contract.QUESTIONS),
        "warning": set(contract.WARNING_IDS),
        "notice": set(raw["wording.toml"]["notices"]),
    }
    # Rules and questions may test the answers and the URL's site; checklist items also the
    # evidence decision, which the rules make.
    answer_facts = {**contract.QUESTIONS, "site": contract.SITE_KINDS}
    facts = {file: answer_facts for file in checkers}
    facts["checklist.toml"] = {**answer_facts, "evidence": contract.EVIDENCE_KINDS}
    for file, checker in checkers.items():
        for where, kind, value in checker.refs:
            if value not in known[kind]:
                raise CatalogError(f"data/{file}: {where}: unknown {kind} {value!r}")
        for where, condition in checker.conditions:
            allowed = facts[file]
            for key, value in condition.items():
                if key not in allowed:
                    raise CatalogError(f"data/{file}: {where}.{key}: unknown question {key!r}")
                for option in [value] if isinstance(value, str) else value:
                    if option not in allowed[key]:
                        raise CatalogError(
                            f"data/{file}: {where}.{key}: {option!r} is not an option of {key}"
                        )


def complete_paths(catalog: Catalog) -> Iterator[dict[str, str]]:
    """Every complete set of answers the questions allow, in question order."""
    from server.engine import applicable  # the engine decides which questions apply

    def extend(answers: dict[str, str], index: int) -> Iterator[dict[str, str]]:
        if index == len(catalog.questions):
            yield answers
            return
        question = catalog.questions[index]
        if not applicable(question.ask_when, answers):
            yield from extend(answers, index + 1)
            return
        for option in question.options:
            yield from extend({**answers, question.id: option.id}, index + 1)

    yield from extend({}, 0)


def _check_reachability(catalog: Catalog) -> None:
    from server.engine import route

    asked: set[str] = set()
    fired: set[str] = set()
    unrouted: list[str] = []
    for answers, site in itertools.product(complete_paths(catalog), contract.SITE_KINDS):
        asked.update(answers)
        result = route(catalog, answers, site)
        fired.update(result.rule_ids)
        if not result.destinations:
            shown = ", ".join(f"{k}={v}" for k, v in answers.items())
            unrouted.append(f"{shown} (site={site})")
    for question in catalog.questions:
        if question.id not in asked:
            raise CatalogError(
                f"data/questions.toml: questions[{question.id}].ask_when: no answer path reaches it"
            )
    if unrouted:
        raise CatalogError(f"data/rules.toml: rules: no destination for {unrouted[0]}")
    for rule in catalog.rules:
        if rule.id not in fired:
            raise CatalogError(f"data/rules.toml: rules[{rule.id}].when: no answer path matches it")


def load(data_dir: Path) -> Catalog:
    """Read and validate every data file, raising CatalogError on the first problem."""
    raw: dict[str, dict] = {}
    checkers: dict[str, _Checker] = {}
    for file in FILES:
        path = data_dir / file
        try:
            raw[file] = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CatalogError(f"data/{file}: file is missing") from None
        except tomllib.TOMLDecodeError as error:
            raise CatalogError(f"data/{file}: not valid TOML: {error}") from None
        checkers[file] = _Checker(file)
        checkers[file].check(raw[file], SCHEMA[file], "")
    _check_references(raw, checkers)
    catalog = _build(raw)
    _check_reachability(catalog)
    return catalog


def main(argv: list[str]) -> int:
    """`python -m server.catalog DATA_DIR`: validate the data as start-up does (make check-data)."""
    data_dir = Path(argv[1] if len(argv) > 1 else "data")
    try:
        catalog = load(data_dir)
    except CatalogError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(
        f"data ok: {len(catalog.destinations)} destinations, {len(catalog.questions)} questions, "
        f"{len(catalog.rules)} rules, {len(catalog.platforms)} platforms, "
        f"{len(catalog.sources)} sources"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
