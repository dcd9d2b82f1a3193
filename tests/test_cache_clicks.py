"""A click on a map finds the LSOA, and its LA, only inside the chosen local authorities."""

from __future__ import annotations

from placemap.data.loaders import LA_CODE
from placemap.ui import cache

BLACKPOOL = "E06000009"


def _point_in_blackpool(year: int) -> tuple[float, float]:
    geometry = cache.load_geometry(year)
    point = geometry[geometry[LA_CODE] == BLACKPOOL].geometry.iloc[0].representative_point()
    return point.y, point.x


def test_a_click_in_a_chosen_la_names_that_la_and_outside_the_choice_nothing():
    lat, lng = _point_in_blackpool(2025)
    assert cache.la_at(2025, (BLACKPOOL,), lat, lng) == BLACKPOOL
    assert cache.la_at(2025, ("E06000001",), lat, lng) is None
    assert cache.la_at(2025, (BLACKPOOL,), 0.0, 0.0) is None


def test_the_la_of_a_click_is_the_la_of_the_lsoa_under_it():
    lat, lng = _point_in_blackpool(2019)
    code = cache.area_at(2019, (BLACKPOOL,), lat, lng)
    assert code is not None and cache.load_geometry(2019).at[code, LA_CODE] == BLACKPOOL
    assert cache.la_at(2019, (BLACKPOOL,), lat, lng) == BLACKPOOL
