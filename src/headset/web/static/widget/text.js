// The page's texts (translated by the server into the widget's language) and formats.

const element = document.getElementById("chat-messages");
const catalog = element ? JSON.parse(element.textContent) : {};
export const language = document.documentElement.lang || "en";

/** The text called `key`, with {name} placeholders filled from `values`. */
export function t(key, values = {}) {
  const text = catalog[key] || key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

/** A wait in words, rounded up to whole minutes ("3 minutes", "3 Minuten"). */
export function formatWait(seconds) {
  const [value, unit] = seconds < 60 ? [Math.max(1, Math.ceil(seconds)), "second"]
    : seconds < 3600 ? [Math.ceil(seconds / 60), "minute"]
    : [Math.ceil(seconds / 3600), "hour"];
  return new Intl.NumberFormat(language, { style: "unit", unit, unitDisplay: "long" }).format(value);
}

/** A file size in decimal units ("1 MB", "20 kB"). */
export function formatSize(bytes) {
  const [value, unit] = bytes >= 1e6 ? [bytes / 1e6, "megabyte"]
    : bytes >= 1e3 ? [bytes / 1e3, "kilobyte"] : [bytes, "byte"];
  return new Intl.NumberFormat(language, {
    style: "unit", unit, unitDisplay: "short", maximumFractionDigits: 1,
  }).format(value);
}

export function formatTime(iso) {
  return new Intl.DateTimeFormat(language, { timeStyle: "short" }).format(new Date(iso));
}
