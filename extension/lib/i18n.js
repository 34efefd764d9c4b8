// The strings live in _locales/<lang>/messages.json. chrome.i18n.getMessage() only follows the
// browser's language, and a person may choose another one in the options, so pages read the file
// of the chosen language themselves. Only "$1"…"$9" substitutions are used.
//
// A child reads a child's wording: where it differs, the file has the same key with "Child" at
// the end (urgent110 → urgent110Child), with readings for kanji ({警察|けいさつ}, ./ruby.js). This is
// the one place that chooses between them.

import { Marked, marked, nodesOf } from "./ruby.js";

/**
 * Loads one language and returns t(key, ...substitutions): the child's wording while isChild()
 * holds, as a Marked when it has readings (h() draws them; String() of it is plain text).
 */
export async function loadMessages(lang, isChild = () => false) {
  const response = await fetch(chrome.runtime.getURL(`_locales/${lang}/messages.json`));
  const messages = await response.json();
  return (key, ...substitutions) => {
    const entry = (isChild() && messages[`${key}Child`]) || messages[key];
    if (!entry) {
      console.error(`No message "${key}" in ${lang}`);
      return key;
    }
    const text = entry.message.replace(/\$(\d)/g, (_, n) => {
      const value = substitutions[n - 1];
      return value instanceof Marked ? value.text : String(value ?? "");
    });
    return marked(text);
  };
}

/** Fills every element marked data-i18n="key" with its text (never as HTML), readings as <ruby>. */
export function localise(root, t) {
  for (const element of root.querySelectorAll("[data-i18n]")) {
    const text = t(element.dataset.i18n);
    // A <title> holds text only.
    if (element.localName === "title") {
      element.textContent = String(text);
    } else {
      element.replaceChildren(...nodesOf(text));
    }
  }
}
