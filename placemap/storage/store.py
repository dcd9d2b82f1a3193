"""The app's database: SQLAlchemy over an SQLite file by default, PostgreSQL when asked.

Where the data lives
--------------------
* ``DATABASE_URL`` set (e.g. ``postgresql+psycopg://user:pass@host/placemap``): that database.
* otherwise an SQLite file at ``PLACEMAP_DB_PATH``, by default ``placemap.db`` in the
  project folder (git-ignored).

The schema is owned by Alembic (``migrations/``): ``open_store`` runs ``alembic upgrade
head`` before first use, so an empty database gets every table and an older one is brought
up to date. A later feature adds its tables with a new revision
(``alembic -c alembic.ini revision -m "add notes"``) and a ``Table`` on ``metadata`` below;
nothing else here needs to change.

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

import datetime as dt
import os
import re
import secrets
import sqlite3
import stat
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from placemap.analysis.evaluation import Intervention, MatchOptions, UploadOutcome

PROJECT_DIR = Path(__file__).resolve().parents[2]
MIGRATIONS_DIR = PROJECT_DIR / "migrations"
DB_URL_ENV = "DATABASE_URL"
DB_PATH_ENV = "PLACEMAP_DB_PATH"
DEFAULT_DB_PATH = PROJECT_DIR / "placemap.db"
BUSY_TIMEOUT_S = 30
PG_CONNECT_TIMEOUT_S = 5
SHARE_ID_BYTES = 12  # 16 URL-safe characters, 96 random bits
SHARE_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,43}$")
_PG_MIGRATION_LOCK = 7_265_108  # any constant: one server migrates at a time

# Naming convention so that constraints have stable names across SQLite and PostgreSQL
# (Alembic needs names to alter or drop them in later revisions).
metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


# Columns that many tables share. A Column belongs to one table, so each table calls these for
# its own copy.
def _id() -> sa.Column:
    return sa.Column("id", sa.Integer, primary_key=True, autoincrement=True)


def _share_id() -> sa.Column:
    return sa.Column("share_id", sa.String(43), nullable=False, unique=True)


def _created_at() -> sa.Column:
    return sa.Column("created_at", sa.DateTime(timezone=True), nullable=False)


def _workshop_id() -> sa.Column:
    return sa.Column(
        "workshop_id", sa.Integer, sa.ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False, index=True
    )


interventions = sa.Table(
    "interventions",
    metadata,
    _id(),
    _share_id(),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("domain", sa.String(64), nullable=False),
    sa.Column("measure", sa.String(16), nullable=False),
    sa.Column("before_year", sa.Integer, nullable=False),
    sa.Column("after_year", sa.Integer, nullable=False),
    sa.Column("n_neighbours", sa.Integer, nullable=False),
    sa.Column("same_region", sa.Boolean, nullable=False),
    sa.Column("exclude_same_la", sa.Boolean, nullable=False),
    sa.Column("seed", sa.BigInteger, nullable=False),
    sa.Column("n_boot", sa.Integer, nullable=False),
    _created_at(),
    sa.CheckConstraint("before_year < after_year", name="editions_in_order"),
    # An outcome from an uploaded table (JSON) and how the LSOAs were chosen, so a saved evaluation
    # can be redone from its link (revision 0004_intervention_uploads).
    sa.Column("upload_outcome", sa.Text, nullable=True),
    sa.Column("selection_rule", sa.String(1000), nullable=True),
)
intervention_areas = sa.Table(
    "intervention_areas",
    metadata,
    sa.Column(
        "intervention_id",
        sa.Integer,
        sa.ForeignKey("interventions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("area_code", sa.String(9), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
)

# Uploaded datasets, kept so a shared link can reopen them (revision 0003_uploads); used through
# ``placemap.storage.upload_store``.
uploads = sa.Table(
    "uploads",
    metadata,
    _id(),
    _share_id(),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("source", sa.String(1000), nullable=False),
    sa.Column("geography", sa.String(16), nullable=True),
    sa.Column("n_items", sa.Integer, nullable=False),
    sa.Column("payload", sa.Text, nullable=False),
    _created_at(),
    # Who saved it (``Actor.id``), so only they or a moderator may delete it (revision 0005_audit).
    sa.Column("created_by", sa.String(320), nullable=True),
    sa.CheckConstraint("kind IN ('indicators', 'areas')", name="known_kind"),
)
# Who changed shared data, when, and what (revision 0005_audit); read through ``placemap.audit``.
audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("who", sa.String(320), nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("object_kind", sa.String(32), nullable=False),
    sa.Column("object_id", sa.String(64), nullable=False),
    sa.Column("detail", sa.String(200), nullable=False),
)
ANONYMOUS = "anonymous session"  # who, when a caller does not say


def record_change(conn: Connection, who: str, action: str, kind: str, object_id: object, detail: str = "") -> None:
    """Write one row of the change log inside the caller's transaction (so the change and its record go together)."""
    conn.execute(
        audit_log.insert().values(
            at=dt.datetime.now(dt.UTC),
            who=(who or ANONYMOUS)[:320],
            action=action[:32],
            object_kind=kind[:32],
            object_id=str(object_id)[:64],
            detail=(detail or "")[:200],
        )
    )


class StoreError(RuntimeError):
    """The database could not do what was asked; the message is meant for people."""


@dataclass(frozen=True)
class SavedIntervention:
    """An intervention as saved: its share id, when it was saved, and the definition."""

    share_id: str
    created_at: dt.datetime
    intervention: Intervention


@dataclass(frozen=True)
class InterventionSummary:
    """One line of the saved-interventions list."""

    share_id: str
    name: str
    domain: str
    before_year: int
    after_year: int
    n_areas: int
    created_at: dt.datetime
    outcome_label: str = ""  # "Your data: <before> → <after>" when the outcome is uploaded data


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


def new_share_id() -> str:
    """A random, URL-safe id for ``?intervention=<id>`` links (not guessable, not sequential)."""
    return secrets.token_urlsafe(SHARE_ID_BYTES)


def valid_share_id(value: str) -> bool:
    """Whether ``value`` looks like a share id (checked before any query)."""
    return bool(SHARE_ID_PATTERN.match(value or ""))


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


def alembic_config(connection: Connection | None = None, url: str | None = None):
    """A programmatic Alembic config for ``migrations/`` (no ``alembic.ini`` needed at run time)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def migrate(engine: Engine) -> None:
    """Bring the database to the newest schema (``alembic upgrade head``); safe to run every start.

    On PostgreSQL an advisory lock makes concurrent servers migrate one at a time.
    """
    from alembic import command

    with engine.connect().execution_options(write=True) as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_MIGRATION_LOCK})")
        command.upgrade(alembic_config(conn), "head")
        conn.commit()


def schema_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at (``None`` before the first migration)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    """The newest revision in ``migrations/``."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


class Store:
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

    def save_intervention(self, intervention: Intervention, by: str = ANONYMOUS) -> str:
        """Save an intervention and return its new share id (``by``: who, for the change log)."""
        intervention.validate()
        share_id = new_share_id()
        with self._write("save the intervention") as conn:
            result = conn.execute(
                interventions.insert().values(
                    share_id=share_id,
                    name=intervention.name.strip(),
                    domain=intervention.domain,
                    measure=intervention.measure,
                    before_year=intervention.before,
                    after_year=intervention.after,
                    n_neighbours=intervention.options.n_neighbours,
                    same_region=intervention.options.same_region,
                    exclude_same_la=intervention.options.exclude_same_la,
                    seed=intervention.seed,
                    n_boot=intervention.n_boot,
                    created_at=dt.datetime.now(dt.UTC),
                    upload_outcome=_outcome_json(intervention.outcome),
                    selection_rule=intervention.selection_rule or None,
                )
            )
            new_id = result.inserted_primary_key[0]
            codes = list(dict.fromkeys(intervention.area_codes))
            conn.execute(
                intervention_areas.insert(),
                [{"intervention_id": new_id, "area_code": c, "position": i} for i, c in enumerate(codes)],
            )
            record_change(conn, by, "save", "intervention", share_id, intervention.name.strip())
        return share_id

    def get_intervention(self, share_id: str) -> SavedIntervention | None:
        """The intervention saved under ``share_id``, or ``None`` if there is none."""
        if not valid_share_id(share_id):
            return None
        with self._read("open the saved intervention") as conn:
            row = conn.execute(sa.select(interventions).where(interventions.c.share_id == share_id)).mappings().first()
            if row is None:
                return None
            codes = conn.execute(
                sa.select(intervention_areas.c.area_code)
                .where(intervention_areas.c.intervention_id == row["id"])
                .order_by(intervention_areas.c.position)
            ).scalars()
            codes = tuple(codes)
        return SavedIntervention(
            share_id=row["share_id"],
            created_at=_utc(row["created_at"]),
            intervention=Intervention(
                name=row["name"],
                area_codes=codes,
                domain=row["domain"],
                before=int(row["before_year"]),
                after=int(row["after_year"]),
                measure=row["measure"],
                options=MatchOptions(
                    n_neighbours=int(row["n_neighbours"]),
                    same_region=bool(row["same_region"]),
                    exclude_same_la=bool(row["exclude_same_la"]),
                ),
                seed=int(row["seed"]),
                n_boot=int(row["n_boot"]),
                outcome=_outcome_from_json(row.get("upload_outcome")),
                selection_rule=row.get("selection_rule") or "",
            ),
        )

    def list_interventions(self, limit: int = 200) -> list[InterventionSummary]:
        """Saved interventions, newest first."""
        count = (
            sa.select(sa.func.count())
            .where(intervention_areas.c.intervention_id == interventions.c.id)
            .scalar_subquery()
        )
        query = (
            sa.select(
                interventions.c.share_id,
                interventions.c.name,
                interventions.c.domain,
                interventions.c.before_year,
                interventions.c.after_year,
                count.label("n_areas"),
                interventions.c.created_at,
                interventions.c.upload_outcome,
            )
            .order_by(interventions.c.created_at.desc(), interventions.c.id.desc())
            .limit(limit)
        )
        with self._read("list the saved interventions") as conn:
            rows = conn.execute(query).all()
        return [
            InterventionSummary(
                share_id=r.share_id,
                name=r.name,
                domain=r.domain,
                before_year=int(r.before_year),
                after_year=int(r.after_year),
                n_areas=int(r.n_areas),
                created_at=_utc(r.created_at),
                outcome_label=_outcome_label(_outcome_from_json(r.upload_outcome)),
            )
            for r in rows
        ]

    def delete_intervention(self, share_id: str, by: str = ANONYMOUS) -> bool:
        """Delete a saved intervention (and its areas); ``True`` if there was one."""
        if not valid_share_id(share_id):
            return False
        with self._write("delete the intervention") as conn:
            found = conn.execute(
                sa.select(interventions.c.id).where(interventions.c.share_id == share_id)
            ).scalar_one_or_none()
            if found is None:
                return False
            # Explicit, so it works whether or not the database enforces ON DELETE CASCADE.
            conn.execute(intervention_areas.delete().where(intervention_areas.c.intervention_id == found))
            conn.execute(interventions.delete().where(interventions.c.id == found))
            record_change(conn, by, "delete", "intervention", share_id)
        return True

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def _outcome_json(outcome: UploadOutcome | None) -> str | None:
    import json
    from dataclasses import asdict

    return None if outcome is None else json.dumps(asdict(outcome), separators=(",", ":"))


def _outcome_from_json(text: str | None) -> UploadOutcome | None:
    """The saved uploaded outcome; ``None`` when there is none or it cannot be read (the IoD outcome is used)."""
    import json

    if not text:
        return None
    try:
        return UploadOutcome(**json.loads(text))
    except (TypeError, ValueError):
        return None


def _outcome_label(outcome: UploadOutcome | None) -> str:
    return "" if outcome is None else f"Your data: {outcome.before_label} → {outcome.after_label}"


def _utc(value: dt.datetime) -> dt.datetime:
    # SQLite returns naive datetimes; everything is stored in UTC.
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


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


# --- Workshops, notes, votes, scores and initiatives ----------------------------------------
# Queries and rules live in ``placemap.storage.community``; the tables are here so that Alembic's
# metadata (``migrations/env.py``) sees every table. Created by ``0002_workshops``.

workshops = sa.Table(
    "workshops",
    metadata,
    _id(),
    _share_id(),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("la_code", sa.String(9), nullable=False),
    sa.Column("votes_per_person", sa.Integer, nullable=False),
    _created_at(),
)
workshop_notes = sa.Table(
    "workshop_notes",
    metadata,
    _id(),
    _workshop_id(),
    sa.Column("category", sa.String(16), nullable=False),
    sa.Column("body", sa.String(500), nullable=False),
    sa.Column("first_name", sa.String(40), nullable=True),
    sa.Column("pinned_to", sa.String(8), nullable=False),
    sa.Column("area_code", sa.String(9), nullable=True),
    sa.Column("lat", sa.Float, nullable=False),
    sa.Column("lng", sa.Float, nullable=False),
    sa.Column("hidden", sa.Boolean, nullable=False),
    _created_at(),
)
workshop_priorities = sa.Table(
    "workshop_priorities",
    metadata,
    _id(),
    _workshop_id(),
    sa.Column("label", sa.String(120), nullable=False),
    _created_at(),
)
workshop_votes = sa.Table(
    "workshop_votes",
    metadata,
    _id(),
    _workshop_id(),
    sa.Column("priority_id", sa.Integer, sa.ForeignKey("workshop_priorities.id", ondelete="CASCADE"), nullable=False),
    sa.Column("participant", sa.String(43), nullable=False),
    _created_at(),
)
workshop_scores = sa.Table(
    "workshop_scores",
    metadata,
    sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("participant", sa.String(43), primary_key=True),
    sa.Column("place", sa.String(9), primary_key=True),
    sa.Column("theme", sa.String(32), primary_key=True),
    sa.Column("score", sa.Integer, nullable=False),
    _created_at(),
    sa.CheckConstraint("score BETWEEN 1 AND 7", name="score_1_to_7"),
)
initiatives = sa.Table(
    "initiatives",
    metadata,
    _id(),
    _share_id(),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("lead_org", sa.String(200), nullable=False),
    sa.Column("domains", sa.String(400), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("start_date", sa.Date, nullable=True),
    sa.Column("end_date", sa.Date, nullable=True),
    sa.Column("contact_url", sa.String(500), nullable=True),
    sa.Column("description", sa.String(1000), nullable=False),
    _created_at(),
)
initiative_partners = sa.Table(
    "initiative_partners",
    metadata,
    sa.Column("initiative_id", sa.Integer, sa.ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("sector", sa.String(32), nullable=False),
)
initiative_areas = sa.Table(
    "initiative_areas",
    metadata,
    sa.Column("initiative_id", sa.Integer, sa.ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("area_code", sa.String(9), primary_key=True, index=True),
)
