"""Shared fixtures: tiny areas built in code with known values, and a tiny data folder."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from placemap.data.catalogue import get_vintage, indicators_for

HOSTILE_NAME = "<script>alert('x')</script> & Sons"


def make_boundaries(n: int = 4, la_code: str = "E06000001", hostile: bool = False) -> gpd.GeoDataFrame:
    """``n`` unit boxes in a row near Blackpool, one LA, two wards; the first named hostilely if asked."""
    codes = [f"E0100000{i}" for i in range(1, n + 1)]
    names = [f"Testtown 00{i}A" for i in range(1, n + 1)]
    if hostile:
        names[0] = HOSTILE_NAME
    return gpd.GeoDataFrame(
        {
            "area_code": codes,
            "area_name": names,
            "ward_code": ["E05000001" if i < n / 2 else "E05000002" for i in range(n)],
            "ward_name": ["North ward" if i < n / 2 else "South ward" for i in range(n)],
            "la_code": [la_code] * n,
            "la_name": ["Testtown"] * n,
        },
        # Rounded so neighbours share their edge exactly (-3.04 + 0.01 * 7 != -3.05 + 0.01 * 8 in floats).
        geometry=[box(round(-3.05 + 0.01 * i, 6), 53.80, round(-3.04 + 0.01 * i, 6), 53.81) for i in range(n)],
        crs=4326,
    )


def make_iod_table(codes: list[str], year: int = 2025) -> pd.DataFrame:
    """An IoD table with every catalogued column: area i has rank i+1 (area 1 most deprived)."""
    n = len(codes)
    data: dict[str, object] = {"area_code": codes}
    for ind in indicators_for(year):
        for column, values in (
            (ind.rank_columns[year], np.arange(1, n + 1)),
            (ind.decile_columns[year], np.minimum(np.arange(1, n + 1), 10)),
            (ind.columns[year], np.linspace(50, 5, n)),
        ):
            data.setdefault(column, values)
    return pd.DataFrame(data)


@pytest.fixture
def boundaries() -> gpd.GeoDataFrame:
    return make_boundaries()


@pytest.fixture
def tiny_data_dir(tmp_path: Path) -> Path:
    """A data folder laid out like ``data/`` holding four areas for the 2025 edition."""
    vintage = get_vintage(2025)
    b = make_boundaries()
    (tmp_path / "boundaries").mkdir()
    (tmp_path / "iod").mkdir()
    b.to_parquet(tmp_path / vintage.boundary_file)
    make_iod_table(list(b["area_code"])).to_parquet(tmp_path / vintage.iod_file)
    return tmp_path


# PostgreSQL for the store round trip and the two-server test (scripts/test.sh installs it).


def _pg_bin(name: str) -> str:
    import glob
    import shutil

    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))[-1:]), None)
    assert found, f"PostgreSQL's {name} is needed for this test: apt-get install postgresql (scripts/test.sh does)"
    return found


class PostgresCluster:
    """A throwaway PostgreSQL cluster on 127.0.0.1 (trust auth) that a test may stop and start."""

    def __init__(self) -> None:
        import os
        import pwd
        import socket
        import tempfile

        # Not under pytest's tmp folder: as root, the postgres user could not reach it.
        self.folder = Path(tempfile.mkdtemp(prefix="placemap-pg-"))
        self.data = self.folder / "data"
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.prefix: list[str] = []
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root: run it as the postgres user
            user = pwd.getpwnam("postgres")
            os.chown(self.folder, user.pw_uid, user.pw_gid)
            self.prefix = ["runuser", "-u", "postgres", "--"]
        self._run(_pg_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", "placemap")
        self.url = f"postgresql://placemap@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        import subprocess

        # Output to a file, not a pipe: the server started by pg_ctl would hold a pipe open.
        subprocess.run(
            [*self.prefix, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            _pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "pg.log"), "-o", options, "-w", "start"
        )

    def stop(self) -> None:
        self._run(_pg_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        import shutil

        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_url():
    """A throwaway PostgreSQL cluster shared by the tests that need one, removed at the end."""
    cluster = PostgresCluster()
    cluster.start()
    try:
        yield cluster.url
    finally:
        cluster.stop()
        cluster.remove()


@pytest.fixture(scope="session", autouse=True)
def _derived_tables_cache(tmp_path_factory):
    """The tests' on-disk cache of derived tables is their own, not the working copy's ``.cache/``."""
    from placemap.data import disk_cache

    saved = disk_cache.CACHE_DIR
    disk_cache.CACHE_DIR = tmp_path_factory.mktemp("derived-cache")
    yield disk_cache.CACHE_DIR
    disk_cache.CACHE_DIR = saved
