// HTML as text, for the one file the extension writes as HTML: the report.html of an evidence
// pack. Every value put into an html`…` template is escaped, unless it is itself an html`…`
// result, so a hostile page title can only ever become text.

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

class Html {
  constructor(text) {
    this.text = text;
  }

  toString() {
    return this.text;
  }
}

export function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, (char) => ESCAPES[char]);
}

/** html`<p>${value}</p>`: values escaped; arrays joined; null, undefined and false left out. */
export function html(strings, ...values) {
  return new Html(strings.reduce((text, string, i) => text + string + (i < values.length ? part(values[i]) : ""), ""));
}

function part(value) {
  if (value instanceof Html) {
    return value.text;
  }
  if (Array.isArray(value)) {
    return value.map(part).join("");
  }
  return value == null || value === false ? "" : escapeHtml(value);
}
