"""Mailbox passwords are stored sealed; a mailbox no longer names an environment variable.

Revision ID: 0009
Revises: 0008
Created: 2026-12-07

Before this revision a mailbox named the environment variable holding each server's password
(`imap_password_env`, `smtp_password_env`), and any tenant's manager could name any variable
of the server, its secret key included. The names are dropped, not read: the migration
cannot tell a name the operator chose from one a tenant chose to read someone else's secret,
so it never copies an environment value into a tenant's mailbox. Each mailbox that named a
variable is logged (tenant, mailbox, which server, never a value); an administrator enters
those passwords again on the mailbox's page, where they are sealed with the server's secret
key (`headset.access.secret_box`). Until then such an IMAP mailbox logs that it has no
password and keeps retrying, and an SMTP server is used without a login.

Written out in full, like 0001: a migration never imports the tables module.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("headset.storage")


def upgrade() -> None:
    named = op.get_bind().execute(
        sa.text(
            "SELECT tenant_id, mailbox_id, imap_password_env, smtp_password_env FROM mailboxes "
            "WHERE imap_password_env IS NOT NULL OR smtp_password_env IS NOT NULL"
        )
    )
    for row in named:
        servers = [s for s, name in (("IMAP", row[2]), ("SMTP", row[3])) if name]
        log.warning(
            "mailbox %s of tenant %s: enter its %s password again (passwords are stored "
            "sealed now; the environment variable it named is no longer read)",
            row[1],
            row[0],
            " and ".join(servers),
        )
    with op.batch_alter_table("mailboxes") as batch:
        batch.drop_column("imap_password_env")
        batch.drop_column("smtp_password_env")
        batch.add_column(sa.Column("imap_password", sa.Text()))
        batch.add_column(sa.Column("smtp_password", sa.Text()))


def downgrade() -> None:
    # the sealed passwords are lost: the old schema could only name variables
    with op.batch_alter_table("mailboxes") as batch:
        batch.drop_column("smtp_password")
        batch.drop_column("imap_password")
        batch.add_column(sa.Column("imap_password_env", sa.String(100)))
        batch.add_column(sa.Column("smtp_password_env", sa.String(100)))
