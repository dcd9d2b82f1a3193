import pandas as pd

from placemap.uploads.registry import UploadRegistry, dataset_digest
from placemap.uploads.table import ColumnSpec, UploadedTable


def _table(dataset_id: str, value: float = 1.0, name: str = "Attendance") -> UploadedTable:
    values = pd.DataFrame({"v": [value] * 100}, index=pd.Index([f"E0{i:07d}" for i in range(100)], name="area_code"))
    return UploadedTable(dataset_id, name, "Council", "lsoa21", values, [ColumnSpec("v", "Attendance")])


def test_the_same_upload_is_stored_once_under_its_content_digest():
    registry = UploadRegistry()
    first, again = registry.put(_table("a")), registry.put(_table("a"))
    assert first == again == dataset_digest(_table("a")) and len(registry) == 1
    assert registry.get(first).name == "Attendance"


def test_the_same_numbers_under_another_name_are_kept_apart():
    registry = UploadRegistry()
    assert registry.put(_table("a")) != registry.put(_table("a", name="Absence"))
    assert len(registry) == 2


def test_the_store_drops_the_least_recently_used_upload_when_full():
    registry = UploadRegistry(max_datasets=2)
    a, b = registry.put(_table("a")), registry.put(_table("b"))
    registry.get(a)  # a is used again, so b is the oldest
    c = registry.put(_table("c"))
    assert a in registry and c in registry and b not in registry and registry.get(b) is None


def test_the_store_keeps_its_byte_limit():
    table = _table("a")
    registry = UploadRegistry(max_bytes=int(table.values.memory_usage(deep=True).sum() * 1.5))
    registry.put(table)
    registry.put(_table("b"))
    assert len(registry) == 1


def test_keep_returns_what_a_session_holds_dataset_ids_and_digests():
    registry = UploadRegistry()
    held = registry.keep([_table("a"), _table("b", 2.0)])
    assert list(held) == ["a", "b"] and all(registry.get(d).id == i for i, d in held.items())
