"""Saved uploads in a real SQLite file: save, open, list, delete, and the limits."""

from __future__ import annotations

import pandas as pd
import pytest

from placemap.storage import store, upload_store
from placemap.uploads.table import ColumnSpec, UploadedTable


@pytest.fixture
def db(tmp_path):
    s = store.open_store(f"sqlite:///{tmp_path / 'p.db'}")
    yield s
    s.close()


def _table() -> UploadedTable:
    values = pd.DataFrame({"v": [1.5, None]}, index=pd.Index(["E01000001", "E01000002"], name="area_code"))
    return UploadedTable("t", "Attendance <script>", "Council, 2025", "lsoa21", values, [ColumnSpec("v", "V", "%")])


def test_the_uploads_revision_is_applied(db):
    import sqlalchemy as sa

    assert "uploads" in sa.inspect(db.engine).get_table_names()


def test_a_saved_upload_round_trips_and_can_be_deleted(db):
    t = _table()
    share_id = upload_store.save_upload(
        db, "indicators", t.name, t.source, t.to_payload(), t.geography, 2, owner="session:me"
    )
    saved = upload_store.get_upload(db, share_id)
    assert saved.name == "Attendance <script>" and saved.source == "Council, 2025"
    assert saved.created_by == "session:me"
    again = UploadedTable.from_payload(saved.share_id, saved.name, saved.source, saved.payload)
    pd.testing.assert_frame_equal(again.values, t.values)
    assert [u.share_id for u in upload_store.list_uploads(db)] == [share_id]
    assert upload_store.delete_upload(db, share_id, owner="session:me") is True
    assert upload_store.get_upload(db, share_id) is None
    assert upload_store.delete_upload(db, share_id, owner="session:me") is False


def test_only_the_owner_or_a_moderator_deletes_a_saved_upload(db):
    t = _table()
    mine = upload_store.save_upload(db, "indicators", "Mine", "s", t.to_payload(), None, 2, owner="user:a@x.org")
    theirs = upload_store.save_upload(db, "indicators", "Theirs", "s", t.to_payload(), None, 2, owner="user:b@x.org")
    assert upload_store.delete_upload(db, theirs, owner="user:a@x.org") is False
    assert upload_store.delete_upload(db, theirs) is False  # nobody in particular deletes nothing
    assert upload_store.get_upload(db, theirs) is not None
    assert [u.name for u in upload_store.list_uploads(db, owner="user:a@x.org")] == ["Mine"]
    assert upload_store.list_uploads(db, owner=None) == []
    assert upload_store.delete_upload(db, theirs, any_owner=True, by="boss@x.org") is True
    assert upload_store.get_upload(db, theirs) is None and upload_store.get_upload(db, mine) is not None


def test_saving_and_deleting_an_upload_is_in_the_change_log(db):
    from placemap.storage import audit

    t = _table()
    share_id = upload_store.save_upload(
        db, "indicators", "Attendance", "s", t.to_payload(), None, 2, owner="user:a@x.org", by="a@x.org"
    )
    upload_store.delete_upload(db, share_id, any_owner=True, by="passcode holder")
    log = audit.list_changes(db, kinds=("upload",))
    assert log[["Who", "Action", "Id"]].values.tolist() == [
        ["passcode holder", "delete", share_id],
        ["a@x.org", "save", share_id],
    ]


@pytest.mark.parametrize(
    "name, source, message", [("", "s", "Give the dataset a name"), ("n", " ", "Say where the data comes from")]
)
def test_a_name_and_a_source_are_required(db, name, source, message):
    with pytest.raises(store.StoreError, match=message):
        upload_store.save_upload(db, "indicators", name, source, {}, None, 0)


def test_bad_ids_are_refused_before_any_query(db):
    assert upload_store.get_upload(db, "'; drop table uploads; --") is None
    assert upload_store.delete_upload(db, "../x") is False


def test_an_oversized_dataset_is_refused(db, monkeypatch):
    monkeypatch.setattr(upload_store, "MAX_SAVED_BYTES", 10)
    with pytest.raises(store.StoreError, match="too large to save"):
        upload_store.save_upload(db, "areas", "n", "s", {"geojson": "x" * 20}, None, 1)


def test_the_limit_hook_runs_only_for_a_valid_dataset_and_can_refuse_the_write(db):
    table, calls = _table(), []

    def refuse() -> None:
        calls.append(1)
        raise store.StoreError("Too many saved datasets from your network.")

    with pytest.raises(store.StoreError, match="source"):
        upload_store.save_upload(db, "indicators", "Name", "", table.to_payload(), "lsoa21", 2, refuse)
    assert calls == []  # a mistake in the form does not use up the limit
    with pytest.raises(store.StoreError, match="Too many saved datasets"):
        upload_store.save_upload(db, "indicators", "Name", "Council", table.to_payload(), "lsoa21", 2, refuse)
    assert calls == [1] and upload_store.list_uploads(db) == []
