"""The tenant-isolation walk: every API route, as another tenant's people, never answers 2xx.

The routes are enumerated from the application itself (and cross-checked against its OpenAPI
schema), so a new route is walked as soon as it exists, or the walk fails and says to teach
it. Tenant alpha is the victim: it has one of everything (tests/service/test_tenant_isolation
builds it). The intruders are:

- every role of tenant beta and beta's API token, calling alpha's routes with alpha's ids;
- a manager shared between beta and gamma (a user of several tenants, none of them alpha);
- a manager shared between alpha and beta, acting under beta with alpha-only ids: what the
  user may see in alpha must not leak into beta's routes, where beta's people would see it;
- beta's people trying to change the user they share with alpha (roles and passwords are
  global: changing them would let beta act in alpha as that user).

Every answer must be a refusal (no 2xx, no 5xx), and alpha as the admin sees it is the same
before and after. Bounded: one request per route and intruder, well under a minute.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.service.conftest import Center, login, ok, seed_tenant, start_center
from tests.service.test_tenant_isolation import (
    OUTSIDE_TENANTS,
    _snapshot,
    _tenant_a,
    _tenant_routes,
    walk_routes,
)

SHARED_PASSWORD = "Wk4-shared-secret-Q"
#: Kinds of object whose ids are chosen per tenant: beta may hold its own of the same id.
PER_TENANT_KEYS = ("skills", "dispositions", "away-reasons")


@pytest.fixture(scope="module")
def center(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Center]:
    c = start_center(
        tmp_path_factory.mktemp("walk"), max_body_bytes=2000, webhook_internal_targets=True
    )
    try:
        c.tenants["gamma"] = seed_tenant(c.admin, "gamma")
        yield c
    finally:
        c.close()
        c.served.stop()


def _shared_manager(center: Center, username: str, tenants: tuple[str, str]) -> str:
    first, second = tenants
    body = {
        "username": username,
        "display_name": username,
        "role": "manager",
        "password": SHARED_PASSWORD,
    }
    user = ok(center.admin.post(f"/api/v1/tenants/{first}/users", json=body), 201)
    ok(center.admin.post(f"/api/v1/tenants/{second}/members", json={"username": username}), 201)
    return str(user["user_id"])


def _signed_in(center: Center, username: str) -> httpx.Client:
    client = login(center.url, username, SHARED_PASSWORD)
    center.clients.append(client)
    return client


def test_every_route_is_walked_or_reviewed(center: Center) -> None:
    """The OpenAPI schema names no operation the walk does not know."""
    walked = {(m, r.path) for m, r in _tenant_routes(center)}
    schema = ok(center.admin.get("/openapi.json"))
    unknown = [
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
        and (method.upper(), path) not in walked | OUTSIDE_TENANTS
    ]
    assert unknown == [], "routes neither walked nor reviewed (OUTSIDE_TENANTS)"


def test_no_intruder_reaches_the_victim_tenant(center: Center) -> None:
    victim = _tenant_a(center, center.as_user("alpha", "manager"))
    _shared_manager(center, "walk-beta-gamma", ("beta", "gamma"))
    shared_ab = _shared_manager(center, "walk-alpha-beta", ("alpha", "beta"))
    routes = _tenant_routes(center)
    assert len(routes) > 40
    before = _snapshot(center.admin, routes, victim)

    # alpha's routes and ids, by beta's people and a user of beta and gamma
    intruders = {role: center.as_user("beta", role) for role in center.tenants["beta"].users}
    intruders["beta token"] = center.as_token("beta")
    intruders["beta+gamma manager"] = _signed_in(center, "walk-beta-gamma")
    reached, broken = walk_routes(routes, victim, intruders)

    # beta's and gamma's routes with alpha's ids: the alpha+beta manager may see alpha's
    # things under alpha, never under beta, where beta's people would see them
    mixed_routes = [
        (m, r)
        for m, r in routes
        if any(p.name != "tenant_id" for p in r.dependant.path_params)
        and not any(f"/{k}/{{item_id}}" in r.path for k in PER_TENANT_KEYS)
    ]
    shared = _signed_in(center, "walk-alpha-beta")
    for tenant_id in ("beta", "gamma"):
        mixed = {**victim, "tenant": tenant_id}
        if tenant_id == "beta":
            crossing = {"alpha+beta manager": shared, "beta manager": intruders["manager"]}
        else:
            crossing = {"beta+gamma manager": intruders["beta+gamma manager"]}
        more_reached, more_broken = walk_routes(mixed_routes, mixed, crossing)
        reached += more_reached
        broken += more_broken
    assert reached == [], "another tenant's people reached tenant alpha:\n" + "\n".join(reached)
    assert broken == [], "\n".join(broken)

    _beta_may_not_change_the_user_it_shares(center, intruders, shared_ab)
    after = _snapshot(center.admin, routes, victim)
    assert after == before


def _beta_may_not_change_the_user_it_shares(
    center: Center, intruders: dict[str, httpx.Client], user_id: str
) -> None:
    changes: list[dict[str, Any]] = [
        {"password": "a-new-Passphrase-of-beta-9"},
        {"role": "admin"},
        {"role": "supervisor"},
        {"is_active": False},
        {"unlock": True},
        {"reset_totp": True},
        {"display_name": "Beta's now"},
    ]
    answers = []
    for who in ("manager", "beta token"):
        for change in changes:
            response = intruders[who].patch(f"/api/v1/tenants/beta/users/{user_id}", json=change)
            answers.append((who, change, response.status_code, response.json().get("code")))
    refused = [(who, change) for who, change, status, _ in answers if status != 403]
    assert refused == [], f"not refused with 403: {refused}"
    manager_codes = {code for who, _, _, code in answers if who == "manager"}
    assert manager_codes <= {"shared_user", None}  # None: only an admin makes an admin
    assert "shared_user" in manager_codes
    # the shared user is as the admin made them: same password, same role, both tenants
    shared = login(center.url, "walk-alpha-beta", SHARED_PASSWORD)
    try:
        me = ok(shared.get("/api/v1/auth/me"))
        assert (me["role"], me["tenant_ids"]) == ("manager", ["alpha", "beta"])
    finally:
        shared.close()
    member = ok(center.admin.get(f"/api/v1/users/{user_id}/tenants"))
    assert [t["tenant_id"] for t in member] == ["alpha", "beta"]
