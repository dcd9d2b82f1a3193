"""Who the current client is, and the server's per-client limits: a UI module (imports streamlit).

One ``RateLimiter`` per server process (``st.cache_resource``), shared by every session, so a
reload (a new session from the same network) keeps its limits. The rules live in the pure
``placemap.community.ratelimit``.
"""

from __future__ import annotations

import logging
import os

import streamlit as st

from placemap.community import ratelimit

# Streamlit reports a loopback peer as ``None`` (and has no peer at all in tests); the bundled
# nginx connects over loopback, so ``None`` is taken as loopback: trusted only if configured.
LOOPBACK = "127.0.0.1"
_log = logging.getLogger(__name__)


@st.cache_resource(show_spinner=False)
def limiter() -> ratelimit.RateLimiter:
    """This server process's limiter (one for every session)."""
    return ratelimit.RateLimiter()


@st.cache_resource(show_spinner=False)
def _trusted(text: str) -> tuple:
    networks, bad = ratelimit.parse_trusted_proxies(text)
    if bad:
        _log.warning("%s: ignored entries that are not addresses or networks: %s", ratelimit.TRUSTED_PROXIES_ENV, bad)
    return networks


def current_client() -> str:
    """The limiter's key for this session's client (its address through trusted proxies, IPv6 as a /64)."""
    trusted = _trusted(os.environ.get(ratelimit.TRUSTED_PROXIES_ENV, ""))
    try:
        peer, headers = st.context.ip_address, st.context.headers
    except Exception:  # noqa: BLE001 - no request context (a bare script run): one shared key still limits
        return ratelimit.UNKNOWN_CLIENT
    return ratelimit.client_key(ratelimit.client_address(peer or LOOPBACK, headers, trusted))


def refusal(action: str, cost: float = 1) -> str | None:
    """Count ``action`` for this client; the plain-words refusal instead when a limit is reached."""
    refused = limiter().hit(current_client(), action, cost)
    return None if refused is None else refused.message


def authorise(given: str, configured: str | None):
    """``workshop.authorise`` behind this client's passcode back-off: refused while locked out.

    Raises
    ------
    ModerationError : a wrong passcode (counted), or too many of them (not checked at all)
    """
    from placemap.community.workshop import ModerationError
    from placemap.community.workshop import authorise as check

    who, limits = current_client(), limiter()
    refused = limits.passcode_refusal(who)
    if refused is not None:
        raise ModerationError(refused.message)
    try:
        facilitator = check(given, configured)
    except ModerationError:
        if configured is not None:
            limits.passcode_wrong(who)
        raise
    limits.passcode_right(who)
    return facilitator
