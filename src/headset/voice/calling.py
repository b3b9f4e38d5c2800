"""A customer's web call: started from the widget's "call us" button, hung up by the caller.

Starting stores the call's contact (in its IVR) with its session row (the call's token, as a
chat's) and `voice.call_started` in one operation, then runs its IVR; the media answers the
browser's offer first, and goes again if the call cannot be stored.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, select

from headset.calls import events as ev
from headset.calls.call import CallControl
from headset.calls.ivr import Flow, parse_flow
from headset.chatroom.sessions import VisitorSession, store_session
from headset.contacts.start import StartContact
from headset.service.contacts import Alongside, start_contact
from headset.storage.tables import ivr_flows
from headset.voice.board import Switchboard
from headset.voice.live_call import LiveCall


@dataclass(frozen=True, slots=True)
class CallWidget:
    """What a call needs of the widget it starts from."""

    tenant_id: str
    widget_id: str
    display_name: str
    topics: tuple[dict[str, Any], ...]
    ivr_flow_id: str | None


@dataclass(frozen=True, slots=True)
class NewCall:
    """A call the customer starts: the contact to start, the caller, their browser's offer."""

    widget: CallWidget
    start: StartContact
    customer_name: str
    topic_id: str | None
    language: str | None
    sdp: str
    #: the digest of the call's bearer token (the token itself is never stored)
    token_digest: str
    token_lifetime: timedelta


async def start_call(board: Switchboard, new: NewCall) -> str:
    """Answers the browser's offer, stores the call (status "ivr") and runs its IVR; returns
    the answer SDP."""
    widget, call_id = new.widget, new.start.contact_id
    tenant_id, now = widget.tenant_id, board.host.clock.now()
    flow = await asyncio.to_thread(_flow_of, board, widget)
    answer = await board.media.open_call(call_id, new.sdp)

    session = VisitorSession(
        tenant_id=tenant_id,
        contact_id=call_id,
        widget_id=widget.widget_id,
        token_digest=new.token_digest,
        customer_name=new.customer_name,
        topic_id=new.topic_id or "",
        created_at=now,
        expires_at=now + new.token_lifetime,
    )

    def write(conn: Connection, customer_id: str | None) -> None:
        store_session(conn, session, customer_id)

    event = ev.CallStarted(now, widget.widget_id, new.topic_id)
    started = board.steps.stored(tenant_id, call_id, event, "customer")
    also = Alongside(write=write, events=(started,))
    try:
        await start_contact(board.host, new.start, actor="customer", alongside=also, now=now)
    except BaseException:
        await board.media.drop(call_id)
        raise
    board.begin(
        LiveCall(
            call_id,
            tenant_id,
            widget.widget_id,
            widget.display_name,
            [dict(t) for t in widget.topics],
            new.topic_id,
            new.language,
            CallControl(call_id),
            flow=flow,
        )
    )
    return answer


async def customer_hangs_up(board: Switchboard, call_id: str) -> None:
    """The caller hangs up: an answered call goes to wrap-up, a waiting one is abandoned.
    Hanging up twice (or a call this process no longer carries) changes nothing."""
    call = board.calls.get(call_id)
    if call is not None:
        await board.ending.hang_up(call, "customer", "customer")


def _flow_of(board: Switchboard, widget: CallWidget) -> Flow | None:
    """The widget's IVR flow (validated again: a flow is data, read it as such)."""
    if not widget.ivr_flow_id:
        return None
    with board.host.db.connect() as conn:
        row = conn.execute(
            select(ivr_flows).where(
                ivr_flows.c.tenant_id == widget.tenant_id,
                ivr_flows.c.flow_id == widget.ivr_flow_id,
            )
        ).first()
    return parse_flow({"name": row.name, "steps": row.steps}) if row is not None else None
