"""Settings of the service, read once from the environment (`HEADSET_` prefix).

| variable | default | meaning |
|---|---|---|
| HEADSET_DATABASE_URL | sqlite:///headset-data/headset.db | SQLite file or postgresql:// URL |
| HEADSET_BUS_URL | memory:// | event fan-out between processes (memory:// or redis://) |
| HEADSET_SECRET_KEY | random per start | pepper for session digests; seals mail passwords |
| HEADSET_MASTER_KEY | derived | the vault's master key, base64 of 32 bytes (data-protection.md) |
| HEADSET_MASTER_KEY_FILE | (none) | a file holding that base64 master key instead |
| HEADSET_PKCS11_* | (none) | LIBRARY, TOKEN, PIN, KEY_LABEL (all four): the master key on a token |
| HEADSET_OLD_MASTER_KEY(_FILE) | (none) | the previous master key, while `vault rewrap` runs |
| HEADSET_BIND | 127.0.0.1:8000 | address and port `headset serve` listens on |
| HEADSET_REQUIRE_TOTP | (none) | comma-separated roles that must use two-factor sign-in |
| HEADSET_MAX_BODY_BYTES | 1000000 | largest accepted request body |
| HEADSET_COOKIE_SECURE | 0 | 1 marks the session cookie Secure (behind HTTPS) |
| HEADSET_SESSION_HOURS | 12 | how long a browser session lasts |
| HEADSET_SIGN_INS_PER_MINUTE | 30 | sign-ins one client address may try a minute (429 beyond) |
| HEADSET_LOG_LEVEL | info | debug, info, warning, error |
| HEADSET_WEBHOOK_INTERNAL_TARGETS | 0 | 1 lets webhooks reach loopback and private addresses |
| HEADSET_CHAT_ATTACHMENT_BYTES | 1000000 | largest file a chat accepts (see docs/chat.md) |
| HEADSET_MAIL_RECEIVER_BIND | (none) | address:port of the built-in SMTP receiver (docs/email.md) |
| HEADSET_MAIL_INTERNAL_HOSTS | 0 | 1 lets mailboxes use loopback and private mail servers |
| HEADSET_MAIL_AUTHSERV_ID | (none) | the MTA whose Authentication-Results are believed |
| HEADSET_VOICE | 0 | 1 starts the switchboard: calls and softphones (docs/voice.md) |
| HEADSET_RATE_<RULE> | `VisitorRates` | a visitor rate limit as burst/per_minute (docs/chat.md) |
"""

from __future__ import annotations

import base64
import binascii
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import timedelta

from headset.access.rate_limits import Rate
from headset.core.errors import Invalid
from headset.media.settings import MediaSettings

_ROLES = {"admin", "manager", "supervisor", "team_leader", "qa", "agent"}


@dataclass(frozen=True, slots=True)
class VisitorRates:
    """Rate limits for anonymous visitors of chat widgets and the "call us" button, per
    client address, per widget and per chat (docs/chat.md, "Rate limits"). Each is
    `Rate(burst, per_minute)`: that many at once, then that many a minute."""

    chats_per_address: Rate = field(default_factory=lambda: Rate(20, 20))
    chats_per_widget: Rate = field(default_factory=lambda: Rate(200, 300))
    left_messages_per_address: Rate = field(default_factory=lambda: Rate(5, 2))
    left_messages_per_widget: Rate = field(default_factory=lambda: Rate(60, 60))
    calls_per_address: Rate = field(default_factory=lambda: Rate(10, 10))
    calls_per_widget: Rate = field(default_factory=lambda: Rate(100, 120))
    messages_per_chat: Rate = field(default_factory=lambda: Rate(30, 60))
    uploads_per_chat: Rate = field(default_factory=lambda: Rate(10, 10))


@dataclass(frozen=True, slots=True)
class Pkcs11Settings:
    """Where the vault's master key lives on a PKCS#11 token (docs/data-protection.md)."""

    library: str
    token_label: str
    pin: str = field(repr=False)
    key_label: str


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the service reads from its environment, frozen after the first read."""

    database_url: str = "sqlite:///headset-data/headset.db"
    bus_url: str = "memory://"
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    is_secret_generated: bool = True
    host: str = "127.0.0.1"
    port: int = 8000
    require_totp_roles: frozenset[str] = frozenset()
    max_body_bytes: int = 1_000_000
    is_cookie_secure: bool = False
    session_duration: timedelta = timedelta(hours=12)
    #: Sign-ins a client address may try a minute, and at once (docs/access.md).
    sign_ins_per_minute: int = 30
    log_level: str = "info"
    #: Webhooks may go to loopback and private addresses (on-premises integrations only).
    webhook_internal_targets: bool = False
    chat_attachment_max_bytes: int = 1_000_000
    #: Where the built-in SMTP receiver listens ("127.0.0.1:2525"); None: not started.
    mail_receiver_bind: str | None = None
    #: Mailboxes may use mail servers on loopback and private addresses (on-premises only).
    mail_internal_hosts: bool = False
    #: The authserv-id of the MTA in front of Headset: its Authentication-Results header
    #: with dmarc=pass verifies a sender (docs/email.md); None: no sender is verified.
    mail_authserv_id: str | None = None
    #: The service's address as customers reach it, for links in e-mails (the survey);
    #: None: http://<host>:<port>.
    public_url: str | None = None
    #: Voice calls: the switchboard and its media (docs/voice.md, "Call control").
    is_voice_enabled: bool = False
    #: The media settings; None: read from the environment (`media.settings`) at start.
    media: MediaSettings | None = None
    #: Anonymous visitors' rate limits (HEADSET_RATE_<RULE>=burst/per_minute).
    visitor_rates: VisitorRates = VisitorRates()
    #: The vault's master key (base64 text, or a file of it, or a PKCS#11 token); none of
    #: them: one derived from `secret_key`, for the demo and tests (vault/configured.py).
    master_key: str | None = field(default=None, repr=False)
    master_key_file: str | None = None
    pkcs11: Pkcs11Settings | None = None
    #: The previous master key, configured beside the new one while keys are re-wrapped.
    old_master_key: str | None = field(default=None, repr=False)
    old_master_key_file: str | None = None


def load_settings(environ: Mapping[str, str]) -> Settings:
    """Reads `HEADSET_*` variables; a malformed value raises Invalid naming the variable."""

    def get(name: str) -> str | None:
        value = environ.get(f"HEADSET_{name}")
        return value.strip() if value is not None and value.strip() else None

    values: dict[str, object] = {}
    if url := get("DATABASE_URL"):
        values["database_url"] = url
    if url := get("BUS_URL"):
        values["bus_url"] = url
    if key := get("SECRET_KEY"):
        if len(key) < 16:
            raise Invalid("HEADSET_SECRET_KEY must be at least 16 characters long")
        values["secret_key"] = key
        values["is_secret_generated"] = False
    if bind := get("BIND"):
        host, _, port = bind.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise Invalid(f"HEADSET_BIND must look like 127.0.0.1:8000, not {bind!r}")
        values["host"], values["port"] = host.strip("[]"), int(port)
    if roles := get("REQUIRE_TOTP"):
        chosen = frozenset(r.strip() for r in roles.split(",") if r.strip())
        unknown = chosen - _ROLES
        if unknown:
            raise Invalid(
                f"HEADSET_REQUIRE_TOTP names unknown roles {sorted(unknown)}; "
                f"choose from {sorted(_ROLES)}"
            )
        values["require_totp_roles"] = chosen
    if size := get("MAX_BODY_BYTES"):
        values["max_body_bytes"] = _positive_int("MAX_BODY_BYTES", size)
    if secure := get("COOKIE_SECURE"):
        values["is_cookie_secure"] = secure.lower() in {"1", "true", "yes"}
    if hours := get("SESSION_HOURS"):
        values["session_duration"] = timedelta(hours=_positive_int("SESSION_HOURS", hours))
    if count := get("SIGN_INS_PER_MINUTE"):
        values["sign_ins_per_minute"] = _positive_int("SIGN_INS_PER_MINUTE", count)
    if level := get("LOG_LEVEL"):
        if level.lower() not in {"debug", "info", "warning", "error"}:
            raise Invalid("HEADSET_LOG_LEVEL must be debug, info, warning or error")
        values["log_level"] = level.lower()
    if internal := get("WEBHOOK_INTERNAL_TARGETS"):
        values["webhook_internal_targets"] = internal.lower() in {"1", "true", "yes"}
    if size := get("CHAT_ATTACHMENT_BYTES"):
        values["chat_attachment_max_bytes"] = _positive_int("CHAT_ATTACHMENT_BYTES", size)
    if bind := get("MAIL_RECEIVER_BIND"):
        host, _, port = bind.rpartition(":")
        if not host or not port.isdigit() or not 0 <= int(port) < 65536:
            raise Invalid(f"HEADSET_MAIL_RECEIVER_BIND must look like 127.0.0.1:2525, not {bind!r}")
        values["mail_receiver_bind"] = bind
    if internal := get("MAIL_INTERNAL_HOSTS"):
        values["mail_internal_hosts"] = internal.lower() in {"1", "true", "yes"}
    if authserv := get("MAIL_AUTHSERV_ID"):
        if len(authserv.split()) != 1 or ";" in authserv:
            raise Invalid(
                f"HEADSET_MAIL_AUTHSERV_ID must be one name like mx.example.com, not {authserv!r}"
            )
        values["mail_authserv_id"] = authserv.lower()
    if public := get("PUBLIC_URL"):
        if not public.startswith(("http://", "https://")):
            raise Invalid(f"HEADSET_PUBLIC_URL must start with http:// or https://, not {public!r}")
        values["public_url"] = public.rstrip("/")
    if voice := get("VOICE"):
        values["is_voice_enabled"] = voice.lower() in {"1", "true", "yes"}
    rates = {
        f.name: _rate(f"RATE_{f.name.upper()}", text)
        for f in fields(VisitorRates)
        if (text := get(f"RATE_{f.name.upper()}"))
    }
    if rates:
        values["visitor_rates"] = replace(VisitorRates(), **rates)
    values.update(_master_keys(get))
    return Settings(**values)  # type: ignore[arg-type]


def _master_keys(get: Callable[[str], str | None]) -> dict[str, object]:
    """The vault's settings: at most one master key, a PKCS#11 token named in full."""
    values: dict[str, object] = {}
    for name in ("MASTER_KEY", "OLD_MASTER_KEY"):
        if text := get(name):
            _check_master_key(name, text)
            values[name.lower()] = text
        if path := get(f"{name}_FILE"):
            values[f"{name.lower()}_file"] = path
    parts = {part: get(f"PKCS11_{part}") for part in ("LIBRARY", "TOKEN", "PIN", "KEY_LABEL")}
    if any(parts.values()):
        missing = [f"HEADSET_PKCS11_{part}" for part, value in parts.items() if not value]
        if missing:
            raise Invalid(f"a PKCS#11 master key needs {', '.join(missing)} as well")
        library, token, pin, label = (str(value) for value in parts.values())
        values["pkcs11"] = Pkcs11Settings(library, token, pin, label)
    chosen = [n for n in ("master_key", "master_key_file", "pkcs11") if n in values]
    if len(chosen) > 1:
        names = {"master_key": "HEADSET_MASTER_KEY", "master_key_file": "HEADSET_MASTER_KEY_FILE"}
        said = " and ".join(names.get(n, "HEADSET_PKCS11_*") for n in chosen)
        raise Invalid(f"{said} both name the master key; set only one")
    if "old_master_key" in values and "old_master_key_file" in values:
        raise Invalid("set HEADSET_OLD_MASTER_KEY or HEADSET_OLD_MASTER_KEY_FILE, not both")
    return values


def _check_master_key(name: str, text: str) -> None:
    try:
        size = len(base64.b64decode(text, validate=True))
    except binascii.Error:
        size = -1
    if size != 32:
        raise Invalid(f"HEADSET_{name} must be 32 random bytes in base64 (headset vault new-key)")


def _rate(name: str, text: str) -> Rate:
    burst, _, per_minute = text.partition("/")
    try:
        return Rate(int(burst), float(per_minute))
    except ValueError:
        raise Invalid(
            f"HEADSET_{name} must look like 10/6 (a burst of 10, then 6 a minute), not {text!r}"
        ) from None


def _positive_int(name: str, text: str) -> int:
    if not text.isdigit() or int(text) <= 0:
        raise Invalid(f"HEADSET_{name} must be a positive whole number, not {text!r}")
    return int(text)
