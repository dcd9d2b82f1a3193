"""One rule for every number a link carries: whole numbers and decimals, checked and bounded.

Pure Python (no Streamlit). Query parameters are typed by anyone, so a number is read only when
its text is short ASCII digits: ``str.isdigit`` accepts "²" and "٣", which ``int`` then rejects
or reads as another number, and ``int``/``float`` raise on thousands of digits or give ``nan``
and ``inf``. The parsers return ``None`` for anything else; the caller falls back to its default
with a plain note.
"""

from __future__ import annotations

import math
import re

MAX_WHOLE_DIGITS = 9  # more than any count, year or position a link holds, far below int's limit
MAX_DECIMAL_CHARS = 32  # a decimal a person would type (e.g. "-12345.678e-3"), never thousands of digits

_WHOLE = re.compile(rf"-?[0-9]{{1,{MAX_WHOLE_DIGITS}}}")
# ASCII only: a plain number with an optional fraction and exponent. No "nan", "inf", "1_000",
# spaces or other scripts' digits, which ``float`` would accept.
_DECIMAL = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]{1,3})?")


def parse_whole(raw: object, low: int, high: int) -> int | None:
    """A whole number from ``low`` to ``high`` written in ASCII digits, else ``None``.

    Parameters
    ----------
    raw : the link's text (anything else gives ``None``); surrounding spaces are ignored
    low, high : the allowed range, inclusive

    Returns
    -------
    int or None : the number, or ``None`` when the text is not a short ASCII whole number in range

    Example
    -------
    >>> parse_whole("7", 1, 10), parse_whole("-0", 0, 5), parse_whole(" 3 ", 1, 5)
    (7, 0, 3)
    >>> [parse_whole(t, 0, 10) for t in ("²", "٣", "1.0", "+2", "11", "", "9" * 5000)]
    [None, None, None, None, None, None, None]
    """
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    if not _WHOLE.fullmatch(text):
        return None
    value = int(text)
    return value if low <= value <= high else None


def parse_decimal(raw: object, low: float = -math.inf, high: float = math.inf) -> float | None:
    """A finite decimal from ``low`` to ``high`` written in ASCII, else ``None``.

    Parameters
    ----------
    raw : the link's text (anything else gives ``None``); surrounding spaces are ignored
    low, high : the allowed range, inclusive (by default any finite number)

    Returns
    -------
    float or None : the number, or ``None`` for text that is not a short finite ASCII decimal in range

    Example
    -------
    >>> parse_decimal("0.05", 0, 1), parse_decimal("-2.5e1"), parse_decimal(".5", 0, 1)
    (0.05, -25.0, 0.5)
    >>> [parse_decimal(t) for t in ("nan", "inf", "1e309", "٣", "1_000", "0x10", "", "1" * 5000)]
    [None, None, None, None, None, None, None, None]
    >>> parse_decimal("101", 0, 100) is None
    True
    """
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    if len(text) > MAX_DECIMAL_CHARS or not _DECIMAL.fullmatch(text):
        return None
    value = float(text)
    if not math.isfinite(value) or not low <= value <= high:
        return None
    return value
