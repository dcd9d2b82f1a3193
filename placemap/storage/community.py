"""Saving and reading workshops, notes, priorities, votes, scores and initiatives.

Functions take an open ``store.Store`` (SQLite or PostgreSQL) and raise ``store.StoreError``
on any database failure, so a page can tell the user that their note was *not* saved.
Input is validated first (``notes``, ``workshop``, ``initiatives``); moderation needs a
``workshop.Facilitator`` (from the passcode).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from placemap.community import initiatives as ini
from placemap.community.notes import Note, NoteInput
from placemap.community.workshop import (
    MAX_PRIORITIES,
    WorkshopError,
    require_facilitator,
    validate_la,
    validate_place,
    validate_priority,
    validate_scores,
    validate_workshop,
)
from placemap.storage import store, tables


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Workshop:
    """A saved workshop."""

    def __init__(self, id: int, share_id: str, name: str, la_code: str, votes_per_person: int):
        self.id, self.share_id, self.name, self.la_code, self.votes_per_person = (
            id,
            share_id,
            name,
            la_code,
            votes_per_person,
        )

    def __repr__(self) -> str:
        return f"Workshop({self.share_id!r}, {self.name!r}, {self.la_code})"


# --------------------------------------------------------------------------- workshops


def create_workshop(
    db: store.Store, name: str, la_code: str, votes_per_person: int = 3, by: str = tables.ANONYMOUS
) -> Workshop:
    """Save a new workshop and return it (with a random link id); ``by`` is who the change log names."""
    clean, votes = validate_workshop(name, votes_per_person)
    la_code = validate_la(la_code)
    share_id = tables.new_share_id()
    with db.write("create the workshop") as conn:
        new_id = conn.execute(
            tables.workshops.insert().values(
                share_id=share_id, name=clean, la_code=la_code, votes_per_person=votes, created_at=_now()
            )
        ).inserted_primary_key[0]
        tables.record_change(conn, by, "create", "workshop", share_id, clean)
    return Workshop(int(new_id), share_id, clean, la_code, votes)


def get_workshop(db: store.Store, share_id: str) -> Workshop | None:
    """The workshop with this link id, or ``None``."""
    with db.read("open the workshop") as conn:
        row = tables.row_by_share_id(conn, tables.workshops, share_id)
    if row is None:
        return None
    return Workshop(int(row["id"]), row["share_id"], row["name"], row["la_code"], int(row["votes_per_person"]))


def list_workshops(db: store.Store, limit: int = 100) -> list[Workshop]:
    """Workshops, newest first (for a moderator's overview and the tests)."""
    with db.read("list the workshops") as conn:
        rows = (
            conn.execute(sa.select(tables.workshops).order_by(tables.workshops.c.id.desc()).limit(limit))
            .mappings()
            .all()
        )
    return [Workshop(int(r["id"]), r["share_id"], r["name"], r["la_code"], int(r["votes_per_person"])) for r in rows]


# --------------------------------------------------------------------------- notes


def add_note(db: store.Store, workshop: Workshop, note: NoteInput, by: str = tables.ANONYMOUS) -> int:
    """Save a validated note; return its id (``by``: who, for the change log)."""
    with db.write("save your note") as conn:
        result = conn.execute(
            tables.workshop_notes.insert().values(
                workshop_id=workshop.id,
                category=note.category,
                body=note.text,
                first_name=note.first_name,
                pinned_to=note.pinned_to,
                area_code=note.area_code,
                lat=note.lat,
                lng=note.lng,
                hidden=False,
                created_at=_now(),
            )
        )
        tables.record_change(conn, by, "add", "note", result.inserted_primary_key[0], f"workshop {workshop.share_id}")
    return int(result.inserted_primary_key[0])


def list_notes(db: store.Store, workshop: Workshop, include_hidden: bool = False) -> list[Note]:
    """The workshop's notes, oldest first (hidden ones only if asked)."""
    n = tables.workshop_notes
    query = sa.select(n).where(n.c.workshop_id == workshop.id).order_by(n.c.id)
    if not include_hidden:
        query = query.where(n.c.hidden == sa.false())
    with db.read("read the notes") as conn:
        rows = conn.execute(query).mappings().all()
    return [
        Note(
            id=int(r["id"]),
            category=r["category"],
            text=r["body"],
            first_name=r["first_name"],
            pinned_to=r["pinned_to"],
            lat=float(r["lat"]),
            lng=float(r["lng"]),
            area_code=r["area_code"],
            hidden=bool(r["hidden"]),
            created_at=tables.as_utc(r["created_at"]),
        )
        for r in rows
    ]


def live_version(db: store.Store, workshop: Workshop) -> tuple[int, ...]:
    """A fingerprint of what every screen of a workshop shows live: its visible notes, priorities and votes.

    Three small aggregate queries (count, largest id, sum of ids per table), so a screen can ask
    every couple of seconds whether anything changed, and redraw only then. Adding, hiding,
    showing again or deleting a note, listing a priority, or casting or withdrawing a vote
    changes it.
    """
    n, p, v = tables.workshop_notes, tables.workshop_priorities, tables.workshop_votes
    queries = (
        sa.select(sa.func.count(), sa.func.max(n.c.id), sa.func.sum(n.c.id)).where(
            n.c.workshop_id == workshop.id, n.c.hidden == sa.false()
        ),
        sa.select(sa.func.count(), sa.func.max(p.c.id), sa.func.sum(p.c.id)).where(p.c.workshop_id == workshop.id),
        sa.select(sa.func.count(), sa.func.max(v.c.id), sa.func.sum(v.c.id)).where(v.c.workshop_id == workshop.id),
    )
    with db.read("check the workshop for changes") as conn:
        return tuple(int(x or 0) for q in queries for x in conn.execute(q).one())


def set_note_hidden(
    db: store.Store,
    facilitator: object,
    workshop: Workshop,
    note_id: int,
    hidden: bool = True,
    by: str = tables.ANONYMOUS,
) -> bool:
    """Hide (or show again) a note; facilitator only. ``True`` if the note exists."""
    require_facilitator(facilitator)
    n = tables.workshop_notes
    with db.write("hide the note") as conn:
        result = conn.execute(
            n.update().where(n.c.id == int(note_id), n.c.workshop_id == workshop.id).values(hidden=bool(hidden))
        )
        if result.rowcount:
            tables.record_change(
                conn, by, "hide" if hidden else "show", "note", note_id, f"workshop {workshop.share_id}"
            )
    return result.rowcount == 1


def delete_note(
    db: store.Store, facilitator: object, workshop: Workshop, note_id: int, by: str = tables.ANONYMOUS
) -> bool:
    """Delete a note for good; facilitator only. ``True`` if there was one."""
    require_facilitator(facilitator)
    n = tables.workshop_notes
    with db.write("delete the note") as conn:
        result = conn.execute(n.delete().where(n.c.id == int(note_id), n.c.workshop_id == workshop.id))
        if result.rowcount:
            tables.record_change(conn, by, "delete", "note", note_id, f"workshop {workshop.share_id}")
    return result.rowcount == 1


# --------------------------------------------------------------------------- priorities and votes


def add_priority(
    db: store.Store, facilitator: object, workshop: Workshop, label: str, by: str = tables.ANONYMOUS
) -> int:
    """List a priority for dot-voting; facilitator only."""
    require_facilitator(facilitator)
    clean = validate_priority(label)
    p = tables.workshop_priorities
    with db.write("add the priority") as conn:
        existing = conn.execute(sa.select(p.c.label).where(p.c.workshop_id == workshop.id)).scalars().all()
        if len(existing) >= MAX_PRIORITIES:
            raise WorkshopError(f"A workshop can list at most {MAX_PRIORITIES} priorities.")
        if clean.casefold() in {e.casefold() for e in existing}:
            raise WorkshopError("That priority is already listed.")
        result = conn.execute(p.insert().values(workshop_id=workshop.id, label=clean, created_at=_now()))
        tables.record_change(conn, by, "add", "priority", result.inserted_primary_key[0], clean)
    return int(result.inserted_primary_key[0])


def delete_priority(
    db: store.Store, facilitator: object, workshop: Workshop, priority_id: int, by: str = tables.ANONYMOUS
) -> bool:
    """Remove a priority and its votes; facilitator only."""
    require_facilitator(facilitator)
    p, v = tables.workshop_priorities, tables.workshop_votes
    with db.write("remove the priority") as conn:
        conn.execute(v.delete().where(v.c.priority_id == int(priority_id), v.c.workshop_id == workshop.id))
        result = conn.execute(p.delete().where(p.c.id == int(priority_id), p.c.workshop_id == workshop.id))
        if result.rowcount:
            tables.record_change(conn, by, "delete", "priority", priority_id, f"workshop {workshop.share_id}")
    return result.rowcount == 1


def list_priorities(db: store.Store, workshop: Workshop) -> list[tuple[int, str]]:
    """(id, label) of the workshop's priorities, in the order they were listed."""
    p = tables.workshop_priorities
    with db.read("read the priorities") as conn:
        rows = conn.execute(sa.select(p.c.id, p.c.label).where(p.c.workshop_id == workshop.id).order_by(p.c.id)).all()
    return [(int(r.id), r.label) for r in rows]


def _lock_workshop(conn, workshop: Workshop) -> None:
    # SQLite's BEGIN IMMEDIATE already serialises writers; PostgreSQL needs a row lock so that two
    # votes from one participant cannot both pass the "votes left" check.
    if conn.dialect.name == "postgresql":
        conn.execute(sa.select(tables.workshops.c.id).where(tables.workshops.c.id == workshop.id).with_for_update())


def cast_vote(db: store.Store, workshop: Workshop, participant: str, priority_id: int) -> int:
    """Put one of a participant's dots on a priority; return the votes they have left.

    Raises ``WorkshopError`` when they have no votes left or the priority is not this workshop's.
    """
    if not tables.valid_share_id(participant):
        raise WorkshopError("This browser session has no participant id; reload the page.")
    v, p = tables.workshop_votes, tables.workshop_priorities
    with db.write("save your vote") as conn:
        _lock_workshop(conn, workshop)
        ok = conn.execute(
            sa.select(p.c.id).where(p.c.id == int(priority_id), p.c.workshop_id == workshop.id)
        ).scalar_one_or_none()
        if ok is None:
            raise WorkshopError("That priority is no longer listed.")
        used = conn.execute(
            sa.select(sa.func.count()).where(v.c.workshop_id == workshop.id, v.c.participant == participant)
        ).scalar_one()
        if used >= workshop.votes_per_person:
            raise WorkshopError(f"You have used all {workshop.votes_per_person} of your votes.")
        conn.execute(
            v.insert().values(
                workshop_id=workshop.id, priority_id=int(priority_id), participant=participant, created_at=_now()
            )
        )
    return workshop.votes_per_person - used - 1


def withdraw_vote(db: store.Store, workshop: Workshop, participant: str, priority_id: int) -> bool:
    """Take back one of a participant's dots from a priority."""
    v = tables.workshop_votes
    with db.write("take back your vote") as conn:
        one = conn.execute(
            sa.select(v.c.id)
            .where(v.c.workshop_id == workshop.id, v.c.participant == participant, v.c.priority_id == int(priority_id))
            .limit(1)
        ).scalar_one_or_none()
        if one is None:
            return False
        conn.execute(v.delete().where(v.c.id == one))
    return True


def vote_counts(db: store.Store, workshop: Workshop, participant: str | None = None) -> dict[int, int]:
    """Votes per priority id (everyone's, or one participant's)."""
    v = tables.workshop_votes
    query = sa.select(v.c.priority_id, sa.func.count()).where(v.c.workshop_id == workshop.id)
    if participant is not None:
        query = query.where(v.c.participant == participant)
    with db.read("count the votes") as conn:
        rows = conn.execute(query.group_by(v.c.priority_id)).all()
    return {int(pid): int(n) for pid, n in rows}


# --------------------------------------------------------------------------- scores


def save_scores(db: store.Store, workshop: Workshop, participant: str, place: str, scores: dict) -> int:
    """Save (or replace) a participant's Place Standard scores for a place; return how many."""
    if not tables.valid_share_id(participant):
        raise WorkshopError("This browser session has no participant id; reload the page.")
    place = validate_place(place)
    clean = validate_scores(scores)
    s = tables.workshop_scores
    with db.write("save your scores") as conn:
        conn.execute(
            s.delete().where(
                s.c.workshop_id == workshop.id,
                s.c.participant == participant,
                s.c.place == place,
                s.c.theme.in_(list(clean)),
            )
        )
        now = _now()
        conn.execute(
            s.insert(),
            [
                {
                    "workshop_id": workshop.id,
                    "participant": participant,
                    "place": place,
                    "theme": t,
                    "score": v,
                    "created_at": now,
                }
                for t, v in clean.items()
            ],
        )
    return len(clean)


def list_scores(db: store.Store, workshop: Workshop) -> pd.DataFrame:
    """Every score of the workshop: ``participant``, ``place``, ``theme``, ``score``."""
    s = tables.workshop_scores
    with db.read("read the scores") as conn:
        rows = conn.execute(
            sa.select(s.c.participant, s.c.place, s.c.theme, s.c.score)
            .where(s.c.workshop_id == workshop.id)
            .order_by(s.c.created_at, s.c.participant, s.c.theme)
        ).all()
    return pd.DataFrame(rows, columns=["participant", "place", "theme", "score"])


# --------------------------------------------------------------------------- initiatives


def save_initiative(db: store.Store, item: ini.Initiative, by: str = tables.ANONYMOUS) -> str:
    """Validate and save an initiative; return its id (``by``: who, for the change log)."""
    clean = ini.validate_initiative(item)
    share_id = tables.new_share_id()
    with db.write("save the initiative") as conn:
        new_id = conn.execute(
            tables.initiatives.insert().values(
                share_id=share_id,
                name=clean.name,
                lead_org=clean.lead_org,
                domains=",".join(clean.domains),
                status=clean.status,
                start_date=clean.start_date,
                end_date=clean.end_date,
                contact_url=clean.contact_url,
                description=clean.description,
                created_at=_now(),
            )
        ).inserted_primary_key[0]
        if clean.partners:
            conn.execute(
                tables.initiative_partners.insert(),
                [
                    {"initiative_id": new_id, "position": k, "name": p.name, "sector": p.sector}
                    for k, p in enumerate(clean.partners)
                ],
            )
        conn.execute(
            tables.initiative_areas.insert(), [{"initiative_id": new_id, "area_code": c} for c in clean.area_codes]
        )
        tables.record_change(conn, by, "save", "initiative", share_id, clean.name)
    return share_id


def list_initiatives(db: store.Store) -> list[ini.Initiative]:
    """Every initiative, by name."""
    i, p, a = tables.initiatives, tables.initiative_partners, tables.initiative_areas
    with db.read("read the initiatives") as conn:
        rows = conn.execute(sa.select(i).order_by(i.c.name, i.c.id)).mappings().all()
        partners = conn.execute(sa.select(p).order_by(p.c.initiative_id, p.c.position)).mappings().all()
        areas = conn.execute(sa.select(a).order_by(a.c.initiative_id, a.c.area_code)).mappings().all()
    by_partner: dict[int, list[ini.Partner]] = {}
    for r in partners:
        by_partner.setdefault(r["initiative_id"], []).append(ini.Partner(r["name"], r["sector"]))
    by_area: dict[int, list[str]] = {}
    for r in areas:
        by_area.setdefault(r["initiative_id"], []).append(r["area_code"])
    return [
        ini.Initiative(
            name=r["name"],
            lead_org=r["lead_org"],
            partners=tuple(by_partner.get(r["id"], [])),
            domains=tuple(d for d in r["domains"].split(",") if d),
            area_codes=tuple(by_area.get(r["id"], [])),
            status=r["status"],
            start_date=r["start_date"],
            end_date=r["end_date"],
            contact_url=r["contact_url"],
            description=r["description"],
            share_id=r["share_id"],
        )
        for r in rows
    ]


def delete_initiative(db: store.Store, facilitator: object, share_id: str, by: str = tables.ANONYMOUS) -> bool:
    """Remove an initiative from the register; facilitator only."""
    require_facilitator(facilitator)
    i = tables.initiatives
    with db.write("delete the initiative") as conn:
        found = conn.execute(sa.select(i.c.id).where(i.c.share_id == share_id)).scalar_one_or_none()
        if found is None:
            return False
        conn.execute(tables.initiative_partners.delete().where(tables.initiative_partners.c.initiative_id == found))
        conn.execute(tables.initiative_areas.delete().where(tables.initiative_areas.c.initiative_id == found))
        conn.execute(i.delete().where(i.c.id == found))
        tables.record_change(conn, by, "delete", "initiative", share_id)
    return True
