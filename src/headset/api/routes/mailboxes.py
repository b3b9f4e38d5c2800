"""Mailboxes: a tenant's e-mail addresses, how their mail comes in and goes out (the actions
are mailroom/mailbox_changes.py)."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from headset.access.permissions import Permission
from headset.api.deps import Caller, Rt
from headset.directory.names import Slug
from headset.mailroom import mailbox_changes
from headset.mailroom.mailbox_settings import MailboxIn, MailboxOut

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}/mailboxes", tags=["e-mail"])


@router.get("")
async def list_mailboxes(tenant_id: str, who: Caller, rt: Rt) -> list[MailboxOut]:
    who.check(tenant_id, Permission.MAILBOX_MANAGE)
    return await run_in_threadpool(mailbox_changes.list_mailboxes, rt.mailroom, tenant_id)


@router.get("/{mailbox_id}")
async def get_mailbox(tenant_id: str, mailbox_id: str, who: Caller, rt: Rt) -> MailboxOut:
    who.check(tenant_id, Permission.MAILBOX_MANAGE)
    return await run_in_threadpool(mailbox_changes.get_mailbox, rt.mailroom, tenant_id, mailbox_id)


@router.put("/{mailbox_id}")
async def save_mailbox(
    tenant_id: str, mailbox_id: Slug, body: MailboxIn, who: Caller, rt: Rt
) -> MailboxOut:
    """Creates or replaces the mailbox; its address must be free in the whole center."""
    who.check(tenant_id, Permission.MAILBOX_MANAGE)
    return await mailbox_changes.save_mailbox(
        rt.mailroom, tenant_id, mailbox_id, body,
        actor=who.actor, is_key_generated=rt.settings.is_secret_generated,
    )  # fmt: skip


@router.delete("/{mailbox_id}", status_code=204)
async def delete_mailbox(tenant_id: str, mailbox_id: str, who: Caller, rt: Rt) -> None:
    """Stops receiving for the address; the conversations and their messages stay."""
    who.check(tenant_id, Permission.MAILBOX_MANAGE)
    await mailbox_changes.delete_mailbox(rt.mailroom, tenant_id, mailbox_id, actor=who.actor)
