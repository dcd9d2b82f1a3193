"""Per-client rate limits kept by the server: notes, votes, scores, new records, uploads, passcodes.

A browser session is no unit for a limit (a reload starts a new one), so limits are keyed by the
client's network address as the server sees it, resolved through trusted proxies by
``client_address`` and widened to a /64 for IPv6 by ``client_key`` (one household or phone
usually holds a whole /64). One ``RateLimiter`` lives in each server process; behind the bundled
nginx (``ip_hash``) a client always reaches the same process, so its limits hold across reloads.

Limits are sliding windows: an action is refused when the cost of the client's actions in the
last ``seconds`` would exceed ``count``. Wrong facilitator passcodes also back off: after
``PASSCODE_FREE_TRIES`` wrong ones, each further wrong one locks the client out for 1, 2, 4 …
seconds (at most ``PASSCODE_MAX_DELAY``). Nothing sleeps: a refused action returns a message.

Example
-------
>>> clock = FakeClock()
>>> limiter = RateLimiter(clock=clock)
>>> [limiter.hit("203.0.113.7", "workshop") is None for _ in range(3)]
[True, True, True]
>>> print(limiter.hit("203.0.113.7", "workshop"))
Too many new workshops from your network: at most 3 an hour. Try again in 60 minutes.
>>> limiter.hit("198.51.100.1", "workshop") is None  # another client has its own allowance
True
"""

from __future__ import annotations

import ipaddress
import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

UNKNOWN_CLIENT = "unknown-client"  # one shared key when the address is unknown, so limits still apply
TRUSTED_PROXIES_ENV = "PLACEMAP_TRUSTED_PROXIES"
MAX_KEYS = 20_000  # (action, client) pairs kept; the least recently seen are forgotten first

PASSCODE_FREE_TRIES = 5
PASSCODE_BASE_DELAY = 1.0
PASSCODE_MAX_DELAY = 300.0
PASSCODE_FORGET_AFTER = 3600.0  # a client's wrong passcodes are forgotten an hour after the last one


@dataclass(frozen=True)
class Limit:
    """At most ``count`` (items, or bytes when ``unit="bytes"``) in any ``seconds`` from one client."""

    count: int
    seconds: float
    unit: str = ""


@dataclass(frozen=True)
class Action:
    """A limited action: the plural words used in messages and its windows (all must allow it)."""

    what: str
    limits: tuple[Limit, ...]


MINUTE, HOUR, DAY = 60.0, 3600.0, 86400.0
MB = 1024 * 1024

# A workshop room often shares one public address (the venue's wifi), so the per-minute limits
# on taking part leave room for a room of about thirty people.
ACTIONS: dict[str, Action] = {
    "note": Action("notes", (Limit(30, MINUTE), Limit(300, HOUR))),
    "vote": Action("votes", (Limit(120, MINUTE), Limit(1000, HOUR))),
    "score": Action("score saves", (Limit(60, MINUTE), Limit(500, HOUR))),
    "workshop": Action("new workshops", (Limit(3, HOUR), Limit(10, DAY))),
    "initiative": Action("new initiatives", (Limit(10, HOUR), Limit(40, DAY))),
    "saved_upload": Action("saved datasets", (Limit(10, HOUR), Limit(30, DAY))),
    "drawn_area": Action("saved drawn areas", (Limit(10, HOUR), Limit(40, DAY))),  # saves and edits
    "upload_bytes": Action("uploaded data", (Limit(100 * MB, HOUR, "bytes"),)),
    "passcode": Action("passcode attempts", (Limit(30, HOUR),)),
}


class FakeClock:
    """A clock for tests: ``clock()`` returns the time, ``clock.advance(s)`` moves it on."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def wait_words(seconds: float) -> str:
    """How long to wait, in plain words, rounded up.

    Example
    -------
    >>> wait_words(0.2), wait_words(42.1), wait_words(600), wait_words(7200)
    ('1 second', '43 seconds', '10 minutes', '2 hours')
    """
    s = max(1, math.ceil(seconds))
    if s < 90:
        return f"{s} second{'s' if s != 1 else ''}"
    if s < 90 * 60:
        m = math.ceil(s / 60)
        return f"{m} minutes"
    h = math.ceil(s / 3600)
    return f"{h} hours"


def _per(seconds: float) -> str:
    return {MINUTE: "a minute", HOUR: "an hour", DAY: "a day"}.get(seconds, f"in {wait_words(seconds)}")


def _amount(limit: Limit) -> str:
    if limit.unit == "bytes":
        return f"{limit.count / MB:.0f} MB"
    return f"{limit.count:,}"


@dataclass(frozen=True)
class Refusal:
    """Why an action was refused, and how many seconds until it may be tried again."""

    message: str
    retry_after: float

    def __str__(self) -> str:
        return self.message


@dataclass
class _Backoff:
    wrong: int = 0
    last_wrong: float = 0.0
    locked_until: float = 0.0


class RateLimiter:
    """Sliding-window limits keyed by (client, action), plus the passcode back-off; thread-safe.

    Parameters
    ----------
    actions : the named actions and their limits (``ACTIONS``)
    clock : seconds, monotonic (``time.monotonic``; a ``FakeClock`` in tests)
    max_keys : how many (action, client) entries to keep before forgetting the oldest
    """

    def __init__(
        self,
        actions: Mapping[str, Action] = ACTIONS,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = MAX_KEYS,
    ) -> None:
        self.actions = dict(actions)
        self.clock = clock
        self.max_keys = max_keys
        self._lock = threading.Lock()
        self._events: OrderedDict[tuple[str, str], deque[tuple[float, float]]] = OrderedDict()
        self._backoff: OrderedDict[str, _Backoff] = OrderedDict()

    def __len__(self) -> int:
        """How many (action, client) windows and back-off records are held (bounded by ``max_keys``)."""
        return len(self._events) + len(self._backoff)

    def clear(self) -> None:
        """Forget everything (used between tests)."""
        with self._lock:
            self._events.clear()
            self._backoff.clear()

    def hit(self, client: str, action: str, cost: float = 1) -> Refusal | None:
        """Record one ``action`` by ``client`` if every window allows it; else a ``Refusal`` (nothing recorded).

        Parameters
        ----------
        client : the client's key (``client_key(client_address(...))``)
        action : a key of ``actions``
        cost : how much this action uses (1, or a number of bytes for byte limits)

        Returns
        -------
        None if the action may go ahead (and it was counted), else a ``Refusal`` to show.

        Raises
        ------
        KeyError : for an action that has no limits
        """
        spec = self.actions[action]
        with self._lock:
            now = self.clock()
            events = self._window(action, client, now)
            for limit in spec.limits:
                used = sum(c for t, c in events if now - t < limit.seconds)
                if used + cost > limit.count:
                    wait = self._retry_after(events, limit, cost, now)
                    return Refusal(self._message(spec, limit, wait), wait)
            events.append((now, cost))
            return None

    def _window(self, action: str, client: str, now: float) -> deque[tuple[float, float]]:
        key = (action, client)
        longest = max(limit.seconds for limit in self.actions[action].limits)
        events = self._entry(self._events, key, now, deque)
        while events and now - events[0][0] >= longest:
            events.popleft()
        return events

    def _entry(self, entries: OrderedDict, key, now: float, new):
        """``entries[key]``, made with ``new()`` (after making room) if absent, marked most recently used."""
        entry = entries.get(key)
        if entry is None:
            self._make_room(now)
            entry = entries[key] = new()
        else:
            entries.move_to_end(key)
        return entry

    def _make_room(self, now: float) -> None:
        """Keep at most ``max_keys`` entries: drop expired windows first, then the least recently used."""
        if len(self) < self.max_keys:
            return
        for key in list(self._events):
            longest = max(limit.seconds for limit in self.actions[key[0]].limits)
            if not self._events[key] or now - self._events[key][-1][0] >= longest:
                del self._events[key]
        for client in list(self._backoff):
            if now - self._backoff[client].last_wrong >= PASSCODE_FORGET_AFTER:
                del self._backoff[client]
        while len(self) >= self.max_keys and (self._events or self._backoff):
            if self._events:
                self._events.popitem(last=False)
            else:
                self._backoff.popitem(last=False)

    @staticmethod
    def _message(spec: Action, limit: Limit, wait: float) -> str:
        return (
            f"Too many {spec.what} from your network: at most {_amount(limit)} {_per(limit.seconds)}. "
            f"Try again in {wait_words(wait)}."
        )

    @staticmethod
    def _retry_after(events: deque[tuple[float, float]], limit: Limit, cost: float, now: float) -> float:
        """Seconds until enough of the window's oldest actions fall out for ``cost`` to fit."""
        in_window = [(t, c) for t, c in events if now - t < limit.seconds]
        used = sum(c for _, c in in_window)
        for t, c in in_window:
            used -= c
            if used + cost <= limit.count:
                return t + limit.seconds - now
        return limit.seconds  # ``cost`` alone is over the limit: it never fits, say the window

    # --- facilitator passcodes -------------------------------------------------------------------

    def passcode_refusal(self, client: str) -> Refusal | None:
        """Whether ``client`` may try a passcode now (counted as an attempt); a ``Refusal`` if locked out."""
        with self._lock:
            now = self.clock()
            state = self._backoff.get(client)
            if state is not None and now < state.locked_until:
                wait = state.locked_until - now
                return Refusal(f"Too many wrong passcodes from your network; try again in {wait_words(wait)}.", wait)
        return self.hit(client, "passcode")

    def passcode_wrong(self, client: str) -> float:
        """Count a wrong passcode from ``client``; return the lock-out it now has (seconds, 0 if none)."""
        with self._lock:
            now = self.clock()
            state = self._entry(self._backoff, client, now, _Backoff)
            if now - state.last_wrong >= PASSCODE_FORGET_AFTER:
                state.wrong = 0
            state.wrong += 1
            state.last_wrong = now
            delay = passcode_delay(state.wrong)
            state.locked_until = now + delay
            return delay

    def passcode_right(self, client: str) -> None:
        """A right passcode from ``client`` clears its wrong ones."""
        with self._lock:
            self._backoff.pop(client, None)


def passcode_delay(wrong: int, free: int = PASSCODE_FREE_TRIES) -> float:
    """The lock-out after ``wrong`` wrong passcodes in a row: none for the first ``free - 1``, then 1, 2, 4 … s.

    Example
    -------
    >>> [passcode_delay(n) for n in range(1, 9)]
    [0.0, 0.0, 0.0, 0.0, 1.0, 2.0, 4.0, 8.0]
    >>> passcode_delay(40)
    300.0
    """
    if wrong < free:
        return 0.0
    return min(PASSCODE_MAX_DELAY, PASSCODE_BASE_DELAY * 2.0 ** min(wrong - free, 30))


# --- who the client is -------------------------------------------------------------------------

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_trusted_proxies(text: str | None) -> tuple[tuple[Network, ...], list[str]]:
    """The trusted proxies from ``PLACEMAP_TRUSTED_PROXIES`` (addresses or CIDRs, comma- or space-separated).

    Returns
    -------
    (networks, entries that are not addresses); unset or empty trusts no proxy.

    Example
    -------
    >>> nets, bad = parse_trusted_proxies("127.0.0.1, 10.0.0.0/8 ::1 nginx")
    >>> [str(n) for n in nets], bad
    (['127.0.0.1/32', '10.0.0.0/8', '::1/128'], ['nginx'])
    """
    networks, bad = [], []
    for entry in (text or "").replace(",", " ").split():
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            bad.append(entry)
    return tuple(networks), bad


def _ip(text: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    if not isinstance(text, str) or not text:
        return None
    text = text.strip().strip('"')
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.7:5678"
        text = text.split(":", 1)[0]
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def _forwarded_for(headers: Mapping[str, str] | None) -> list[str]:
    """Every X-Forwarded-For hop, in order, joining repeated headers (nginx appends to the last)."""
    if headers is None:
        return []
    if hasattr(headers, "get_all"):
        values = list(headers.get_all("X-Forwarded-For"))
    else:
        values = [v for k, v in headers.items() if k.lower() == "x-forwarded-for"]
    return [hop.strip() for value in values for hop in str(value).split(",")]


def client_address(remote_ip: str | None, headers: Mapping[str, str] | None, trusted_proxies: Iterable[Network]) -> str:
    """The client's address: the direct peer, or, when the peer is a trusted proxy, X-Forwarded-For's right-most untrusted hop.

    Anyone can send an X-Forwarded-For header, so it is read only when the connection comes
    from a trusted proxy, and then from the right (the hops the proxies appended) to the first
    address that is not itself a trusted proxy. A malformed hop stops the walk: what is left of
    it cannot be trusted, so the last good hop (a trusted proxy) counts as the client.

    Parameters
    ----------
    remote_ip : the direct peer's address (``None`` or garbage if unknown)
    headers : the request headers (a mapping, or Streamlit's headers with ``get_all``)
    trusted_proxies : networks whose X-Forwarded-For is believed (``parse_trusted_proxies``)

    Returns
    -------
    A normalised address (IPv4-mapped IPv6 as IPv4), or ``UNKNOWN_CLIENT``.

    Example
    -------
    >>> proxies, _ = parse_trusted_proxies("127.0.0.1")
    >>> client_address("127.0.0.1", {"X-Forwarded-For": "198.51.100.9, 203.0.113.7"}, proxies)
    '203.0.113.7'
    >>> client_address("203.0.113.7", {"X-Forwarded-For": "10.9.9.9"}, proxies)  # not from the proxy: ignored
    '203.0.113.7'
    >>> client_address("127.0.0.1", {"X-Forwarded-For": "203.0.113.7, 127.0.0.1"}, proxies)
    '203.0.113.7'
    >>> client_address("127.0.0.1", {"x-forwarded-for": "garbage"}, proxies)
    '127.0.0.1'
    >>> client_address(None, {}, proxies)
    'unknown-client'
    """
    peer = _ip(remote_ip)
    if peer is None:
        return UNKNOWN_CLIENT
    trusted = tuple(trusted_proxies)

    def is_trusted(ip) -> bool:
        return any(ip.version == n.version and ip in n for n in trusted)

    if not is_trusted(peer):
        return str(peer)
    client = peer
    for hop in reversed(_forwarded_for(headers)):
        ip = _ip(hop)
        if ip is None:
            break
        client = ip
        if not is_trusted(ip):
            break
    return str(client)


def client_key(address: str) -> str:
    """The limiter's key for an address: IPv4 as is, IPv6 widened to its /64 (one site's whole allocation).

    Example
    -------
    >>> client_key("203.0.113.7"), client_key("2001:db8:1:2:aaaa::1"), client_key("unknown-client")
    ('203.0.113.7', '2001:db8:1:2::/64', 'unknown-client')
    """
    ip = _ip(address)
    if ip is None:
        return address
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)
