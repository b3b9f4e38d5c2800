"""Schema migrations: Alembic, configured in code (no alembic.ini) from a database URL."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext

from headset.storage.database import make_engine, read_only

#: The Alembic scripts ship inside the package, so an installed Headset can migrate itself.
SCRIPT_LOCATION = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> Config:
    """An Alembic configuration for the database at `url`, without any file on disk."""
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    # ConfigParser interpolation would choke on a '%' in a password
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Brings the database at `url` up to `revision`; does nothing if it is there already."""
    config = alembic_config(url)
    engine = make_engine(url)
    try:
        # one transaction (BEGIN IMMEDIATE on SQLite): a failed migration leaves nothing behind
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        engine.dispose()


def current_revision(url: str) -> str | None:
    """The revision the database at `url` is at, or None before the first migration."""
    engine = make_engine(url)
    try:
        with read_only(engine).connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()
