"""What a person sends and gets back when signing in and looking after their own account."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Login(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=256)
    #: The 6-digit code of the user's authenticator app, when two-factor sign-in is on.
    code: str | None = Field(default=None, max_length=12)


class TotpCode(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(min_length=6, max_length=12)


class MePatch(BaseModel):
    """What users change about themselves (the admin pages change everything else)."""

    model_config = ConfigDict(extra="forbid")
    language: str = Field(pattern=r"^(en|nl|de|lv)$")


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    current_password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(min_length=1, max_length=256)


class Me(BaseModel):
    user_id: str | None
    username: str | None
    role: str
    tenant_ids: list[str] | None
    agent_id: str | None
    led_teams: list[str]


class MeWithLanguage(Me):
    language: str


class SignedInOut(BaseModel):
    csrf_token: str
    must_set_up_totp: bool
    user: Me


class TotpSecretOut(BaseModel):
    secret: str
    uri: str


class TotpOut(BaseModel):
    totp_enabled: bool
