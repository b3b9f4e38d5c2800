"""E-mail timers of many contacts at once: `GET /tenants/{t}/stats/mail-timers`
(mailroom/timer_report.py); `open=true` keeps only contacts not wrapped up yet."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from headset.access.permissions import Permission
from headset.api.deps import Caller, Rt
from headset.mailroom.timer_report import TimerReport, timer_report

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}/stats", tags=["e-mail"])


@router.get("/mail-timers")
async def mail_timers(
    tenant_id: str,
    who: Caller,
    rt: Rt,
    open_only: bool = Query(default=False, alias="open"),
    since: datetime | None = None,
    limit: int = Query(default=100, ge=1, le=500),
) -> TimerReport:
    """The timers of e-mail contacts, newest first."""
    scope = who.check(tenant_id, Permission.CONTACT_READ)
    return await run_in_threadpool(
        timer_report, rt.mailroom, who, tenant_id, scope,
        open_only=open_only, since=since, limit=limit,
    )  # fmt: skip
