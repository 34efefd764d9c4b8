"""Checks across files: ids match the contract, references exist, every answer routes somewhere."""

import itertools
import re
from collections.abc import Iterator, Mapping

from server import contract
from server.engine import applicable, place
from server.model import Catalog, Rule, phone_tariff
from server.schema import TEXT, CatalogError, Checker

# Page words a child never sees: the evidence-pack check and the map of every window.
ADULT_PAGE_WORDS = ("verify_", "map_")
# `{n}` in a page word is a place for a number, filled in before the readings are drawn.
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


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


def _check_facts(raw: Mapping[str, dict]) -> None:
    """Facts the schema cannot tell: a phone's tariff, and a source for what is not the default."""
    for dest in raw["destinations.toml"]["destinations"]:
        where = f"data/destinations.toml: destinations[{dest['id']}]"
        for index, phone in enumerate(dest.get("phones", [])):
            if phone_tariff(phone["number"]) is None:
                raise CatalogError(
                    f"{where}.phones[{index}].number: cannot tell the cost of {phone['number']!r}"
                )
        languages = dest["languages"]
        if languages["value"] != ["ja"] and "source" not in languages:
            raise CatalogError(f"{where}.languages.source: needed for languages other than Japanese")
    for platform in raw["platforms.toml"]["platforms"]:
        designated = platform["designated"]
        if designated["value"] and "source" not in designated:
            raise CatalogError(
                f"data/platforms.toml: platforms[{platform['id']}].designated.source: "
                "needed for a designated platform"
            )


def check_references(raw: Mapping[str, dict], checkers: Mapping[str, Checker]) -> None:
    """Every id matches the contract and every reference and condition names something real."""
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
        "guide": set(raw["wording.toml"]["guides"]),
    }
    # Conditions may test the answers, the URL's site and the language; checklist items also the
    # evidence decision, which the rules make.
    answer_facts = {**contract.QUESTIONS, "site": contract.SITE_KINDS, "lang": contract.LANGS}
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
    _check_facts(raw)


def matching(rules: tuple[Rule, ...], key: str, value: str | None) -> tuple[Rule, ...]:
    """The rules whose condition still holds once `key` is `value` (None: the question is not asked)."""
    return tuple(rule for rule in rules if key not in rule.when or value in rule.when[key])


def complete_paths(catalog: Catalog) -> Iterator[dict[str, str]]:
    """Every complete set of answers the questions allow, in question order."""
    return (answers for answers, _ in paths_and_rules(catalog))


def paths_and_rules(catalog: Catalog) -> Iterator[tuple[dict[str, str], tuple[Rule, ...]]]:
    """Every complete set of answers, in question order, with the rules it can match.

    The rules are narrowed as each answer is chosen, so a rule is tested once per shared beginning of
    the paths rather than once per path; what is left may still test the site and the language.
    """

    def extend(
        answers: dict[str, str], rules: tuple[Rule, ...], index: int
    ) -> Iterator[tuple[dict[str, str], tuple[Rule, ...]]]:
        if index == len(catalog.questions):
            yield answers, rules
            return
        question = catalog.questions[index]
        if not applicable(question.ask_when, answers):
            yield from extend(answers, matching(rules, question.id, None), index + 1)
            return
        for option in question.options:
            yield from extend(
                {**answers, question.id: option.id}, matching(rules, question.id, option.id), index + 1
            )

    yield from extend({}, catalog.rules, 0)


def check_reachability(catalog: Catalog) -> None:
    """Every question is asked on some path, every complete answer routes, every rule fires.

    Each path is routed with each site kind and language as `engine.route` would route it: the rules
    that match it, combined. Paths left with the same rules are routed once (590 paths share 324), and
    where a path goes depends only on the rules that add or drop a window (warnings, notices and
    evidence rules do not move one), so paths sharing those share one combination.
    """
    asked: set[str] = set()
    fired: set[str] = set()
    unrouted: list[str] = []
    routes: dict[tuple[str, ...], bool] = {}
    nowhere: dict[tuple[str, ...], list[str]] = {}
    for answers, rules in paths_and_rules(catalog):
        asked.update(answers)
        ids = tuple(rule.id for rule in rules)
        if ids not in nowhere:
            nowhere[ids] = _unrouted_places(rules, fired, routes)
        if nowhere[ids]:
            shown = ", ".join(f"{k}={v}" for k, v in answers.items())
            unrouted += [f"{shown} ({where})" for where in nowhere[ids]]
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


def _unrouted_places(
    rules: tuple[Rule, ...], fired: set[str], routes: dict[tuple[str, ...], bool]
) -> list[str]:
    """The site kinds and languages with which these rules give no destination; what fires goes in `fired`."""
    places = []
    for site, lang in itertools.product(contract.SITE_KINDS, contract.LANGS):
        matched = matching(matching(rules, "site", site), "lang", lang)
        fired.update(rule.id for rule in matched)
        placing = [rule for rule in matched if rule.add or rule.drop]
        ids = tuple(rule.id for rule in placing)
        if ids not in routes:
            routes[ids] = bool(place(placing))
        if not routes[ids]:
            places.append(f"site={site}, lang={lang}")
    return places


def check_page_words(words: Mapping[str, Mapping[str, str]]) -> None:
    """The wizard's own words ([ui] of strings.toml) that a child sees have a child version with readings."""
    checker = Checker("server/templates/strings.toml")
    for key, text in words.items():
        for version, value in text.items():
            checker.check_no_marks(value, f"ui.{key}.{version}")
        if key.startswith(ADULT_PAGE_WORDS):
            continue
        filled = {lang: _PLACEHOLDER.sub("0", value) for lang, value in text.items()}
        checker.check(filled, TEXT, f"ui.{key}")
