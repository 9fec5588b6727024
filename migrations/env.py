"""Alembic environment: one code path for the CLI's automatic upgrade and `alembic upgrade head`."""

from __future__ import annotations

import os

from alembic import context

from citecheck.store.engine import create_engine_for
from citecheck.store.tables import Base

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    from citecheck.config import default_database_url

    return (
        config.attributes.get("database_url")
        or os.environ.get("CITECHECK_DATABASE_URL")
        or config.get_main_option("sqlalchemy.url")
        or default_database_url()
    )


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine_for(_url())
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
