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
export const REPORTERS = Object.freeze(["self", "child", "parent", "school", "business"]);

/** The stored options, each checked, with the default for anything missing or broken. */
export async function getOptions() {
  // One read; a missing or broken value falls back to its default below.
  const { serviceUrl, lang, reporter: synced } = await chrome.storage.sync.get(["serviceUrl", "lang", "reporter"]);
  const reporter = await readReporter(synced);
  return {
    serviceUrl: normaliseServiceUrl(serviceUrl) ?? DEFAULTS.serviceUrl,
    lang: LANGS.includes(lang) ? lang : DEFAULTS.lang,
    reporter: REPORTERS.includes(reporter) ? reporter : DEFAULTS.reporter,
  };
}

export function saveOptions(options) {
  return chrome.storage.sync.set(options);
}

/**
 * The remembered reporter. It says whether a child uses this browser, so it stays on this device
 * (storage.local), never synced to the account's other devices. A value an earlier version kept
 * in storage.sync (synced, undefined when none) is moved here once and removed from sync.
 */
async function readReporter(synced) {
  const { reporter } = await chrome.storage.local.get("reporter");
  if (synced === undefined) {
    return reporter ?? null;
  }
  if (reporter === undefined) {
    await chrome.storage.local.set({ reporter: synced });
  }
  await chrome.storage.sync.remove("reporter");
  return reporter ?? synced;
}

export function rememberReporter(reporter) {
  return REPORTERS.includes(reporter) ? chrome.storage.local.set({ reporter }) : forgetReporter();
}

export function forgetReporter() {
  return Promise.all([chrome.storage.local.remove("reporter"), chrome.storage.sync.remove("reporter")]);
}

/**
 * The origin (scheme://host[:port]) of a service address, or null when it is not a plain https
 * origin or a plain http origin on this computer: what is sent (URL, title, selected text) must
 * never cross a network unencrypted. A path is refused rather than dropped, so nobody is
 * surprised that it is ignored.
 */
export function normaliseServiceUrl(text) {
  let url;
  try {
    url = new URL(String(text ?? "").trim());
  } catch {
    return null;
  }
  const plain = !url.username && !url.password && url.pathname === "/" && !url.search && !url.hash;
  const safe = url.protocol === "https:" || (url.protocol === "http:" && isLoopback(url.hostname));
  return plain && safe ? url.origin : null;
}

/** 127.0.0.0/8, [::1] and localhost, as the URL parser writes them (127.1 is already 127.0.0.1). */
function isLoopback(hostname) {
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** The host (with its port, if any) of the service, as the report page names it. */
export function serviceHost(serviceUrl) {
  return new URL(serviceUrl).host;
}

/**
 * The host permission's match pattern for a service: per host, without the port, because
 * Firefox's match patterns cannot hold one (and Chrome's match every port when none is given).
 */
export function originPattern(origin) {
  const url = new URL(origin);
  return `${url.protocol}//${url.hostname}/*`;
}

/**
 * Whether the extension may send to this service: an accepted address whose host the browser
 * granted. A server can answer CORS itself, so without this check a fetch would go out.
 */
export async function isPermitted(serviceUrl) {
  const origin = normaliseServiceUrl(serviceUrl);
  if (!origin) {
    return false;
  }
  return chrome.permissions.contains({ origins: [originPattern(origin)] }).catch(() => false);
}

/** "auto" follows the browser: Japanese for a Japanese browser, English otherwise. */
export function resolveLang(lang) {
  if (lang === "ja" || lang === "en") {
    return lang;
  }
  return chrome.i18n.getUILanguage().toLowerCase().startsWith("ja") ? "ja" : "en";
}
