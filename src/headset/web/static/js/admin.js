// Administration lists: removing an item, then reloading the list in place (HTMX).
import { announceChange, api, Problem } from "./api.js";
import { t } from "./i18n.js";

const status = document.getElementById("list-status");

document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-remove]");
  if (!button) return;
  if (!window.confirm(t("Remove {name}?", { name: button.dataset.name }))) return;
  try {
    await api("DELETE", button.dataset.remove);
    status.textContent = t("{name} was removed.", { name: button.dataset.name });
    status.className = "form-status is-ok";
    status.hidden = false;
    announceChange();
  } catch (error) {
    if (!(error instanceof Problem)) throw error;
    status.textContent = error.detail;
    status.className = "form-status is-error";
    status.hidden = false;
  }
});

// The queue form's overflow rules: show only the fields the chosen action uses.
const NEEDS = {
  relax_skill: ["skill", "minimum"],
  add_queue: ["queue_id"],
  add_team_leaders: ["team_id"],
  raise_priority: ["by"],
};

function fitRow(row) {
  const action = row.querySelector('[data-subfield="action"]');
  if (!action || !(action.value in NEEDS)) return;
  for (const control of row.querySelectorAll("[data-subfield]")) {
    const name = control.dataset.subfield;
    if (name === "action" || name === "after_seconds") continue;
    const wanted = NEEDS[action.value].includes(name);
    // hidden, not cleared: switching back shows what was typed; hidden ones are not sent
    control.closest(".control").hidden = !wanted;
  }
}

document.addEventListener("change", (event) => {
  const row = event.target.closest("[data-row]");
  if (row && event.target.matches('[data-subfield="action"]')) fitRow(row);
});
for (const row of document.querySelectorAll("[data-row]")) fitRow(row);
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-add-row]")) {
    document.querySelectorAll("[data-row]").forEach(fitRow);
  }
});

// A chat widget's tag: copied for pasting into the client's site (selected when the browser
// may not write the clipboard, so Ctrl+C still works).
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const source = document.getElementById(button.dataset.copy);
  const said = button.closest("section")?.querySelector("[data-copy-status]");
  source.select();
  try {
    await navigator.clipboard.writeText(source.value);
    if (said) said.textContent = t("The tag is copied.");
  } catch {
    if (said) said.textContent = t("The tag is selected: press Ctrl+C to copy it.");
  }
  if (said) said.hidden = false;
});
