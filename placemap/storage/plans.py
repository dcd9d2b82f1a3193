"""Saved place plans: create, open by share id, list, save a new version (no lost update), history, freeze.

Functions take an open ``store.Store`` (SQLite or PostgreSQL) and raise ``store.StoreError`` on
a database failure. Writing needs the ``save_plan`` role (``placemap.community.roles``: editors
and moderators). Every save names the version it was made from; when someone else saved in
between, ``PlanConflict`` carries their plan, so the second editor sees the first's change
instead of overwriting it. Each version is kept in ``plan_changes`` with who, when and what
changed, and is written to the change log.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace

import pandas as pd
import sqlalchemy as sa

from placemap.community import roles
from placemap.community.plans import Plan, PlanError, describe_changes, validate_plan
from placemap.storage import store, tables


class PlanConflict(PlanError):
    """Someone else saved the plan after it was opened; ``current`` is their version."""

    def __init__(self, current: Plan, who: str, at: dt.datetime):
        self.current, self.who, self.at = current, who, at
        super().__init__(
            f"{who} saved this plan at {at:%Y-%m-%d %H:%M} UTC while you were editing it (now version "
            f"{current.version}). Their change is shown: make yours again on top of it."
        )


@dataclass(frozen=True)
class PlanSummary:
    """One line of the saved-plans list."""

    share_id: str
    name: str
    place: str
    version: int
    updated_at: dt.datetime
    frozen_year: int | None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _body(plan: Plan) -> str:
    return json.dumps(plan.to_dict(), ensure_ascii=False, allow_nan=False, sort_keys=True)


def _plan(row) -> Plan:
    try:
        data = json.loads(row["body"])
    except (TypeError, ValueError) as exc:
        raise PlanError(f"The saved plan could not be read ({exc}).") from exc
    return Plan.from_dict(data, share_id=row["share_id"], version=int(row["version"]))


def _check(actor: roles.Actor, plan: Plan) -> Plan:
    roles.require(actor, "save_plan")
    clean = validate_plan(plan)
    try:
        _body(clean)
    except ValueError as exc:  # a NaN or infinite number cannot be stored as JSON
        raise PlanError("A number in the plan is not a finite number.") from exc
    return clean


def create_plan(db: store.Store, actor: roles.Actor, plan: Plan) -> Plan:
    """Save a new plan (version 1) and return it with its share id; editors only."""
    clean = _check(actor, plan)
    share_id, now, body = tables.new_share_id(), _now(), _body(clean)
    p = tables.plans
    with db.write("save the plan") as conn:
        new_id = conn.execute(
            p.insert().values(
                share_id=share_id,
                name=clean.name,
                place=clean.place,
                body=body,
                version=1,
                frozen_year=clean.frozen_year,
                created_at=now,
                updated_at=now,
                created_by=actor.id,
                updated_by=actor.label,
            )
        ).inserted_primary_key[0]
        what = describe_changes(None, clean)
        conn.execute(
            tables.plan_changes.insert().values(
                plan_id=new_id, version=1, at=now, who=actor.label, what=what, body=body
            )
        )
        tables.record_change(conn, actor.label, "save", "plan", share_id, clean.name)
    return replace(clean, share_id=share_id, version=1)


def get_plan(db: store.Store, share_id: str) -> Plan | None:
    """The plan saved under ``share_id`` (its newest version), or ``None``."""
    with db.read("open the plan") as conn:
        row = tables.row_by_share_id(conn, tables.plans, share_id)
    return None if row is None else _plan(row)


def list_plans(db: store.Store, limit: int = 200) -> list[PlanSummary]:
    """Saved plans, most recently changed first."""
    p = tables.plans
    query = sa.select(p.c.share_id, p.c.name, p.c.place, p.c.version, p.c.updated_at, p.c.frozen_year)
    with db.read("list the plans") as conn:
        rows = conn.execute(query.order_by(p.c.updated_at.desc(), p.c.id.desc()).limit(limit)).all()
    return [
        PlanSummary(r.share_id, r.name, r.place, int(r.version), tables.as_utc(r.updated_at), r.frozen_year)
        for r in rows
    ]


def save_plan(db: store.Store, actor: roles.Actor, plan: Plan) -> Plan:
    """Save ``plan`` as the next version of the saved plan it was opened from (``plan.version``).

    Raises
    ------
    PlanConflict
        If someone saved the plan after ``plan.version`` was read: nothing is written, and the
        exception holds their version.
    PlanError
        If the plan is invalid or no longer saved.
    roles.PermissionDenied
        If ``actor`` may not save plans.
    """
    clean = _check(actor, plan)
    if not plan.share_id or not tables.valid_share_id(plan.share_id):
        raise PlanError("This plan has not been saved yet.")
    p, now, body = tables.plans, _now(), _body(clean)
    with db.write("save the plan") as conn:
        row = conn.execute(sa.select(p).where(p.c.share_id == plan.share_id)).mappings().first()
        if row is None:
            raise PlanError("This plan is no longer saved (it may have been deleted).")
        # The version check and the update are one statement: of two saves made from the same
        # version, exactly one matches; the other sees the winner's plan.
        result = conn.execute(
            p.update()
            .where(p.c.id == row["id"], p.c.version == plan.version)
            .values(
                name=clean.name,
                place=clean.place,
                body=body,
                version=p.c.version + 1,
                frozen_year=clean.frozen_year,
                updated_at=now,
                updated_by=actor.label,
            )
        )
        if result.rowcount != 1:
            # Read again: on PostgreSQL the first read may predate the save that won.
            now_row = conn.execute(sa.select(p).where(p.c.id == row["id"])).mappings().first() or row
            raise PlanConflict(_plan(now_row), now_row["updated_by"], tables.as_utc(now_row["updated_at"]))
        what = describe_changes(_plan(row), clean)
        version = plan.version + 1
        conn.execute(
            tables.plan_changes.insert().values(
                plan_id=row["id"], version=version, at=now, who=actor.label, what=what[:2000], body=body
            )
        )
        tables.record_change(conn, actor.label, "save", "plan", plan.share_id, what)
    return replace(clean, share_id=plan.share_id, version=version)


def plan_history(db: store.Store, share_id: str) -> pd.DataFrame:
    """Every version of a plan, newest first: ``Version``, ``When`` (UTC), ``Who``, ``What changed``."""
    p, c = tables.plans, tables.plan_changes
    query = (
        sa.select(c.c.version, c.c.at, c.c.who, c.c.what)
        .join(p, p.c.id == c.c.plan_id)
        .where(p.c.share_id == share_id)
        .order_by(c.c.version.desc())
    )
    with db.read("read the plan's history") as conn:
        rows = conn.execute(query).all()
    return pd.DataFrame(
        [(int(r.version), f"{tables.as_utc(r.at):%Y-%m-%d %H:%M}", r.who, r.what) for r in rows],
        columns=["Version", "When (UTC)", "Who", "What changed"],
    )


def plan_version(db: store.Store, share_id: str, version: int) -> Plan | None:
    """A plan as it was at one version (from its history), or ``None``."""
    p, c = tables.plans, tables.plan_changes
    query = (
        sa.select(c.c.body, c.c.version, p.c.share_id)
        .join(p, p.c.id == c.c.plan_id)
        .where(p.c.share_id == share_id, c.c.version == int(version))
    )
    with db.read("read the plan's history") as conn:
        row = conn.execute(query).mappings().first()
    return None if row is None else _plan(row)


def freeze_plan(db: store.Store, actor: roles.Actor, plan: Plan, year: int | None) -> Plan:
    """Freeze the plan to an edition (``None`` unfreezes): its readings stay as saved, no newer ones are shown."""
    return save_plan(db, actor, replace(plan, frozen_year=year))
