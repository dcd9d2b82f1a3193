"""The place plan page's link: ``?plan=<share id>`` opens a saved plan. Pure."""

from __future__ import annotations

from collections.abc import Mapping

from placemap.links.params import share_id_value

PLAN = "plan"  # the one shareable key of the page


def parse_plan_id(params: Mapping[str, object]) -> tuple[str | None, list[str]]:
    """The saved plan a link asks for (``?plan=<id>``), validated, with notes for a bad value.

    Examples
    --------
    >>> parse_plan_id({"plan": "abcdefgh12345678"})
    ('abcdefgh12345678', [])
    >>> parse_plan_id({})
    (None, [])
    >>> print(parse_plan_id({"plan": "drop table"})[1][0])
    "drop table" is not a saved plan's link id; no plan is open.
    """
    return share_id_value(params, PLAN, "is not a saved plan's link id; no plan is open.")


def plan_link(share_id: str, base: str = "") -> str:
    """The address that opens a plan (``base`` is the app's address, if known).

    >>> plan_link("abcdefgh12345678", "http://localhost:8501")
    'http://localhost:8501/plan?plan=abcdefgh12345678'
    """
    return f"{base.rstrip('/')}/plan?{PLAN}={share_id}"
