// The agent's state: the selector (available, away with the tenant's reasons, offline), the
// state the engine reports (reserved, busy, wrap-up too) with its time, and today's figures.
import { formatClock, formatNumber, t } from "../i18n.js";

const LABELS = {
  offline: "Offline",
  available: "Available",
  reserved: "Offer pending",
  busy: "On a contact",
  wrap_up: "Wrap-up",
  away: "Away",
};

/** "Away (Lunch)": the state in words, with the away reason's label where it has one. */
export function stateLabel(state, reason, reasons = []) {
  const label = t(LABELS[state] || state);
  if (state !== "away" || !reason) return label;
  const found = reasons.find((r) => r.code === reason);
  return label + " (" + (found ? found.label : reason) + ")";
}

export class StatePanel {
  constructor(desk) {
    this.desk = desk;
    this.select = document.getElementById("state-select");
    this.badge = document.getElementById("state-now");
    this.clock = document.getElementById("state-time");
    this.error = document.getElementById("state-error");
    this.since = performance.now();
    this.chosen = "offline";
    this.reason = null;
    this.fillReasons();
    this.select.addEventListener("change", () => this.choose());
    window.setInterval(() => this.tick(), 1000);
    this.refreshFigures();
  }

  fillReasons() {
    const group = document.getElementById("away-reasons");
    const reasons = this.desk.config.awayReasons.length
      ? this.desk.config.awayReasons
      : [{ code: "break", label: t("Break") }];
    for (const reason of reasons) {
      const option = document.createElement("option");
      option.value = "away:" + reason.code;
      option.textContent = t("Away: {reason}", { reason: reason.label });
      group.append(option);
    }
  }

  async choose() {
    const [state, reason] = this.select.value.split(":");
    this.error.hidden = true;
    try {
      await this.desk.stream.command("set_state", { state, reason: reason || null });
    } catch (reply) {
      this.error.textContent = reply.detail || t("Your state could not be changed.");
      this.error.hidden = false;
      this.showChosen();
    }
  }

  receive(message) {
    if (message.type === "snapshot" && message.data.agent) {
      const agent = message.data.agent;
      this.show(agent.state, agent.reason, ["offline", "away"].includes(agent.state) ? agent.state : "available");
      this.select.disabled = false;
      this.refreshFigures();
    } else if (message.type === "event" && message.event === "routing.agent_state_changed") {
      const data = message.data;
      if (data.agent_id !== this.desk.agentId) return;
      this.since = performance.now();
      this.show(data.new, data.reason, data.chosen);
      this.desk.announce(t("Your state: {state}", { state: stateLabel(data.new, data.reason, this.desk.config.awayReasons) }));
      this.refreshFigures();
    } else if (message.type === "event" && message.event === "routing.contact_completed") {
      this.refreshFigures();
    }
  }

  show(state, reason, chosen) {
    this.badge.textContent = stateLabel(state, reason, this.desk.config.awayReasons);
    this.badge.dataset.state = state;
    this.chosen = chosen || (["offline", "available", "away"].includes(state) ? state : this.chosen);
    this.reason = reason;
    this.showChosen();
  }

  showChosen() {
    const value = this.chosen === "away" ? "away:" + (this.reason || "") : this.chosen;
    if ([...this.select.options].some((o) => o.value === value)) this.select.value = value;
  }

  tick() {
    this.clock.textContent = formatClock((performance.now() - this.since) / 1000);
  }

  async refreshFigures() {
    if (!this.desk.tenantId) return;
    let rows;
    try {
      rows = await this.desk.api("GET", "/stats/agents");
    } catch {
      return;
    }
    const mine = rows.find((row) => row.agent_id === this.desk.agentId);
    if (!mine) return;
    if (mine.seconds_in_state != null) {
      this.since = performance.now() - mine.seconds_in_state * 1000;
    }
    const dash = "–";
    document.getElementById("figure-handled").textContent = formatNumber(mine.handled_today);
    document.getElementById("figure-aht").textContent =
      mine.aht_seconds_today == null ? dash : formatClock(mine.aht_seconds_today);
    const perHour = mine.contacts_per_hour_today;
    document.getElementById("figure-cph").textContent =
      perHour == null ? dash : formatNumber(perHour, ONE_DECIMAL);
    showTarget(perHour, mine.contacts_per_hour_target);
  }
}

const ONE_DECIMAL = { minimumFractionDigits: 1, maximumFractionDigits: 1 };

/** "6.0 / target 8", and below the target an arrow and words (not colour alone) say so. */
function showTarget(perHour, target) {
  const box = document.getElementById("figure-cph-box");
  const shown = document.getElementById("figure-cph-target");
  const mark = document.getElementById("figure-cph-mark");
  const hasTarget = target != null;
  shown.hidden = !hasTarget;
  shown.textContent = hasTarget
    ? " " + t("/ target {target}", { target: formatNumber(target, { maximumFractionDigits: 1 }) })
    : "";
  const isBelow = hasTarget && perHour != null && perHour < target;
  box.classList.toggle("is-below-target", isBelow);
  mark.hidden = !hasTarget || perHour == null;
  const arrow = document.createElement("span");
  arrow.setAttribute("aria-hidden", "true");
  arrow.textContent = isBelow ? "▼ " : "▲ ";
  mark.replaceChildren(arrow, isBelow ? t("Below target") : t("On target"));
}
