"""The declared schema of data/*.toml and the checker that walks a file against it."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from server import contract, ruby
from server.kept import MARK_CHARS


class CatalogError(Exception):
    """Broken data: the message names the file, the entry and the field."""


# A dict spec is a table (a key ending in "?" is optional, "*" means any key), a one-item list is
# an array of that spec, Choice and Ref constrain strings; Ref targets are checked after every file
# has passed the schema.


@dataclass(frozen=True)
class Choice:
    values: tuple[str, ...]


@dataclass(frozen=True)
class Ref:
    kind: str  # "source", "destination", "question", "warning", "notice", "guide"


class Url:
    """An absolute http(s) URL."""


class Condition:
    """A `when` table: question id (or site/lang/evidence) -> option id or list of option ids."""


class ChildText:
    """Wording for a child: short, with a reading for every kanji (`{警察|けいさつ}`, server/ruby.py)."""


# A key ending in "!" is required when the table's `ja` has a kanji: every text a child can see has a
# child version, unless the adult one is already kana and plain letters. English falls back to `en`.
TEXT = {"ja": str, "en": str, "ja_child!": ChildText, "en_child?": str}
# Wording only adults see (the guide for parents and school staff).
ADULT_TEXT = {"ja": str, "en": str, "ja_child?": ChildText, "en_child?": str}
SOURCED_TEXT = {**TEXT, "source": Ref("source")}
SOURCED_LIST = {"value": [str], "source": Ref("source")}
# Any one of the conditions: a fact shown only in the cases it fits (e.g. a form for one harm).
ANY_OF = [Condition]
LANGUAGE_CODES = ("ja", "en", "zh", "ko", "es", "pt", "vi", "tl", "ne", "th", "id")
# Shown only when one of these windows is in the result (domain README §7, rule 26).
REQUIRES = [Ref("destination")]

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
                "phones?": [{"number": str, "label": TEXT, "hours?": SOURCED_TEXT, "source": Ref("source")}],
                "hours?": [SOURCED_TEXT],
                "channels?": SOURCED_LIST,
                "who_may_report?": SOURCED_LIST,
                "languages": {"value": [Choice(LANGUAGE_CODES)], "source?": Ref("source")},
                "next?": SOURCED_TEXT,
                "not_accepted?": [SOURCED_TEXT],
                "form_asks?": [{**SOURCED_TEXT, "when?": ANY_OF}],
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
                "add?": [
                    {
                        "destination": Ref("destination"),
                        "why": TEXT,
                        "after?": Ref("destination"),
                        "instead_of?": Ref("destination"),
                    }
                ],
                "drop?": [Ref("destination")],
                "warnings?": [Ref("warning")],
                "notices?": [Ref("notice")],
                "guides?": [Ref("guide")],
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
        "warnings": {"*": {**TEXT, "requires?": REQUIRES}},
        "notices": {"*": {**TEXT, "requires?": REQUIRES}},
        "guides": {"*": [{"id": str, **ADULT_TEXT, "source?": Ref("source")}]},
        "channels": {"*": TEXT},
        "reporters": {"*": TEXT},
        "evidence": {"confirm": TEXT, "forbidden": TEXT},
        "phone_costs": {"free": TEXT, "charged": TEXT, "navi-dial": TEXT},
    },
    "platforms.toml": {
        "platforms": [
            {
                "id": Choice(tuple(sorted(contract.PLATFORM_IDS))),
                "name": TEXT,
                "domains": [str],
                "top_url": Url,
                "designated": {"value": bool, "source?": Ref("source"), "services?": TEXT},
                "report": [{"url": Url, "label": TEXT, "source": Ref("source"), "when?": ANY_OF}],
            }
        ],
        "designation": SOURCED_TEXT,
        "links": {
            "shorteners": [str],
            "search_pages": [{"domain": str, "path": str, "host?": str, "query?": str}],
            # Pages of a domain that belong to another platform (Google Maps on google.com).
            "platform_pages": [
                {
                    "platform": Choice(tuple(sorted(contract.PLATFORM_IDS))),
                    "domain": str,
                    "path": str,
                    "host?": str,
                }
            ],
        },
    },
}

FILES = tuple(SCHEMA)


@dataclass
class Checker:
    """Walks one file against its schema, collecting references for the second pass."""

    file: str  # as shown in errors: "data/rules.toml"
    refs: list[tuple[str, str, str]] = field(default_factory=list)  # (where, kind, id)
    conditions: list[tuple[str, dict]] = field(default_factory=list)

    def fail(self, where: str, problem: str) -> None:
        raise CatalogError(f"{self.file}: {where or '(top level)'}: {problem}")

    def check(self, value: Any, spec: Any, where: str) -> None:
        if isinstance(value, str):
            self.check_no_marks(value, where)
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
        elif spec is ChildText:
            self.check_child_text(value, where)
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
        known = {key.rstrip("?!"): key for key in spec}
        for key in value:
            if key not in known:
                self.fail(f"{where}.{key}" if where else key, "unknown field")
        for name, key in known.items():
            path = f"{where}.{name}" if where else name
            if name in value:
                self.check(value[name], spec[key], path)
            elif key.endswith("!"):
                if ruby.KANJI.search(str(value.get("ja", ""))):
                    self.fail(path, "missing field (a child can see this text and it has kanji)")
            elif not key.endswith("?"):
                self.fail(path, "missing field")

    def check_no_marks(self, value: str, where: str) -> None:
        if any(char in value for char in MARK_CHARS):
            self.fail(where, "holds U+E000 or U+E001, which the pages keep for marking a request's own text")

    def check_child_text(self, value: Any, where: str) -> None:
        if not isinstance(value, str) or not value.strip():
            self.fail(where, f"expected a non-empty str, got {value!r}")
        try:
            bare = ruby.kanji_without_reading(value)
        except ruby.RubyError as error:
            self.fail(where, str(error))
        if bare:
            self.fail(
                where, f"kanji without a reading: {''.join(dict.fromkeys(bare))} (write {{漢字|かんじ}})"
            )
