"""The database goes away mid-workshop: nothing is dropped silently, and saving resumes."""

import pytest

from placemap import community, store
from placemap.notes import validate_note

from .conftest import PostgresCluster


@pytest.fixture
def cluster():
    c = PostgresCluster()
    c.start()
    yield c
    try:
        c.stop()
    finally:
        c.remove()


def _note(text: str):
    return validate_note("idea", text, "Sam", "point", 53.81, -3.05)


def test_postgresql_stopped_mid_workshop_then_back(cluster):
    url = store.database_url({"DATABASE_URL": cluster.url})
    db = store.open_store(url)
    workshop = community.create_workshop(db, "Stopped server", "E06000009")
    community.add_note(db, workshop, _note("before the outage"))

    cluster.stop()
    with pytest.raises(store.StoreError, match="Could not") as failure:
        community.add_note(db, workshop, _note("during the outage"))
    assert "secret" not in str(failure.value)  # the message is for people, without credentials

    cluster.start()
    community.add_note(db, workshop, _note("after the outage"))  # the same store reconnects
    texts = [n.text for n in community.list_notes(db, workshop)]
    db.close()
    assert sorted(texts) == ["after the outage", "before the outage"]  # nothing lost, nothing doubled


def test_notes_saved_before_a_restart_are_there_after_it(tmp_path):
    # A "restart" is a new process opening the same database: nothing is kept in memory only.
    url = f"sqlite:///{tmp_path / 'workshop.db'}"
    first = store.open_store(url)
    workshop = community.create_workshop(first, "Restart", "E06000009")
    for i in range(5):
        community.add_note(first, workshop, _note(f"note {i}"))
    first.close()
    second = store.open_store(url)
    reopened = community.get_workshop(second, workshop.share_id)
    assert sorted(n.text for n in community.list_notes(second, reopened)) == [f"note {i}" for i in range(5)]
    second.close()
