"""The media hub under load: concurrent two-party Opus calls with recording, per core.

`python -m bench.media_bench --calls N` runs N calls through one media worker process (the
hub as production runs it, `MediaPool` with its pipe protocol), each call connected and
recorded in stereo. This process is the load: two peers per call that send real Opus (a
20 ms tone packet sequence encoded once, sent on a 20 ms schedule) and count what the hub
sends back at the RTP level without decoding it, so the load generator costs far less than
the hub it measures.

A run is gap-free when, over the measured window, every party's hub-side voice never
underran, the hub's clock never gave up a tick, no mixed frame was dropped before the sender
took it, and every peer received its packets with no sequence gap and all the frames the
window's length promises (less two, for a packet in flight at each edge).
`--search` raises N until a run is not gap-free; the figure is the largest gap-free N for
one worker, i.e. per core. Prints one JSON object (also to `--json PATH`).
"""

from __future__ import annotations

import argparse
import asyncio
import fractions
import json
import os
import resource
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import av
import numpy as np
from aiortc import MediaStreamTrack, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError

from headset.media import plan, webrtc
from headset.media.pcm import FRAME_SAMPLES, FRAME_SECONDS, RATE
from headset.media.pool import MediaPool
from headset.media.protocol import (
    AddParty,
    Answer,
    CreateCall,
    GetStats,
    HangUp,
    SetMixPlan,
    StartRecording,
    Stats,
    StopRecording,
)
from headset.media.settings import MediaSettings

TIME_BASE = fractions.Fraction(1, RATE)
#: Frames a peer may miss at the window's two edges (a packet in flight at start or end).
_EDGE_FRAMES = 2


def opus_packets(hz: float, seconds: float = 1.0) -> list[bytes]:
    """A tone encoded once as 20 ms Opus packets (what a browser would send)."""
    codec = av.CodecContext.create("libopus", "w")
    codec.bit_rate = 32000
    codec.format = "s16"
    codec.layout = "mono"
    codec.sample_rate = RATE
    codec.time_base = TIME_BASE
    packets: list[bytes] = []
    for index in range(int(seconds / FRAME_SECONDS)):
        t = (np.arange(FRAME_SAMPLES) + index * FRAME_SAMPLES) / RATE
        samples = (np.sin(2 * np.pi * hz * t) * 8000).astype(np.int16)
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate, frame.pts, frame.time_base = RATE, index * FRAME_SAMPLES, TIME_BASE
        packets += [bytes(p) for p in codec.encode(frame)]
    return packets


class PacketTrack(MediaStreamTrack):
    """Sends pre-encoded Opus packets on a 20 ms schedule (no encoding in the load)."""

    kind = "audio"

    def __init__(self, packets: list[bytes], start: float) -> None:
        super().__init__()
        self._packets = packets
        self._start = start
        self._n = 0

    async def recv(self) -> Any:
        if self.readyState != "live":
            raise MediaStreamError
        wait = self._start + self._n * FRAME_SECONDS - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        packet = av.Packet(self._packets[self._n % len(self._packets)])
        packet.pts, packet.time_base = self._n * FRAME_SAMPLES, TIME_BASE
        self._n += 1
        return packet


@dataclass
class Delivery:
    """What one peer received from the hub, counted at the RTP level."""

    packets: int = 0
    seq_gaps: int = 0
    last_seq: int | None = None
    counting: bool = False

    def count(self, sequence_number: int) -> None:
        if self.last_seq is not None and self.counting:
            missing = (sequence_number - self.last_seq - 1) % 65536
            if missing and missing < 1000:
                self.seq_gaps += missing
        self.last_seq = sequence_number
        if self.counting:
            self.packets += 1


async def _peer(pool: MediaPool, call_id: str, party_id: str, role: str, packets: list[bytes]):
    pc = RTCPeerConnection(webrtc.configuration())
    pc.addTrack(PacketTrack(packets, time.monotonic()))
    delivery = Delivery()
    receiver = pc.getTransceivers()[0].receiver

    async def counted(packet: Any, arrival_time_ms: int) -> None:
        delivery.count(packet.sequence_number)  # counted, never decoded: the load stays light

    receiver._handle_rtp_packet = counted  # type: ignore[method-assign]
    await pc.setLocalDescription(await pc.createOffer())
    reply = await pool.send(AddParty(call_id, party_id, role, pc.localDescription.sdp))
    assert isinstance(reply, Answer)
    await pc.setRemoteDescription(RTCSessionDescription(reply.sdp, "answer"))
    return pc, delivery


async def run(
    calls: int,
    duration_s: float = 8.0,
    warm_up_s: float = 2.0,
    workers: int = 1,
    inline_codecs: bool = True,
) -> dict[str, Any]:
    """One measured run of `calls` concurrent recorded calls on `workers` media processes."""
    webrtc.install()
    webrtc.use_loopback_candidates()
    folder = Path(tempfile.mkdtemp(prefix="headset-media-bench-"))
    settings = MediaSettings(
        workers=workers,
        is_loopback=True,
        prompt_cache=str(folder / "prompts"),
        is_inline_codecs=inline_codecs,
    )
    pool = MediaPool(settings, lambda event: None)
    await pool.start()
    customer_packets, agent_packets = opus_packets(440.0), opus_packets(880.0)
    peers: list[tuple[RTCPeerConnection, Delivery]] = []
    try:
        for index in range(calls):
            call_id = f"call-{index}"
            await pool.send(CreateCall(call_id))
            peers.append(await _peer(pool, call_id, "c", "customer", customer_packets))
            peers.append(await _peer(pool, call_id, "a", "agent", agent_packets))
            await pool.send(SetMixPlan(call_id, plan.connected("c", "a")))
            await pool.send(StartRecording(call_id, str(folder / f"{call_id}.wav")))
        await asyncio.sleep(warm_up_s)
        before = [await _stats(pool, w) for w in range(pool.size)]
        own_before = resource.getrusage(resource.RUSAGE_SELF)
        for _, delivery in peers:
            delivery.counting = True
        started = time.monotonic()
        await asyncio.sleep(duration_s)
        for _, delivery in peers:
            delivery.counting = False
        window = time.monotonic() - started
        after = [await _stats(pool, w) for w in range(pool.size)]
        own_after = resource.getrusage(resource.RUSAGE_SELF)
        for index in range(calls):
            await pool.send(StopRecording(f"call-{index}"))
            await pool.send(HangUp(f"call-{index}"))
    finally:
        for pc, _ in peers:
            await pc.close()
        await pool.close()
    return _figures(calls, workers, window, before, after, peers, own_before, own_after)


async def _stats(pool: MediaPool, index: int) -> dict[str, float]:
    reply = await pool.send_to(index, GetStats())
    assert isinstance(reply, Stats)
    return reply.values


def _figures(calls, workers, window, before, after, peers, own_before, own_after) -> dict[str, Any]:
    def delta(key: str) -> float:
        return sum(a[key] - b[key] for a, b in zip(after, before, strict=True))

    expected = window / FRAME_SECONDS
    delivered = [d.packets / expected for _, d in peers]
    seq_gaps = sum(d.seq_gaps for _, d in peers)
    hub_cpu = delta("cpu_s") / window
    load_cpu = (
        own_after.ru_utime + own_after.ru_stime - own_before.ru_utime - own_before.ru_stime
    ) / window
    gaps, drops = delta("gaps"), delta("outbound_drops")
    skipped = delta("skipped_ticks")
    is_gap_free = (
        gaps == 0
        and drops == 0
        and skipped == 0
        and seq_gaps == 0
        and min(d.packets for _, d in peers) >= expected - _EDGE_FRAMES
    )
    return {
        "calls": calls,
        "workers": workers,
        "window_s": round(window, 2),
        "is_gap_free": is_gap_free,
        "hub_gaps": int(gaps),
        "hub_outbound_drops": int(drops),
        "hub_trims": int(delta("trims")),
        "late_ticks": int(delta("late_ticks")),
        "skipped_ticks": int(skipped),
        "rtp_sequence_gaps": seq_gaps,
        "delivered_min": round(min(delivered), 4),
        "delivered_mean": round(sum(delivered) / len(delivered), 4),
        "hub_cpu_cores": round(hub_cpu, 3),
        "hub_cpu_per_call": round(hub_cpu / calls, 4),
        "load_cpu_cores": round(load_cpu, 3),
        "latency_p50_ms": round(max(a["latency_p50_s"] for a in after) * 1000, 1),
        "latency_p95_ms": round(max(a["latency_p95_s"] for a in after) * 1000, 1),
    }


async def search(
    start: int, step: int, limit: int, duration_s: float, inline_codecs: bool
) -> dict[str, Any]:
    """Raises the number of calls until a run has a gap; the figure is the last gap-free N."""
    runs = []
    best = 0
    calls = start
    while calls <= limit:
        figures = await run(calls, duration_s, inline_codecs=inline_codecs)
        runs.append(figures)
        print(json.dumps(figures), file=sys.stderr)
        if not figures["is_gap_free"]:
            break
        best = calls
        calls += step
    return {"gap_free_calls_per_core": best, "runs": runs}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.media_bench", description=__doc__)
    parser.add_argument("--calls", type=int, default=10, help="concurrent calls (default 10)")
    parser.add_argument("--duration", type=float, default=8.0, help="measured seconds")
    parser.add_argument("--workers", type=int, default=1, help="media worker processes")
    parser.add_argument("--search", action="store_true", help="find the largest gap-free N")
    parser.add_argument("--step", type=int, default=2, help="calls added per search step")
    parser.add_argument("--limit", type=int, default=40, help="largest N the search tries")
    parser.add_argument(
        "--threaded-codecs",
        action="store_true",
        help="encode and decode in threads, as aiortc does (default: in the media loop)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if args.search:
        figures = asyncio.run(
            search(args.calls, args.step, args.limit, args.duration, not args.threaded_codecs)
        )
    else:
        figures = asyncio.run(
            run(
                args.calls,
                args.duration,
                workers=args.workers,
                inline_codecs=not args.threaded_codecs,
            )
        )
    text = json.dumps(figures, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")


if __name__ == "__main__":
    main()


FLOOR_CALLS_PER_CORE = 10


def measure(
    start: int = 8, step: int = 2, limit: int = 40, duration_s: float = 8.0
) -> dict[str, Any]:
    """The search for the largest gap-free number of recorded Opus calls on one worker."""
    return asyncio.run(search(start, step, limit, duration_s, inline_codecs=True))


def markdown(results: dict[str, Any]) -> str:
    runs = results["runs"]
    lines = [
        "## Media hub: recorded two-party Opus calls per core",
        "",
        "One media worker process (one core) carries N concurrent two-party calls, each "
        "connected and recorded in stereo; the load is this process's aiortc peers sending "
        "real Opus and counting what comes back at the RTP level. A run is gap-free when no "
        "party's voice underran in the hub, no 20 ms tick was skipped, no mixed frame was "
        "dropped, and every peer received every frame with no sequence gap. N rises until a "
        "run has a gap. Hub latency: from a decoded frame's arrival in the hub until its mix is "
        f"taken by the sender. Floor: ≥ {FLOOR_CALLS_PER_CORE} gap-free recorded calls per core "
        "with Opus.",
        "",
        "| calls | gap-free | hub CPU (cores) | CPU per call | hub latency p50 / p95 ms | "
        "frames delivered (min) |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for r in runs:
        lines.append(
            f"| {r['calls']} | {'yes' if r['is_gap_free'] else 'no'} | {r['hub_cpu_cores']:.2f} | "
            f"{100 * r['hub_cpu_per_call']:.1f} % | {r['latency_p50_ms']:.0f} / "
            f"{r['latency_p95_ms']:.0f} | {100 * r['delivered_min']:.1f} % |"
        )
    lines += ["", f"**{results['gap_free_calls_per_core']} gap-free calls per core.**"]
    return "\n".join(lines)
