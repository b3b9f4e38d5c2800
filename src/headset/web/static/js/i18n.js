// Translations and localised formats in the browser. The page embeds the translations of the
// messages the modules use (extracted from t("...") calls by Babel); formats come from Intl,
// in the language of the page (<html lang>), which is the user's chosen language.

const element = document.getElementById("headset-messages");
const catalog = element ? JSON.parse(element.textContent) : {};

export const language = document.documentElement.lang || "en";

/** The message in the page's language, with {name} placeholders filled from `values`. */
export function t(message, values = {}) {
  const text = catalog[message] || message;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

export function formatNumber(value, options = {}) {
  return new Intl.NumberFormat(language, options).format(value);
}

/** A percentage given as 0-100. */
export function formatPercent(value, digits = 0) {
  return new Intl.NumberFormat(language, {
    style: "percent",
    maximumFractionDigits: digits,
  }).format(value / 100);
}

export function formatDateTime(value, options = { dateStyle: "medium", timeStyle: "short" }) {
  const date = value instanceof Date ? value : new Date(value);
  return new Intl.DateTimeFormat(language, options).format(date);
}

/** A running time such as time in state or longest wait: m:ss, or h:mm:ss past an hour. */
export function formatClock(seconds) {
  const whole = Math.max(0, Math.floor(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, "0");
  return h > 0 ? h + ":" + String(m).padStart(2, "0") + ":" + s : m + ":" + s;
}

/** A duration in words ("14 minutes", "14 Minuten"), rounded up to the largest whole unit. */
export function formatDuration(seconds) {
  const [value, unit] =
    seconds < 60 ? [Math.ceil(seconds), "second"]
    : seconds < 3600 ? [Math.ceil(seconds / 60), "minute"]
    : [Math.ceil(seconds / 3600), "hour"];
  return new Intl.NumberFormat(language, { style: "unit", unit, unitDisplay: "long" }).format(value);
}

/** Formats every element marked data-format="datetime|number|percent|duration|clock". */
export function formatMarked(root = document) {
  for (const el of root.querySelectorAll("[data-format]")) {
    const raw = el.getAttribute("datetime") || el.dataset.value;
    if (raw == null || raw === "") continue;
    const kind = el.dataset.format;
    if (kind === "datetime") el.textContent = formatDateTime(raw);
    else if (kind === "number") el.textContent = formatNumber(Number(raw));
    else if (kind === "percent") el.textContent = formatPercent(Number(raw), 1);
    else if (kind === "duration") el.textContent = formatDuration(Number(raw));
    else if (kind === "clock") el.textContent = formatClock(Number(raw));
  }
}
