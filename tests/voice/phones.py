"""Browsers on the phone, for tests: aiortc peers that signal over the service's HTTP routes.

Each sends its own tone (tests.media.peers: customer 440 Hz, agent 880 Hz, supervisor
1250 Hz) and keeps the PCM it hears, so a test judges by FFT what each party received.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from aiortc import MediaStreamTrack, RTCPeerConnection, RTCSessionDescription

from headset.media import webrtc
from tests.media.peers import Peer, ToneTrack, _keep, rms

#: Sends the offer SDP where it belongs; returns the answer SDP.
Signal = Callable[[str], Awaitable[str]]


async def dial(party_id: str, hz: float, signal: Signal) -> Peer:
    """A browser's peer connection: one audio track, full ICE gathering, one POST."""
    webrtc.install()
    webrtc.use_loopback_candidates()
    pc = RTCPeerConnection(webrtc.configuration())
    peer = Peer(party_id, ToneTrack(hz), pc)
    pc.addTrack(peer.tone)

    def on_track(track: MediaStreamTrack) -> None:
        peer.tasks.append(asyncio.ensure_future(_keep(track, peer)))

    pc.on("track", on_track)
    await pc.setLocalDescription(await pc.createOffer())
    try:
        answer = await signal(pc.localDescription.sdp)
        await pc.setRemoteDescription(RTCSessionDescription(answer, "answer"))
    except BaseException:
        await peer.close()
        raise
    return peer


async def until(condition: Callable[[], object], timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def heard(peer: Peer, seconds: float = 0.8) -> object:
    """What the peer receives over the next `seconds`."""
    start = time.monotonic()
    await asyncio.sleep(seconds)
    return peer.since(start)


def is_silent(samples: object) -> bool:
    return rms(samples) < 100  # type: ignore[arg-type]
