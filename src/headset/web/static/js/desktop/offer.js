// The offer pop-up: which queue, a countdown to the offer's expiry (from the live event, with
// the server's clock), accept and reject by button or Alt+A / Alt+R, and a short sound made
// with Web Audio (no audio file to fetch).
import { t } from "../i18n.js";

const ENDED = new Set([
  "routing.offer_accepted",
  "routing.offer_rejected",
  "routing.offer_expired",
  "routing.offer_rescinded",
]);

let audio = null;

/** Two short rising tones; silent where the browser allows no sound yet. */
export function chime() {
  try {
    audio = audio || new AudioContext();
    if (audio.state === "suspended") audio.resume();
    const start = audio.currentTime;
    for (const [offset, pitch] of [[0, 660], [0.18, 880]]) {
      const tone = audio.createOscillator();
      const volume = audio.createGain();
      tone.frequency.value = pitch;
      volume.gain.setValueAtTime(0.0001, start + offset);
      volume.gain.exponentialRampToValueAtTime(0.25, start + offset + 0.02);
      volume.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.16);
      tone.connect(volume).connect(audio.destination);
      tone.start(start + offset);
      tone.stop(start + offset + 0.17);
    }
  } catch {
    // no Web Audio here: the pop-up and the announcement still tell the agent
  }
}

export class OfferPopup {
  constructor(desk, workspace) {
    this.desk = desk;
    this.workspace = workspace;
    this.box = document.getElementById("offer");
    this.text = document.getElementById("offer-text");
    this.heading = document.getElementById("offer-heading");
    this.seconds = document.getElementById("offer-seconds");
    this.progress = document.getElementById("offer-progress");
    this.accept = document.getElementById("offer-accept");
    this.reject = document.getElementById("offer-reject");
    this.pending = []; // offers in arrival order: {offer_id, contact_id, queue_id, due, total}
    this.timer = null;
    this.accept.addEventListener("click", () => this.answer("accept"));
    this.reject.addEventListener("click", () => this.answer("reject"));
    document.addEventListener("keydown", (event) => {
      if (!event.altKey || this.box.hidden) return;
      const key = event.key.toLowerCase();
      if (key === "a") { event.preventDefault(); this.answer("accept"); }
      if (key === "r") { event.preventDefault(); this.answer("reject"); }
    });
  }

  receive(message) {
    if (message.type === "snapshot") {
      this.pending = [];
      for (const offer of (message.data.agent && message.data.agent.offers) || []) {
        this.add(offer, Date.parse(offer.expires_at) - Date.now());
      }
      this.show();
    } else if (message.type === "event" && message.event === "routing.contact_offered") {
      const data = message.data;
      if (data.agent_id !== this.desk.agentId) return;
      // the server's clock decides the expiry: measure from the offer's own time
      this.add(data, Date.parse(data.expires_at) - Date.parse(data.at));
      this.show();
      if (data.channel !== "voice") chime(); // a call rings on the softphone (softphone.js)
    } else if (message.type === "event" && ENDED.has(message.event)) {
      const offerId = message.data.offer_id;
      const before = this.pending.length;
      this.pending = this.pending.filter((o) => o.offer_id !== offerId);
      if (message.event === "routing.offer_expired" && message.data.agent_id === this.desk.agentId) {
        this.desk.announce(t("The offer expired."));
      }
      if (this.pending.length !== before) this.show();
    }
  }

  add(offer, totalMs) {
    if (this.pending.some((o) => o.offer_id === offer.offer_id)) return;
    const total = Math.max(0, totalMs);
    this.pending.push({ ...offer, due: performance.now() + total, total });
  }

  show() {
    window.clearInterval(this.timer);
    const offer = this.pending[0];
    if (!offer) {
      const hadFocus = this.box.contains(document.activeElement);
      this.box.hidden = true;
      if (hadFocus) document.getElementById("main").focus();
      return;
    }
    const wasHidden = this.box.hidden;
    const queue = this.queueName(offer.queue_id);
    this.heading.textContent = offer.channel === "voice" ? t("Incoming call") : t("New contact");
    this.text.textContent = offer.consultation_of
      ? t("A colleague asks you to join a call from queue {queue}.", { queue })
      : offer.channel === "voice"
        ? t("A call from queue {queue} is ringing.", { queue })
        : t("A contact from queue {queue} is waiting for you.", { queue });
    this.box.hidden = false;
    this.accept.disabled = false;
    this.reject.disabled = false;
    if (wasHidden) {
      this.accept.focus();
      this.desk.announce(t("New contact from queue {queue}. Accept with Alt+A, reject with Alt+R.", {
        queue: this.queueName(offer.queue_id),
      }));
    }
    this.tick();
    this.timer = window.setInterval(() => this.tick(), 250);
  }

  queueName(queueId) {
    const queue = this.desk.config.queues.find((q) => q.queue_id === queueId);
    return queue ? queue.name : queueId;
  }

  tick() {
    const offer = this.pending[0];
    if (!offer) return;
    const left = Math.max(0, offer.due - performance.now());
    const whole = Math.ceil(left / 1000);
    this.seconds.textContent = t("{seconds} s left", { seconds: whole });
    this.progress.value = offer.total ? (100 * left) / offer.total : 0;
    this.progress.setAttribute("aria-valuetext", t("{seconds} seconds left", { seconds: whole }));
  }

  async answer(command) {
    const offer = this.pending[0];
    if (!offer) return;
    this.accept.disabled = true;
    this.reject.disabled = true;
    try {
      await this.desk.stream.command(command, { offer_id: offer.offer_id });
      this.pending = this.pending.filter((o) => o.offer_id !== offer.offer_id);
      if (command === "accept") this.workspace.open(offer.contact_id, { focus: true });
    } catch (reply) {
      this.desk.announce(reply.detail || t("The offer could not be answered."));
      this.pending = this.pending.filter((o) => o.offer_id !== offer.offer_id);
    }
    this.show();
  }
}
