// One contact's panel: the customer card (profile and earlier contacts), private notes, the
// conversation (chat.js), transfer, "ask for help", and the wrap-up with a disposition.
import { Problem } from "../api.js";
import { formatDateTime, t } from "../i18n.js";
import { CallControls } from "./call.js";
import { Conversation } from "./chat.js";
import { MailConversation } from "./mail.js";
import { showRecordings } from "../voice/recordings.js";
import { stateLabel } from "./state.js";

function fill(select, items, value, label) {
  for (const item of items) {
    const option = document.createElement("option");
    option.value = item[value];
    option.textContent = item[label] || item[value];
    select.append(option);
  }
}

function problemText(error) {
  if (error instanceof Problem) return error.detail || error.title;
  return (error && error.detail) || t("That did not work; try again.");
}

export class ContactPanel {
  constructor(desk, contactId, rename) {
    this.desk = desk;
    this.contactId = contactId;
    this.rename = rename;
    const template = document.getElementById("contact-panel");
    const holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replaceAll("__ID__", contactId);
    this.element = holder.firstElementChild;
    this.q = (selector) => this.element.querySelector(selector);
    fill(this.q("[data-disposition]"), desk.config.dispositions, "code", "label");
    fill(this.q("[data-transfer-queue]"), desk.config.queues, "queue_id", "name");
    this.chat = new Conversation(desk, contactId, this.element);
    this.wire();
  }

  wire() {
    this.q("[data-note-form]").addEventListener("submit", (event) => {
      event.preventDefault();
      this.addNote();
    });
    this.q("[data-end]").addEventListener("click", () => this.end());
    this.q("[data-escalate]").addEventListener("click", () => this.escalate());
    this.q("[data-transfer-form]").addEventListener("submit", (event) => {
      event.preventDefault();
      this.transfer();
    });
    // agents' states change all the time: read them again when the agent goes to the form
    this.q("[data-transfer-form]").addEventListener("focusin", () => this.loadTargets());
    this.q("[data-wrap-up-form]").addEventListener("submit", (event) => {
      event.preventDefault();
      this.wrapUp();
    });
  }

  focus() {
    const box = this.mail ? this.mail.box : this.q("[data-message]");
    (box && !box.disabled ? box : this.element).focus();
  }

  status(text) {
    this.q("[data-status]").textContent = text;
  }

  receive(message) {
    this.chat.receive(message);
    if (this.call) this.call.receive(message);
    if (this.mail) this.mail.receive(message);
  }

  /** The panel is going away: a call leaves its media. */
  close() {
    if (this.call) this.call.close();
    if (this.mail) this.mail.close();
  }

  async load() {
    let contact;
    try {
      contact = await this.desk.api("GET", "/contacts/" + encodeURIComponent(this.contactId));
    } catch (error) {
      this.status(problemText(error));
      return;
    }
    this.contact = contact;
    this.q("[data-contact-queue]").textContent = this.queueName(contact.queue_id);
    this.q("[data-contact-subject]").textContent = contact.subject || "–";
    for (const note of contact.notes || []) this.showNote(note);
    if (contact.channel === "chat") this.chat.load();
    else if (contact.channel === "voice") this.startCall(contact);
    else if (contact.channel === "email") this.startMail();
    else this.chat.disable(t("This contact is not a chat."));
    this.loadTargets();
    if (contact.customer_id) await this.loadCustomer(contact.customer_id);
    else this.rename(t("Customer"));
  }

  /** A call: its controls replace the conversation, and hanging up ends it. */
  startCall(contact) {
    this.q(".chat").hidden = true;
    this.q("[data-end]").hidden = true;
    this.q("[data-transfer-form]").hidden = true;
    this.call = new CallControls(this.desk, this.contactId, this.element);
    this.call.start(contact);
  }

  /** An e-mail: its thread and reply editor (mail.js) replace the chat. */
  startMail() {
    this.q(".chat").hidden = true;
    this.mail = new MailConversation(this.desk, this.contactId, this.element);
    this.mail.start();
    if (!this.q("[data-wrap-up-form]").hidden) this.mail.ended(); // wrapping since a reload
  }

  /** The agents a transfer can go to, with their state (GET .../transfer-targets). */
  async loadTargets() {
    // one read at a time; a focus during a read asks for one more read after it
    if (this.readingTargets) {
      this.targetsAgain = true;
      return;
    }
    this.readingTargets = true;
    let targets = null;
    try {
      targets = await this.desk.api(
        "GET", "/transfer-targets?contact_id=" + encodeURIComponent(this.contactId));
    } catch {
      // the contact may have moved on: the list stays as it was
    } finally {
      this.readingTargets = false;
    }
    if (targets) this.showTargets(targets);
    if (this.targetsAgain) {
      this.targetsAgain = false;
      this.loadTargets();
    }
  }

  showTargets(targets) {
    const select = this.q("[data-transfer-agent]");
    const chosen = select.value;
    const none = select.options[0];
    select.replaceChildren(none);
    for (const agent of targets.agents) {
      if (agent.is_you) continue;
      const option = document.createElement("option");
      option.value = agent.agent_id;
      const values = { name: agent.display_name, state: stateLabel(agent.state) };
      option.textContent = agent.can_take_now
        ? t("{name} ({state}, can take it now)", values)
        : t("{name} ({state})", values);
      select.append(option);
    }
    select.value = chosen;
    if (select.value !== chosen) select.value = "";
  }

  queueName(queueId) {
    const queue = this.desk.config.queues.find((q) => q.queue_id === queueId);
    return queue ? queue.name : queueId;
  }

  async loadCustomer(customerId) {
    try {
      const customer = await this.desk.api("GET", "/customers/" + encodeURIComponent(customerId));
      this.q("[data-customer-name]").textContent = customer.name || "–";
      this.q("[data-customer-email]").textContent = customer.email || "–";
      this.q("[data-customer-phone]").textContent = customer.phone || "–";
      this.q("[data-customer-language]").textContent = customer.language || "–";
      this.rename(customer.name || customer.email || t("Customer"));
      this.showMatch(customerId, customer.possible_match);
      // the customer's contacts with any agent: handling this one is the need to know
      const earlier = await this.desk.api(
        "GET", "/customers/" + encodeURIComponent(customerId) + "/contacts?limit=10");
      this.showHistory(earlier.items.filter((c) => c.contact_id !== this.contactId));
    } catch (error) {
      this.q("[data-customer-name]").textContent = problemText(error);
    }
  }

  /** A customer made from what a visitor typed may be an existing one: the card says so,
   * masked, and the agent confirms after checking who they are; the card then shows the
   * customer of record and their earlier contacts. */
  showMatch(customerId, match) {
    const box = this.q("[data-customer-match]");
    box.hidden = !match;
    if (!match) return;
    const text = document.createElement("span");
    text.textContent = t("Unverified — possibly {hint}?", { hint: match.hint });
    text.title = t("What the customer typed was not checked; confirm only after checking who they are.");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button small";
    button.textContent = t("Confirm match");
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        await this.desk.api(
          "POST", "/customers/" + encodeURIComponent(customerId) + "/confirm-match");
        await this.loadCustomer(match.customer_id);
      } catch (error) {
        text.textContent = problemText(error);
        button.disabled = false;
      }
    });
    box.replaceChildren(text, " ", button);
  }

  showHistory(items) {
    const list = this.q("[data-history]");
    if (!items.length) return;
    list.replaceChildren();
    for (const item of items) {
      const li = document.createElement("li");
      const when = document.createElement("time");
      when.dateTime = item.created_at;
      when.textContent = formatDateTime(item.created_at);
      li.append(when, " · " + this.queueName(item.queue_id) + " · " + item.channel +
        (item.disposition ? " · " + this.dispositionLabel(item.disposition) : "") +
        (item.subject ? " · " + item.subject : "") +
        (item.handled_by_you ? " · " + t("handled by you") : ""));
      if (item.channel === "voice") this.recordingsButton(li, item.contact_id);
      list.append(li);
    }
  }

  /** An earlier call's recordings, read when asked for (each playback is audited). */
  recordingsButton(li, contactId) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button quiet small";
    button.textContent = t("Recordings");
    button.setAttribute("aria-expanded", "false");
    const holder = document.createElement("div");
    holder.hidden = true;
    button.addEventListener("click", async () => {
      const isOpen = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(isOpen));
      holder.hidden = !isOpen;
      if (isOpen) {
        await showRecordings(holder, contactId, {
          url: (path) => this.desk.url(path),
          read: (path) => this.desk.api("GET", path),
          post: (path, body) => this.desk.api("POST", path, body),
        });
      }
    });
    li.append(" ", button, holder);
  }

  dispositionLabel(code) {
    const found = this.desk.config.dispositions.find((d) => d.code === code);
    return found ? found.label : code;
  }

  showNote(note) {
    const li = document.createElement("li");
    const when = document.createElement("time");
    when.dateTime = note.created_at;
    when.textContent = formatDateTime(note.created_at);
    const text = document.createElement("p");
    text.textContent = note.text;
    li.append(when, text);
    this.q("[data-notes]").append(li);
  }

  async addNote() {
    const box = this.q("[data-note]");
    const error = this.q("[data-note-error]");
    error.hidden = true;
    if (!box.value.trim()) {
      error.textContent = t("Write the note first.");
      error.hidden = false;
      box.focus();
      return;
    }
    try {
      const note = await this.desk.api(
        "POST", "/contacts/" + encodeURIComponent(this.contactId) + "/notes", { text: box.value });
      this.showNote(note);
      box.value = "";
      this.desk.announce(t("The note is saved."));
    } catch (problem) {
      error.textContent = problemText(problem);
      error.hidden = false;
    }
  }

  actionError(error) {
    const box = this.q("[data-action-error]");
    box.textContent = problemText(error);
    box.hidden = false;
  }

  async end() {
    this.q("[data-action-error]").hidden = true;
    try {
      await this.desk.stream.command("end", { contact_id: this.contactId });
      this.wrapping();
    } catch (reply) {
      this.actionError(reply);
    }
  }

  async escalate() {
    this.q("[data-action-error]").hidden = true;
    try {
      await this.desk.api("POST", "/contacts/" + encodeURIComponent(this.contactId) + "/escalate", {});
      this.status(t("Your team leader was asked for help."));
    } catch (error) {
      this.actionError(error);
    }
  }

  async transfer() {
    this.q("[data-action-error]").hidden = true;
    const queueId = this.q("[data-transfer-queue]").value;
    const agentId = this.q("[data-transfer-agent]").value;
    if (queueId && agentId) {
      this.actionError({ detail: t("Choose a queue or an agent, not both.") });
      return;
    }
    if (!queueId && !agentId) {
      this.actionError({ detail: t("Choose a queue or an agent to transfer to.") });
      return;
    }
    const body = agentId ? { agent_id: agentId } : { queue_id: queueId };
    try {
      await this.desk.api("POST", "/contacts/" + encodeURIComponent(this.contactId) + "/transfer", body);
      this.status(t("Transferred."));
    } catch (error) {
      this.actionError(error);
    }
  }

  /** The conversation is over: the wrap-up form replaces the actions. */
  wrapping() {
    if (!this.q("[data-wrap-up-form]").hidden) return;
    if (this.call) this.call.ended(t("The call has ended."));
    if (this.mail) this.mail.ended();
    this.q("[data-actions]").hidden = true;
    this.chat.disable(t("The conversation has ended."));
    this.status(t("Wrap-up: choose a disposition and finish."));
    const form = this.q("[data-wrap-up-form]");
    form.hidden = false;
    form.querySelector("[data-disposition]").focus();
  }

  async wrapUp() {
    const error = this.q("[data-wrap-error]");
    error.hidden = true;
    const disposition = this.q("[data-disposition]").value || null;
    const notes = this.q("[data-wrap-notes]").value.trim() || null;
    try {
      await this.desk.stream.command("wrap_up", { contact_id: this.contactId, disposition, notes });
    } catch (reply) {
      error.textContent = problemText(reply);
      error.hidden = false;
    }
  }
}
