"""The one `MetaData` every table joins, with its naming convention, and the id length."""

from __future__ import annotations

from sqlalchemy import MetaData

#: Names of constraints and indexes, the same on SQLite and PostgreSQL (migrations rely on them).
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

#: The length of every id column: slugs chosen by tenants and random ids chosen by the service.
ID_LENGTH = 64
