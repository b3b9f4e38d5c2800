"""A tenant named in the URL must exist, also for the center's admin (who sees every tenant).

Other callers only ever see their own tenants (`Principal.check` answers 404 for the rest),
but the admin's tenant ids are "all", so a write under a tenant nobody created reached the
database and failed there on the foreign key. The caller dependency asks this module first,
so such a request answers 404 before anything is written. Tenants are never deleted, so a
tenant found once is remembered for the process's life.
"""

from __future__ import annotations

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from headset.api.runtime import Runtime
from headset.core.errors import NotFound
from headset.storage.tables import tenants


async def require_tenant(request: Request, runtime: Runtime, tenant_id: str) -> None:
    """Returns if `tenant_id` exists; raises NotFound otherwise."""
    seen: set[str] | None = getattr(request.app.state, "tenants_seen", None)
    if seen is None:
        seen = request.app.state.tenants_seen = set()
    if tenant_id in seen:
        return
    if not await run_in_threadpool(_exists, runtime, tenant_id):
        raise NotFound(f"no tenant {tenant_id!r}")
    seen.add(tenant_id)


def _exists(runtime: Runtime, tenant_id: str) -> bool:
    with runtime.reader.connect() as conn:
        found = conn.execute(select(tenants.c.tenant_id).where(tenants.c.tenant_id == tenant_id))
        return found.first() is not None
