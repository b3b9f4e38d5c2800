"""The media hub: WebRTC legs, mixing, prompts, keypad digits and recording (docs/voice.md).

The pure parts (`plan`, `rfc4733`, `dtmf`, `pcm`, `recording`, `sources`, `call`,
`protocol`, `settings`) use numpy at most; `webrtc`, `frames`, `party`, `hub`, `worker` and
`pool` are the shell around aiortc. Nothing here is imported by the service yet: call control
(issue 5's next slice) drives a `MediaPool` with the commands in `protocol`.
"""
