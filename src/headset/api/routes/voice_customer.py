"""The public call routes the "call us" button uses: no account, a bearer token per call.

Starting a call sends the browser's SDP offer; the answer comes back with the call id and a
token (stored only as its digest, in `chat_sessions`, like a chat's) that the status and
hang-up routes take as `Authorization: Bearer hs_call_...`. See docs/voice.md.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection, insert, select
from starlette.concurrency import run_in_threadpool

from headset.access import tokens
from headset.api.deps import Rt, reading
from headset.api.routes.chat_customer import (
    LANGUAGE,
    TOKEN_LIFETIME,
    _check_language,
    _topic,
    bearer_of,
    load_widget,
    session_of_token,
    visitor_start,
)
from headset.api.routes.chat_store import display_name
from headset.api.runtime import Runtime
from headset.api.typed_text import TypedEmail, TypedLine
from headset.api.visitor_limits import check_visitor, client_address
from headset.calls import events as ev
from headset.calls.call import CallControl
from headset.calls.events import CallEvent
from headset.calls.ivr import Flow, parse_flow
from headset.core.errors import Conflict
from headset.core.ids import new_id
from headset.customers.matching import Claim
from headset.routing.model import Channel
from headset.service.contacts import Alongside, start_contact
from headset.storage.tables import chat_sessions, ivr_flows
from headset.voice.board import LiveCall, Switchboard

router = APIRouter(prefix="/api/v1/voice/{widget_key}", tags=["voice (customer)"])

TOKEN_PREFIX = "hs_call_"


def voice_block(rt: Runtime, widget: Any) -> dict[str, Any]:
    """The widget config's `voice` part: whether calls are on, and the ICE servers to use."""
    board = rt.switchboard
    enabled = board is not None and bool(getattr(widget, "voice_enabled", True))
    servers = list(board.media_settings.ice_servers) if board is not None else []
    return {"enabled": enabled, "ice_servers": [{"urls": u} for u in servers]}


def board_of(rt: Runtime) -> Switchboard:
    board = rt.switchboard
    if board is None:
        raise Conflict("voice calls are off in this service (HEADSET_VOICE=1 turns them on)")
    return board


class CallIn(BaseModel):
    """The pre-call form (as a chat's) and the browser's SDP offer."""

    model_config = ConfigDict(extra="forbid")
    name: TypedLine = Field(min_length=1, max_length=200)
    email: TypedEmail | None = None
    phone: str | None = Field(default=None, pattern=r"^\+?[0-9 ()./-]{3,40}$")
    topic_id: str | None = Field(default=None, min_length=1, max_length=64)
    language: str | None = Field(default=None, pattern=LANGUAGE)
    sdp: str = Field(min_length=10, max_length=20_000)


@router.post("/calls", status_code=201)
async def start_call(widget_key: str, body: CallIn, request: Request, rt: Rt) -> dict[str, Any]:
    """Answers the browser's offer and stores the call (status "ivr"); the IVR then runs."""
    check_visitor(request, calls_per_address=client_address(request))
    board = board_of(rt)
    widget = await run_in_threadpool(load_widget, rt, widget_key)
    check_visitor(request, calls_per_widget=widget.widget_id)
    if not voice_block(rt, widget)["enabled"]:
        raise Conflict(f"{widget.display_name} takes no calls here; start a chat instead")
    topic = _topic(widget, body.topic_id) if body.topic_id else None
    _check_language(widget, body.language)
    if not widget.topics:
        raise Conflict("this widget has no topics; tell the site owner")
    first = topic or dict(widget.topics[0])
    tenant_id, call_id, now = widget.tenant_id, new_id("c"), rt.now()
    flow = await run_in_threadpool(_flow_of, rt, widget)
    token = tokens.new_token(TOKEN_PREFIX)
    answer = await board.open_call(call_id, body.sdp)

    claim = Claim(name=body.name, email=body.email, phone=body.phone, language=body.language)
    # in its IVR until the IVR queues it (in the queue of the topic chosen there)
    start = visitor_start(widget, call_id, first, claim, Channel.VOICE, is_in_ivr=True)

    def write(conn: Connection, customer_id: str | None) -> None:
        conn.execute(
            insert(chat_sessions).values(
                tenant_id=tenant_id,
                contact_id=call_id,
                widget_id=widget.widget_id,
                token_digest=tokens.digest(token),
                customer_id=customer_id,
                customer_name=body.name,
                topic_id=body.topic_id or "",
                created_at=now,
                expires_at=now + TOKEN_LIFETIME,
            )
        )

    started = CallEvent(
        ev.CALL_STARTED, now, {"widget_id": widget.widget_id, "topic_id": body.topic_id}
    )
    also = Alongside(write=write, events=(board._stored(tenant_id, call_id, started, "customer"),))
    try:
        await start_contact(rt.host, start, actor="customer", alongside=also, now=now)
    except BaseException:
        await board.drop_media(call_id)
        raise
    board.begin(
        LiveCall(
            call_id,
            tenant_id,
            widget.widget_id,
            widget.display_name,
            [dict(t) for t in widget.topics],
            body.topic_id,
            body.language,
            CallControl(call_id),
            flow=flow,
        )
    )
    return {"call_id": call_id, "token": token, "sdp": answer}


def _flow_of(rt: Runtime, widget: Any) -> Flow | None:
    """The widget's IVR flow (validated again: a flow is data, read it as such)."""
    if not widget.ivr_flow_id:
        return None
    with reading(rt) as conn:
        row = conn.execute(
            select(ivr_flows).where(
                ivr_flows.c.tenant_id == widget.tenant_id,
                ivr_flows.c.flow_id == widget.ivr_flow_id,
            )
        ).first()
    return parse_flow({"name": row.name, "steps": row.steps}) if row is not None else None


def customer_call(rt: Runtime, widget_key: str, call_id: str, token: str | None) -> str:
    """The tenant of the call the token opens; a token of another call opens nothing."""
    row = session_of_token(rt, widget_key, call_id, token, TOKEN_PREFIX, "call")
    return str(row.tenant_id)


async def _tenant(rt: Runtime, request: Request, widget_key: str, call_id: str) -> str:
    return await run_in_threadpool(customer_call, rt, widget_key, call_id, bearer_of(request))


@router.get("/calls/{call_id}")
async def get_call(widget_key: str, call_id: str, request: Request, rt: Rt) -> dict[str, Any]:
    """Status, place in line and expected wait while queued, the agent's name once answered."""
    await _tenant(rt, request, widget_key, call_id)
    board = rt.switchboard
    if board is None:
        return {"call_id": call_id, "status": "ended", "place_in_line": None,
                "expected_wait_s": None, "agent_name": None}  # fmt: skip
    view = board.customer_view(call_id)
    call = board.calls.get(call_id)
    if call is not None and call.state.agent_id and view["status"] in ("connected", "held"):
        view["agent_name"] = await run_in_threadpool(display_name, rt, agent_id=call.state.agent_id)
    return view


@router.post("/calls/{call_id}/hang-up")
async def hang_up(widget_key: str, call_id: str, request: Request, rt: Rt) -> dict[str, Any]:
    """The caller hangs up: an answered call goes to wrap-up, a waiting one is abandoned.
    Hanging up twice is harmless."""
    await _tenant(rt, request, widget_key, call_id)
    board = rt.switchboard
    call = board.calls.get(call_id) if board is not None else None
    if board is not None and call is not None:
        await board.hang_up(call, "customer", "customer")
    return {"call_id": call_id, "status": "ended"}
