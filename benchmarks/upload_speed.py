"""Time to validate and join a 33,755-row CSV (every LSOA 2021 in England, three indicators).

Run: PYTHONPATH=. .venv/bin/python benchmarks/upload_speed.py
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from placemap.data import loaders
from placemap.data.catalogue import get_vintage
from placemap.uploads import table as upload_table
from placemap.uploads import upload


def main() -> None:
    a25 = loaders.read_areas(get_vintage(2025))
    a19 = loaders.read_areas(get_vintage(2019))
    geos = upload_table.Geographies(
        lsoa11=dict(zip(a19.index, a19["area_name"], strict=True)),
        lsoa21=dict(zip(a25.index, a25["area_name"], strict=True)),
        ward=dict(zip(a25["ward_code"], a25["ward_name"], strict=True)),
        la=dict(zip(a25["la_code"], a25["la_name"], strict=True)),
    )
    rng = np.random.default_rng(8)
    frame = pd.DataFrame(
        {
            "LSOA21CD": a25.index,
            "attendance": rng.uniform(80, 99, len(a25)).round(2),
            "referrals": rng.integers(0, 500, len(a25)),
            "survey": rng.normal(50, 10, len(a25)).round(3),
        }
    )
    data = frame.to_csv(index=False).encode()
    print(f"CSV: {len(frame):,} rows, {len(data) / 2**20:.1f} MB (limit {upload_table.MAX_TABLE_BYTES / 2**20:.1f} MB)")
    times = []
    for _ in range(5):
        start = time.perf_counter()
        check = upload.check_table(data, "all.csv", geos)
        times.append(time.perf_counter() - start)
    assert check.ok and len(check.values) == len(frame)
    print(f"validate and join: median {np.median(times):.2f} s, best {min(times):.2f} s (5 runs)")


if __name__ == "__main__":
    main()
