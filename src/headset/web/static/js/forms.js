// Forms that submit to the JSON API: what was typed becomes the JSON body; the API's problem
// answer is shown next to the fields it names (`errors: [{field, message, type, params}]`),
// in the user's language where errors.js knows the type, and the form keeps everything the
// user typed. Validation is the API's: nothing is checked here.
//
// <form data-api-form data-method="PUT" data-action="/api/v1/.../{queue_id}" data-next="...">
//   controls carry data-field="path.in.body" and data-type (text, number, checkbox, select,
//   numbers, lines, levels, hours, rows, json); in a rows fieldset each row's controls carry
//   data-subfield. data-required: send "" when empty (the API says it is missing), else null.
//   A json control's text is parsed here (a syntax error is shown at it, nothing is sent); an
//   API error deeper inside its value names the place ("Step 2 (menu) · options.1: ...").
import { api, Problem } from "./api.js";
import { contextOf, errorText } from "./errors.js";
import { t } from "./i18n.js";

function number(text) {
  const plain = text.trim().replace(/^(-?\d+),(\d+)$/, "$1.$2");
  return plain !== "" && Number.isFinite(Number(plain)) ? Number(plain) : text.trim();
}

function split(text) {
  return text.split(/[,;\s]+/).filter((part) => part !== "");
}

function spans(text) {
  return text.split(/[,;]+/).map((s) => s.trim()).filter((s) => s !== "")
    .map((span) => span.split(/\s*[-\u2013]\s*/));
}

/** The JSON value of one control, or undefined to leave the key out. */
export function valueOf(control, isPatch) {
  const type = control.dataset.type || "text";
  if (type === "file") return undefined; // sent as the body itself (see upload)
  if (type === "checkbox") return control.checked;
  const text = control.value;
  if (text.trim() === "") {
    if (["numbers", "lines"].includes(type)) return [];
    if (type === "levels") return {};
    if (isPatch) return undefined;
    return "required" in control.dataset ? "" : null;
  }
  switch (type) {
    case "number": return number(text);
    case "numbers": return split(text).map(number);
    case "lines": return text.split(/\n/).map((l) => l.trim()).filter((l) => l !== "");
    case "levels": {
      const levels = {};
      for (const line of text.split(/\n/).map((l) => l.trim()).filter((l) => l !== "")) {
        const [name, level] = line.split(/\s*[=:]\s*/);
        levels[name] = level === undefined ? null : number(level);
      }
      return levels;
    }
    case "hours": return spans(text);
    case "json": return parseJson(control, text);
    default: return text;
  }
}

/** A json control whose text does not parse: shown at the control, nothing is sent. */
class JsonSyntaxError extends Error {
  constructor(control, reason) {
    super(reason);
    this.control = control;
  }
}

function parseJson(control, text) {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new JsonSyntaxError(control, error.message);
  }
}

/** "Step 2 (menu) · options.1: " for an error at steps.1.options.1 of a json control. */
function jsonPlace(control, path) {
  const rest = path.split(".").slice(control.dataset.field.split(".").length);
  if (!rest.length) return "";
  let value;
  try {
    value = JSON.parse(control.value);
  } catch {
    value = null;
  }
  const words = [];
  for (const key of rest) {
    const item = value != null && typeof value === "object" ? value[key] : undefined;
    if (Array.isArray(value) && /^\d+$/.test(key)) {
      const number = Number(key) + 1;
      const name = item && typeof item === "object" && (item.step_id || item.id || item.name);
      const label = control.dataset.field === "steps" ? t("Step {number}", { number }) : t("Item {number}", { number });
      words.push(name ? label + " (" + name + ")" : label);
    } else {
      words.push(key);
    }
    value = item;
  }
  return words.join(" · ") + ": ";
}

function assign(body, path, value) {
  if (value === undefined) return;
  const keys = path.split(".");
  let target = body;
  for (const key of keys.slice(0, -1)) target = target[key] ??= {};
  target[keys[keys.length - 1]] = value;
}

/** The request body: every control outside rows, then each rows fieldset as a list. */
export function bodyOf(form) {
  const isPatch = form.dataset.method === "PATCH";
  const body = {};
  for (const control of form.querySelectorAll("[data-field]")) {
    if (control.closest("[data-row]") || control.matches("[data-type=rows]")) continue;
    if (control.dataset.type === "hours") {
      // business hours: only the days with hours; an empty mapping means always open
      body[control.dataset.field.split(".")[0]] ??= {};
      if (control.value.trim() === "") continue;
    }
    assign(body, control.dataset.field, valueOf(control, isPatch));
  }
  for (const set of form.querySelectorAll("[data-type=rows]")) {
    const rows = [];
    for (const row of set.querySelectorAll(":scope [data-row]")) {
      const item = {};
      for (const control of row.querySelectorAll("[data-subfield]")) {
        if (control.closest("[hidden]")) continue;
        const value = valueOf(control, false);
        if (value !== null) item[control.dataset.subfield] = value;
      }
      rows.push(item);
    }
    assign(body, set.dataset.field, rows);
  }
  return body;
}

/** The control (or row, or fieldset) an error's field path names, by its longest prefix. */
function targetOf(form, path) {
  const parts = path.split(".");
  for (let n = parts.length; n > 0; n--) {
    const prefix = parts.slice(0, n).join(".");
    const control = form.querySelector('[data-field="' + CSS.escape(prefix) + '"]');
    if (!control) continue;
    if (control.dataset.type === "rows" && n < parts.length && /^\d+$/.test(parts[n])) {
      const row = control.querySelectorAll("[data-row]")[Number(parts[n])];
      const sub = row && parts[n + 1]
        ? row.querySelector('[data-subfield="' + CSS.escape(parts[n + 1]) + '"]')
        : null;
      return sub || row || control;
    }
    return control;
  }
  return null;
}

function errorSlot(target) {
  const id = (target.id || target.dataset.field || "field").replace(/[^\w-]/g, "_") + "-error";
  let slot = document.getElementById(id);
  if (!slot) {
    slot = document.createElement("p");
    slot.id = id;
    slot.className = "field-error";
    const anchor = target.matches("[data-row]") ? target : target.closest(".control") || target;
    anchor.append(slot);
  }
  return slot;
}

export function clearErrors(form) {
  for (const slot of form.querySelectorAll(".field-error")) slot.remove();
  for (const el of form.querySelectorAll("[aria-invalid]")) {
    el.removeAttribute("aria-invalid");
    const described = (el.getAttribute("aria-describedby") || "").split(" ")
      .filter((id) => id && !id.endsWith("-error"));
    if (described.length) el.setAttribute("aria-describedby", described.join(" "));
    else el.removeAttribute("aria-describedby");
  }
  const summary = form.querySelector("[data-form-status]");
  if (summary) {
    summary.textContent = "";
    summary.hidden = true;
    summary.className = "form-status";
  }
}

/** Shows a problem: messages next to the fields it names, the rest in the form's status. */
export function showProblem(form, problem) {
  clearErrors(form);
  const unplaced = [];
  let first = null;
  for (const error of problem.errors) {
    // "steps[2].options.1" and "steps.2.options.1" name the same place
    const field = error.field && String(error.field).replace(/\[(\d+)\]/g, ".$1");
    const target = field ? targetOf(form, field) : null;
    if (!target) {
      const message = errorText(error);
      unplaced.push(field ? field + ": " + message : message);
      continue;
    }
    const control = target.matches("input, select, textarea")
      ? target
      : target.querySelector("input, select, textarea");
    const place = control && control.dataset.type === "json" ? jsonPlace(control, field) : "";
    let text = errorText(error, contextOf(control));
    // the place in words replaces the raw path a server message may start with
    if (place && text.startsWith(error.field + ": ")) text = text.slice(error.field.length + 2);
    const message = place + text;
    const slot = errorSlot(target);
    // a field can break several rules, but each sentence is said once
    if (!slot.textContent.split("\n").includes(message)) {
      slot.textContent = slot.textContent ? slot.textContent + "\n" + message : message;
    }
    if (control && !control.hasAttribute("aria-invalid")) {
      control.setAttribute("aria-invalid", "true");
      const described = control.getAttribute("aria-describedby");
      control.setAttribute("aria-describedby", described ? described + " " + slot.id : slot.id);
      first ??= control;
    }
  }
  const summary = form.querySelector("[data-form-status]");
  if (summary) {
    const lines = [];
    if (problem.errors.length && unplaced.length < problem.errors.length) {
      lines.push(t("Please correct the fields marked below."));
    } else if (problem.detail && !problem.errors.length) {
      lines.push(problem.detail);
    }
    lines.push(...unplaced);
    summary.textContent = lines.join(" ");
    summary.className = "form-status is-error";
    summary.hidden = false;
  }
  (first || summary)?.focus();
}

function urlOf(form, body) {
  // "{queue_id}" in the action is the key the user typed (creating) or the item's (editing)
  return form.dataset.action.replace(/\{(\w+)\}/g, (whole, key) =>
    encodeURIComponent(body[key] == null || body[key] === "" ? "-" : String(body[key])));
}

async function submit(form, event) {
  event.preventDefault();
  const button = form.querySelector("[type=submit]");
  let body;
  try {
    body = bodyOf(form);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    showProblem(form, {
      detail: "",
      errors: [{
        field: error.control.dataset.field,
        message: t("This is not valid JSON: {reason}", { reason: error.message }),
      }],
    });
    return;
  }
  if (button) button.disabled = true;
  form.setAttribute("aria-busy", "true");
  try {
    const file = form.querySelector("[data-type=file]");
    const saved = file
      ? await upload(form, body, file)
      : await api(form.dataset.method || "POST", urlOf(form, body), body);
    form.dispatchEvent(new CustomEvent("headset:saved", { detail: saved, bubbles: true }));
    if (form.dataset.next) {
      const key = form.dataset.key && saved ? saved[form.dataset.key] : "";
      window.location.assign(form.dataset.next + (key ? "?saved=" + encodeURIComponent(key) : ""));
    } else {
      clearErrors(form);
      const summary = form.querySelector("[data-form-status]");
      if (summary) {
        summary.textContent = t("Saved.");
        summary.className = "form-status is-ok";
        summary.hidden = false;
      }
    }
  } catch (error) {
    if (!(error instanceof Problem)) throw error;
    showProblem(form, error);
  } finally {
    if (button) button.disabled = false;
    form.removeAttribute("aria-busy");
  }
}

/** A form with a file: the file is the request body, the other fields go in the query. */
function upload(form, body, control) {
  const chosen = control.files && control.files[0];
  if (!chosen) {
    throw new Problem(422, {
      title: t("Please correct the fields marked below."),
      errors: [{ field: control.dataset.field, message: t("Choose a file.") }],
    });
  }
  const url = new URL(urlOf(form, body), window.location.origin);
  for (const [key, value] of Object.entries(body)) {
    if (key !== form.dataset.key && value != null && value !== "") url.searchParams.set(key, value);
  }
  return api(form.dataset.method || "PUT", url.pathname + url.search, chosen);
}

function addRow(set) {
  const template = set.querySelector("template");
  const list = set.querySelector("[data-rows]");
  const index = String(Date.now()) + list.children.length;
  const html = template.innerHTML.replaceAll("__INDEX__", index);
  list.insertAdjacentHTML("beforeend", html);
  const row = list.lastElementChild;
  row.querySelector("input, select")?.focus();
}

function wireRows(form) {
  form.addEventListener("click", (event) => {
    const add = event.target.closest("[data-add-row]");
    if (add) {
      addRow(add.closest("[data-type=rows]"));
      return;
    }
    const remove = event.target.closest("[data-remove-row]");
    if (remove) {
      const set = remove.closest("[data-type=rows]");
      remove.closest("[data-row]").remove();
      set.querySelector("[data-add-row]").focus();
    }
  });
}

export function wireForms(root = document) {
  for (const form of root.querySelectorAll("form[data-api-form]")) {
    form.addEventListener("submit", (event) => submit(form, event));
    wireRows(form);
    form.dataset.wired = "";  // the page's script handles it now (tests wait for this)
  }
}
