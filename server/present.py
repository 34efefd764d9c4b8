"""Turn an assessment into the words a person reads: the API's JSON, in Japanese or English."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from server.engine import Assessment, applicable
from server.model import Catalog, Condition, Destination, Fact, Link, Message, Phone, Question
from server.urls import SiteInfo

JST = dt.timezone(dt.timedelta(hours=9), "JST")
BLANK = "（　　　　　　　　）"


@dataclass(frozen=True)
class Known:
    """What the person already told us about the page, used to prefill the checklist."""

    found_at: dt.datetime
    url: str | None = None
    title: str | None = None
    selection: str | None = None
    site: SiteInfo | None = None


def jst_text(moment: dt.datetime, lang: str) -> str:
    """An absolute date and time in Japan time, never "3 minutes ago"."""
    local = moment.astimezone(JST)
    if lang == "en":
        return local.strftime("%-d %b %Y, %H:%M JST")
    return f"{local.year}年{local.month}月{local.day}日 {local.hour}時{local.minute:02d}分（日本時間）"


def tel_link(number: str) -> str:
    """A tel: URI for a shown number ('#' must be escaped in a URI)."""
    return "tel:" + "".join(c for c in number if c.isdigit() or c == "#").replace("#", "%23")


def question_view(question: Question, lang: str, child: bool, markup: bool = False) -> dict[str, Any]:
    return {
        "id": question.id,
        "text": question.text.get(lang, child, markup),
        "options": [{"id": o.id, "label": o.label.get(lang, child, markup)} for o in question.options],
    }


def situation_text(catalog: Catalog, answers: dict[str, str], lang: str) -> str | None:
    """The situation in words, from the labels of the answers that describe it."""
    parts = []
    for question_id in ("situation", "harm", "category", "goal"):
        if question_id in answers:
            parts.append(catalog.option_label(question_id, answers[question_id]).get(lang))
    if not parts:
        return None
    return ("／" if lang == "ja" else " / ").join(parts)


def fits(when: tuple[Condition, ...], answers: dict[str, str]) -> bool:
    """True when a fact has no conditions or one of them holds for these answers."""
    return not when or any(applicable(condition, answers) for condition in when)


def platform_view(
    catalog: Catalog, platform_id: str, lang: str, child: bool = False, markup: bool = False
) -> dict[str, Any]:
    """A platform's entry: its report pages, and whether it is designated under the platform act."""
    platform = catalog.platforms[platform_id]
    designated = bool(platform.designated.value)
    return {
        "id": platform.id,
        "name": platform.name.get(lang, child, markup),
        "top_url": platform.top_url,
        "report": [{"url": r.value, "label": r.label.get(lang, child, markup)} for r in platform.report],
        "designated": designated,
        "designated_services": platform.services.get(lang, child, markup) if platform.services else None,
        # The GOV list that names the platform, and the sentence on what that obliges its operator to do.
        # (`designated: false` is not sourced for every platform: then none.)
        "designated_source": platform.designated.source or None,
        "designation": (
            {"text": catalog.designation.value.get(lang, child, markup), "source": catalog.designation.source}
            if designated
            else None
        ),
    }


def site_view(
    catalog: Catalog, site: SiteInfo | None, lang: str, child: bool = False, markup: bool = False
) -> dict[str, Any] | None:
    if site is None:
        return None
    return {
        "url": site.url,
        "host": site.host,
        "host_ascii": site.host_ascii,
        "registered_domain": site.registered_domain,
        "platform": platform_view(catalog, site.platform_id, lang, child, markup)
        if site.platform_id
        else None,
    }


def site_text(catalog: Catalog, site: SiteInfo | None, lang: str) -> str | None:
    if site is None:
        return None
    platform = catalog.platforms.get(site.platform_id or "")
    if platform is None:
        return site.registered_domain
    name = platform.name.get(lang)
    return f"{site.registered_domain}（{name}）" if lang == "ja" else f"{site.registered_domain} ({name})"


def _texts(facts: tuple[Fact, ...], lang: str, child: bool = False, markup: bool = False) -> list[str]:
    return [fact.value.get(lang, child, markup) for fact in facts]


def phone_view(
    catalog: Catalog, phone: Phone, lang: str, child: bool, markup: bool = False
) -> dict[str, Any]:
    """A phone with what the call costs and when it is answered."""
    return {
        "number": phone.value,
        "tel": tel_link(phone.value),
        "label": phone.label.get(lang, child, markup),
        "cost": phone.cost,
        "cost_label": catalog.phone_costs[phone.tariff].get(lang, child, markup),
        "hours": phone.hours.value.get(lang, child, markup) if phone.hours else None,
    }


def sources_of(
    catalog: Catalog, destination: Destination, shown: Iterable[Fact | Link] = ()
) -> list[dict[str, Any]]:
    """The sources behind every fact shown for a destination (and `shown` with it), each once."""
    facts = [
        destination.url,
        destination.form_url,
        destination.channels,
        destination.who_may_report,
        *destination.links,
        *destination.phones,
        *(phone.hours for phone in destination.phones),
        destination.languages,
        destination.next,
        *destination.hours,
        *destination.not_accepted,
        *destination.form_asks,
        *destination.notes,
        *shown,
    ]
    ids = dict.fromkeys(f.source for f in facts if f is not None and f.source)
    return [source_view(catalog, i) for i in ids]


def source_view(catalog: Catalog, source_id: str) -> dict[str, Any]:
    s = catalog.sources[source_id]
    return {"id": s.id, "url": s.url, "title": s.title, "level": s.level, "checked": s.checked.isoformat()}


def destination_view(
    catalog: Catalog, destination: Destination, lang: str, child: bool = False, markup: bool = False
) -> dict[str, Any]:
    """Every shown fact of a destination in one language."""
    labels = catalog.channels
    reporters = catalog.reporters
    return {
        "id": destination.id,
        "name": destination.name.get(lang, child, markup),
        "operator": destination.operator.get(lang, child, markup),
        "role": destination.role.get(lang, child, markup),
        "does": destination.does.get(lang, child, markup),
        "url": destination.url and destination.url.value,
        "form_url": destination.form_url and destination.form_url.value,
        "links": [{"url": f.value, "label": f.label.get(lang, child, markup)} for f in destination.links],
        "phones": [phone_view(catalog, phone, lang, child, markup) for phone in destination.phones],
        "hours": _texts(destination.hours, lang, child, markup),
        "languages": list(destination.languages.value),
        "next": destination.next
        and {"text": destination.next.value.get(lang, child, markup), "source": destination.next.source},
        "channels": [
            {"id": c, "label": labels[c].get(lang, child, markup)}
            for c in (destination.channels.value if destination.channels else [])
        ],
        "who_may_report": [
            reporters[r].get(lang, child, markup)
            for r in (destination.who_may_report.value if destination.who_may_report else [])
        ],
        "not_accepted": _texts(destination.not_accepted, lang, child, markup),
        "form_asks": _texts(destination.form_asks, lang, child, markup),
        "notes": _texts(destination.notes, lang, child, markup),
        "sources": sources_of(catalog, destination),
    }


def checklist_items(
    catalog: Catalog, assessment: Assessment, lang: str, child: bool, markup: bool = False
) -> list[dict[str, Any]]:
    """The checklist's rows in one language; `fill` names the known fact a row shows, not yet filled in."""
    return [
        {
            "id": item.id,
            "label": item.label.get(lang, child, markup),
            "fill": item.fill,
            "evidence": item.evidence,
            "how": item.how.get(lang, child, markup) if item.how else None,
        }
        for item in assessment.checklist
    ]


@dataclass(frozen=True)
class ChecklistFrame:
    """A checklist before what the request sent is filled in: its rows and the situation in words, in
    the page's language and in Japanese (for the block to paste into forms)."""

    rows: list[dict[str, Any]]
    rows_ja: list[dict[str, Any]]
    situation: str | None
    situation_ja: str | None


def checklist_frame(
    catalog: Catalog, assessment: Assessment, lang: str, child: bool, markup: bool = False
) -> ChecklistFrame:
    """Everything of the checklist that depends only on the answer."""
    answers = dict(assessment.answers)
    return ChecklistFrame(
        checklist_items(catalog, assessment, lang, child, markup),
        checklist_items(catalog, assessment, "ja", False),
        situation_text(catalog, answers, lang),
        situation_text(catalog, answers, "ja"),
    )


def known_facts(catalog: Catalog, known: Known, situation: str | None, lang: str) -> dict[str, str | None]:
    """What the rows can be filled with: what the request sent, and the situation in words."""
    return {
        "url": known.url,
        "title": known.title,
        "site": site_text(catalog, known.site, lang),
        "found_at": jst_text(known.found_at, lang),
        "situation": situation,
        "selection": known.selection,
    }


def checklist_of(catalog: Catalog, frame: ChecklistFrame, known: Known, lang: str) -> dict[str, Any]:
    """The checklist in the interface language, plus the Japanese block to paste into forms."""
    facts_ja = known_facts(catalog, known, frame.situation_ja, "ja")
    # A Japanese page's facts are the block's: the situation and times in the same words.
    facts = facts_ja if lang == "ja" else known_facts(catalog, known, frame.situation, lang)
    return {
        "items": [{**row, "value": facts[row["fill"]] if row["fill"] else None} for row in frame.rows],
        "text_ja": japanese_block(frame.rows_ja, facts_ja),
        "found_at": known.found_at.astimezone(JST).isoformat(timespec="seconds"),
    }


def japanese_block(rows: list[dict[str, Any]], facts: dict[str, str | None]) -> str:
    """One plain-text block for a Japanese form or e-mail: known facts first, then what to keep."""
    filled = [f"{r['label']}：{facts[r['fill']] or BLANK}" for r in rows if r["fill"]]
    todo = [f"□ {r['label']}" for r in rows if not r["fill"]]
    lines = ["【通報・相談メモ】", *filled]
    if todo:
        lines += ["", "【用意するもの・証拠】", *todo]
    return "\n".join(lines)


def pick_view(
    catalog: Catalog,
    assessment: Assessment,
    index: int,
    site: SiteInfo | None,
    lang: str,
    child: bool,
    markup: bool = False,
) -> dict[str, Any]:
    pick = assessment.routing.destinations[index]
    destination = catalog.destinations[pick.destination]
    answers = dict(assessment.answers)
    view = destination_view(catalog, destination, lang, child, markup)
    view["why"] = pick.why.get(lang, child, markup)
    view["rank"] = index + 1
    view["checklist"] = list(assessment.prepare[pick.destination])
    # A form's list is shown only in the cases that form is for (e.g. SafeLine's revenge-porn form).
    view["form_asks"] = [
        f.value.get(lang, child, markup) for f in destination.form_asks if fits(f.when, answers)
    ]
    platform_id = site.platform_id if site and pick.destination == "site-operator" else None
    view["platform"] = platform_id and platform_view(catalog, platform_id, lang, child, markup)
    if platform_id:
        # Only the report pages made for this kind of harm; with none, the top page and the
        # generic route in `does`.
        platform = catalog.platforms[platform_id]
        pages = [r for r in platform.report if fits(r.when, answers)]
        view["url"] = platform.top_url
        view["links"] = [{"url": r.value, "label": r.label.get(lang, child, markup)} for r in pages]
        # The card shows the platform's pages and whether (and so what) it is designated: their sources too.
        duty = [catalog.designation] if platform.designated.value else []
        view["sources"] = sources_of(catalog, destination, [*pages, platform.designated, *duty])
    return view


def _messages(
    ids: tuple[str, ...], messages: dict[str, Message], lang: str, child: bool, markup: bool = False
) -> list[dict]:
    return [{"id": i, "text": messages[i].text.get(lang, child, markup)} for i in ids]


def guide_view(catalog: Catalog, ids: tuple[str, ...], lang: str) -> list[dict[str, Any]]:
    """The advice for the adults helping a child, each with its source (None: the service's own advice)."""
    return [
        {
            "id": item.id,
            "text": item.text.get(lang),
            "source": item.source and source_view(catalog, item.source),
        }
        for guide in ids
        for item in catalog.guides[guide]
    ]


def shared_view(
    catalog: Catalog, assessment: Assessment, site: SiteInfo | None, lang: str, markup: bool = False
) -> dict[str, Any]:
    """The response but for what the request sent (its checklist and site): the same for every request
    with these answers, site kind, platform and URL warnings."""
    child = assessment.answers.get("reporter") == "child"
    routing = assessment.routing
    url_warnings = site.warnings if site else ()
    warnings = tuple(dict.fromkeys((*routing.warnings, *url_warnings)))
    evidence = routing.evidence
    reason = catalog.evidence[evidence].get(lang, child, markup) if evidence in catalog.evidence else None
    return {
        "complete": assessment.complete,
        "lang": lang,
        "audience": "child" if child else "adult",
        "answers": dict(assessment.answers),
        "next_question": assessment.next_question
        and question_view(assessment.next_question, lang, child, markup),
        "progress": {"answered": assessment.answered, "total": assessment.total},
        "destinations": [
            pick_view(catalog, assessment, i, site, lang, child, markup)
            for i in range(len(routing.destinations))
        ],
        "warnings": _messages(warnings, dict(catalog.warnings), lang, child, markup),
        "notices": _messages(routing.notices, dict(catalog.notices), lang, child, markup),
        "guide": guide_view(catalog, routing.guides, lang),
        "evidence": {
            "screenshot": "forbidden" if evidence == "forbidden" else "allowed",
            "confirm": evidence == "confirm",
            "reason": reason,
        },
    }


def own_view(
    catalog: Catalog, frame: ChecklistFrame, known: Known, lang: str, child: bool, markup: bool = False
) -> dict[str, Any]:
    """The parts of the response that hold what the request sent: the filled checklist and the site."""
    return {
        "checklist": checklist_of(catalog, frame, known, lang),
        "site": site_view(catalog, known.site, lang, child, markup),
    }


def assessment_view(
    catalog: Catalog, assessment: Assessment, known: Known, lang: str, markup: bool = False
) -> dict[str, Any]:
    """The whole response of POST /api/v1/assess (domain README §6); `markup` keeps a child's readings."""
    child = assessment.answers.get("reporter") == "child"
    frame = checklist_frame(catalog, assessment, lang, child, markup)
    return {
        **shared_view(catalog, assessment, known.site, lang, markup),
        **own_view(catalog, frame, known, lang, child, markup),
    }
