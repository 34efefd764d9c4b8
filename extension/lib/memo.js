// report.html of an evidence pack: the printable 相談メモ to take to the police, a lawyer or a
// consultation window. One self-contained A4 page flow: inline CSS, no script (a CSP forbids it
// too), images referenced by their file names beside it in the pack, blanks to fill in by hand.

import { html } from "./html.js";
import { formatJapanTime } from "./target.js";

// Literal CSS, not a value: an html`` template without values is kept as written.
const STYLE = html`
@page { size: A4; margin: 15mm; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 180mm; color: #000; background: #fff;
  font: 10.5pt/1.55 "Hiragino Mincho ProN", "Yu Mincho", "Noto Serif CJK JP", serif; }
h1 { font-size: 16pt; margin: 0 0 1mm; border-bottom: 2px solid #000; }
h2 { font-size: 12.5pt; margin: 7mm 0 2mm; border-bottom: 1px solid #000; break-after: avoid; }
h3 { font-size: 11pt; margin: 0 0 1mm; }
.meta, .foot { font-size: 9pt; }
table { width: 100%; border-collapse: collapse; }
th, td { border: 1px solid #000; padding: 1.5mm 2mm; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #eee; font-weight: bold; }
tbody th { width: 32%; }
td.blank { height: 9mm; }
td.tall { height: 28mm; }
.capture { break-inside: avoid; margin: 4mm 0 6mm; }
.capture img { display: block; max-width: 100%; max-height: 110mm; margin-top: 2mm; border: 1px solid #000; }
.hash { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 8.5pt; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; font: inherit; border: 1px solid #000; padding: 2mm; margin: 0; }
.warning { border: 2px solid #000; padding: 2mm; font-weight: bold; }
.line { border-bottom: 1px solid #000; height: 9mm; }
.line span { font-size: 9pt; }
@media screen { body { padding: 8mm; } }
`;

/** A row of a two-column table; an empty value leaves a blank to fill in by hand. */
function row(label, value, blankClass = "blank") {
  return value
    ? html`<tr><th scope="row">${label}</th><td>${value}</td></tr>`
    : html`<tr><th scope="row">${label}</th><td class="${blankClass}"></td></tr>`;
}

/**
 * The memo for one case. captures are the records as listed in evidence.json (with `file`);
 * t is the message function of the language the memo is written in.
 */
export function memoHtml({ kase, captures, t, lang, createdAt, version }) {
  const accounts = [...new Set(captures.map((capture) => capture.account).filter(Boolean))].join("、");
  const contacts = new Map((kase.contacts ?? []).map((contact) => [contact.destination, contact]));
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self' file: data:; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t("memoTitle")} — ${kase.title}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${t("memoTitle")}</h1>
<p class="meta">${t("memoSubtitle")}<br>${t("memoCreated", formatJapanTime(createdAt, lang), version)}</p>

<h2>${t("memoSituationHeading")}</h2>
<table><tbody>
${row(t("memoUrl"), kase.url)}
${row(t("memoPageTitle"), kase.title !== kase.url ? kase.title : "")}
${row(t("memoSituation"), kase.situation)}
${row(t("memoAccount"), accounts)}
${row(t("memoWhen"), "")}
${row(t("memoWhat"), "", "blank tall")}
</tbody></table>

<h2>${t("memoDestinationsHeading")}</h2>
<table>
<thead><tr><th>${t("memoDestination")}</th><th>${t("memoContactedAt")}</th><th>${t("memoReference")}</th><th>${t("memoResult")}</th></tr></thead>
<tbody>
${(kase.destinations ?? []).map(({ id, name }) => {
  const contact = contacts.get(id);
  return html`<tr><td>${name}</td><td>${contact?.contacted_at ?? ""}</td><td>${contact?.reference ?? ""}</td><td></td></tr>`;
})}
<tr><td class="blank"></td><td></td><td></td><td></td></tr>
<tr><td class="blank"></td><td></td><td></td><td></td></tr>
</tbody>
</table>

<h2>${t("memoCapturesHeading", captures.length)}</h2>
${kase.locked ? html`<p class="warning">${t("memoLocked")}</p>` : null}
${captures.length ? null : html`<p>${t("memoNoCaptures")}</p>`}
${captures.map((capture, i) => html`
<section class="capture">
<h3>${t("memoCapture", i + 1, capture.file)}</h3>
<table><tbody>
${row(t("memoUrl"), capture.url)}
${row(t("memoPageTitle"), capture.title)}
${row(t("memoCapturedJst"), t("memoTimeWithIso", formatJapanTime(capture.captured_at_jst, lang), capture.captured_at_jst))}
${row(t("memoCapturedUtc"), capture.captured_at_utc)}
<tr><th scope="row">SHA-256</th><td class="hash">${capture.sha256}</td></tr>
${capture.selection ? row(t("memoSelection"), capture.selection) : null}
${row(t("memoAccount"), capture.account)}
${capture.note ? row(t("memoNote"), capture.note) : null}
${row(t("memoBrowser"), `${capture.browser} / ${t("extShortName")} ${capture.extension_version}`)}
</tbody></table>
<img src="${capture.file}" alt="${t("memoImageAlt", i + 1)}">
</section>`)}

<h2>${t("memoChecklistHeading")}</h2>
${kase.checklist_text_ja ? html`<pre lang="ja">${kase.checklist_text_ja}</pre>` : html`<p class="line"></p>`}

<h2>${t("memoHandwrittenHeading")}</h2>
<p class="line"><span>${t("memoConsultedAt")}</span></p>
<p class="line"><span>${t("memoConsultedWith")}</span></p>
<p class="line"><span>${t("memoAdvice")}</span></p>
<p class="line"></p>
<p class="line"></p>

<p class="foot">${t("memoVerify")}</p>
</body>
</html>
`.toString();
}
