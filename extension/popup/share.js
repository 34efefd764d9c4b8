// 「おうちの人に見せる」 / "Show an adult": opens the service's share view (a link and a QR code) for
// this result, so that the same result can be opened on an adult's phone. The link holds the
// answers and the language; the reported address only when the person ticks it; never the title
// or the selected text.

import { h } from "../lib/dom.js";
import { serviceHost } from "../lib/options.js";

/**
 * The service's share view (/wizard/share) for these answers and the time of finding; the page's
 * address only when the person chose to include it (include_url tells the view to put it in the link).
 */
export function shareUrl(serviceUrl, answers, lang, foundAt, url = null) {
  const query = new URLSearchParams(Object.entries(answers));
  query.set("lang", lang);
  if (foundAt) {
    query.set("found_at", foundAt);
  }
  if (url) {
    query.set("url", url);
    query.set("include_url", "1");
  }
  return new URL(`/wizard/share?${query}`, serviceUrl).href;
}

/** The share part of a result: what the link holds, the tick for the address, and the button. */
export function shareSection(flow, result, t) {
  const answers = result.answers ?? Object.fromEntries(flow.steps.at(-1)?.answers ?? []);
  const link = h("a", {
    class: "button primary",
    id: "share-open",
    href: shareUrl(flow.serviceUrl, answers, flow.lang, flow.target.found_at),
    target: "_blank",
    rel: "noopener noreferrer",
  }, t("shareButton"));
  const withUrl = flow.target.url
    ? h("input", {
        type: "checkbox",
        id: "share-with-url",
        onchange: (event) => {
          const url = event.target.checked ? flow.target.url : null;
          link.href = shareUrl(flow.serviceUrl, answers, flow.lang, flow.target.found_at, url);
        },
      })
    : null;
  return h("section", { class: "share", id: "share" },
    h("h2", {}, t("shareHeading")),
    h("p", {}, t("shareHolds")),
    withUrl ? h("p", { class: "tick" }, withUrl, " ", h("label", { for: "share-with-url" }, t("shareWithUrl"))) : null,
    h("p", { class: "actions" }, link),
    h("p", { class: "note" }, t("shareOpens", serviceHost(flow.serviceUrl))),
  );
}
