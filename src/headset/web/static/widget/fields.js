// The page's forms: what was typed becomes the request body, and the API's problem answer is
// shown next to the fields it names, in the customer's language, keeping what was typed.
import { t } from "./text.js";

/** Customer-friendly messages for fields the API refuses, by field name. */
const MESSAGES = {
  name: "name_missing",
  email: "email_bad",
  topic_id: "topic_missing",
  message: "message_missing",
  rating: "rating_missing",
};

/** The form's values as a JSON body: empty optional fields are left out. */
export function valuesOf(form) {
  const body = {};
  for (const control of form.elements) {
    if (!control.name || control.disabled) continue;
    if (control.type === "radio") {
      if (control.checked) body[control.name] = Number(control.value);
      continue;
    }
    const value = control.value.trim();
    if (value !== "" || control.required) body[control.name] = value;
  }
  return body;
}

export function clearErrors(form) {
  const status = form.querySelector(".form-status");
  if (status) status.hidden = true;
  for (const error of form.querySelectorAll(".field-error")) {
    error.hidden = true;
    error.textContent = "";
  }
  for (const control of form.querySelectorAll("[aria-invalid]")) {
    control.removeAttribute("aria-invalid");
  }
}

/** Shows a form-level message (role=alert, so it is announced). */
export function showStatus(form, text) {
  const status = form.querySelector(".form-status");
  status.textContent = text;
  status.hidden = false;
}

/** Marks the fields a 422 answer names; returns whether any was found. */
export function showFieldErrors(form, error) {
  const errors = (error.body && error.body.errors) || [];
  let first = null;
  for (const { field, message } of errors) {
    const name = String(field || "").split(".")[0];
    const note = form.querySelector(`#${form.id}-${name}-error`);
    const control = form.elements[name];
    if (!note) continue;
    note.textContent = MESSAGES[name] ? t(MESSAGES[name]) : message;
    note.hidden = false;
    if (control && control.setAttribute) control.setAttribute("aria-invalid", "true");
    const target = control && control.focus ? control : control && control[0];
    first = first || target;
  }
  if (!first) return false;
  showStatus(form, t("fix_fields"));
  first.focus();
  return true;
}

/** Marks one field wrong with the given text (checks the page makes before sending). */
export function markField(form, name, text) {
  const note = form.querySelector(`#${form.id}-${name}-error`);
  note.textContent = text;
  note.hidden = false;
  const control = form.elements[name];
  if (control.setAttribute) control.setAttribute("aria-invalid", "true");
  showStatus(form, t("fix_fields"));
  (control.focus ? control : control[0]).focus();
}
