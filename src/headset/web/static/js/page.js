// What every page does: sign-out, localised dates and numbers, generic forms.
import { api } from "./api.js";
import { formatMarked } from "./i18n.js";
import { wireForms } from "./forms.js";

for (const button of document.querySelectorAll("[data-sign-out]")) {
  button.addEventListener("click", async () => {
    try {
      await api("POST", "/api/v1/auth/logout");
    } catch {
      // already signed out (a second click, a session that ended meanwhile) or the server is
      // gone: either way the sign-in page is where this goes, and nothing is left to report
    } finally {
      window.location.assign("/sign-in");
    }
  });
}

formatMarked();
wireForms();
document.body.addEventListener("htmx:afterSwap", (event) => formatMarked(event.target));
