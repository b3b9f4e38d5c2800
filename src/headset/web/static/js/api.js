// Calls to the JSON API from a page: the session cookie, the CSRF header on every unsafe
// method, and errors as the API's problem details (RFC 9457).
import { t } from "./i18n.js";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/** An API error: `status`, and the problem's `title`, `detail` and field `errors`. */
export class Problem extends Error {
  constructor(status, body, headers) {
    super((body && body.detail) || (body && body.title) || String(status));
    this.status = status;
    this.title = (body && body.title) || "";
    this.detail = (body && body.detail) || "";
    this.errors = (body && Array.isArray(body.errors) && body.errors) || [];
    this.headers = headers || new Headers();
  }
}

export function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

/**
 * Sends `body` as JSON (a Blob, such as an uploaded file, as itself); resolves to the answer's
 * JSON (null for 204), rejects with Problem.
 */
export async function api(method, url, body) {
  const headers = { Accept: "application/json, application/problem+json" };
  const isRaw = body instanceof Blob;
  if (body !== undefined) headers["Content-Type"] = isRaw ? body.type || "application/octet-stream" : "application/json";
  if (!SAFE.has(method)) headers["X-CSRF-Token"] = csrfToken();
  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined || isRaw ? body : JSON.stringify(body),
    });
  } catch {
    throw new Problem(0, {
      title: t("No connection"),
      detail: t("The server cannot be reached. Check your connection and try again."),
    });
  }
  const type = response.headers.get("content-type") || "";
  let data = null;
  if (response.status !== 204) {
    data = type.includes("json") ? await response.json() : { detail: await response.text() };
  }
  if (!response.ok) throw new Problem(response.status, data, response.headers);
  return data;
}

/** Tells lists on the page that something changed: HTMX reloads them, or the page reloads. */
export function announceChange() {
  if (window.htmx) {
    document.body.dispatchEvent(new CustomEvent("headset:changed", { bubbles: true }));
  } else {
    window.location.reload();
  }
}
