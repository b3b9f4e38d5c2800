"""The public call routes the "call us" button uses: no account, a bearer token per call.

Starting a call sends the browser's SDP offer; the answer comes back with the call id and a
token (stored only as its digest, in `chat_sessions`, like a chat's) that the status and
hang-up routes take as `Authorization: Bearer hs_call_...`. See docs/voice.md; the actions
are voice/calling.py's.
"""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from headset.access import tokens
from headset.api.call_models import CallStatusOut, StartedCallOut
from headset.api.chat_bodies import LANGUAGE, bearer_of
from headset.api.deps import Rt
from headset.api.runtime import Runtime
from headset.api.typed_text import TypedEmail, TypedLine
from headset.api.visitor_limits import check_visitor, client_address
from headset.chatroom.config import voice_offer
from headset.chatroom.sessions import TOKEN_LIFETIME, session_of_token
from headset.chatroom.starting import visitor_start
from headset.chatroom.widgets import check_language, load_widget, topic_of
from headset.core.errors import Conflict
from headset.core.ids import new_id
from headset.customers.matching import Claim
from headset.routing.model import Channel
from headset.voice import calling
from headset.voice.board import running
from headset.voice.calling import CallWidget, NewCall
from headset.voice.live_call import CallerView

router = APIRouter(prefix="/api/v1/voice/{widget_key}", tags=["voice (customer)"])

TOKEN_PREFIX = "hs_call_"


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
async def start_call(widget_key: str, body: CallIn, request: Request, rt: Rt) -> StartedCallOut:
    """Answers the browser's offer and stores the call (status "ivr"); the IVR then runs."""
    check_visitor(request, calls_per_address=client_address(request))
    board = running(rt.switchboard)
    widget = await run_in_threadpool(load_widget, rt, widget_key)
    check_visitor(request, calls_per_widget=widget.widget_id)
    if not voice_offer(board, widget)["enabled"]:
        raise Conflict(f"{widget.display_name} takes no calls here; start a chat instead")
    topic = topic_of(widget, body.topic_id) if body.topic_id else None
    check_language(widget, body.language)
    if not widget.topics:
        raise Conflict("this widget has no topics; tell the site owner")
    call_id, token = new_id("c"), tokens.new_token(TOKEN_PREFIX)
    claim = Claim(name=body.name, email=body.email, phone=body.phone, language=body.language)
    # in its IVR until the IVR queues it (in the queue of the topic chosen there)
    first = topic or dict(widget.topics[0])
    start = visitor_start(widget, call_id, first, claim, Channel.VOICE, is_in_ivr=True)
    where = CallWidget(
        widget.tenant_id,
        widget.widget_id,
        widget.display_name,
        tuple(widget.topics),
        widget.ivr_flow_id,
    )
    new = NewCall(
        where, start, body.name, body.topic_id, body.language, body.sdp,
        tokens.digest(token), TOKEN_LIFETIME,
    )  # fmt: skip
    answer = await calling.start_call(board, new)
    return StartedCallOut(call_id=call_id, token=token, sdp=answer)


async def _tenant(rt: Runtime, request: Request, widget_key: str, call_id: str) -> str:
    """The tenant of the call the bearer token opens; a token of another call opens nothing."""
    bearer = bearer_of(request)
    row = await run_in_threadpool(
        session_of_token, rt, widget_key, call_id, bearer, TOKEN_PREFIX, "call"
    )
    return str(row.tenant_id)


@router.get("/calls/{call_id}")
async def get_call(widget_key: str, call_id: str, request: Request, rt: Rt) -> CallerView:
    """Status, place in line and expected wait while queued, the agent's name once answered."""
    await _tenant(rt, request, widget_key, call_id)
    board = rt.switchboard
    if board is None:
        return CallerView(call_id, "ended")
    view = board.caller_view(call_id)
    call = board.calls.get(call_id)
    if call is not None and call.state.agent_id and view.status in ("connected", "held"):
        name = await run_in_threadpool(rt.chat.display_name, agent_id=call.state.agent_id)
        view = replace(view, agent_name=name)
    return view


@router.post("/calls/{call_id}/hang-up")
async def hang_up(widget_key: str, call_id: str, request: Request, rt: Rt) -> CallStatusOut:
    """The caller hangs up: an answered call goes to wrap-up, a waiting one is abandoned.
    Hanging up twice is harmless."""
    await _tenant(rt, request, widget_key, call_id)
    if rt.switchboard is not None:
        await calling.customer_hangs_up(rt.switchboard, call_id)
    return CallStatusOut(call_id=call_id, status="ended")
