"""The vault: each tenant's data keys, stored wrapped by a master key (docs/data-protection.md).

Revision ID: 0010
Revises: 0009
Created: 2026-12-08

No row is written here: a tenant's first data key is made when the service first needs it
(`service/tenant_keys.py`), with the master key the service is configured with.

Written out in full, like 0001: a migration never imports the tables module.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = 64


def upgrade() -> None:
    op.create_table(
        "tenant_keys",
        sa.Column(
            "tenant_id",
            sa.String(_ID),
            sa.ForeignKey("tenants.tenant_id", name="fk_tenant_keys_tenant_id_tenants"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.String(200), nullable=False),
        sa.Column("wrapped", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "version", name="pk_tenant_keys"),
    )


def downgrade() -> None:
    # the wrapped keys go with it: whatever they sealed can no longer be opened
    op.drop_table("tenant_keys")
