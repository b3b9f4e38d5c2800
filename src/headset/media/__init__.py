"""The media hub: WebRTC legs, mixing, prompts, keypad digits and recording (docs/voice.md).

The pure parts (`plan`, `rfc4733`, `dtmf`, `pcm`, `recording`, `sources`, `call`,
`protocol`, `settings`) use numpy at most; `webrtc`, `frames`, `party`, `hub`, `worker` and
`pool` are the shell around aiortc. The service's switchboard (`headset.voice`) drives a
`MediaPool` (or an in-process `MediaHub`) with the commands in `protocol`.
"""
