// Setting up two-factor sign-in: a new secret to add to an authenticator app, then a code
// from the app to confirm it.
import { api, Problem } from "./api.js";
import { t } from "./i18n.js";

const start = document.getElementById("totp-start");
const secretBox = document.getElementById("totp-secret");
const confirm = document.getElementById("totp-confirm");
const status = document.getElementById("totp-status");

function say(message, isError) {
  status.textContent = message;
  status.className = "form-status " + (isError ? "is-error" : "is-ok");
  status.hidden = false;
}

start?.addEventListener("click", async () => {
  try {
    const answer = await api("POST", "/api/v1/auth/totp/setup");
    document.getElementById("totp-key").textContent = answer.secret.replace(/(.{4})/g, "$1 ").trim();
    document.getElementById("totp-link").href = answer.uri;
    secretBox.hidden = false;
    start.hidden = true;
    confirm.hidden = false;
    confirm.code.focus();
  } catch (error) {
    if (!(error instanceof Problem)) throw error;
    say(error.detail, true);
  }
});

confirm?.addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    await api("POST", "/api/v1/auth/totp/confirm", { code: confirm.code.value });
    say(t("Two-factor sign-in is on."), false);
    window.location.assign(confirm.dataset.next || "/");
  } catch (error) {
    if (!(error instanceof Problem)) throw error;
    say(
      error.status === 422
        ? t("The code does not match. Check the time on your phone and try again.")
        : error.detail,
      true,
    );
    confirm.code.focus();
  }
});
