"""The app's database: SQLAlchemy over an SQLite file by default, PostgreSQL when asked.

Where the data lives
--------------------
* ``DATABASE_URL`` set (e.g. ``postgresql+psycopg://user:pass@host/placemap``): that database.
* otherwise an SQLite file at ``PLACEMAP_DB_PATH``, by default ``placemap.db`` in the
  project folder (git-ignored).

The schema is owned by Alembic (``migrations/``): ``open_store`` runs ``alembic upgrade
head`` before first use, so an empty database gets every table and an older one is brought
up to date (``placemap.storage.migration``). The tables are in ``placemap.storage.tables``;
the queries of each kind of saved thing sit in their own module (``interventions``,
``community``, ``upload_store``).

SQLite runs in WAL mode (readers never block the writer) with a busy timeout, and writes
start with ``BEGIN IMMEDIATE``, so concurrent writers wait their turn instead of failing.
Every database error is raised as ``StoreError`` with a plain message (and the password
hidden), for pages to show next to work that goes on without the database.

An SQLite file that is read-only for the server's account still opens and reads; writes fail
with a message saying so. Connections opened meanwhile stay read-only, so after such a failure
each write starts on fresh connections, and the ``-wal``/``-shm`` files SQLite left read-only
are repaired (``restore_wal_permissions``) once the file is writable again.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from placemap.storage.interventions import InterventionQueries
from placemap.storage.migration import migrate

PROJECT_DIR = Path(__file__).resolve().parents[2]
DB_URL_ENV = "DATABASE_URL"
DB_PATH_ENV = "PLACEMAP_DB_PATH"
DEFAULT_DB_PATH = PROJECT_DIR / "placemap.db"
BUSY_TIMEOUT_S = 30
PG_CONNECT_TIMEOUT_S = 5


class StoreError(RuntimeError):
    """The database could not do what was asked; the message is meant for people."""


def database_url(env: Mapping[str, str] | None = None) -> str:
    """The database to use: ``DATABASE_URL``, else the SQLite file ``PLACEMAP_DB_PATH`` (or the default).

    ``postgres://`` and ``postgresql://`` URLs (as hosting services give them) use the
    psycopg 3 driver.

    Example
    -------
    >>> database_url({"PLACEMAP_DB_PATH": "/tmp/x.db"})
    'sqlite:////tmp/x.db'
    >>> database_url({"DATABASE_URL": "postgres://u@h/db"})
    'postgresql+psycopg://u@h/db'
    """
    env = os.environ if env is None else env
    url = (env.get(DB_URL_ENV) or "").strip()
    if url:
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix) :]
        return url
    path = Path(env.get(DB_PATH_ENV) or DEFAULT_DB_PATH).expanduser()
    return f"sqlite:///{path}"


def describe_url(url: str) -> str:
    """The URL with any password hidden, for messages."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "(an invalid database URL)"


def is_read_only_error(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite refusing to write because the database (or its WAL files) is read-only."""
    orig = getattr(exc, "orig", exc)
    code = getattr(orig, "sqlite_errorcode", None)
    return code is not None and code & 0xFF == sqlite3.SQLITE_READONLY


def _writable(path: Path) -> bool:
    # effective_ids: the permissions of the user the server runs as (as the kernel checks them).
    if os.access in os.supports_effective_ids:
        return os.access(path, os.W_OK, effective_ids=True)
    return os.access(path, os.W_OK)


def restore_wal_permissions(path: Path) -> None:
    """Give the ``-wal`` and ``-shm`` files beside a writable SQLite database the database's permissions.

    A connection that opens a read-only WAL database creates ``-shm`` (and ``-wal``) with the
    file's read-only permissions and cannot remove them. Once the database is writable again,
    every new connection would still open that stale ``-shm`` read-only and refuse to write
    until someone fixed it by hand (SQLite repairs the mode of empty files only). Files owned by
    another user are left alone; the error then names the database, and the README says what to do.
    """
    try:
        if not path.exists() or not _writable(path):
            return
        mode = stat.S_IMODE(path.stat().st_mode)
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists() and not _writable(side) and side.stat().st_uid == os.geteuid():
                side.chmod(mode)
    except OSError:
        pass  # SQLite then reports what is wrong, in the error the page shows


def _sqlite_engine(url: sa.URL) -> Engine:
    database = url.database
    path = None
    if database and database != ":memory:":
        path = Path(database).expanduser()
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})

    if path is not None:

        @sa.event.listens_for(engine, "do_connect")
        def _before_connect(_dialect, _record, _cargs, _cparams):
            restore_wal_permissions(path)

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # pragma: no cover - exercised through every test
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn):
        # BEGIN IMMEDIATE takes the write lock up front, so a writer waits (busy timeout)
        # instead of failing later when a read transaction tries to upgrade.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN")

    return engine


def create_engine(url: str) -> Engine:
    """An engine for ``url`` with Placemap's settings (WAL and busy timeout on SQLite)."""
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError as exc:
        raise StoreError(f"The database URL is not valid ({exc}). Check {DB_URL_ENV}.") from exc
    try:
        if parsed.get_backend_name() == "sqlite":
            return _sqlite_engine(parsed)
        connect_args = {}
        if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
            # An unreachable server should fail in seconds, not hang the page.
            connect_args["connect_timeout"] = PG_CONNECT_TIMEOUT_S
        return sa.create_engine(parsed, pool_pre_ping=True, connect_args=connect_args)
    except (sa.exc.SQLAlchemyError, ImportError, OSError) as exc:
        raise StoreError(f"Could not set up the database {describe_url(url)}: {_reason(exc)}") from exc


def _reason(exc: BaseException) -> str:
    if is_read_only_error(exc):
        return (
            "the database file is read-only, so nothing can be saved until the user running Placemap "
            "can write to it again (the file and its -wal and -shm files)"
        )
    if isinstance(exc, sa.exc.DBAPIError) and exc.orig is not None:
        text = str(exc.orig)
    else:
        text = str(exc)
    text = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return text[:300]


class Store(InterventionQueries):
    """Placemap's saved data. Create with ``open_store``; every method raises ``StoreError`` on failure."""

    def __init__(self, engine: Engine, url: str):
        self.engine = engine
        self.url = url
        # Set when SQLite refused a write because the file was read-only. A connection opened while
        # the file was read-only stays read-only, so until a write succeeds again each write starts
        # on fresh connections (the SQLite counterpart of reconnecting to PostgreSQL).
        self._read_only_seen = False

    @property
    def where(self) -> str:
        """Where the data lives, for people (password hidden)."""
        return describe_url(self.url)

    @contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        try:
            yield
        except StoreError:
            raise
        except (sa.exc.SQLAlchemyError, OSError) as exc:
            if is_read_only_error(exc):
                self._read_only_seen = True
                self.engine.dispose()  # close the read-only connections (the failed one is back in the pool)
            raise StoreError(f"Could not {action} ({self.where}): {_reason(exc)}") from exc

    @contextmanager
    def _write(self, action: str) -> Iterator[Connection]:
        if self._read_only_seen:
            self.engine.dispose()  # reads since the failure may have opened read-only connections again
        with self._errors(action), self.engine.connect().execution_options(write=True) as conn, conn.begin():
            yield conn
        self._read_only_seen = False

    @contextmanager
    def _read(self, action: str) -> Iterator[Connection]:
        with self._errors(action), self.engine.connect() as conn, conn.begin():
            yield conn

    # Public names for feature modules (``placemap.storage.community``) that keep their queries next to their rules.
    write = _write
    read = _read

    def transaction(self, action: str, write: bool = False):
        """A connection in a transaction for other modules' tables (errors become ``StoreError``).

        ``action`` completes "Could not ..." in the message; ``write`` takes the write lock first.
        """
        return self._write(action) if write else self._read(action)

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def open_store(url: str | None = None, *, run_migrations: bool = True) -> Store:
    """Connect to the database (``database_url()`` by default) and bring its schema up to date.

    Raises
    ------
    StoreError
        If the database cannot be reached, created or migrated; the message says which
        database and why, with any password hidden.
    """
    url = url or database_url()
    engine = create_engine(url)
    store = Store(engine, url)
    if run_migrations:
        try:
            migrate(engine)
        except StoreError:
            engine.dispose()
            raise
        except Exception as exc:  # Alembic and drivers raise many kinds; all mean "cannot migrate"
            engine.dispose()
            raise StoreError(f"Could not prepare the database {describe_url(url)}: {_reason(exc)}") from exc
    return store
