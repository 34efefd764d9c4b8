// The windows to report to, as the report flow shows them: one card each, in the service's order,
// with its facts exactly as the service gave them. Only safe addresses become links. A child's
// texts come with readings ({警察|けいさつ}): marked() has them drawn as <ruby>.

import { h, safeHref } from "../lib/dom.js";
import { marked } from "../lib/ruby.js";

/**
 * The cards of the service's destinations; onOpen (or null) runs when a window's page is opened.
 * lang is the interface's language, in which the languages a window answers in are named.
 */
export function destinationList(destinations, t, onOpen, lang) {
  return h("ol", { class: "destinations" },
    destinations.map((destination) => destinationCard(destination, t, onOpen, lang)),
  );
}

function destinationCard(destination, t, onOpen, lang) {
  const formUrl = safeHref(destination.form_url);
  const link = formUrl ?? safeHref(destination.url);
  const phones = (destination.phones ?? []).filter((phone) => safeHref(phone.tel)?.startsWith("tel:"));
  return h("li", { class: "card", "data-destination-id": destination.id },
    h("h3", {}, marked(destination.name)),
    destination.operator ? h("p", { class: "operator" }, marked(destination.operator)) : null,
    languagesLine(destination.languages, t, lang),
    destination.why ? h("p", { class: "why" }, marked(destination.why)) : null,
    destination.does ? h("p", { class: "does" }, marked(destination.does)) : null,
    h("p", { class: "actions" },
      link
        ? h("a", {
            class: "button primary",
            href: link,
            target: "_blank",
            rel: "noopener noreferrer",
            "data-action": formUrl ? "open-form" : "open-site",
            onclick: onOpen,
          }, t(formUrl ? "openForm" : "openSite"))
        : null,
    ),
    phones.length ? h("ul", { class: "phones" }, phones.map(phoneItem)) : null,
    destination.hours?.length ? textList("hours", t("hours"), destination.hours) : null,
    destination.next?.text
      ? h("div", { class: "facts", "data-facts": "next" },
          h("h4", {}, t("nextHeading")),
          h("p", {}, marked(destination.next.text)),
        )
      : null,
    destination.platform?.designation?.text
      ? h("p", { class: "designation", "data-designated": String(Boolean(destination.platform.designated)) },
          marked(destination.platform.designation.text))
      : null,
    destination.notes?.length ? textList("notes", t("notes"), destination.notes) : null,
    // Only the pages the service picked for this harm (a platform's other report pages are not for it).
    linkList(
      destination.platform ? t("platformReport", destination.platform.name) : t("links"),
      destination.links ?? [],
    ),
    details(destination, t),
  );
}

/** A phone's call button, with what the call costs and when it is answered (as far as known). */
function phoneItem(phone) {
  return h("li", { "data-cost": phone.cost },
    h("a", { class: "button tel", href: phone.tel, "data-tel": phone.number },
      phone.label ? [marked(phone.label), ` ${phone.number}`] : phone.number),
    phone.cost_label ? h("span", { class: "cost" }, marked(phone.cost_label)) : null,
    phone.hours ? h("span", { class: "phone-hours" }, marked(phone.hours)) : null,
  );
}

/** For a window that answers in more than Japanese: the languages, named in the interface's language. */
function languagesLine(languages, t, lang) {
  const others = (languages ?? []).filter((code) => code !== "ja");
  if (!others.length) {
    return null;
  }
  const names = new Intl.DisplayNames([lang], { type: "language" });
  const listed = new Intl.ListFormat([lang], { type: "unit" }).format(others.map((code) => names.of(code)));
  return h("p", { class: "languages", "data-languages": languages.join(" ") }, t("answersIn", listed));
}

/** Links with a safe address, each once (a platform's report page is often among the links too). */
function linkList(heading, links) {
  const byHref = new Map();
  for (const link of links) {
    const href = safeHref(link.url);
    if (href && !byHref.has(href)) {
      byHref.set(href, marked(link.label) || href);
    }
  }
  if (!byHref.size) {
    return null;
  }
  return h("div", { class: "facts", "data-facts": "links" },
    h("h4", {}, heading),
    h("ul", {}, [...byHref].map(([href, label]) =>
      h("li", {}, h("a", { href, target: "_blank", rel: "noopener noreferrer" }, label)),
    )),
  );
}

function details(destination, t) {
  const parts = [
    destination.channels?.length
      ? textList("channels", t("channels"), destination.channels.map((channel) => channel.label))
      : null,
    destination.who_may_report?.length ? textList("who", t("whoMayReport"), destination.who_may_report) : null,
    destination.not_accepted?.length ? textList("not-accepted", t("notAccepted"), destination.not_accepted) : null,
    destination.form_asks?.length ? textList("form-asks", t("formAsks"), destination.form_asks) : null,
  ].filter(Boolean);
  return parts.length ? h("details", {}, h("summary", {}, t("moreDetails")), parts) : null;
}

function textList(name, heading, items) {
  return h("div", { class: "facts", "data-facts": name },
    h("h4", {}, heading),
    h("ul", {}, items.map((item) => h("li", {}, marked(item)))),
  );
}
