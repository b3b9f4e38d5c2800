"""What a caller sends to handle a contact or set a state, checked field by field (the HTTP
routes and the live stream's commands take the same requests)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from headset.routing.model import AgentState


class WrapUpIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    disposition: str | None = Field(default=None, max_length=64)
    notes: str | None = Field(default=None, max_length=10_000)


class TransferIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    queue_id: str | None = None
    agent_id: str | None = None

    @model_validator(mode="after")
    def _one(self) -> TransferIn:
        if (self.queue_id is None) == (self.agent_id is None):
            raise ValueError("give exactly one of queue_id and agent_id")
        return self


class EscalateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    to: Literal["team_leader"] = "team_leader"
    team_id: str | None = None


class StateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    state: AgentState
    reason: str | None = Field(default=None, max_length=64)
