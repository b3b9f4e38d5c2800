// Watching a live chat from the wallboard (H1's chat API, docs/chat.md): monitor joins
// silently and shows the transcript live; whisper reaches the agent only; barge in lets the
// supervisor write to the customer (who sees them join); take over moves the chat to the
// supervisor's own agent.
import { api, Problem } from "../api.js";
import { formatDateTime, t } from "../i18n.js";
import { VoiceMonitor } from "./voice_monitor.js";

function clientId() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  return Date.now().toString(36) + Math.random().toString(36).slice(2);
}

class Monitor {
  constructor(tenantId, contactId, agentName, onClose, announce) {
    this.tenantId = tenantId;
    this.contactId = contactId;
    this.announce = announce;
    this.seen = new Set();
    const holder = document.createElement("div");
    holder.innerHTML = document.getElementById("chat-monitor").innerHTML.replaceAll("__C__", contactId);
    this.element = holder.firstElementChild;
    this.q = (selector) => this.element.querySelector(selector);
    this.q("[data-monitor-title]").textContent = t("answered by {agent}", { agent: agentName });
    this.q("[data-close]").addEventListener("click", () => onClose(this));
    this.q("[data-whisper-form]").addEventListener("submit", (event) => {
      event.preventDefault();
      this.post("/whisper", this.q("[data-whisper]"));
    });
    this.q("[data-say-form]").addEventListener("submit", (event) => {
      event.preventDefault();
      this.post("/messages", this.q("[data-say]"));
    });
    this.q("[data-barge]").addEventListener("click", () => this.barge());
    this.q("[data-take-over]").addEventListener("click", () => this.takeOver());
  }

  url(path = "") {
    return "/api/v1/tenants/" + encodeURIComponent(this.tenantId) + "/chats/" +
      encodeURIComponent(this.contactId) + path;
  }

  fail(error) {
    const box = this.q("[data-monitor-error]");
    box.textContent = error instanceof Problem ? error.detail || error.title : String(error);
    box.hidden = false;
  }

  async start() {
    try {
      const answer = await api("POST", this.url("/monitor"));
      for (const message of answer.messages) this.show(message);
    } catch (error) {
      this.fail(error);
    }
  }

  show(message) {
    if (!message || this.seen.has(message.seq)) return;
    this.seen.add(message.seq);
    const li = document.createElement("li");
    li.className = "message from-" + message.author_kind + (message.visibility === "staff" ? " whisper" : "");
    li.dataset.seq = message.seq;
    const head = document.createElement("p");
    head.className = "message-head";
    const who = document.createElement("strong");
    who.textContent = message.author_name;
    head.append(who, " " + formatDateTime(message.sent_at, { timeStyle: "short" }));
    if (message.visibility === "staff") head.append(" · " + t("whisper"));
    const text = document.createElement("p");
    text.className = "message-text";
    text.textContent = message.text;
    li.append(head, text);
    const later = [...this.q("[data-transcript]").children].find((el) => Number(el.dataset.seq) > message.seq);
    this.q("[data-transcript]").insertBefore(li, later || null);
  }

  receive(message) {
    const data = message.data || {};
    if (data.contact_id !== this.contactId) return;
    if (message.type === "event" && message.event === "chat.message_sent") this.show(data.message);
    else if (message.type === "signal" && message.event === "chat.typing") {
      this.q("[data-typing]").textContent = data.is_typing
        ? t("{name} is typing…", { name: data.display_name || data.who }) : "";
    } else if (message.type === "event" && message.event === "routing.contact_completed") {
      this.q("[data-monitor-mode]").textContent = t("The chat is over.");
    }
  }

  async post(path, box) {
    const text = box.value.trim();
    if (!text) return;
    this.q("[data-monitor-error]").hidden = true;
    try {
      const message = await api("POST", this.url(path), { client_message_id: clientId(), text });
      box.value = "";
      this.show(message);
    } catch (error) {
      this.fail(error);
    }
  }

  async barge() {
    try {
      await api("POST", this.url("/barge"));
      this.q("[data-monitor-mode]").textContent =
        t("You have barged in: the customer sees you and your messages.");
      this.q("[data-say-form]").hidden = false;
      this.q("[data-barge]").hidden = true;
      this.q("[data-say]").focus();
    } catch (error) {
      this.fail(error);
    }
  }

  async takeOver() {
    try {
      await api("POST", this.url("/take-over"));
      this.q("[data-monitor-mode]").textContent =
        t("You answer this chat now: continue on your desktop.");
      this.announce(t("You took over the chat."));
    } catch (error) {
      this.fail(error);
    }
  }
}

export class Monitors {
  constructor(root, announce) {
    this.root = root;
    this.announce = announce;
    this.open_ = new Map();
  }

  async open(tenantId, contactId, agentName) {
    let monitor = this.open_.get(contactId);
    if (!monitor) {
      // a call is watched with its own audio (voice_monitor.js), a chat by its transcript
      const contact = await api("GET", "/api/v1/tenants/" + encodeURIComponent(tenantId) +
        "/contacts/" + encodeURIComponent(contactId)).catch(() => null);
      if (this.open_.has(contactId)) return;
      const Kind = contact && contact.channel === "voice" ? VoiceMonitor : Monitor;
      monitor = new Kind(tenantId, contactId, agentName, (m) => this.close(m), this.announce);
      this.open_.set(contactId, monitor);
      this.root.prepend(monitor.element);
      monitor.start();
    }
    (monitor.focusTarget ? monitor.focusTarget() : monitor.q("[data-whisper]")).focus();
  }

  close(monitor) {
    if (monitor.close) monitor.close();
    monitor.element.remove();
    this.open_.delete(monitor.contactId);
  }

  receive(message) {
    for (const monitor of this.open_.values()) monitor.receive(message);
  }
}
