"""Alembic environment for Placemap.

Run programmatically by ``placemap.storage.migration.migrate`` (which passes an open connection in
``config.attributes["connection"]``), or from the command line with ``alembic.ini``:
``alembic -c alembic.ini upgrade head`` / ``alembic -c alembic.ini revision -m "add notes"``.
The database is ``DATABASE_URL`` or the SQLite file of ``PLACEMAP_DB_PATH`` (see
``placemap.storage.store.database_url``).
"""

from __future__ import annotations

from alembic import context

from placemap.storage import store, tables

config = context.config
target_metadata = tables.metadata


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things in place: batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    """Emit the SQL to a script instead of running it (``alembic upgrade head --sql``)."""
    url = config.get_main_option("sqlalchemy.url") or store.database_url()
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or store.database_url()
    engine = store.create_engine(url)
    try:
        with engine.connect().execution_options(write=True) as conn:
            _run(conn)
            conn.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
