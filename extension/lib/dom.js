// A tiny element builder. Everything that comes from a page or the service (titles, selected
// text, destination names) is hostile until shown otherwise, so text only ever becomes text nodes:
// there is no innerHTML anywhere in the extension. Service and locale texts with readings come as
// Marked (./ruby.js) and are drawn as <ruby>.

import { nodesOf } from "./ruby.js";

/** h("a", {href, onclick}, "text", child, [more]) → element. null/false/"" children are skipped. */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value == null || value === false) {
      continue;
    }
    if (name.startsWith("on")) {
      element.addEventListener(name.slice(2), value);
    } else {
      element.setAttribute(name, value === true ? "" : String(value));
    }
  }
  const parts = children.flat().filter((child) => child != null && child !== false && child !== "");
  element.append(...parts.flatMap(nodesOf));
  return element;
}

/** The address when it is safe to link to (https, http or tel), else null: no javascript: links. */
export function safeHref(address) {
  if (!address) {
    return null;
  }
  try {
    const url = new URL(address);
    return ["https:", "http:", "tel:"].includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}
