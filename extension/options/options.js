import { localise, loadMessages } from "../lib/i18n.js";
import { getOptions, normaliseServiceUrl, originPattern, resolveLang, saveOptions } from "../lib/options.js";

const form = document.getElementById("options");
const status = document.getElementById("status");
let t = (key) => key;

async function showIn(lang) {
  t = await loadMessages(resolveLang(lang));
  document.documentElement.lang = resolveLang(lang);
  localise(document, t);
}

function show(text, isError = false) {
  status.textContent = text;
  status.classList.toggle("error", isError);
}

async function main() {
  const saved = await getOptions();
  await showIn(saved.lang);
  form.serviceUrl.value = saved.serviceUrl;
  form.lang.value = saved.lang;

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const serviceUrl = normaliseServiceUrl(form.serviceUrl.value);
    if (!serviceUrl) {
      show(t("invalidServiceUrl"), true);
      form.serviceUrl.focus();
      return;
    }
    // Asked before any await: browsers show the permission prompt only while handling the click.
    // The default origin is granted at install; asking again for it is a no-op.
    const permitted =
      serviceUrl === saved.serviceUrl
        ? Promise.resolve(true)
        : chrome.permissions.request({ origins: [originPattern(serviceUrl)] }).catch(() => false);
    const options = { serviceUrl, lang: form.lang.value };
    saveOptions(options).then(async () => {
      Object.assign(saved, options);
      form.serviceUrl.value = serviceUrl;
      await showIn(options.lang);
      show(t("saved"));
      if (!(await permitted)) {
        show(t("savedNoPermission"), true);
      }
    });
  });
}

main().catch((error) => show(String(error), true));
