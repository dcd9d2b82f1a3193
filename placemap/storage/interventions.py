"""Saved interventions in the app's database: save, open by share id, list, delete."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from placemap.analysis.evaluation_inputs import Intervention, MatchOptions, UploadOutcome
from placemap.storage.tables import (
    ANONYMOUS,
    as_utc,
    intervention_areas,
    interventions,
    new_share_id,
    record_change,
    row_by_share_id,
    valid_share_id,
)


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


class InterventionQueries:
    """The intervention methods of ``placemap.storage.store.Store`` (which supplies ``_read`` and ``_write``)."""

    _read: Callable[[str], AbstractContextManager[Connection]]
    _write: Callable[[str], AbstractContextManager[Connection]]

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
        with self._read("open the saved intervention") as conn:
            row = row_by_share_id(conn, interventions, share_id)
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
            created_at=as_utc(row["created_at"]),
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
                created_at=as_utc(r.created_at),
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


def _outcome_json(outcome: UploadOutcome | None) -> str | None:
    return None if outcome is None else json.dumps(asdict(outcome), separators=(",", ":"))


def _outcome_from_json(text: str | None) -> UploadOutcome | None:
    """The saved uploaded outcome; ``None`` when there is none or it cannot be read (the IoD outcome is used)."""
    if not text:
        return None
    try:
        return UploadOutcome(**json.loads(text))
    except (TypeError, ValueError):
        return None


def _outcome_label(outcome: UploadOutcome | None) -> str:
    return "" if outcome is None else f"Your data: {outcome.before_label} → {outcome.after_label}"
