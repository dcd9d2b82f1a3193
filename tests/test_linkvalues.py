"""The one rule for numbers in links: short ASCII digits, finite, in range; anything else is ``None``."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from placemap.links.linkvalues import MAX_WHOLE_DIGITS, parse_decimal, parse_whole

NOT_NUMBERS = [
    "²",
    "٣",
    "３",
    "½",
    "9" * 5000,
    "nan",
    "inf",
    "-inf",
    "1e309",
    "1_000",
    "0x1A",
    " ",
    "",
    "-",
    "1\x00",
    "\u202e1",
    "${1}",
    "1 2",
    "+-1",
]


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_text_that_is_not_a_plain_ascii_number_is_no_whole_number(text):
    assert parse_whole(text, -(10**9), 10**9) is None


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_text_that_is_not_a_plain_finite_ascii_number_is_no_decimal(text):
    assert parse_decimal(text) is None


@pytest.mark.parametrize(
    "text, low, high, expected",
    [
        ("2025", 2000, 2100, 2025),
        (" 7 ", 1, 10, 7),
        ("-0", 0, 0, 0),
        ("-3", -5, 5, -3),
        ("007", 1, 10, 7),
        ("11", 1, 10, None),
        ("0", 1, 10, None),
        ("1.0", 1, 10, None),
        ("+2", 1, 10, None),
    ],
)
def test_whole_numbers_are_read_and_range_checked(text, low, high, expected):
    assert parse_whole(text, low, high) == expected


@pytest.mark.parametrize(
    "text, low, high, expected",
    [
        ("0.05", 0, 1, 0.05),
        ("5e-2", 0, 1, 0.05),
        (".5", 0, 1, 0.5),
        ("-2.5", -10, 10, -2.5),
        ("100", 0, 100, 100.0),
        ("100.01", 0, 100, None),
        ("-0.1", 0, 1, None),
    ],
)
def test_decimals_are_read_and_range_checked(text, low, high, expected):
    assert parse_decimal(text, low, high) == expected


def test_numbers_longer_than_the_limit_are_refused_before_int_sees_them():
    assert parse_whole("1" * MAX_WHOLE_DIGITS, 0, 10**MAX_WHOLE_DIGITS) == int("1" * MAX_WHOLE_DIGITS)
    assert parse_whole("1" * (MAX_WHOLE_DIGITS + 1), 0, 10**12) is None
    assert parse_decimal("1." + "0" * 40) is None


def test_values_that_are_not_text_are_no_numbers():
    assert parse_whole(None, 0, 10) is None and parse_whole(["3"], 0, 10) is None and parse_decimal(3.0) is None


@given(st.text(max_size=60))
def test_any_text_gives_a_number_in_range_or_none(text):
    whole = parse_whole(text, -50, 50)
    assert whole is None or (isinstance(whole, int) and -50 <= whole <= 50)
    decimal = parse_decimal(text, -50, 50)
    assert decimal is None or (math.isfinite(decimal) and -50 <= decimal <= 50)


@given(st.integers(-(10**8), 10**8))
def test_every_whole_number_a_page_writes_reads_back(number):
    assert parse_whole(str(number), -(10**8), 10**8) == number
    assert parse_decimal(str(number)) == number


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6))
def test_every_decimal_a_page_writes_reads_back(number):
    assert parse_decimal(f"{number:g}") == float(f"{number:g}")
