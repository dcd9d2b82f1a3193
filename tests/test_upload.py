"""The upload pipeline for tables: every bad file gets its message and nothing raises."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from placemap.data.indicators import Polarity
from placemap.render import export
from placemap.uploads import matching
from placemap.uploads import table as upload_table
from placemap.uploads.table import ERROR, WARNING, Geographies
from placemap.uploads.upload import check_table

SHARED = {f"E0100000{i}": f"Testtown 00{i}A" for i in range(1, 5)}
GEOS = Geographies(
    lsoa11={**SHARED, "E01000010": "Oldtown 001A", "E01000011": "Oldtown 001B"},
    lsoa21={**SHARED, "E01035000": "Newtown 001A", "E01035001": "Newtown 001B"},
    ward={"E05000001": "North ward", "E05000002": "South ward", "E05000003": "North ward"},
    la={"E06000001": "Testtown", "E06000009": "Blackpool"},
)


def _text(check: upload_table.TableCheck) -> str:
    return " ".join(m.text for m in check.messages)


def _xlsx(rows: list[list[object]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_plain_csv_of_2021_lsoa_codes_matches_and_reads_numbers():
    check = check_table(b"lsoa21cd,attendance\nE01035000,91.5\nE01000001,88\n", "a.csv", GEOS)
    assert check.ok and check.geography == "lsoa21" and check.key_column == "lsoa21cd"
    assert check.values["attendance"].to_dict() == {"E01000001": 88.0, "E01035000": 91.5}


@pytest.mark.parametrize(
    "data, encoding",
    [
        ("code,name,value\nE06000009,Café Bar,1\n".encode(), "UTF-8"),
        ("\ufeffcode,name,value\nE06000009,Café Bar,1\n".encode(), "UTF-8 with BOM"),
        ("code,name,value\nE06000009,Café Bar,1\n".encode("cp1252"), "Windows-1252"),
        ("code,name,value\nE06000009,Café Bar,1\n".encode("utf-16"), "UTF-16"),
    ],
)
def test_encodings_are_detected(data, encoding):
    check = check_table(data, "a.csv", GEOS)
    assert check.ok, _text(check)
    assert check.encoding == encoding
    assert check.raw["name"].iloc[0] == "Café Bar"
    assert check.key_column == "code" and check.geography == "la"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters_are_sniffed(delimiter):
    data = delimiter.join(["code", "value", "other"]) + "\n" + delimiter.join(["E01000001", "1.5", "2"]) + "\n"
    check = check_table(data.encode(), "a.txt", GEOS)
    assert check.delimiter == delimiter and check.ok
    assert check.value_columns == ["value", "other"]


def test_semicolon_csv_with_decimal_commas_reads_numbers():
    check = check_table(b"code;rate\nE01000001;3,5\nE01000002;12,25\n", "eu.csv", GEOS)
    assert check.values["rate"].tolist() == [3.5, 12.25]


def test_excel_workbook_is_read_from_its_first_sheet():
    check = check_table(_xlsx([["Ward code", "Referrals"], ["E05000001", 12], ["E05000002", 30]]), "w.xlsx", GEOS)
    assert check.ok and check.geography == "ward"
    assert check.values["Referrals"].to_dict() == {"E05000001": 12.0, "E05000002": 30.0}


def test_names_match_exactly_when_there_is_no_code_column():
    check = check_table(b"Authority,score\nBlackpool,3\ntesttown,4\nNowhere,5\n", "n.csv", GEOS)
    assert check.key_kind == "name" and check.geography == "la"
    assert check.values["score"].to_dict() == {"E06000001": 4.0, "E06000009": 3.0}
    assert check.unmatched["Value given"].tolist() == ["Nowhere"]
    assert "exact name" in _text(check)


def test_a_name_shared_by_two_wards_is_not_guessed():
    check = check_table(b"ward,score\nNorth ward,3\nSouth ward,4\n", "n.csv", GEOS)
    assert check.values.index.tolist() == ["E05000002"]
    assert "more than one area" in _text(check)


def test_mixed_2011_and_2021_lsoa_codes_are_explained():
    data = b"code,v\nE01000010,1\nE01000011,2\nE01035000,3\nE01000001,4\n"
    check = check_table(data, "m.csv", GEOS)
    text = _text(check)
    assert "mixes LSOA codes from 2011 and 2021" in text and "2021 Census" in text and "lookup" in text
    assert check.geography == "lsoa11"
    assert check.unmatched["Why"].tolist() == ["A 2021 LSOA code; this file was matched to 2011 LSOAs"]


def test_codes_valid_in_both_years_default_to_2021_and_can_be_switched():
    data = b"code,v\nE01000001,1\nE01000002,2\n"
    assert check_table(data, "b.csv", GEOS).geography == "lsoa21"
    assert check_table(data, "b.csv", GEOS, geography="lsoa11").geography == "lsoa11"


def test_duplicate_codes_block_the_upload_and_name_the_rows():
    check = check_table(b"code,v\nE01000001,1\nE01000002,2\ne01000001 ,3\n", "d.csv", GEOS)
    assert not check.ok
    assert check.duplicates == ["E01000001"]
    assert "appear more than once" in _text(check) and "2, 4" in _text(check)


def test_non_numeric_values_are_reported_by_row_and_treated_as_no_data():
    check = check_table(b"code,v\nE01000001,1\nE01000002,about 5\nE01000003,..\nE01000004,\n", "n.csv", GEOS)
    assert check.ok
    assert check.non_numeric.to_dict("records") == [{"Row in your file": 3, "Column": "v", "Value given": "about 5"}]
    assert np.isnan(check.values.at["E01000002", "v"]) and np.isnan(check.values.at["E01000003", "v"])
    assert "row 3" in _text(check)


def test_unmatched_codes_are_listed_with_a_reason_and_download_safely():
    check = check_table(b"code,v\nE01000001,1\nS01000001,2\n=cmd|' /C calc'!A0,3\nE01999999,4\n", "u.csv", GEOS)
    reasons = dict(zip(check.unmatched["Value given"], check.unmatched["Why"], strict=True))
    assert reasons["S01000001"].startswith("Not an English code")
    assert reasons["E01999999"] == "Not a current English area code"
    assert check.unmatched["Row in your file"].tolist() == [3, 4, 5]
    csv = export.to_safe_csv(check.unmatched).decode("utf-8-sig")
    assert "'=cmd" in csv and "\n=cmd" not in csv


BAD_TABLES = {
    "too large": (b"code,v\n" + b"E01000001,1\n" * 500_000, "big.csv", "accepts tables up to 5.0 MB"),
    "empty": (b"", "e.csv", "The file is empty"),
    "only whitespace": (b" \n\n ", "e.csv", "The file is empty"),
    "header only": (b"code,value\n", "h.csv", "no rows"),
    "one column": (b"code\nE01000001\n", "o.csv", "only one column"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "p.csv", "not a text table"),
    "old excel": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "x.xls", "Old Excel files"),
    "broken xlsx": (b"PK\x03\x04garbage", "x.xlsx", "not a valid Excel workbook"),
    "no codes": (b"place,v\nSomewhere,1\nElsewhere,2\n", "n.csv", "No column of area codes or area names"),
    "unknown codes": (b"code,v\nE01999998,1\nE01999999,2\n", "n.csv", "none is an English LSOA"),
    "no numbers": (b"code,note\nE01000001,good\nE01000002,bad\n", "t.csv", "No column holds numbers"),
    "ragged": (b'code,v\nE01000001,1\nE01000002,"2,3\n', "r.csv", "unclosed quote mark"),
    "too many cells": (b"code,v\nE01000001,1,2,3\nE01000002,2\n", "r.csv", ""),
}


@pytest.mark.parametrize("name", list(BAD_TABLES))
def test_every_bad_table_gets_a_plain_message_and_no_exception(name):
    data, filename, expected = BAD_TABLES[name]
    check = check_table(data, filename, GEOS)
    assert check.messages, name
    if expected:
        assert not check.ok
        assert expected in _text(check), _text(check)


def test_an_xlsx_zip_bomb_is_refused_before_it_is_opened():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (upload_table.MAX_XLSX_UNCOMPRESSED + 1))
    check = check_table(buffer.getvalue(), "bomb.xlsx", GEOS)
    assert not check.ok and "unpacks to" in _text(check)


def test_hostile_headers_and_names_are_kept_as_text():
    check = check_table(b'code,"<script>alert(1)</script>"\nE01000001,1\n', "h.csv", GEOS)
    assert check.value_columns == ["<script>alert(1)</script>"]  # shown only through escape_* on the page


def test_uploaded_columns_become_indicator_records():
    check = check_table(b"code,v\nE01000010,1\n", "a.csv", GEOS)
    spec = upload_table.ColumnSpec("v", "School absence", "% of sessions", "education", Polarity.LOW_IS_WORSE)
    table = upload_table.UploadedTable("s1", "Absence", "Council", check.geography, check.values, [spec])
    (ind,) = table.indicators()
    assert ind.polarity == Polarity.LOW_IS_WORSE and ind.source == "Council"
    # an Indicator like any other: its geography, its own column, no edition or empty rank columns
    assert ind.geography == "lsoa11" and ind.table_column == "v" and ind.ranking == "among areas with a value"
    assert (ind.columns, ind.rank_columns, ind.decile_columns) == ({}, {}, {})
    assert ind.joins(2019) and ind.joins(2015) and not ind.joins(2025)
    assert ind.label == "School absence" and ind.format(3.25) == "3.25"
    again = upload_table.UploadedTable.from_payload("s1", "Absence", "Council", table.to_payload())
    pd.testing.assert_frame_equal(again.values, table.values)
    assert again.specs == [spec]


def test_a_malformed_saved_payload_gives_a_value_error():
    with pytest.raises(ValueError, match="could not be read"):
        upload_table.UploadedTable.from_payload("x", "n", "s", {"columns": 3})


# --------------------------------------------------------------------------- properties

cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400), st.sampled_from(["a.csv", "a.xlsx", "a.txt", "a.xls"]))
def test_any_bytes_give_a_result_never_an_exception(data, filename):
    check = check_table(data, filename, GEOS)
    assert check.ok or check.errors


@settings(max_examples=80, deadline=None)
@given(
    st.sampled_from([sorted(GEOS.lsoa11), sorted(GEOS.lsoa21), sorted(GEOS.ward), sorted(GEOS.la)]).flatmap(
        lambda pool: st.lists(st.sampled_from(pool), min_size=1, max_size=len(pool), unique=True)
    ),
    st.lists(st.floats(allow_nan=False, allow_infinity=False, width=32), min_size=8, max_size=8),
    st.sampled_from([",", ";", "\t"]),
    st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
)
def test_a_well_formed_table_round_trips_through_the_parser(codes, numbers, delimiter, encoding):
    lines = ["code" + delimiter + "value"] + [f"{c}{delimiter}{numbers[i]!r}" for i, c in enumerate(codes)]
    check = check_table("\n".join(lines).encode(encoding), "p.csv", GEOS)
    assert check.ok, [m.text for m in check.messages]
    got = check.values["value"]
    for i, code in enumerate(codes):
        assert got[code] == pytest.approx(numbers[i], rel=1e-6, abs=1e-30)


@settings(max_examples=100, deadline=None)
@given(st.lists(cells, min_size=1, max_size=30))
def test_parse_numbers_never_raises_and_flags_only_text(values):
    parsed, bad = matching.parse_numbers(pd.Series(values, dtype=object))
    assert len(parsed) == len(values)
    assert not (parsed.notna() & bad).any()
    assert np.isfinite(parsed.dropna()).all()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(sorted({*GEOS.lsoa11, *GEOS.lsoa21, *GEOS.ward, *GEOS.la})) | cells, max_size=20))
def test_the_code_matcher_only_chooses_a_geography_that_contains_a_code(codes):
    geography, messages = matching.code_geography(pd.Series(codes, dtype=object), GEOS)
    if geography is None:
        assert not any(c in GEOS.codes(g) for c in codes for g in upload_table.GEOGRAPHY_LABELS)
    else:
        assert any(c in GEOS.codes(geography) for c in codes)
    assert all(m.level in (WARNING, upload_table.INFO) for m in messages)
    assert ERROR not in {m.level for m in messages}
