// The parent guide: for a parent or a teacher helping a child, the service's short advice on how
// to talk with the child and what to keep, each point with its source where it has one.

import { h, safeHref } from "../lib/dom.js";
import { marked } from "../lib/ruby.js";

export function guideSection(guide, t) {
  if (!guide?.length) {
    return null;
  }
  return h("section", { class: "guide", id: "guide" },
    h("h2", {}, t("guideHeading")),
    h("ul", {}, guide.map((item) => {
      const source = safeHref(item.source?.url);
      return h("li", { "data-guide-id": item.id },
        marked(item.text),
        source
          ? [" ", h("a", { href: source, target: "_blank", rel: "noopener noreferrer", class: "source" }, t("guideSource"))]
          : null,
      );
    })),
  );
}
