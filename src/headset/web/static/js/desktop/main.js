// The agent desktop (docs/desktop.md): one live stream carries the agent's state, offers and
// chat messages; commands on the same stream answer offers, end and wrap up contacts. The
// modules beside this one each own a part of the page and read the same `desk` context.
import { api } from "../api.js";
import { LiveStream } from "../live.js";
import { t } from "../i18n.js";
import { OfferPopup } from "./offer.js";
import { Softphone } from "./softphone.js";
import { StatePanel } from "./state.js";
import { Workspace } from "./workspace.js";

const root = document.getElementById("desktop");
const liveStatus = document.getElementById("live-status");
const announcer = document.getElementById("announcer");

const desk = {
  agentId: root.dataset.agentId,
  tenantId: null,
  stream: null,
  config: { queues: [], dispositions: [], awayReasons: [], canned: [] },
  /** Says `text` to screen readers now (the region is assertive: offers cannot wait). */
  announce(text) {
    announcer.textContent = "";
    window.setTimeout(() => { announcer.textContent = text; }, 30);
  },
  url(path) {
    return "/api/v1/tenants/" + encodeURIComponent(desk.tenantId) + path;
  },
  api(method, path, body) {
    return api(method, desk.url(path), body);
  },
};

async function tenantOfAgent() {
  const me = await api("GET", "/api/v1/auth/me");
  for (const tenantId of me.tenant_ids || []) {
    try {
      await api("GET", "/api/v1/tenants/" + encodeURIComponent(tenantId) + "/agents/" +
        encodeURIComponent(desk.agentId));
      return tenantId;
    } catch {
      // not this tenant's agent: try the next
    }
  }
  return (me.tenant_ids || [])[0] || null;
}

async function loadConfig() {
  const read = (path) => desk.api("GET", path).catch(() => []);
  const [queues, dispositions, awayReasons, canned] = await Promise.all([
    read("/queues"), read("/dispositions"), read("/away-reasons"), read("/canned-responses"),
  ]);
  desk.config = { queues, dispositions, awayReasons, canned };
}

async function start() {
  desk.tenantId = await tenantOfAgent();
  await loadConfig();
  const state = new StatePanel(desk);
  const workspace = new Workspace(desk);
  const offers = new OfferPopup(desk, workspace);
  const softphone = new Softphone(desk);
  const parts = [state, offers, softphone, workspace];
  desk.stream = new LiveStream({
    onMessage(message) {
      for (const part of parts) part.receive(message);
    },
    onStatus(status) {
      liveStatus.textContent =
        status === "open" ? t("Live")
        : status === "connecting" ? t("Connecting…")
        : t("Connection lost; reconnecting…");
      liveStatus.dataset.status = status;
    },
  }).start();
}

start();
