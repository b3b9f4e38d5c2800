"""A call's steps as stored events: each one with the engine commands and rows it goes with."""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, update

from headset.calls import call as cc
from headset.calls.events import CallEvent
from headset.core.messages import Command
from headset.routing.endings import customer_left
from headset.routing.records import ContactStatus
from headset.service.host import EngineHost
from headset.service.operations import Operation
from headset.storage.event_log import NewEvent
from headset.storage.tables import contacts
from headset.voice.live_call import LiveCall


class CallSteps:
    """The one way a live call changes: call control decides, the engine host stores."""

    def __init__(self, host: EngineHost, calls: dict[str, LiveCall]) -> None:
        self.host = host
        self.calls = calls

    async def step(
        self,
        call: LiveCall,
        command: cc.CallCommand,
        actor: str,
        *,
        commands: Sequence[Command] = (),
        write: Callable[[Connection], Any] | None = None,
        more: Sequence[NewEvent] = (),
        inserts: Sequence[Any] = (),
    ) -> CallEvent:
        """One call step, stored with the engine commands and SQL work it goes with."""
        saved = copy.copy(call.control.state)
        event = call.control.handle(command, self.host.clock.now())
        try:
            await self.host.submit(
                Operation(
                    commands=commands,
                    write=write,
                    inserts=inserts,
                    events=[self.stored(call.tenant_id, call.call_id, event, actor), *more],
                    tenant_id=call.tenant_id,
                    actor=actor,
                )
            )
        except BaseException:
            call.control.state = saved
            raise
        return event

    async def steps(
        self,
        call: LiveCall,
        steps: Sequence[cc.CallCommand],
        actor: str,
        *,
        commands: Sequence[Command],
        before: Sequence[CallEvent] = (),
    ) -> None:
        """Several call steps in one operation (a take-over, a completed consultation);
        `before` are stored first, addressed as the steps leave the call."""
        saved = copy.copy(call.control.state)
        now = self.host.clock.now()
        happened = [call.control.handle(step, now) for step in steps]
        try:
            await self.host.submit(
                Operation(
                    commands=commands,
                    events=[
                        self.stored(call.tenant_id, call.call_id, e, actor)
                        for e in (*before, *happened)
                    ],
                    tenant_id=call.tenant_id,
                    actor=actor,
                )
            )
        except BaseException:
            call.control.state = saved
            raise

    async def record_digits(
        self, call: LiveCall, digits: str, *, variable: str | None = None
    ) -> None:
        """The keys the caller pressed, on the call's timeline."""
        await self.step(call, cc.PressDigits(digits, variable), "customer")

    def stored(self, tenant_id: str, call_id: str, event: CallEvent, actor: str) -> NewEvent:
        """A call event as the log keeps it, addressed (by agent_id) to whoever answers."""
        payload: dict[str, Any] = {"contact_id": call_id, "tenant_id": tenant_id, **event.data}
        call = self.calls.get(call_id)
        live = self.host.engine.state.contacts.get(call_id)
        agent_id = call.state.agent_id if call is not None else None
        if agent_id is None and live is not None:
            agent_id = live.agent_id
        if agent_id is not None:
            payload.setdefault("agent_id", agent_id)
        return NewEvent(
            stream_id=f"contact:{call_id}",
            type=event.name,
            payload=payload,
            occurred_at=event.at,
            tenant_id=tenant_id,
            actor=actor,
        )

    def ending_commands(self, call_id: str) -> list[Command]:
        """What the engine does when the call ends: wrap-up if answered, abandoned if not."""
        return customer_left(self.host.engine.state.contacts.get(call_id))

    def abandon_ivr_row(self, tenant_id: str, call_id: str) -> Callable[[Connection], None]:
        """The row of a call ended in its IVR (not in the engine yet) becomes abandoned."""
        now = self.host.clock.now()

        def write(conn: Connection) -> None:
            conn.execute(
                update(contacts)
                .where(
                    contacts.c.tenant_id == tenant_id,
                    contacts.c.contact_id == call_id,
                    contacts.c.status == ContactStatus.IVR.value,
                )
                .values(status=ContactStatus.ABANDONED.value, abandoned_at=now)
            )

        return write
