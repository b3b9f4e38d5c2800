"""The engine host: the one writer that runs commands, stores their events and publishes them.

Operations queue up; the writer takes every operation waiting, runs their engine commands
(in memory, microseconds each), then commits all their SQL writes and events in one
transaction (group commit: one fsync for many operations), and only then answers the callers,
starts timers and publishes the stored events. An operation whose SQL work fails is rolled
back alone (a savepoint); if it had already changed the engine, the engine is rebuilt from
the log, which holds committed events only.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, select
from sqlalchemy import Engine as SqlEngine

from headset.core.clock import Clock
from headset.core.errors import HeadsetError
from headset.core.messages import Event
from headset.reporting.realtime import RealtimeStats
from headset.routing import Engine
from headset.routing.commands import FireTimer, SetAgentState
from headset.routing.model import AgentState
from headset.routing.timers import Result
from headset.service.operations import Operation, Outcome
from headset.service.projection import (
    apply_changes,
    contact_changes,
    fix_offer_status,
    merge_changes,
)
from headset.service.tenancy import Tenancy, queue_hours, rezoned_queues
from headset.service.timers import TimerScheduler
from headset.storage import codec
from headset.storage.event_log import NewEvent, SqlEventLog, StoredEvent
from headset.storage.tables import agents, queues, tenants

log = logging.getLogger("headset.host")

_MAX_BATCH = 500
#: Called after commit with every stored event of a batch, in seq order.
Listener = Callable[[list[StoredEvent]], None]
#: Called inside the batch's transaction with the events about to be committed.
WriteHook = Callable[[Connection, list[StoredEvent]], None]


@dataclass(slots=True)
class _Pending:
    op: Operation
    future: asyncio.Future[Outcome]
    results: list[Result] = field(default_factory=list)
    new_events: list[NewEvent] = field(default_factory=list)
    engine_events: list[Event] = field(default_factory=list)
    outcome: Outcome | None = None
    error: BaseException | None = None
    #: The `contacts` rows this operation changes, worked out beside the engine.
    changes: dict[str, dict[str, Any]] = field(default_factory=dict)


class EngineHost:
    """Owns the routing engine of this process and the only path that changes it."""

    def __init__(self, db: SqlEngine, event_log: SqlEventLog, clock: Clock) -> None:
        self.db = db
        self.event_log = event_log
        self.clock = clock
        self.engine = Engine(clock)
        self.tenancy = Tenancy()
        self.stats = RealtimeStats()
        self.scheduler = TimerScheduler(clock, self._on_timer)
        self.listeners: list[Listener] = []
        #: Awaited after commit with the batch's stored events, before callers are answered.
        self.publish: Callable[[list[StoredEvent]], Awaitable[None]] | None = None
        self.write_hooks: list[WriteHook] = []
        self.routing_seconds: Callable[[float], None] = lambda _: None
        self.batch_sizes: Callable[[int], None] = lambda _: None
        self._queue: asyncio.Queue[_Pending | None] | None = None
        self._idle = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._background: set[asyncio.Task[Any]] = set()
        self._needs_rebuild = False

    # start and stop --------------------------------------------------------------------
    def boot(self) -> int:
        """Rebuilds the engine from the stored log (before serving); returns the events read."""
        self.engine, self.tenancy, self.stats, count = self._replay()
        return count

    async def start(self) -> None:
        """Starts the writer, puts every agent offline and restarts the engine's timers."""
        self._queue = asyncio.Queue()
        self._idle.set()
        self._task = asyncio.create_task(self._writer(), name="headset-writer")
        online = [
            a.agent_id
            for a in self.engine.state.agents.values()
            if a.chosen is not AgentState.OFFLINE
        ]
        if online:  # after a restart nobody is silently available: agents sign in again
            await self.submit(
                Operation(
                    commands=[SetAgentState(a, AgentState.OFFLINE) for a in online],
                    actor="system:recovery",
                )
            )
        for timer in self.engine.pending_timers():
            self.scheduler.start(timer)
        await self._follow_time_zones(self.tenancy.time_zones)

    async def stop(self) -> None:
        self.scheduler.cancel_all()
        if self._queue is not None and self._task is not None:
            await self._queue.put(None)
            await self._task
            self._task = None
        for task in list(self._background):
            task.cancel()

    # the way in ------------------------------------------------------------------------
    async def submit(self, op: Operation) -> Outcome:
        """Runs the operation; returns once its events are durable, or raises why not."""
        if self._queue is None:
            raise RuntimeError("the engine host is not started")
        future: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
        await self._queue.put(_Pending(op, future))
        return await future

    async def quiet(self) -> None:
        """Waits until no batch is between the engine and publication (for snapshots)."""
        while not self._idle.is_set():
            await self._idle.wait()

    # the writer ------------------------------------------------------------------------
    async def _writer(self) -> None:
        assert self._queue is not None
        queue = self._queue
        while True:
            first = await queue.get()
            if first is None:
                return
            batch = [first]
            stop = False
            while len(batch) < _MAX_BATCH and not queue.empty():
                item = queue.get_nowait()
                if item is None:
                    stop = True
                    break
                batch.append(item)
            self._idle.clear()
            try:
                await self._process(batch)
            except Exception as error:  # never let the writer die: fail the batch instead
                log.exception("writer batch failed")
                for pending in batch:
                    if not pending.future.done():
                        pending.future.set_exception(error)
            finally:
                self._idle.set()
            if stop:
                return
            await asyncio.sleep(0)  # let snapshot readers in between batches

    async def _process(self, batch: list[_Pending]) -> None:
        accepted = [p for p in batch if self._run_engine(p)]
        dirty = False
        if accepted:  # in a thread: the loop keeps serving (docs/service.md, "Speed")
            dirty = await asyncio.to_thread(self._commit, accepted, self.clock.now())
        if dirty or self._needs_rebuild:
            self._needs_rebuild = False
            await self._rebuild()
            dirty = True
        committed = [e for p in accepted if p.outcome and not p.error for e in p.outcome.stored]
        changed_zones = self.tenancy.learn_time_zones(committed)
        if changed_zones:
            self._later(self._follow_time_zones(changed_zones))
        if committed and self.publish is not None:
            try:
                await self.publish(committed)
            except Exception:
                log.exception("publishing committed events failed")
        for pending in accepted:
            if pending.error is not None:
                pending.future.set_exception(pending.error)
                continue
            outcome = pending.outcome or Outcome()
            if not dirty:
                for result in pending.results:
                    self.scheduler.apply(result)
                configs = self.engine.state.queues
                for event in pending.engine_events:
                    self.stats.apply(event, configs)
            if not pending.future.done():
                pending.future.set_result(outcome)
        self.batch_sizes(len(accepted))
        if committed:
            for listener in self.listeners:
                try:
                    listener(committed)
                except Exception:
                    log.exception("event listener failed")

    def _run_engine(self, pending: _Pending) -> bool:
        """Runs the operation's commands in memory; False (and the caller told) if refused."""
        op = pending.op
        tenancy = self.tenancy
        for agent_id, tenant_id, team_id in op.agents:
            tenancy.add_agent(agent_id, tenant_id, team_id)
        started = time.perf_counter()
        try:
            for command in op.commands:
                pending.results.append(self.engine.handle(command))
        except HeadsetError as error:
            if any(r.events for r in pending.results):
                # an earlier command of this operation changed the engine: undo by rebuilding
                self._needs_rebuild = True
            pending.future.set_exception(error)
            return False
        self.routing_seconds(time.perf_counter() - started)
        for result in pending.results:
            for event in result.events:
                tenancy.observe(event)
                pending.new_events.append(tenancy.to_new_event(event, op.actor, op.correlation_id))
                pending.engine_events.append(event)
                tenancy.forget(event)
        pending.new_events.extend(op.events)
        # worked out here, on the loop, from the engine state right after this operation
        pending.changes = contact_changes(pending.engine_events, tenancy.agents)
        fix_offer_status(pending.changes, self.engine.state.contacts)
        return True

    def _commit(self, accepted: list[_Pending], now: Any) -> bool:
        """Stores the batch; True if the engine must be rebuilt (an operation that changed
        the engine could not be stored).

        The usual case is one transaction for the whole batch. If it fails, every operation
        is tried again in a transaction of its own, so only the faulty one is refused.
        """
        try:
            self._store(accepted, now)
            return False
        except Exception as error:
            if len(accepted) == 1:
                return self._refuse(accepted[0], error)
        dirty = False
        for pending in accepted:
            try:
                self._store([pending], now)
            except Exception as error:
                dirty = self._refuse(pending, error) or dirty
        return dirty

    def _store(self, batch: list[_Pending], now: Any) -> None:
        with self.db.begin() as conn:
            rows: dict[Table, list[dict[str, Any]]] = {}
            for pending in batch:
                for table, row in pending.op.inserts:
                    rows.setdefault(table, []).append(row)
            for table, table_rows in rows.items():
                conn.execute(table.insert(), table_rows)
            written = [p.op.write(conn) if p.op.write else None for p in batch]
            stored = self.event_log.append(conn, [e for p in batch for e in p.new_events], now)
            apply_changes(conn, merge_changes([p.changes for p in batch]))
            for hook in self.write_hooks:
                hook(conn, stored)
        start = 0
        for pending, result in zip(batch, written, strict=True):
            end = start + len(pending.new_events)
            pending.outcome = Outcome(stored[start:end], pending.results, result)
            start = end

    def _refuse(self, pending: _Pending, error: Exception) -> bool:
        pending.outcome = None
        pending.error = error if isinstance(error, HeadsetError) else _storage(error)
        return bool(pending.engine_events)

    # rebuilding ------------------------------------------------------------------------
    def _replay(self) -> tuple[Engine, Tenancy, RealtimeStats, int]:
        tenancy = Tenancy()
        with self.db.connect() as conn:
            for row in conn.execute(
                select(agents.c.agent_id, agents.c.tenant_id, agents.c.team_id)
            ):
                tenancy.add_agent(row.agent_id, row.tenant_id, row.team_id)
            for row in conn.execute(select(queues)):
                tenancy.hours[row.queue_id] = queue_hours(row)
            zones = conn.execute(select(tenants.c.tenant_id, tenants.c.time_zone))
            tenancy.time_zones = {row.tenant_id: row.time_zone for row in zones}
        stats = RealtimeStats()
        decoded: list[Event] = []
        for stored in self.event_log.iter_all():
            if stored.type.startswith("routing."):
                event = codec.decode(stored.type, stored.payload)
                tenancy.observe(event)
                tenancy.forget(event)
                decoded.append(event)
        engine = Engine.replay(decoded, self.clock)
        configs = engine.state.queues
        for event in decoded:
            stats.apply(event, configs)
        for contact in engine.state.contacts.values():
            if contact.tenant_id:
                tenancy.contacts[contact.contact_id] = contact.tenant_id
        return engine, tenancy, stats, len(decoded)

    async def _rebuild(self) -> None:
        log.warning("rebuilding the engine from the event log after a failed write")
        engine, tenancy, stats, _ = await asyncio.to_thread(self._replay)
        self.engine, self.tenancy, self.stats = engine, tenancy, stats
        self.scheduler.cancel_all()
        for timer in engine.pending_timers():
            self.scheduler.start(timer)

    async def _follow_time_zones(self, time_zones: dict[str, str]) -> None:
        """Gives the tenants' queues their tenant's time zone, whose day is "today" for the
        engine (after a tenant changes it, and at start for settings stored before)."""
        commands = rezoned_queues(self.engine.state.queues, time_zones)
        if commands:
            await self.submit(Operation(commands=list(commands), actor="system:time_zone"))

    def _on_timer(self, key: str) -> None:
        if self._queue is None:
            return
        self._later(self.submit(Operation(commands=[FireTimer(key)], actor="system:timer")))

    def _later(self, work: Coroutine[Any, Any, Any]) -> None:
        """Runs `work` beside the writer (it may submit operations of its own)."""
        task = asyncio.get_running_loop().create_task(work)
        self._background.add(task)
        task.add_done_callback(_log_failure)
        task.add_done_callback(self._background.discard)


def _log_failure(task: asyncio.Task[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("timer operation failed: %s", task.exception())


class StorageFailed(HeadsetError):
    """The database refused a write; nothing of the operation was stored."""


def _storage(error: Exception) -> StorageFailed:
    log.error("write failed: %s", error)
    return StorageFailed(f"the change could not be stored ({type(error).__name__}); try again")
