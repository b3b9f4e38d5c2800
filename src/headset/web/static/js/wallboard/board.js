// One tenant's board: queues, agents and waiting contacts, with the actions on them. Rows are
// kept per id and only their figures change, so the focus stays where the user put it.
import { api, Problem } from "../api.js";
import { formatClock, formatNumber, formatPercent, t } from "../i18n.js";
import { drawCharts } from "./charts.js";

const STATES = {
  offline: "Offline", available: "Available", reserved: "Offer pending",
  busy: "On a contact", wrap_up: "Wrap-up", away: "Away",
};
const CHANGES_WAITING = /^routing\.(contact_queued|contact_offered|offer_|contact_transferred|contact_abandoned|contact_ended|contact_completed)/;
const CHART_EVERY_MS = 10000;

function cell(row, className = "") {
  const td = row.insertCell();
  if (className) td.className = className;
  return td;
}

export class TenantBoard {
  constructor(tenantId, monitors) {
    this.tenantId = tenantId;
    this.monitors = monitors;
    const holder = document.createElement("div");
    holder.innerHTML = document.getElementById("tenant-board").innerHTML.replaceAll("__T__", tenantId);
    this.element = holder.firstElementChild;
    this.q = (selector) => this.element.querySelector(selector);
    this.q("[data-tenant-name]").textContent = tenantId;
    this.queueRows = new Map();
    this.agentRows = new Map();
    this.queues = [];
    this.agents = [];
    this.reasons = [];
    this.waitingTimer = null;
    this.lastStats = null;
    this.isLoaded = false;
  }

  url(path) {
    return "/api/v1/tenants/" + encodeURIComponent(this.tenantId) + path;
  }

  async load() {
    const read = (path) => api("GET", this.url(path)).catch(() => []);
    [this.queues, this.agents, this.reasons] = await Promise.all([
      read("/queues"), read("/agents"), read("/away-reasons"),
    ]);
    try {
      const tenant = await api("GET", "/api/v1/tenants/" + encodeURIComponent(this.tenantId));
      if (tenant && tenant.name) this.q("[data-tenant-name]").textContent = tenant.name;
    } catch {
      // the id is a fine heading
    }
    this.isLoaded = true;
    if (this.lastStats) this.show(this.lastStats);
    this.loadWaiting();
    this.charts();
    window.setInterval(() => this.charts(), CHART_EVERY_MS);
    window.setInterval(() => this.tickWaiting(), 1000);
  }

  queueName(queueId) {
    const queue = this.queues.find((q) => q.queue_id === queueId);
    return queue ? queue.name : queueId;
  }

  agentName(agentId) {
    const agent = this.agents.find((a) => a.agent_id === agentId);
    return agent ? agent.display_name : agentId;
  }

  stateLabel(state, reason) {
    const label = t(STATES[state] || state);
    if (state !== "away" || !reason) return label;
    const found = this.reasons.find((r) => r.code === reason);
    return label + " (" + (found ? found.label : reason) + ")";
  }

  show(figures) {
    const isFirst = this.lastStats === null;
    this.lastStats = figures;
    if (isFirst && this.isLoaded) this.charts();
    if (!this.isLoaded) return; // rows need the names and away reasons: load() shows them
    for (const queue of figures.queues || []) this.showQueue(queue);
    for (const agent of figures.agents || []) this.showAgent(agent);
  }

  showQueue(queue) {
    let row = this.queueRows.get(queue.queue_id);
    if (!row) {
      row = this.q("[data-queues] tbody").insertRow();
      const th = document.createElement("th");
      th.scope = "row";
      row.append(th);
      for (let i = 0; i < 4; i++) cell(row, "num");
      cell(row, "by-state");
      this.queueRows.set(queue.queue_id, row);
    }
    row.dataset.queue = queue.queue_id;
    const closed = queue.is_open ? "" : " (" + t("closed") + ")";
    row.cells[0].textContent = this.queueName(queue.queue_id) + closed;
    row.cells[1].textContent = formatNumber(queue.waiting);
    row.cells[2].textContent = formatClock(queue.longest_wait_seconds);
    row.cells[3].textContent =
      queue.service_level_today == null ? "–" : formatPercent(queue.service_level_today, 1);
    row.cells[4].textContent = formatNumber(queue.abandoned_today);
    row.cells[5].textContent = Object.entries(queue.agents || {})
      .filter(([, count]) => count > 0)
      .map(([state, count]) => t(STATES[state] || state) + " " + formatNumber(count))
      .join(", ") || "–";
  }

  showAgent(agent) {
    let row = this.agentRows.get(agent.agent_id);
    if (!row) row = this.addAgentRow(agent.agent_id);
    row.cells[0].textContent = this.agentName(agent.agent_id);
    row.cells[1].textContent = agent.team_id || "–";
    row.cells[2].textContent = this.stateLabel(agent.state, agent.reason);
    row.cells[2].dataset.state = agent.state;
    row.cells[3].textContent = agent.seconds_in_state == null ? "–" : formatClock(agent.seconds_in_state);
    this.showContacts(row.cells[4], agent);
  }

  showContacts(td, agent) {
    const key = agent.contacts.join(" ");
    if (td.dataset.key === key) return;
    td.dataset.key = key;
    td.replaceChildren();
    if (!agent.contacts.length) td.textContent = "–";
    for (const contactId of agent.contacts) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button quiet small";
      button.textContent = t("Watch {contact}", { contact: contactId });
      button.addEventListener("click", () =>
        this.monitors.open(this.tenantId, contactId, this.agentName(agent.agent_id)));
      td.append(button, " ");
    }
  }

  addAgentRow(agentId) {
    const row = this.q("[data-agents] tbody").insertRow();
    row.dataset.agent = agentId;
    const th = document.createElement("th");
    th.scope = "row";
    row.append(th);
    cell(row);
    cell(row, "state");
    cell(row, "num");
    cell(row);
    const form = document.createElement("form");
    form.className = "inline-form";
    const id = "set-state-" + this.tenantId + "-" + agentId;
    const label = document.createElement("label");
    label.htmlFor = id;
    label.className = "visually-hidden";
    label.textContent = t("New state for {agent}", { agent: this.agentName(agentId) });
    const select = document.createElement("select");
    select.id = id;
    const options = [["available", t("Available")]];
    for (const reason of this.reasons) {
      options.push(["away:" + reason.code, t("Away: {reason}", { reason: reason.label })]);
    }
    options.push(["offline", t("Offline")]);
    for (const [value, text] of options) select.append(new Option(text, value));
    const button = document.createElement("button");
    button.type = "submit";
    button.className = "button quiet small";
    button.textContent = t("Set");
    button.setAttribute("aria-label", t("Set the state of {agent}", { agent: this.agentName(agentId) }));
    form.append(label, select, " ", button);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.setState(agentId, select.value);
    });
    cell(row).append(form);
    this.agentRows.set(agentId, row);
    return row;
  }

  async setState(agentId, value) {
    const [state, reason] = value.split(":");
    this.error();
    try {
      await api("POST", this.url("/agents/" + encodeURIComponent(agentId) + "/state"),
        { state, reason: reason || null });
    } catch (error) {
      this.error(error);
    }
  }

  error(problem) {
    const box = this.q("[data-error]");
    box.hidden = !problem;
    if (problem) box.textContent = problem instanceof Problem ? problem.detail || problem.title : String(problem);
  }

  receive(message) {
    if (message.type === "event" && CHANGES_WAITING.test(message.event)) {
      // several events come together: read the list once they have settled
      window.clearTimeout(this.waitingTimer);
      this.waitingTimer = window.setTimeout(() => this.loadWaiting(), 150);
    }
  }

  async loadWaiting() {
    let items = [];
    try {
      const [waiting, offered] = await Promise.all([
        api("GET", this.url("/contacts?status=waiting&limit=100")),
        api("GET", this.url("/contacts?status=offered&limit=100")),
      ]);
      items = [...waiting.items, ...offered.items];
    } catch {
      return;
    }
    items.sort((a, b) => Date.parse(a.queued_at) - Date.parse(b.queued_at));
    const body = this.q("[data-waiting] tbody");
    const keep = new Set(items.map((c) => c.contact_id));
    for (const row of [...body.rows]) if (!keep.has(row.dataset.contact)) row.remove();
    for (const contact of items) {
      let row = [...body.rows].find((r) => r.dataset.contact === contact.contact_id);
      if (!row) row = this.addWaitingRow(body, contact);
      row.cells[1].textContent = this.queueName(contact.queue_id);
      row.dataset.queuedAt = contact.queued_at;
    }
    this.tickWaiting();
  }

  tickWaiting() {
    for (const row of this.q("[data-waiting] tbody").rows) {
      row.cells[2].textContent = formatClock((Date.now() - Date.parse(row.dataset.queuedAt)) / 1000);
    }
  }

  addWaitingRow(body, contact) {
    const row = body.insertRow();
    row.dataset.contact = contact.contact_id;
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = contact.subject ? contact.contact_id + " · " + contact.subject : contact.contact_id;
    row.append(th);
    cell(row);
    cell(row, "num");
    const form = document.createElement("form");
    form.className = "inline-form";
    const id = "reassign-" + contact.contact_id;
    const label = document.createElement("label");
    label.htmlFor = id;
    label.className = "visually-hidden";
    label.textContent = t("Reassign {contact} to", { contact: contact.contact_id });
    const select = document.createElement("select");
    select.id = id;
    const queues = document.createElement("optgroup");
    queues.label = t("Queues");
    for (const queue of this.queues) queues.append(new Option(queue.name, "queue:" + queue.queue_id));
    const agents = document.createElement("optgroup");
    agents.label = t("Agents");
    for (const agent of this.agents) agents.append(new Option(agent.display_name, "agent:" + agent.agent_id));
    select.append(queues, agents);
    const button = document.createElement("button");
    button.type = "submit";
    button.className = "button quiet small";
    button.textContent = t("Move");
    form.append(label, select, " ", button);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.reassign(contact.contact_id, select.value);
    });
    cell(row).append(form);
    return row;
  }

  async reassign(contactId, value) {
    const [kind, target] = value.split(/:(.*)/s);
    this.error();
    try {
      await api("POST", this.url("/contacts/" + encodeURIComponent(contactId) + "/transfer"),
        kind === "agent" ? { agent_id: target } : { queue_id: target });
    } catch (error) {
      this.error(error);
    }
  }

  charts() {
    if (this.lastStats) drawCharts(this.element, this.lastStats.queues || [], this.queues);
  }
}
