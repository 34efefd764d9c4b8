// The strings live in _locales/<lang>/messages.json. chrome.i18n.getMessage() only follows the
// browser's language, and a person may choose another one in the options, so pages read the file
// of the chosen language themselves. Only "$1"…"$9" substitutions are used.

/** Loads one language and returns t(key, ...substitutions). */
export async function loadMessages(lang) {
  const response = await fetch(chrome.runtime.getURL(`_locales/${lang}/messages.json`));
  const messages = await response.json();
  return (key, ...substitutions) => {
    const entry = messages[key];
    if (!entry) {
      console.error(`No message "${key}" in ${lang}`);
      return key;
    }
    return entry.message.replace(/\$(\d)/g, (_, n) => String(substitutions[n - 1] ?? ""));
  };
}

/** Fills every element marked data-i18n="key" with its text (never as HTML). */
export function localise(root, t) {
  for (const element of root.querySelectorAll("[data-i18n]")) {
    element.textContent = t(element.dataset.i18n);
  }
}
