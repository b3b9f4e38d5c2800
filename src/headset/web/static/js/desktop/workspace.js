// The workspace: one tab per contact the agent holds (several chats at once), opened when an
// offer is accepted (or from the snapshot after a reload) and closed when the contact is
// completed or leaves the agent (transfer, escalation, take-over by a supervisor).
import { t } from "../i18n.js";
import { ContactPanel } from "./contact.js";

export class Workspace {
  constructor(desk) {
    this.desk = desk;
    this.tabs = document.getElementById("contact-tabs");
    this.panels = document.getElementById("contact-panels");
    this.empty = document.getElementById("no-contacts");
    this.open_ = new Map(); // contact_id -> {tab, panel: ContactPanel}
    this.tabs.addEventListener("keydown", (event) => this.arrows(event));
  }

  receive(message) {
    if (message.type === "snapshot" && message.data.agent) {
      const agent = message.data.agent;
      const held = new Set([...agent.contacts, ...agent.wrapping]);
      for (const contactId of [...this.open_.keys()]) if (!held.has(contactId)) this.close(contactId);
      for (const contactId of agent.contacts) this.open(contactId);
      for (const contactId of agent.wrapping) this.open(contactId).wrapping();
      return;
    }
    const data = message.data || {};
    const entry = this.open_.get(data.contact_id);
    if (message.type === "event" && message.event === "routing.offer_accepted") {
      if (data.agent_id === this.desk.agentId) this.open(data.contact_id);
      else if (entry) this.close(data.contact_id); // taken over by someone else
      return;
    }
    if (!entry) return;
    if (message.type === "event") {
      if (message.event === "routing.contact_ended" && data.agent_id === this.desk.agentId) {
        entry.panel.wrapping();
      } else if (message.event === "routing.contact_completed") {
        this.close(data.contact_id);
        this.desk.announce(t("The contact is wrapped up."));
      } else if (message.event === "routing.contact_transferred" &&
                 data.from_agent_id === this.desk.agentId) {
        this.close(data.contact_id);
        this.desk.announce(t("The contact left your desktop."));
      } else if (message.event === "routing.contact_abandoned") {
        entry.panel.status(t("The customer left."));
      }
    }
    entry.panel.receive(message);
  }

  /** The contact's panel, made (and its tab added) if it is not open yet. */
  open(contactId, { focus = false } = {}) {
    let entry = this.open_.get(contactId);
    if (!entry) {
      const tab = document.createElement("button");
      tab.type = "button";
      tab.setAttribute("role", "tab");
      tab.id = "tab-" + contactId;
      tab.className = "tab";
      tab.setAttribute("aria-controls", "panel-" + contactId);
      tab.textContent = t("Contact {number}", { number: this.open_.size + 1 });
      tab.addEventListener("click", () => this.select(contactId));
      const panel = new ContactPanel(this.desk, contactId, (label) => { tab.textContent = label; });
      this.tabs.append(tab);
      this.panels.append(panel.element);
      entry = { tab, panel };
      this.open_.set(contactId, entry);
      this.empty.hidden = true;
      this.select(contactId, false);
      panel.load();
    }
    if (focus) {
      this.select(contactId, false);
      entry.panel.focus();
    }
    return entry.panel;
  }

  select(contactId, moveFocus = true) {
    for (const [id, { tab, panel }] of this.open_) {
      const isOn = id === contactId;
      tab.setAttribute("aria-selected", String(isOn));
      tab.tabIndex = isOn ? 0 : -1;
      panel.element.hidden = !isOn;
      if (isOn && moveFocus) tab.focus();
    }
  }

  close(contactId) {
    const entry = this.open_.get(contactId);
    if (!entry) return;
    const hadFocus = entry.panel.element.contains(document.activeElement);
    if (entry.panel.close) entry.panel.close();
    entry.tab.remove();
    entry.panel.element.remove();
    this.open_.delete(contactId);
    const next = this.open_.keys().next();
    if (next.done) {
      this.empty.hidden = false;
      if (hadFocus) document.getElementById("main").focus();
    } else {
      this.select(next.value, hadFocus);
    }
  }

  arrows(event) {
    const ids = [...this.open_.keys()];
    const at = ids.findIndex((id) => this.open_.get(id).tab === document.activeElement);
    if (at < 0) return;
    const step = { ArrowRight: 1, ArrowLeft: -1, Home: -at, End: ids.length - 1 - at }[event.key];
    if (step === undefined) return;
    event.preventDefault();
    this.select(ids[(at + step + ids.length) % ids.length]);
  }
}
