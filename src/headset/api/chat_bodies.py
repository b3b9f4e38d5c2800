"""What the customer's and the staff's chat routes share: the message and typing bodies, the
language tag's shape, the chat's (or web call's) bearer token, and a file's download."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from pydantic import BaseModel, ConfigDict, Field

from headset.api import downloads
from headset.api.typed_text import TypedLine, TypedText
from headset.core.files import served_media_type, served_name

#: A language tag as the widget sends it: "nl" or "nl-BE".
LANGUAGE = r"^[a-z]{2}(-[A-Z]{2})?$"


class MessageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    #: Chosen by the client (a UUID); sending again with the same id returns the same message.
    client_message_id: TypedLine = Field(min_length=1, max_length=100)
    text: TypedText = Field(default="", max_length=4000)
    attachment_id: str | None = Field(default=None, max_length=64)


class TypingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    is_typing: bool


def bearer_of(request: Request) -> str | None:
    """The visitor's chat or call token from `Authorization: Bearer ...`, if any."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def attachment_response(row: Any) -> Response:
    """The file as a download with the type its bytes show now: never rendered in our
    origin, under a name that agrees with that type."""
    media_type = served_media_type(row.content)
    return downloads.download(row.content, served_name(row.name, media_type), media_type)
