"""Whatever a link holds, every page opens: hostile and arbitrary query parameters on every page."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from placemap.community import workshop
from placemap.links import (
    change_links,
    drawn_links,
    explorer_links,
    place_links,
    profile_links,
    systems_links,
    upload_links,
)

APP = str(Path(__file__).resolve().parents[1] / "app.py")
pytestmark = pytest.mark.realdata

# The values the security review found crashing pages, and their cousins: digits that are not
# ASCII, numbers too long for int(), non-finite floats, control characters, template syntax.
HOSTILE = ("²", "٣", "9" * 5000, "nan", "inf", "-0", "1e309", "a\x00b", "\u202egnp.exe", "${alert(1)}")

# Every shareable key each page reads (app.py also reads ``mode`` on the map explorer's address).
WORKSHOP_KEYS = (workshop.MODE, workshop.STEP, workshop.WORKSHOP_ID, workshop.LA)
PAGES = {
    "views/map.py": (*explorer_links.SHARE_KEYS, workshop.MODE),
    "views/profile.py": (*profile_links.PROFILE_KEYS, upload_links.UPLOAD, profile_links.UPLOAD_AREA),
    "views/compare.py": profile_links.COMPARE_KEYS,
    "views/systems.py": (*systems_links.SYSTEMS_KEYS, place_links.PLACE),
    "views/priorities.py": systems_links.PRIORITY_KEYS,
    "views/hotspots.py": systems_links.HOTSPOT_KEYS,
    "views/change.py": (*change_links.CHANGE_KEYS, *change_links.UPLOAD_CHANGE_KEYS, place_links.PLACE),
    "views/evaluate.py": (change_links.INTERVENTION, *change_links.CHANGE_KEYS),
    "views/workshop.py": WORKSHOP_KEYS,
    "views/initiatives.py": (explorer_links.YEAR, explorer_links.LA, *WORKSHOP_KEYS),
    "views/draw.py": (drawn_links.PLACE, explorer_links.YEAR, explorer_links.LA),
    "views/upload.py": (upload_links.UPLOAD, explorer_links.YEAR),
    "views/about.py": (explorer_links.YEAR, workshop.MODE),
}
PAGES = {page: tuple(dict.fromkeys(keys)) for page, keys in PAGES.items()}
N_KEYS = max(len(keys) for keys in PAGES.values())


def _hostile(offset: int) -> list[str]:
    # One hostile value per key, shifted by ``offset`` so two examples put different values on each key.
    return [HOSTILE[(i + offset) % len(HOSTILE)] for i in range(N_KEYS)]


@pytest.fixture(scope="module", autouse=True)
def empty_database(tmp_path_factory):
    # Pages that save things open a fresh SQLite file, not whatever database the machine has.
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("DATABASE_URL", raising=False)
        mp.setenv("PLACEMAP_DB_PATH", str(tmp_path_factory.mktemp("db") / "placemap.db"))
        yield


@pytest.mark.parametrize("page", list(PAGES))
@settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    values=st.lists(
        st.one_of(st.none(), st.sampled_from(HOSTILE), st.text(max_size=40)), min_size=N_KEYS, max_size=N_KEYS
    )
)
@example(values=_hostile(0))
@example(values=_hostile(5))
def test_any_link_values_open_the_page_without_an_exception_box(page, values):
    params = {key: value for key, value in zip(PAGES[page], values, strict=False) if value is not None}
    at = AppTest.from_file(APP, default_timeout=240)
    at.query_params.update(params)
    at.switch_page(page)
    at.run()
    assert not at.exception, (params if len(str(params)) < 300 else list(params), [e.value for e in at.exception])
    assert at.title, "the page drew nothing"
