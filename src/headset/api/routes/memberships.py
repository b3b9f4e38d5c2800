"""Which tenants a user works for: the center's admin gives a user more than one client.

A user is created inside one tenant. A supervisor or manager of the center who serves several
client companies is then given access to the others here, by the center's admin only: a
tenant's own manager never sees another tenant's users, so cannot pick them. The actions are
directory/memberships.py.
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from headset.access.roles import Role
from headset.api.deps import Caller, Rt, reading
from headset.api.principal import Principal
from headset.core.errors import Forbidden
from headset.directory import memberships
from headset.directory.memberships import MemberIn, UserTenantOut
from headset.directory.users import UserOut

router = APIRouter(prefix="/api/v1", tags=["tenants and users"])


def _admin_only(who: Principal) -> None:
    if who.role is not Role.ADMIN:
        raise Forbidden("only the center's admin decides which tenants a user works for")


@router.get("/users/{user_id}/tenants")
def list_user_tenants(user_id: str, who: Caller, rt: Rt) -> list[UserTenantOut]:
    """The tenants a user is assigned to (admin only: it names other clients)."""
    _admin_only(who)
    with reading(rt) as conn:
        return [UserTenantOut(**t) for t in memberships.user_tenants_of(conn, user_id)]


@router.post("/tenants/{tenant_id}/members", status_code=201)
async def add_member(tenant_id: str, body: MemberIn, who: Caller, rt: Rt) -> UserOut:
    """Gives an existing user (found by username) access to this tenant too; repeatable."""
    _admin_only(who)
    added = await memberships.add_member(rt.host, tenant_id, body.username, actor=who.actor)
    return UserOut(**added)


@router.delete("/tenants/{tenant_id}/members/{user_id}", status_code=204)
async def remove_member(tenant_id: str, user_id: str, who: Caller, rt: Rt) -> Response:
    """Takes a tenant away from a user: not their last one, and not while they are its agent."""
    _admin_only(who)
    await memberships.remove_member(rt.host, tenant_id, user_id, actor=who.actor)
    return Response(status_code=204)
