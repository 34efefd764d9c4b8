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
  const offset = -date.getTimezoneOffset();
  const local = new Date(date.getTime() + offset * 60000).toISOString().slice(0, 19);
  const pad = (n) => String(Math.floor(n)).padStart(2, "0");
  return `${local}${offset < 0 ? "-" : "+"}${pad(Math.abs(offset) / 60)}:${pad(Math.abs(offset) % 60)}`;
}
