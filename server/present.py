"""Turn an assessment into the words a person reads: the API's JSON, in Japanese or English."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from server.catalog import Catalog, Destination, Fact, Question, Text
from server.engine import Assessment
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


def question_view(question: Question, lang: str, child: bool) -> dict[str, Any]:
    return {
        "id": question.id,
        "text": question.text.get(lang, child),
        "options": [{"id": o.id, "label": o.label.get(lang, child)} for o in question.options],
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


def site_view(catalog: Catalog, site: SiteInfo | None, lang: str) -> dict[str, Any] | None:
    if site is None:
        return None
    platform = catalog.platforms.get(site.platform_id or "")
    return {
        "url": site.url,
        "host": site.host,
        "host_ascii": site.host_ascii,
        "registered_domain": site.registered_domain,
        "platform": platform
        and {
            "id": platform.id,
            "name": platform.name.get(lang),
            "top_url": platform.top_url,
            "report": [{"url": r.value, "label": r.label.get(lang)} for r in platform.report],
        },
    }


def site_text(catalog: Catalog, site: SiteInfo | None, lang: str) -> str | None:
    if site is None:
        return None
    platform = catalog.platforms.get(site.platform_id or "")
    if platform is None:
        return site.registered_domain
    name = platform.name.get(lang)
    return f"{site.registered_domain}（{name}）" if lang == "ja" else f"{site.registered_domain} ({name})"


def _texts(facts: tuple[Fact, ...], lang: str) -> list[str]:
    return [fact.value.get(lang) for fact in facts]


def sources_of(catalog: Catalog, destination: Destination) -> list[dict[str, Any]]:
    """The sources behind every fact shown for a destination, each once."""
    facts = [
        destination.url,
        destination.form_url,
        destination.channels,
        destination.who_may_report,
        *destination.links,
        *destination.phones,
        *destination.hours,
        *destination.not_accepted,
        *destination.form_asks,
        *destination.notes,
    ]
    ids = dict.fromkeys(f.source for f in facts if f is not None)
    return [
        {
            "id": s.id,
            "url": s.url,
            "title": s.title,
            "level": s.level,
            "checked": s.checked.isoformat(),
        }
        for s in (catalog.sources[i] for i in ids)
    ]


def destination_view(
    catalog: Catalog, destination: Destination, lang: str, child: bool = False
) -> dict[str, Any]:
    """Every shown fact of a destination in one language."""
    labels = catalog.channels
    reporters = catalog.reporters
    return {
        "id": destination.id,
        "name": destination.name.get(lang, child),
        "operator": destination.operator.get(lang),
        "role": destination.role.get(lang),
        "does": destination.does.get(lang, child),
        "url": destination.url and destination.url.value,
        "form_url": destination.form_url and destination.form_url.value,
        "links": [{"url": f.value, "label": f.label.get(lang)} for f in destination.links],
        "phones": [
            {"number": f.value, "tel": tel_link(f.value), "label": f.label.get(lang)}
            for f in destination.phones
        ],
        "hours": _texts(destination.hours, lang),
        "channels": [
            {"id": c, "label": labels[c].get(lang)}
            for c in (destination.channels.value if destination.channels else [])
        ],
        "who_may_report": [
            reporters[r].get(lang)
            for r in (destination.who_may_report.value if destination.who_may_report else [])
        ],
        "not_accepted": _texts(destination.not_accepted, lang),
        "form_asks": _texts(destination.form_asks, lang),
        "notes": _texts(destination.notes, lang),
        "sources": sources_of(catalog, destination),
    }


def checklist_view(
    catalog: Catalog, assessment: Assessment, known: Known, lang: str, child: bool
) -> dict[str, Any]:
    """The checklist in the interface language, plus the Japanese block to paste into forms."""

    def items(in_lang: str, as_child: bool) -> list[dict[str, Any]]:
        known_values = {
            "url": known.url,
            "title": known.title,
            "site": site_text(catalog, known.site, in_lang),
            "found_at": jst_text(known.found_at, in_lang),
            "situation": situation_text(catalog, dict(assessment.answers), in_lang),
            "selection": known.selection,
        }
        return [
            {
                "id": item.id,
                "label": item.label.get(in_lang, as_child),
                "value": known_values[item.fill] if item.fill else None,
                "fill": item.fill,
                "evidence": item.evidence,
                "how": item.how.get(in_lang) if item.how else None,
            }
            for item in assessment.checklist
        ]

    return {
        "items": items(lang, child),
        "text_ja": japanese_block(items("ja", False)),
        "found_at": known.found_at.astimezone(JST).isoformat(timespec="seconds"),
    }


def japanese_block(rows: list[dict[str, Any]]) -> str:
    """One plain-text block for a Japanese form or e-mail: known facts first, then what to keep."""
    facts = [f"{r['label']}：{r['value'] or BLANK}" for r in rows if r["fill"]]
    todo = [f"□ {r['label']}" for r in rows if not r["fill"]]
    lines = ["【通報・相談メモ】", *facts]
    if todo:
        lines += ["", "【用意するもの・証拠】", *todo]
    return "\n".join(lines)


def pick_view(
    catalog: Catalog, assessment: Assessment, index: int, known: Known, lang: str, child: bool
) -> dict[str, Any]:
    pick = assessment.routing.destinations[index]
    view = destination_view(catalog, catalog.destinations[pick.destination], lang, child)
    view["why"] = pick.why.get(lang, child)
    view["rank"] = index + 1
    view["checklist"] = list(assessment.prepare[pick.destination])
    site = site_view(catalog, known.site, lang)
    platform = site["platform"] if site and pick.destination == "site-operator" else None
    view["platform"] = platform
    if platform:
        # A platform may have several report pages (each for one kind of harm): show them all.
        view["url"] = platform["top_url"]
        view["links"] = platform["report"]
    return view


def _messages(ids: tuple[str, ...], texts: dict[str, Text], lang: str, child: bool) -> list[dict]:
    return [{"id": i, "text": texts[i].get(lang, child)} for i in ids]


def assessment_view(catalog: Catalog, assessment: Assessment, known: Known, lang: str) -> dict[str, Any]:
    """The whole response of POST /api/v1/assess (domain README §6)."""
    child = assessment.answers.get("reporter") == "child"
    routing = assessment.routing
    url_warnings = known.site.warnings if known.site else ()
    warnings = tuple(dict.fromkeys((*routing.warnings, *url_warnings)))
    evidence = routing.evidence
    reason = catalog.evidence[evidence].get(lang, child) if evidence in catalog.evidence else None
    return {
        "complete": assessment.complete,
        "lang": lang,
        "audience": "child" if child else "adult",
        "answers": dict(assessment.answers),
        "next_question": assessment.next_question and question_view(assessment.next_question, lang, child),
        "progress": {"answered": assessment.answered, "total": assessment.total},
        "destinations": [
            pick_view(catalog, assessment, i, known, lang, child) for i in range(len(routing.destinations))
        ],
        "warnings": _messages(warnings, dict(catalog.warnings), lang, child),
        "notices": _messages(routing.notices, dict(catalog.notices), lang, child),
        "checklist": checklist_view(catalog, assessment, known, lang, child),
        "site": site_view(catalog, known.site, lang),
        "evidence": {
            "screenshot": "forbidden" if evidence == "forbidden" else "allowed",
            "confirm": evidence == "confirm",
            "reason": reason,
        },
    }
