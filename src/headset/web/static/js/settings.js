// Personal settings: the language of the UI, saved on the user's account.
import { api, Problem } from "./api.js";

const form = document.getElementById("language-form");
const status = document.getElementById("language-status");

form?.addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    await api("PATCH", "/api/v1/auth/me", { language: form.language.value });
    window.location.reload();
  } catch (error) {
    if (!(error instanceof Problem)) throw error;
    status.textContent = error.detail;
    status.hidden = false;
  }
});
