"""A chat's transcript by e-mail, asked for by the customer at the end of the chat
(mailroom/chat_transcripts.py).

`POST /api/v1/chat/{widget_key}/chats/{chat_id}/transcript` with the chat's bearer token
(like every call of the widget): 201 when sent now, 200 with the first one when asked again.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from headset.api.chat_bodies import bearer_of
from headset.api.deps import Rt
from headset.mailroom.chat_transcripts import TranscriptSent, send_chat_transcript

router = APIRouter(prefix="/api/v1/chat/{widget_key}", tags=["chat (customer)"])


@router.post("/chats/{chat_id}/transcript", status_code=201)
async def send_transcript(
    widget_key: str, chat_id: str, request: Request, response: Response, rt: Rt
) -> TranscriptSent:
    """Sends the ended chat's transcript to the customer's address (once)."""
    sent, is_new = await send_chat_transcript(
        rt.mailroom, rt.chat, widget_key, chat_id, bearer_of(request)
    )
    if not is_new:
        response.status_code = 200
    return sent
