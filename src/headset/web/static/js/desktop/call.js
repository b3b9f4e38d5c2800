// The call controls of a voice contact's panel (docs/desktop.md "Calls"): the agent's own
// peer connection to the media hub (joined once the offer is accepted), hang up, mute, hold,
// keypad, blind and warm transfer, three-way conference, recording pause and resume, the call
// timer, the network-quality indicator and the supervisor badge. Every action is a call route
// of the JSON API; the live stream's voice.* events say what happened.
import { Problem } from "../api.js";
import { formatClock, formatNumber, t } from "../i18n.js";
import { expose, HubPeer, QualityProbe } from "../voice/peer.js";
import { showRecordings } from "../voice/recordings.js";

const QUALITY_EVERY_MS = 2000;

function problemText(error) {
  if (error instanceof Problem) return error.detail || error.title;
  return (error && error.detail) || t("That did not work; try again.");
}

export class CallControls {
  constructor(desk, contactId, element) {
    this.desk = desk;
    this.contactId = contactId;
    this.box = element.querySelector("[data-call]");
    this.q = (selector) => this.box.querySelector(selector);
    this.peer = null;
    this.isMuted = false;
    this.isHeld = false;
    this.isEnded = false;
    this.recording = "off";
    this.consultation = null;
    this.startedAt = null;
    this.ticker = null;
    this.qualityTimer = null;
    this.qualityLevel = null;
    this.wire();
  }

  url(path = "") {
    return "/calls/" + encodeURIComponent(this.contactId) + path;
  }

  wire() {
    this.q("[data-call-hang-up]").addEventListener("click", () => this.act("/hang-up"));
    this.q("[data-call-mute]").addEventListener("click", () =>
      this.act(this.isMuted ? "/unmute" : "/mute"));
    this.q("[data-call-hold]").addEventListener("click", () =>
      this.act(this.isHeld ? "/resume" : "/hold"));
    this.q("[data-call-recording-toggle]").addEventListener("click", () => this.toggleRecording());
    const toggle = this.q("[data-call-keypad-toggle]");
    toggle.addEventListener("click", () => {
      const isOpen = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(isOpen));
      this.q("[data-call-keypad]").hidden = !isOpen;
      if (isOpen) this.q("[data-key]").focus();
    });
    for (const key of this.box.querySelectorAll("[data-key]")) {
      key.addEventListener("click", () => this.digit(key.dataset.key));
    }
    this.q("[data-call-keypad]").addEventListener("keydown", (event) => {
      if (/^[0-9*#]$/.test(event.key)) {
        event.preventDefault();
        this.digit(event.key);
      }
    });
    this.q("[data-call-transfer-form]").addEventListener("submit", (event) => {
      event.preventDefault();
      this.transfer();
    });
    this.q("[data-call-target]").addEventListener("focus", () => this.loadTargets());
    this.q("[data-call-consult]").addEventListener("click", () => this.consult());
    this.q("[data-call-complete]").addEventListener("click", () => this.finishConsultation("complete"));
    this.q("[data-call-conference]").addEventListener("click", () => this.finishConsultation("conference"));
    this.q("[data-call-cancel]").addEventListener("click", () => this.finishConsultation("cancel"));
    this.q("[data-call-recordings-load]").addEventListener("click", () => this.recordings());
  }

  /** The call's recordings, once it has ended (for users allowed to hear them). */
  async recordings() {
    const button = this.q("[data-call-recordings-load]");
    button.setAttribute("aria-expanded", "true");
    await showRecordings(this.q("[data-call-recordings]"), this.contactId, {
      url: (path) => this.desk.url(path),
      read: (path) => this.desk.api("GET", path),
      post: (path, body) => this.desk.api("POST", path, body),
    });
  }

  /** Shows the controls and joins the call's media (the contact is this agent's call). */
  async start(contact) {
    this.box.hidden = false;
    const queue = this.desk.config.queues.find((q) => q.queue_id === contact.queue_id);
    const policy = queue && queue.recording;
    this.isOnDemand = policy === "on_demand";
    if (policy === "tenant" && this.desk.softphone) {
      // the queue follows the tenant's default: read it beside joining the call
      this.desk.softphone.tenantRecording().then((tenantPolicy) => {
        this.isOnDemand = tenantPolicy === "on_demand";
        this.showButtons();
      });
    }
    const queues = this.q("[data-call-target-queues]");
    for (const queue of this.desk.config.queues) queues.append(new Option(queue.name, "queue_id:" + queue.queue_id));
    if (contact.status && !["connected", "offered"].includes(contact.status)) {
      this.ended(t("The call has ended."));
      return;
    }
    if (this.desk.softphone) this.desk.softphone.calls.add(this);
    this.state(t("Connecting the call…"));
    const adopted = this.desk.softphone && this.desk.softphone.takePeerFor(this.contactId);
    if (adopted) {
      this.adopt(adopted);
      return;
    }
    try {
      const softphone = this.desk.softphone;
      const config = await softphone.voiceConfig();
      const track = await softphone.track();
      this.peer = new HubPeer({
        iceServers: config.ice_servers || [],
        track,
        audioElement: this.q("[data-call-audio]"),
      });
      if (softphone.speaker) this.peer.setSpeaker(softphone.speaker).catch(() => {});
      this.peer.pc.addEventListener("connectionstatechange", () => this.connection());
      await this.peer.connect((sdp) => this.desk.api("POST", this.url("/legs"), { sdp }));
      expose("call:" + this.contactId, this.peer);
      expose("call", this.peer);
    } catch (error) {
      this.fail(error);
      this.state(t("The call could not be connected."));
      return;
    }
    this.refresh();
  }

  /** Continues on the connection of the consultation this agent answered (a warm transfer). */
  adopt(peer) {
    this.peer = peer;
    peer.audioElement = this.q("[data-call-audio]");
    peer.audioElement.srcObject = peer.remote;
    peer.audioElement.play().catch(() => {});
    peer.pc.addEventListener("connectionstatechange", () => this.connection());
    expose("call:" + this.contactId, peer);
    expose("call", peer);
    this.connection();
    this.refresh();
  }

  /** Gives this call's connection to another panel (see Softphone.takePeerFor). */
  handOver() {
    const peer = this.peer;
    this.peer = null;
    expose("call:" + this.contactId, null);
    return peer;
  }

  /** The call as the service has it: timer start, recording, supervisor, hold and mute. */
  async refresh() {
    let call;
    try {
      call = await this.desk.api("GET", this.url());
    } catch {
      return;
    }
    if (call.answered_at) this.startedAt = Date.parse(call.answered_at);
    this.isHeld = call.mode === "hold" || call.status === "held";
    this.showRecording((call.recording && call.recording.state) || "off");
    if (call.supervisor) this.showSupervisor(call.supervisor.mode);
    if (call.mode === "conference") this.state(t("Three-way conference"));
    this.showButtons();
    this.startClock();
  }

  connection() {
    const state = this.peer && this.peer.pc.connectionState;
    if (state === "connected") {
      this.state(this.isHeld ? t("On hold: the caller hears music.") : t("Connected"));
      this.desk.announce(t("The call is connected."));
      this.startClock();
      this.watchQuality();
    } else if (state === "failed" || state === "disconnected") {
      if (!this.isEnded) this.state(t("The call's audio is interrupted; reconnecting…"));
    }
  }

  startClock() {
    if (this.ticker || this.isEnded) return;
    this.startedAt = this.startedAt || Date.now();
    const tick = () => {
      this.q("[data-call-timer]").textContent = formatClock((Date.now() - this.startedAt) / 1000);
    };
    tick();
    this.ticker = window.setInterval(tick, 1000);
  }

  watchQuality() {
    if (this.qualityTimer) return;
    const probe = new QualityProbe(this.peer.pc);
    const read = async () => {
      if (!this.peer) return;
      try {
        this.showQuality(await probe.read());
      } catch {
        // stats are best effort
      }
    };
    read();
    this.qualityTimer = window.setInterval(read, QUALITY_EVERY_MS);
  }

  showQuality({ loss, jitter, rtt, level }) {
    const box = this.q("[data-call-quality]");
    box.dataset.level = level;
    const ms = (value) => (value == null ? "–" : formatNumber(Math.round(value)) + " ms");
    const detail = t("Packet loss {loss} %, jitter {jitter}, round trip {rtt}", {
      loss: formatNumber(loss * 100, { maximumFractionDigits: 1 }),
      jitter: ms(jitter),
      rtt: ms(rtt),
    });
    this.q("[data-quality-text]").textContent = level === "poor" ? t("Network: poor")
      : level === "fair" ? t("Network: fair") : t("Network: good");
    this.q("[data-quality-detail]").textContent = detail;
    box.title = detail;
    if (level === "poor" && this.qualityLevel !== "poor") {
      this.desk.announce(t("The network is poor: the caller may hear gaps."));
    }
    this.qualityLevel = level;
  }

  receive(message) {
    const data = message.data || {};
    if (message.type !== "event" || !message.event.startsWith("voice.")) return;
    const isMine = data.contact_id === this.contactId || data.call_id === this.contactId;
    const isConsultation = this.consultation && data.consultation_id === this.consultation.id;
    if (!isMine && !isConsultation) return;
    switch (message.event) {
      case "voice.call_answered":
        if (data.answered_at) this.startedAt = Date.parse(data.answered_at);
        this.startClock();
        break;
      case "voice.call_held":
        this.isHeld = true;
        this.state(t("On hold: the caller hears music."));
        this.desk.announce(t("The caller is on hold."));
        break;
      case "voice.call_resumed":
        this.isHeld = false;
        this.state(t("Connected"));
        this.desk.announce(t("The caller is back with you."));
        break;
      case "voice.call_muted":
        this.isMuted = true;
        this.desk.announce(t("Muted: the caller does not hear you."));
        break;
      case "voice.call_unmuted":
        this.isMuted = false;
        this.desk.announce(t("Unmuted."));
        break;
      case "voice.recording_started":
      case "voice.recording_resumed":
        this.showRecording("on");
        break;
      case "voice.recording_paused":
        this.showRecording("paused");
        break;
      case "voice.supervisor_joined":
        this.showSupervisor(data.mode);
        break;
      case "voice.supervisor_left":
        this.showSupervisor(null);
        break;
      case "voice.consultation_started":
        this.showConsultation(data.consultation_id || (this.consultation && this.consultation.id));
        break;
      case "voice.consultation_ended":
        this.showConsultation(null);
        break;
      case "voice.call_conferenced":
        // the colleague stays a consultation: complete leaves them the caller, cancel drops them
        this.isConference = true;
        this.showConsultation(this.consultation && this.consultation.id);
        this.state(t("Three-way conference"));
        this.desk.announce(t("Three-way conference: everyone hears everyone."));
        break;
      case "voice.call_transferred":
        this.state(t("Transferred."));
        break;
      case "voice.call_ended":
        if (isMine) this.ended(this.endedText(data.hung_up_by));
        break;
      default:
        return;
    }
    this.showButtons();
  }

  endedText(by) {
    return by === "customer" ? t("The caller hung up.")
      : by === "supervisor" ? t("A supervisor ended the call.")
      : t("The call has ended.");
  }

  /** The badge that tells the agent a supervisor is on the call, and how. */
  showSupervisor(mode) {
    const badge = this.q("[data-call-supervisor]");
    badge.dataset.mode = mode || "";
    // listening is silent: the agent is told of whisper and barge, which they can hear
    const text = mode === "whisper" ? t("A supervisor is whispering to you: the caller does not hear them.")
      : mode === "barge" ? t("A supervisor joined the call: the caller hears them too.")
      : "";
    badge.textContent = text;
    badge.hidden = !text;
    if (text) this.desk.announce(text);
  }

  showRecording(state) {
    this.recording = state;
    const badge = this.q("[data-call-recording]");
    badge.dataset.state = state;
    badge.textContent = state === "on" ? t("Recording")
      : state === "paused" ? t("Recording paused") : t("Not recorded");
  }

  showConsultation(consultationId) {
    this.consultation = consultationId ? { ...(this.consultation || {}), id: consultationId } : null;
    if (!this.consultation) this.isConference = false;
    const box = this.q("[data-call-consultation]");
    box.hidden = !this.consultation;
    this.q("[data-call-conference]").hidden = Boolean(this.isConference);
    this.q("[data-call-transfer-form]").hidden = Boolean(this.consultation);
    if (this.consultation) {
      const target = this.consultation.label || t("a colleague");
      this.q("[data-call-consultation-text]").textContent = this.isConference
        ? t("Three-way conference with {target} and the caller.", { target })
        : t("Consulting {target}; the caller is on hold.", { target });
      this.q("[data-call-complete]").textContent = this.isConference
        ? t("Leave them talking") : t("Complete the transfer");
    }
  }

  showButtons() {
    const mute = this.q("[data-call-mute]");
    mute.setAttribute("aria-pressed", String(this.isMuted));
    mute.textContent = this.isMuted ? t("Unmute") : t("Mute");
    const hold = this.q("[data-call-hold]");
    hold.setAttribute("aria-pressed", String(this.isHeld));
    hold.textContent = this.isHeld ? t("Resume") : t("Hold");
    const record = this.q("[data-call-recording-toggle]");
    // off and not on demand: the queue records nothing, there is nothing to start
    record.hidden = this.isEnded || (this.recording === "off" && !this.isOnDemand);
    record.textContent = this.recording === "on" ? t("Pause the recording")
      : this.recording === "paused" ? t("Resume the recording") : t("Start recording");
    // an ended call keeps one thing to do: hear its recordings
    for (const button of this.box.querySelectorAll("button:not([data-call-recordings-load])")) {
      button.disabled = this.isEnded;
    }
  }

  state(text) {
    this.q("[data-call-state]").textContent = text;
  }

  fail(error) {
    const box = this.q("[data-call-error]");
    box.textContent = problemText(error);
    box.hidden = false;
  }

  async act(path, body = {}) {
    this.q("[data-call-error]").hidden = true;
    try {
      return await this.desk.api("POST", this.url(path), body);
    } catch (error) {
      this.fail(error);
      return null;
    }
  }

  toggleRecording() {
    if (this.recording === "on") return this.act("/recording/pause");
    if (this.recording === "paused") return this.act("/recording/resume");
    return this.act("/recording/start");
  }

  digit(key) {
    if (!this.peer || !this.peer.sendDigits(key)) {
      this.fail({ detail: t("The keypad cannot send digits on this call.") });
      return;
    }
    const line = this.q("[data-call-digits]");
    line.textContent = t("Sent: {digits}", { digits: (line.dataset.sent || "") + key });
    line.dataset.sent = (line.dataset.sent || "") + key;
  }

  async loadTargets() {
    let targets;
    try {
      targets = await this.desk.api(
        "GET", "/transfer-targets?contact_id=" + encodeURIComponent(this.contactId));
    } catch {
      return;
    }
    const group = this.q("[data-call-target-agents]");
    const select = this.q("[data-call-target]");
    const chosen = select.value;
    group.replaceChildren();
    for (const agent of targets.agents || []) {
      if (agent.is_you) continue;
      const label = agent.can_take_now
        ? t("{name} (can take it now)", { name: agent.display_name }) : agent.display_name;
      group.append(new Option(label, "agent_id:" + agent.agent_id));
    }
    select.value = chosen;
  }

  target() {
    const select = this.q("[data-call-target]");
    if (!select.value) {
      this.fail({ detail: t("Choose who to transfer the call to.") });
      select.focus();
      return null;
    }
    const [field, value] = select.value.split(/:(.*)/s);
    const label = select.options[select.selectedIndex].textContent;
    return { body: field === "team_leader" ? { team_leader: true } : { [field]: value }, label };
  }

  async transfer() {
    const target = this.target();
    if (!target || target.body.team_leader) {
      if (target) this.fail({ detail: t("Consult your team leader first: a call goes to a queue or an agent.") });
      return;
    }
    if (await this.act("/transfer", { ...target.body, mode: "blind" })) {
      this.state(t("Transferred."));
      this.desk.announce(t("The call is transferred."));
    }
  }

  async consult() {
    const target = this.target();
    if (!target) return;
    const answer = await this.act("/consultations", target.body);
    if (!answer) return;
    this.consultation = { id: answer.consultation_id, label: target.label };
    this.showConsultation(answer.consultation_id);
    this.desk.announce(t("Consulting {target}; the caller is on hold.", { target: target.label }));
    this.q("[data-call-cancel]").focus();
  }

  async finishConsultation(how) {
    if (!this.consultation) return;
    const path = "/consultations/" + encodeURIComponent(this.consultation.id) + "/" + how;
    if (await this.act(path)) {
      if (how === "cancel") this.showConsultation(null);
      if (how === "conference") {
        this.isConference = true;
        this.showConsultation(this.consultation.id);
        this.state(t("Three-way conference"));
      }
    }
  }

  replaceTrack(track) {
    return this.peer ? this.peer.replaceTrack(track) : Promise.resolve();
  }

  setSpeaker(deviceId) {
    return this.peer ? this.peer.setSpeaker(deviceId) : Promise.resolve(false);
  }

  ended(text) {
    if (this.isEnded) return;
    this.isEnded = true;
    this.state(text);
    this.desk.announce(text);
    this.close();
    this.showButtons();
    this.q("[data-call-recordings-box]").hidden = false;
  }

  /** Leaves the media (the panel closes, or the call ended). */
  close() {
    window.clearInterval(this.ticker);
    window.clearInterval(this.qualityTimer);
    this.ticker = null;
    if (this.desk.softphone) this.desk.softphone.calls.delete(this);
    if (this.peer) {
      // a consultation's connection may live on in the call it was about
      const isParked = this.desk.softphone && this.desk.softphone.park(this.peer, this.contactId);
      if (!isParked) this.peer.close();
      expose("call:" + this.contactId, null);
      if (!isParked && window.headsetVoice && window.headsetVoice.call === this.peer) {
        expose("call", null);
      }
      this.peer = null;
    }
  }
}
