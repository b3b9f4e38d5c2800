// A supervisor on a live call from the wallboard (docs/desktop.md "Calls"): their own peer
// connection to the media hub (POST /calls/{id}/monitor), listen, whisper (only the agent
// hears them) and barge in (everyone does), switching modes on the same connection, take over,
// and leave.
import { api, Problem } from "../api.js";
import { t } from "../i18n.js";
import { expose, HubPeer, microphone } from "../voice/peer.js";

function modeText(mode) {
  return mode === "whisper" ? t("You are whispering: only the agent hears you.")
    : mode === "barge" ? t("You have barged in: the caller and the agent hear you.")
    : t("You are listening: neither the caller nor the agent hears you.");
}

export class VoiceMonitor {
  constructor(tenantId, contactId, agentName, onClose, announce) {
    this.tenantId = tenantId;
    this.contactId = contactId;
    this.announce = announce;
    this.onClose = onClose;
    this.peer = null;
    this.legId = null;
    this.mode = null;
    this.stream = null;
    const holder = document.createElement("div");
    holder.innerHTML = document.getElementById("voice-monitor").innerHTML.replaceAll("__C__", contactId);
    this.element = holder.firstElementChild;
    this.q = (selector) => this.element.querySelector(selector);
    this.q("[data-monitor-title]").textContent = t("answered by {agent}", { agent: agentName });
    this.q("[data-close]").addEventListener("click", () => this.leave());
    for (const button of this.element.querySelectorAll("[data-mode]")) {
      button.addEventListener("click", () => this.switchTo(button.dataset.mode));
    }
    this.q("[data-take-over]").addEventListener("click", () => this.takeOver());
  }

  url(path = "") {
    return "/api/v1/tenants/" + encodeURIComponent(this.tenantId) + "/calls/" +
      encodeURIComponent(this.contactId) + path;
  }

  /** For Monitors: the first control to focus. */
  focusTarget() {
    return this.q("[data-mode=listen]");
  }

  fail(error) {
    const box = this.q("[data-monitor-error]");
    box.textContent = error instanceof Problem ? error.detail || error.title : String(error);
    box.hidden = false;
  }

  /** Joins listening; the microphone is sent from the start and heard only in whisper/barge. */
  async start(mode = "listen") {
    try {
      const [config, stream] = await Promise.all([
        // a supervisor without an agent of their own may have no voice config: host candidates
        api("GET", "/api/v1/tenants/" + encodeURIComponent(this.tenantId) + "/voice/config")
          .catch(() => ({ ice_servers: [] })),
        microphone(),
      ]);
      this.stream = stream;
      this.peer = new HubPeer({
        iceServers: config.ice_servers || [],
        track: stream.getAudioTracks()[0],
        audioElement: this.q("[data-monitor-audio]"),
      });
      const answer = await this.peer.connect((sdp) => api("POST", this.url("/monitor"), { mode, sdp }));
      this.legId = answer.leg_id;
      expose("monitor:" + this.contactId, this.peer);
      expose("monitor", this.peer);
      this.showMode(mode);
    } catch (error) {
      this.fail(error instanceof Problem || !(error && error.name)
        ? error : new Problem(0, { detail: t("The microphone could not be opened.") }));
      this.q("[data-monitor-mode]").textContent = t("You are not on the call.");
    }
  }

  showMode(mode) {
    this.mode = mode;
    for (const button of this.element.querySelectorAll("[data-mode]")) {
      button.setAttribute("aria-pressed", String(button.dataset.mode === mode));
    }
    const text = modeText(mode);
    this.q("[data-monitor-mode]").textContent = text;
    this.announce(text);
  }

  async switchTo(mode) {
    this.q("[data-monitor-error]").hidden = true;
    if (!this.legId) return this.start(mode);
    if (mode === this.mode) return undefined;
    try {
      await api("POST", this.url("/monitor/" + encodeURIComponent(this.legId)), { mode });
      this.showMode(mode);
    } catch (error) {
      this.fail(error);
    }
    return undefined;
  }

  async takeOver() {
    this.q("[data-monitor-error]").hidden = true;
    try {
      await api("POST", this.url("/take-over"));
      this.q("[data-monitor-mode]").textContent =
        t("You answer this call now: the caller hears you; continue on your desktop.");
      this.announce(t("You took over the call."));
    } catch (error) {
      this.fail(error);
    }
  }

  async leave() {
    if (this.legId) {
      try {
        await api("DELETE", this.url("/monitor/" + encodeURIComponent(this.legId)));
      } catch {
        // the call may be over already: leave the media anyway
      }
    }
    this.close();
    this.onClose(this);
  }

  close() {
    if (this.peer) {
      this.peer.close();
      expose("monitor:" + this.contactId, null);
      if (window.headsetVoice && window.headsetVoice.monitor === this.peer) expose("monitor", null);
      this.peer = null;
    }
    if (this.stream) for (const track of this.stream.getTracks()) track.stop();
    this.legId = null;
  }

  receive(message) {
    const data = message.data || {};
    if (data.contact_id !== this.contactId || message.type !== "event") return;
    if (message.event === "voice.call_ended" || message.event === "routing.contact_ended") {
      this.close();
      this.q("[data-monitor-mode]").textContent = t("The call is over.");
    }
  }
}
