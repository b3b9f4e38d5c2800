// WebRTC plumbing shared by the softphone, the supervisor's monitor and the customer's call
// (docs/voice.md "Signalling"): one peer connection to the media hub per party, one audio
// track sendrecv, no trickle ICE (the offer is posted once gathering is complete), the remote
// audio played by an <audio> element and measured by an AnalyserNode. No UI text here: the
// pages that use it translate what they show.

const GATHERING_TIMEOUT_MS = 5000;

/** The microphone as a stream; `deviceId` picks one device (from enumerateDevices). */
export function microphone(deviceId = "") {
  const audio = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };
  if (deviceId) audio.deviceId = { exact: deviceId };
  return navigator.mediaDevices.getUserMedia({ audio, video: false });
}

function gathered(pc) {
  if (pc.iceGatheringState === "complete") return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      if (pc.iceGatheringState !== "complete") return;
      pc.removeEventListener("icegatheringstatechange", done);
      window.clearTimeout(timer);
      resolve();
    };
    // a gathering that never completes (a dead STUN server) still sends what it has
    const timer = window.setTimeout(resolve, GATHERING_TIMEOUT_MS);
    pc.addEventListener("icegatheringstatechange", done);
  });
}

/**
 * A peer connection to the hub. `signal(sdp)` posts the complete offer and resolves to the
 * answer's SDP (and whatever else the route answers, kept in `answer`); `track` is the
 * microphone's track (sendrecv). The remote audio plays in `audioElement`.
 */
export class HubPeer {
  constructor({ iceServers = [], track, audioElement }) {
    this.pc = new RTCPeerConnection({ iceServers, bundlePolicy: "max-bundle" });
    this.audioElement = audioElement;
    this.remote = new MediaStream();
    this.sender = this.pc.addTrack(track, new MediaStream([track]));
    this.transceiver = this.pc.getTransceivers().find((t) => t.sender === this.sender);
    if (this.transceiver) this.transceiver.direction = "sendrecv";
    this.answer = null;
    this.meter = null;
    this.pc.addEventListener("track", (event) => {
      this.remote.addTrack(event.track);
      if (this.audioElement) {
        this.audioElement.srcObject = this.remote;
        this.audioElement.play().catch(() => {});
      }
    });
  }

  /** Offers, waits for ICE gathering, signals, applies the answer; resolves to the answer. */
  async connect(signal) {
    const offer = await this.pc.createOffer();
    await this.pc.setLocalDescription(offer);
    await gathered(this.pc);
    this.answer = await signal(this.pc.localDescription.sdp);
    await this.pc.setRemoteDescription({ type: "answer", sdp: this.answer.sdp });
    return this.answer;
  }

  /** Sends keypad digits as RFC 4733 events; false where the connection cannot. */
  sendDigits(digits) {
    const dtmf = this.sender && this.sender.dtmf;
    if (!dtmf || dtmf.canInsertDTMF === false) return false;
    dtmf.insertDTMF(digits, 120, 70);
    return true;
  }

  /** Uses another microphone track on the same connection, without renegotiating. */
  replaceTrack(track) {
    return this.sender.replaceTrack(track);
  }

  /** Plays the remote audio on the given output device where the browser can choose. */
  async setSpeaker(deviceId) {
    if (!this.audioElement || typeof this.audioElement.setSinkId !== "function") return false;
    await this.audioElement.setSinkId(deviceId || "");
    return true;
  }

  /** A meter over what this party hears (made on first use). */
  listen() {
    if (!this.meter) this.meter = new Meter(this.remote);
    return this.meter;
  }

  close() {
    if (this.meter) this.meter.close();
    this.pc.close();
    if (this.audioElement) this.audioElement.srcObject = null;
  }
}

/**
 * What a stream sounds like: the dominant frequency and the level at given frequencies, from
 * an AnalyserNode (FFT). Used for the level bar and by the browser call test.
 */
export class Meter {
  constructor(stream) {
    this.context = new AudioContext();
    if (this.context.state === "suspended") this.context.resume().catch(() => {});
    this.source = this.context.createMediaStreamSource(stream);
    this.analyser = this.context.createAnalyser();
    this.analyser.fftSize = 8192;
    this.analyser.smoothingTimeConstant = 0.2;
    this.source.connect(this.analyser);
    this.bins = new Float32Array(this.analyser.frequencyBinCount);
  }

  spectrum() {
    this.analyser.getFloatFrequencyData(this.bins);
    return this.bins;
  }

  binOf(hz) {
    return Math.round((hz * this.analyser.fftSize) / this.context.sampleRate);
  }

  /** The loudest frequency between 100 Hz and 4 kHz, and its level in dBFS. */
  dominant() {
    const bins = this.spectrum();
    let best = -1;
    for (let i = this.binOf(100); i <= this.binOf(4000); i++) {
      if (best < 0 || bins[i] > bins[best]) best = i;
    }
    return { hz: (best * this.context.sampleRate) / this.analyser.fftSize, db: bins[best] };
  }

  /** The level in dBFS at `hz` (the loudest bin within ±15 Hz). */
  level(hz) {
    const bins = this.spectrum();
    const width = Math.max(1, this.binOf(15));
    const at = this.binOf(hz);
    let peak = -Infinity;
    for (let i = at - width; i <= at + width; i++) peak = Math.max(peak, bins[i]);
    return peak;
  }

  /** The overall level 0..1 (for a level bar). */
  loudness() {
    const bins = this.spectrum();
    let peak = -Infinity;
    for (let i = this.binOf(100); i <= this.binOf(4000); i++) peak = Math.max(peak, bins[i]);
    return Math.max(0, Math.min(1, (peak + 90) / 60));
  }

  close() {
    this.context.close().catch(() => {});
  }
}

/** Network quality from getStats: loss (fraction), jitter (ms), round-trip time (ms). */
export class QualityProbe {
  constructor(pc) {
    this.pc = pc;
    this.last = null;
  }

  async read() {
    const report = await this.pc.getStats();
    let received = 0;
    let lost = 0;
    let jitter = null;
    let rtt = null;
    report.forEach((stat) => {
      if (stat.type === "inbound-rtp" && stat.kind === "audio") {
        received += stat.packetsReceived || 0;
        lost += stat.packetsLost || 0;
        if (typeof stat.jitter === "number") jitter = stat.jitter * 1000;
      } else if (stat.type === "remote-inbound-rtp" && typeof stat.roundTripTime === "number") {
        rtt = stat.roundTripTime * 1000;
      } else if (stat.type === "candidate-pair" && stat.nominated && rtt === null &&
                 typeof stat.currentRoundTripTime === "number") {
        rtt = stat.currentRoundTripTime * 1000;
      }
    });
    // loss over the last interval, not since the call began
    const before = this.last || { received: 0, lost: 0 };
    const got = received - before.received;
    const missing = Math.max(0, lost - before.lost);
    this.last = { received, lost };
    const loss = got + missing > 0 ? missing / (got + missing) : 0;
    return { loss, jitter, rtt, level: qualityLevel(loss, jitter, rtt), packets: received };
  }
}

/** "good", "fair" or "poor": the worst of the three measures decides. */
export function qualityLevel(loss, jitter, rtt) {
  const rank = (value, fair, poor) => (value == null ? 0 : value >= poor ? 2 : value >= fair ? 1 : 0);
  const worst = Math.max(rank(loss, 0.01, 0.05), rank(jitter, 30, 60), rank(rtt, 150, 300));
  return ["good", "fair", "poor"][worst];
}

/** The page's meters by name, for support and the browser call test. */
export function expose(name, peer) {
  window.headsetVoice = window.headsetVoice || {};
  if (peer) window.headsetVoice[name] = peer;
  else delete window.headsetVoice[name];
}
