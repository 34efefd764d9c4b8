// Readings for kanji in child texts, in the service's markup: {警察|けいさつ} is 警察 read けいさつ.
// Drawn as <ruby> on screen and dropped from anything copied. Only service and locale texts carry
// it: what a page or a person typed is never read as markup.

// A reading is hiragana or katakana; anything else in braces stays as it is.
const GROUP = /\{([^{}|]+)\|([\u3041-\u309f\u30a0-\u30ff]+)\}/g;

/** Text with readings: h() draws it as <ruby>, and String() of it is the plain text. */
export class Marked {
  constructor(text) {
    this.text = text;
  }

  toString() {
    return plain(this.text);
  }
}

/** A Marked when the text has readings, else the text itself (null stays null). */
export function marked(text) {
  return typeof text === "string" && hasReadings(text) ? new Marked(text) : text;
}

/** Whether the text has at least one reading. */
function hasReadings(text) {
  return new RegExp(GROUP.source).test(text);
}

/** The base text without readings. */
export function plain(text) {
  return String(text ?? "").replace(GROUP, "$1");
}

/** What to append for a child of an element: a Marked as <ruby> nodes, anything else as it is. */
export function nodesOf(child) {
  return child instanceof Marked ? rubyNodes(child.text) : [child];
}

/** The text as nodes: text nodes, and <ruby>base<rt>reading</rt></ruby> for each reading. */
function rubyNodes(text) {
  const nodes = [];
  let position = 0;
  for (const group of text.matchAll(GROUP)) {
    nodes.push(document.createTextNode(text.slice(position, group.index)));
    const ruby = document.createElement("ruby");
    const rt = document.createElement("rt");
    rt.textContent = group[2];
    ruby.append(group[1], rt);
    nodes.push(ruby);
    position = group.index + group[0].length;
  }
  nodes.push(document.createTextNode(text.slice(position)));
  return nodes.filter((node) => node.nodeName !== "#text" || node.data);
}
