"""Two-factor sign-in: set up with a code, then required at sign-in; enforceable per role."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from headset.access import totp
from tests.service.conftest import (
    ADMIN_PASSWORD,
    Served,
    login,
    ok,
    served_requiring_totp_for_managers,
)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    server = served_requiring_totp_for_managers(tmp_path)
    yield server
    server.stop()


def _code(secret: str) -> str:
    return totp.code_at(secret, datetime.now(UTC))


def test_a_user_with_two_factor_needs_the_code_to_sign_in(served: Served) -> None:
    admin = login(served.url, "admin", ADMIN_PASSWORD)
    try:
        secret = ok(admin.post("/api/v1/auth/totp/setup"))["secret"]
        ok(admin.post("/api/v1/auth/totp/confirm", json={"code": _code(secret)}))
    finally:
        admin.close()
    with httpx.Client(base_url=served.url) as anonymous:
        _check_code_needed(anonymous)


def _check_code_needed(anonymous: httpx.Client) -> None:
    refused = anonymous.post(
        "/api/v1/auth/login", json={"username": "admin", "password": ADMIN_PASSWORD}
    )
    assert refused.status_code == 401
    assert "code" in refused.json()["detail"]
    wrong = anonymous.post(
        "/api/v1/auth/login",
        json={"username": "admin", "password": ADMIN_PASSWORD, "code": "000000"},
    )
    assert wrong.status_code in (401, 429)


def test_a_role_that_must_use_two_factor_can_do_nothing_else_until_it_is_set_up(
    served: Served,
) -> None:
    admin = login(served.url, "admin", ADMIN_PASSWORD)
    try:
        _add_manager(admin)
    finally:
        admin.close()
    with httpx.Client(base_url=served.url) as manager:
        _check_set_up_first(manager)


def _add_manager(admin: httpx.Client) -> None:
    ok(admin.post("/api/v1/tenants", json={"tenant_id": "acme", "name": "Acme"}), 201)
    ok(
        admin.post(
            "/api/v1/tenants/acme/users",
            json={
                "username": "mona",
                "display_name": "Mona",
                "role": "manager",
                "password": "quiet-harbour-17",
            },
        ),
        201,
    )


def _check_set_up_first(manager: httpx.Client) -> None:
    signed_in = ok(
        manager.post(
            "/api/v1/auth/login", json={"username": "mona", "password": "quiet-harbour-17"}
        )
    )
    assert signed_in["must_set_up_totp"] is True
    manager.headers["X-CSRF-Token"] = signed_in["csrf_token"]
    blocked = manager.get("/api/v1/tenants/acme/queues")
    assert blocked.status_code == 403
    assert "two-factor" in blocked.json()["detail"]
    secret = ok(manager.post("/api/v1/auth/totp/setup"))["secret"]
    ok(manager.post("/api/v1/auth/totp/confirm", json={"code": _code(secret)}))
    assert ok(manager.get("/api/v1/tenants/acme/queues")) == []
