// The service's warnings and notices as a screen shows them, most important first, each in the
// service's words (a child's, with readings, for a child).

import { h } from "../lib/dom.js";
import { marked } from "../lib/ruby.js";

// What opens a result, in this order: "it is not your fault" (a child, a victim of sexual
// images), then a child's "tell an adult you trust"; the safety warnings come after them.
const OPENING = Object.freeze(["not-your-fault", "tell-trusted-adult"]);

/** The opening notice, warnings, other notices and the evidence rule, most important first. */
export function notices(result, t, { evidenceRule = true } = {}) {
  const forbidden = evidenceRule && result.evidence?.screenshot === "forbidden";
  const notice = (item) => h("p", { class: "notice", "data-notice-id": item.id }, marked(item.text));
  const warning = (item) => h("p", { class: "warning", "data-warning-id": item.id }, marked(item.text));
  const isOpening = (item) => OPENING.includes(item.id);
  const byOpening = (a, b) => OPENING.indexOf(a.item.id) - OPENING.indexOf(b.item.id);
  const opening = [
    ...(result.warnings ?? []).map((item) => ({ item, draw: warning })),
    ...(result.notices ?? []).map((item) => ({ item, draw: notice })),
  ].filter(({ item }) => isOpening(item)).sort(byOpening);
  return [
    ...opening.map(({ item, draw }) => draw(item)),
    ...(result.warnings ?? [])
      .filter((item) => item.id !== "call-110" && !isOpening(item)) // 110: in the banner
      .map(warning),
    ...(result.notices ?? []).filter((item) => !isOpening(item)).map(notice),
    forbidden
      ? h("p", { class: "warning evidence-forbidden", id: "evidence-forbidden" },
          t("evidenceForbidden"), result.evidence.reason ? [" ", marked(result.evidence.reason)] : null)
      : null,
  ];
}
