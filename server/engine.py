"""The routing engine, no I/O: answers, the URL's site and the language → next question or ranked windows."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from server.model import Catalog, ChecklistItem, Condition, Message, Question, Rule, Text


class AnswerError(ValueError):
    """An answer that names no known question or option."""

    def __init__(self, code: str, question: str, option: str | None = None) -> None:
        super().__init__(code)
        self.code, self.question, self.option = code, question, option


def applicable(condition: Condition, facts: Mapping[str, str]) -> bool:
    """True when every key of the condition has one of its listed values in the facts."""
    # A loop, not all() over a generator (twice as slow): start-up's data check calls this ~160,000 times.
    for key, values in condition.items():  # noqa: SIM110
        if facts.get(key) not in values:
            return False
    return True


def possible(condition: Condition, facts: Mapping[str, str]) -> bool:
    """True when the condition holds or may still hold once the missing facts are answered."""
    return all(key not in facts or facts[key] in values for key, values in condition.items())


@dataclass(frozen=True)
class Pick:
    """One destination in the result, with the rule that placed it and why."""

    destination: str
    why: Text
    rule: str


@dataclass(frozen=True)
class Routing:
    destinations: tuple[Pick, ...]
    warnings: tuple[str, ...]
    notices: tuple[str, ...]
    evidence: str  # "allowed" | "confirm" | "forbidden"
    rule_ids: tuple[str, ...]
    guides: tuple[str, ...] = ()


@dataclass(frozen=True)
class Assessment:
    answers: Mapping[str, str]
    next_question: Question | None
    answered: int
    total: int
    routing: Routing
    checklist: tuple[ChecklistItem, ...]
    prepare: Mapping[str, tuple[str, ...]]  # destination id → checklist item ids

    @property
    def complete(self) -> bool:
        return self.next_question is None


EVIDENCE_ORDER = ("allowed", "confirm", "forbidden")


def _placed(
    picks: list[Pick], instead: Mapping[str, Pick], after: list[tuple[str, Pick]], drop: set[str]
) -> list[Pick]:
    """The picks in order once substitutes take their window's place, anchored ones follow theirs."""
    placed: dict[str, Pick] = {}
    for pick in picks:
        pick = instead.get(pick.destination, pick)
        if pick.destination not in drop:
            placed.setdefault(pick.destination, pick)
    ordered = list(placed.values())
    for anchor, pick in after:
        ids = [p.destination for p in ordered]
        if anchor in ids and pick.destination not in ids and pick.destination not in drop:
            ordered.insert(ids.index(anchor) + 1, pick)
    return ordered


def _shown(ids: dict[str, None], messages: Mapping[str, Message], chosen: set[str]) -> tuple[str, ...]:
    """The messages whose named windows are in the result (rule 26)."""
    return tuple(i for i in ids if not messages[i].requires or chosen.intersection(messages[i].requires))


def route(catalog: Catalog, answers: Mapping[str, str], site: str, lang: str = "ja") -> Routing:
    """Apply every matching rule in file order; the first rule to add a destination places it."""
    facts = {**answers, "site": site, "lang": lang}
    return combine(catalog, [rule for rule in catalog.rules if applicable(rule.when, facts)])


def place(rules: Iterable[Rule]) -> list[Pick]:
    """The windows these matching rules add, in order, once substitutes, anchors and drops apply."""
    picks: list[Pick] = []
    instead: dict[str, Pick] = {}
    after: list[tuple[str, Pick]] = []
    drop: set[str] = set()
    for rule in rules:
        for addition in rule.add:
            pick = Pick(addition.destination, addition.why, rule.id)
            if addition.instead_of:
                instead.setdefault(addition.instead_of, pick)
            elif addition.after:
                after.append((addition.after, pick))
            else:
                picks.append(pick)
        drop.update(rule.drop)
    return _placed(picks, instead, after, drop)


def combine(catalog: Catalog, rules: Iterable[Rule]) -> Routing:
    """The routing made by these matching rules, in file order (what `route` does once it has them)."""
    matched = list(rules)
    warnings: dict[str, None] = {}
    notices: dict[str, None] = {}
    guides: dict[str, None] = {}
    evidence = "allowed"
    for rule in matched:
        warnings.update(dict.fromkeys(rule.warnings))
        notices.update(dict.fromkeys(rule.notices))
        guides.update(dict.fromkeys(rule.guides))
        if rule.evidence and EVIDENCE_ORDER.index(rule.evidence) > EVIDENCE_ORDER.index(evidence):
            evidence = rule.evidence
    placed = place(matched)
    for pick in placed:
        warnings.update(dict.fromkeys(catalog.destinations[pick.destination].warnings))
    chosen = {pick.destination for pick in placed}
    return Routing(
        tuple(placed),
        _shown(warnings, catalog.warnings, chosen),
        _shown(notices, catalog.notices, chosen),
        evidence,
        tuple(rule.id for rule in matched),
        tuple(guides),
    )


def relevant_answers(catalog: Catalog, answers: Mapping[str, str]) -> dict[str, str]:
    """Check every answer names a known option and keep those the current path asks for."""
    for question_id, option_id in answers.items():
        question = catalog.question(question_id)
        if question is None:
            raise AnswerError("unknown-question", question_id)
        if question.option(option_id) is None:
            raise AnswerError("unknown-option", question_id, option_id)
    kept: dict[str, str] = {}
    for question in catalog.questions:
        if question.id in answers and applicable(question.ask_when, kept):
            kept[question.id] = answers[question.id]
    return kept


def assess(catalog: Catalog, answers: Mapping[str, str], site: str = "none", lang: str = "ja") -> Assessment:
    """The next question to ask (None when complete) and the result so far."""
    kept = relevant_answers(catalog, answers)
    pending = [q for q in catalog.questions if q.id not in kept and applicable(q.ask_when, kept)]
    total = len(kept) + sum(1 for q in catalog.questions if q.id not in kept and possible(q.ask_when, kept))
    routing = route(catalog, kept, site, lang)
    chosen = {pick.destination for pick in routing.destinations}
    facts = {**kept, "site": site, "lang": lang, "evidence": routing.evidence}
    items = tuple(
        item
        for item in catalog.checklist
        if applicable(item.when, facts) and (not item.destinations or chosen.intersection(item.destinations))
    )
    prepare = {
        pick.destination: tuple(
            item.id for item in items if not item.destinations or pick.destination in item.destinations
        )
        for pick in routing.destinations
    }
    return Assessment(
        answers=kept,
        next_question=pending[0] if pending else None,
        answered=len(kept),
        total=total,
        routing=routing,
        checklist=items,
        prepare=prepare,
    )
