// Every option and its default live here, so the service worker, the report page and the
// options page can never disagree about them.

export const DEFAULTS = Object.freeze({
  serviceUrl: "http://127.0.0.1:8000",
  lang: "auto",
  // The answer to "who are you?", remembered once given so that later reports skip the question.
  // Unset until then. Nothing else about a report is ever remembered here.
  reporter: null,
});

export const LANGS = Object.freeze(["auto", "ja", "en"]);
// The service's options for the "reporter" question.
export const REPORTERS = Object.freeze(["self", "child", "parent", "school"]);

/** The stored options, each checked, with the default for anything missing or broken. */
export async function getOptions() {
  const stored = await chrome.storage.sync.get(DEFAULTS);
  return {
    serviceUrl: normaliseServiceUrl(stored.serviceUrl) ?? DEFAULTS.serviceUrl,
    lang: LANGS.includes(stored.lang) ? stored.lang : DEFAULTS.lang,
    reporter: REPORTERS.includes(stored.reporter) ? stored.reporter : DEFAULTS.reporter,
  };
}

export function saveOptions(options) {
  return chrome.storage.sync.set(options);
}

export function rememberReporter(reporter) {
  return REPORTERS.includes(reporter) ? chrome.storage.sync.set({ reporter }) : forgetReporter();
}

export function forgetReporter() {
  return chrome.storage.sync.remove("reporter");
}

/**
 * The origin (scheme://host[:port]) of a service address, or null when it is not a plain
 * http(s) origin. A path is refused rather than dropped, so nobody is surprised that it is ignored.
 */
export function normaliseServiceUrl(text) {
  let url;
  try {
    url = new URL(String(text ?? "").trim());
  } catch {
    return null;
  }
  const plain = !url.username && !url.password && url.pathname === "/" && !url.search && !url.hash;
  return ["http:", "https:"].includes(url.protocol) && plain ? url.origin : null;
}

/** The match pattern that host permissions use for an origin. */
export function originPattern(origin) {
  return `${origin}/*`;
}

/** "auto" follows the browser: Japanese for a Japanese browser, English otherwise. */
export function resolveLang(lang) {
  if (lang === "ja" || lang === "en") {
    return lang;
  }
  return chrome.i18n.getUILanguage().toLowerCase().startsWith("ja") ? "ja" : "en";
}
