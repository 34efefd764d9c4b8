// What a report is about: the URL, title and selected text, cut to the service's limits before
// they are shown, so that the first screen shows exactly what would be sent.

export const LIMITS = Object.freeze({ url: 2048, title: 500, selection: 2000 });

/** A notes entry is [messageKey, ...substitutions]; the page turns it into text. */
export function prepareTarget(raw) {
  const prepared = {
    kind: raw.kind || "page",
    url: null,
    found_at: raw.found_at || isoWithOffset(new Date()),
    notes: [...(raw.notes ?? [])],
    // Never sent: the tab the report came from (to capture it as evidence) and its address.
    tabId: Number.isInteger(raw.tabId) ? raw.tabId : null,
    page_url: isHttpUrl(raw.page_url) ? raw.page_url : null,
  };
  if (raw.url && isHttpUrl(raw.url) && raw.url.length <= LIMITS.url) {
    prepared.url = raw.url;
  } else if (raw.url) {
    prepared.notes.push(["noteUrlNotSent"]);
  }
  for (const field of ["title", "selection"]) {
    // Counted in characters (code points) as the service counts them, never splitting one.
    const characters = Array.from(String(raw[field] ?? "").trim());
    prepared[field] = characters.slice(0, LIMITS[field]).join("");
    if (characters.length > LIMITS[field]) {
      prepared.notes.push(["noteTruncated", LIMITS[field]]);
    }
  }
  return prepared;
}

export function isHttpUrl(text) {
  return /^https?:\/\//i.test(String(text ?? ""));
}

/** Like toISOString() but in local time with its offset, e.g. 2025-06-01T21:04:05+09:00. */
export function isoWithOffset(date) {
  return isoAtOffset(date, -date.getTimezoneOffset());
}

/** "2026年6月1日 21:00:00" (or "1 June 2026 at 21:00:00"): a time as read in Japan. */
export function formatJapanTime(iso, lang) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return String(iso ?? "");
  }
  return new Intl.DateTimeFormat(lang === "ja" ? "ja-JP" : "en-GB", {
    timeZone: "Asia/Tokyo",
    dateStyle: "long",
    timeStyle: "medium",
  }).format(date);
}

/** The time in Japan to the millisecond, whatever the computer's time zone: 2025-06-01T21:04:05.123+09:00. */
export function isoJst(date) {
  return isoAtOffset(date, 9 * 60, 23);
}

/** The time in UTC to the millisecond, with its offset written out: 2025-06-01T12:04:05.123+00:00. */
export function isoUtc(date) {
  return isoAtOffset(date, 0, 23);
}

/** length 19 stops at the seconds, 23 at the milliseconds. */
function isoAtOffset(date, offset, length = 19) {
  const shifted = new Date(date.getTime() + offset * 60000).toISOString().slice(0, length);
  const pad = (n) => String(Math.floor(n)).padStart(2, "0");
  return `${shifted}${offset < 0 ? "-" : "+"}${pad(Math.abs(offset) / 60)}:${pad(Math.abs(offset) % 60)}`;
}
