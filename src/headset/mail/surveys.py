"""The survey link sent by e-mail after an e-mail contact is wrapped up.

The link carries a token that names the contact and is signed with the service's secret
key (HMAC-SHA256): nothing is stored for it, a token for one contact opens no other, and a
changed secret key ends every open link. One answer per contact (survey_answers' key).
"""

from __future__ import annotations

import base64
import hmac
import re

_PART = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def _signature(secret: str, tenant_id: str, contact_id: str) -> str:
    mac = hmac.new(secret.encode(), f"mail-survey:{tenant_id}:{contact_id}".encode(), "sha256")
    return base64.urlsafe_b64encode(mac.digest()[:18]).decode().rstrip("=")


def survey_token(secret: str, tenant_id: str, contact_id: str) -> str:
    """The token of the contact's survey link: "<tenant>.<contact>.<signature>"."""
    return f"{tenant_id}.{contact_id}.{_signature(secret, tenant_id, contact_id)}"


def read_survey_token(secret: str, token: str) -> tuple[str, str] | None:
    """The (tenant, contact) the token was made for, or None if it is not one of ours."""
    parts = token.split(".")
    if len(parts) != 3 or not all(_PART.match(p) for p in parts):
        return None
    tenant_id, contact_id, signature = parts
    expected = _signature(secret, tenant_id, contact_id)
    if not hmac.compare_digest(expected.encode(), signature.encode()):
        return None
    return tenant_id, contact_id
