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

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const serviceUrl = normaliseServiceUrl(form.serviceUrl.value);
    if (!serviceUrl) {
      show(t("invalidServiceUrl"), true);
      form.serviceUrl.focus();
      return;
    }
    // Asked before any await: browsers show the permission prompt only while handling the click.
    // An origin already granted (the default service) is answered at once, without a prompt.
    const permitted = chrome.permissions.request({ origins: [originPattern(serviceUrl)] }).catch(() => false);
    show(t("askingPermission", serviceUrl));
    if (!(await permitted)) {
      // Saved anyway, the flow would refuse to send; saying so now is clearer than a broken flow later.
      show(t("notSavedNoPermission", serviceUrl), true);
      return;
    }
    const options = { serviceUrl, lang: form.lang.value };
    await saveOptions(options);
    form.serviceUrl.value = serviceUrl;
    await showIn(options.lang);
    show(t("saved"));
  });
}

main().catch((error) => show(String(error), true));
