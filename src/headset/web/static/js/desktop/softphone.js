// The softphone (docs/desktop.md "Calls"): the agent's microphone and speaker, registration
// with the service (PUT /agents/{id}/softphone) while the agent is available for calls, the
// ring of a voice offer, and the devices every call of this desktop uses. The call controls
// of one call live in call.js, in the call's contact panel.
import { Problem } from "../api.js";
import { t } from "../i18n.js";
import { microphone } from "../voice/peer.js";

const RING_EVERY_MS = 3000;
// How long a completed consultation's connection waits for the call's panel.
const PARK_MS = 5000;
const OFFER_ENDED = new Set([
  "routing.offer_accepted", "routing.offer_rejected", "routing.offer_expired", "routing.offer_rescinded",
]);

/** A phone's double ring (400 + 450 Hz, twice), made with Web Audio. */
class RingTone {
  constructor() {
    this.context = null;
    this.timer = null;
  }

  start() {
    if (this.timer) return;
    const ring = () => {
      try {
        this.context = this.context || new AudioContext();
        if (this.context.state === "suspended") this.context.resume();
        const now = this.context.currentTime;
        const volume = this.context.createGain();
        volume.gain.value = 0;
        for (const offset of [0, 0.6]) {
          volume.gain.setValueAtTime(0.12, now + offset);
          volume.gain.setValueAtTime(0, now + offset + 0.4);
        }
        volume.connect(this.context.destination);
        for (const pitch of [400, 450]) {
          const tone = this.context.createOscillator();
          tone.frequency.value = pitch;
          tone.connect(volume);
          tone.start(now);
          tone.stop(now + 1.0);
        }
      } catch {
        // no Web Audio: the pop-up and the announcement still tell the agent
      }
    };
    ring();
    this.timer = window.setInterval(ring, RING_EVERY_MS);
  }

  stop() {
    window.clearInterval(this.timer);
    this.timer = null;
  }
}

export class Softphone {
  constructor(desk) {
    this.desk = desk;
    desk.softphone = this;
    this.box = document.getElementById("softphone");
    this.statusLine = document.getElementById("softphone-status");
    this.enable = document.getElementById("softphone-enable");
    this.micSelect = document.getElementById("softphone-microphone");
    this.speakerSelect = document.getElementById("softphone-speaker");
    this.error = document.getElementById("softphone-error");
    this.stream = null;
    this.config = null;
    this.isRegistered = false;
    this.wanted = false; // the agent's state asks for registration
    this.ringing = new Set();
    this.tone = new RingTone();
    this.calls = new Set(); // CallControls of the open calls (call.js)
    this.parents = new Map(); // a consultation's contact id -> the call it is about
    this.parked = null; // a completed consultation's connection, until the call's panel takes it
    this.enable.addEventListener("click", () => this.sync(true));
    this.micSelect.addEventListener("change", () => this.useMicrophone(this.micSelect.value));
    this.speakerSelect.addEventListener("change", () => this.useSpeaker(this.speakerSelect.value));
    const canChooseSpeaker = typeof HTMLMediaElement.prototype.setSinkId === "function";
    document.getElementById("softphone-speaker-control").hidden = !canChooseSpeaker;
    if (navigator.mediaDevices) {
      navigator.mediaDevices.addEventListener("devicechange", () => this.listDevices());
    }
    this.hasVoice = false;
    this.box.hidden = true;
    this.show();
    this.ready = this.loadVoice();
  }

  /** Calls are on when GET .../voice/config says so: else no card and no microphone. */
  async loadVoice() {
    try {
      this.config = await this.desk.api("GET", "/voice/config");
      this.hasVoice = this.config.enabled !== false;
    } catch {
      this.hasVoice = false;
    }
    this.box.hidden = !this.hasVoice;
  }

  receive(message) {
    const data = message.data || {};
    if (message.type === "snapshot" && data.agent) {
      this.isRegistered = Boolean(data.agent.softphone_registered);
      this.ringing.clear();
      for (const offer of data.agent.offers || []) {
        if (offer.consultation_of) this.parents.set(offer.contact_id, offer.consultation_of);
        if (offer.channel === "voice") this.ringing.add(offer.offer_id);
      }
      if (this.ringing.size) this.tone.start();
      else this.tone.stop();
      this.wanted = data.agent.state !== "offline";
      this.sync();
    } else if (message.type === "event" && message.event === "routing.agent_state_changed") {
      if (data.agent_id !== this.desk.agentId) return;
      this.wanted = data.new !== "offline";
      this.sync();
    } else if (message.type === "event" && message.event === "routing.contact_offered") {
      if (data.agent_id === this.desk.agentId && data.channel === "voice") {
        if (data.consultation_of) this.parents.set(data.contact_id, data.consultation_of);
        this.ringing.add(data.offer_id);
        this.tone.start();
      }
    } else if (message.type === "event" && OFFER_ENDED.has(message.event)) {
      this.ringing.delete(data.offer_id);
      if (!this.ringing.size) this.tone.stop();
    }
  }

  /** Registers while the agent is not offline (microphone first), unregisters otherwise. */
  async sync(isAsked = false) {
    if (this.syncing) {
      this.again = true;
      return;
    }
    this.syncing = true;
    this.error.hidden = true;
    try {
      await this.ready;
      if ((this.wanted || isAsked) && this.hasVoice) {
        if (!this.stream) await this.openMicrophone();
        if (this.stream && !this.isRegistered && this.wanted) await this.register(true);
      } else {
        if (this.isRegistered) await this.register(false);
        // offline and no call: the browser's "microphone in use" mark goes away
        if (this.stream && !this.calls.size && !this.wanted) {
          for (const track of this.stream.getTracks()) track.stop();
          this.stream = null;
        }
      }
    } finally {
      this.syncing = false;
      this.show();
    }
    if (this.again) {
      this.again = false;
      this.sync();
    }
  }

  async openMicrophone(deviceId = "") {
    if (!navigator.mediaDevices || !window.RTCPeerConnection) {
      this.fail(t("This browser cannot make calls: use a current Chrome, Edge or Firefox."));
      return;
    }
    try {
      this.stream = await microphone(deviceId);
    } catch (error) {
      this.fail(error && error.name === "NotAllowedError"
        ? t("The microphone is blocked. Allow it for this site in the browser, then turn the softphone on.")
        : t("No microphone could be opened: connect one and turn the softphone on."));
      return;
    }
    await this.listDevices();
  }

  async register(isOn) {
    try {
      const answer = await this.desk.api(
        "PUT", "/agents/" + encodeURIComponent(this.desk.agentId) + "/softphone", { registered: isOn });
      this.isRegistered = Boolean(answer && answer.registered);
      this.desk.announce(this.isRegistered
        ? t("The softphone is ready for calls.") : t("The softphone is off."));
    } catch (error) {
      this.fail(error instanceof Problem ? error.detail || error.title : String(error));
    }
  }

  fail(text) {
    this.error.textContent = text;
    this.error.hidden = false;
  }

  show() {
    const state = this.isRegistered ? "ready" : this.stream ? "idle" : "off";
    this.box.dataset.softphone = state;
    this.statusLine.textContent =
      state === "ready" ? t("Ready for calls")
      : state === "idle" ? t("Microphone on; calls come once you are available")
      : t("Off: no microphone yet");
    this.enable.hidden = Boolean(this.stream);
  }

  /** The ICE servers and registration as the service sees it (GET /voice/config). */
  async voiceConfig() {
    if (!this.config) this.config = await this.desk.api("GET", "/voice/config");
    return this.config;
  }

  /** The tenant's default recording policy, for queues that follow it (read once). */
  tenantRecording() {
    this.recordingDefault = this.recordingDefault || this.desk.api("GET", "/voice/settings")
      .then((settings) => settings.recording_default || null)
      .catch(() => null);
    return this.recordingDefault;
  }

  /** The microphone track a new call sends (opened now if it is not yet). */
  async track() {
    if (!this.stream) await this.openMicrophone();
    if (!this.stream) throw new Problem(0, { detail: t("No microphone could be opened: connect one and turn the softphone on.") });
    return this.stream.getAudioTracks()[0];
  }

  /**
   * A consulted agent's connection is already in the call it is about (the hub joined it
   * there): when the consultation's panel closes, the connection waits here for the call's
   * panel (a completed transfer) and is closed if none takes it (a cancelled one).
   */
  park(peer, contactId) {
    const callId = this.parents.get(contactId);
    if (!callId) return false;
    this.parents.delete(contactId);
    if (this.parked) this.parked.peer.close();
    const timer = window.setTimeout(() => {
      if (this.parked && this.parked.peer === peer) this.parked = null;
      peer.close();
    }, PARK_MS);
    this.parked = { peer, callId, timer };
    return true;
  }

  /** The connection a call's new panel continues with, if this agent was consulted on it. */
  takePeerFor(callId) {
    if (this.parked && this.parked.callId === callId) {
      window.clearTimeout(this.parked.timer);
      const { peer } = this.parked;
      this.parked = null;
      return peer;
    }
    for (const call of this.calls) {
      if (call.peer && this.parents.get(call.contactId) === callId) {
        this.parents.delete(call.contactId);
        return call.handOver();
      }
    }
    return null;
  }

  async listDevices() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.enumerateDevices) return;
    const devices = await navigator.mediaDevices.enumerateDevices();
    const fill = (select, kind) => {
      const chosen = select.value;
      select.replaceChildren(new Option(t("Default"), ""));
      let number = 0;
      for (const device of devices.filter((d) => d.kind === kind && d.deviceId !== "default")) {
        number += 1;
        select.append(new Option(device.label || t("Device {number}", { number }), device.deviceId));
      }
      select.value = chosen;
      if (select.value !== chosen) select.value = "";
    };
    fill(this.micSelect, "audioinput");
    fill(this.speakerSelect, "audiooutput");
  }

  /** Another microphone: every open call switches to it without renegotiating. */
  async useMicrophone(deviceId) {
    const old = this.stream;
    this.stream = null;
    await this.openMicrophone(deviceId);
    if (!this.stream) {
      this.stream = old;
      return;
    }
    const track = this.stream.getAudioTracks()[0];
    await Promise.all([...this.calls].map((call) => call.replaceTrack(track)));
    if (old) for (const each of old.getTracks()) each.stop();
    this.desk.announce(t("The microphone is changed."));
  }

  async useSpeaker(deviceId) {
    this.speaker = deviceId;
    await Promise.all([...this.calls].map((call) => call.setSpeaker(deviceId)));
  }
}
