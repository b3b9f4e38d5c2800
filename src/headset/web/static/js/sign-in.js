// The sign-in form: password, then the authenticator code when the account has one; the
// API's refusals (wrong password, back-off, lockout) in words the user can act on.
import { api, Problem } from "./api.js";
import { formatDuration, t } from "./i18n.js";

const form = document.getElementById("sign-in");
const status = document.getElementById("sign-in-status");
const codeStep = document.getElementById("code-step");
const code = document.getElementById("code");
const codeNeeded = form.dataset.codeNeeded;

function say(message) {
  status.textContent = message;
  status.hidden = false;
}

function explain(problem) {
  if (problem.status === 429) {
    const seconds = Number(problem.headers.get("Retry-After") || "1");
    if (problem.detail.includes("unlock")) {
      return t(
        "Too many failed sign-ins: the account is locked. Try again in {time}, or ask an administrator to unlock it.",
        { time: formatDuration(seconds) },
      );
    }
    return t("The last sign-in failed. Wait {time} and try again.", {
      time: formatDuration(seconds),
    });
  }
  if (problem.status === 401) {
    if (problem.detail === codeNeeded) return null;
    if (problem.detail.startsWith("the code")) {
      return t("The code is wrong or was already used. Wait for the next code and try again.");
    }
    if (problem.detail.startsWith("wrong username")) return t("Wrong username or password.");
    if (problem.detail.includes("disabled")) {
      return t("This account is disabled. Ask an administrator.");
    }
  }
  return problem.detail || problem.title;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  status.hidden = true;
  const body = { username: form.username.value, password: form.password.value };
  if (!codeStep.hidden && code.value.trim()) body.code = code.value.trim();
  const button = form.querySelector("[type=submit]");
  button.disabled = true;
  try {
    const answer = await api("POST", "/api/v1/auth/login", body);
    if (answer.must_set_up_totp) window.location.assign("/sign-in/two-factor");
    // only the server's vetted value (headset.access.redirects.safe_next): never the URL's
    else window.location.assign(form.dataset.next || "/");
  } catch (error) {
    if (!(error instanceof Problem)) throw error;
    const message = explain(error);
    if (message === null) {
      codeStep.hidden = false;
      code.required = true;
      say(t("Enter the 6-digit code from your authenticator app."));
      code.focus();
    } else {
      say(message);
      (codeStep.hidden ? form.password : code).focus();
    }
  } finally {
    button.disabled = false;
  }
});
