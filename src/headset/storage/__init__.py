"""Persistence: SQLAlchemy Core tables, the event log, the event codec and Alembic migrations."""
