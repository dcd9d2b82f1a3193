"""Per-client limits: sliding windows, bounded memory, the passcode back-off, and who the client is."""

from __future__ import annotations

import threading

import pytest

from placemap.community import ratelimit
from placemap.community.ratelimit import ACTIONS, MB, Action, FakeClock, Limit, RateLimiter, client_address, client_key

NGINX, _ = ratelimit.parse_trusted_proxies("127.0.0.1")
CLIENT = "203.0.113.7"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def test_notes_are_refused_past_the_per_minute_limit_and_allowed_once_the_oldest_leaves_the_window(clock):
    limiter = RateLimiter(clock=clock)
    per_minute = ACTIONS["note"].limits[0].count
    for _ in range(per_minute):
        assert limiter.hit(CLIENT, "note") is None
        clock.advance(1)
    refused = limiter.hit(CLIENT, "note")
    assert refused is not None
    assert refused.message == (
        f"Too many notes from your network: at most {per_minute} a minute. Try again in {60 - per_minute} seconds."
    )
    clock.advance(60 - per_minute)  # the first note is now a minute old
    assert limiter.hit(CLIENT, "note") is None
    assert limiter.hit(CLIENT, "note") is not None  # only one slot came free


def test_a_refused_action_is_not_counted(clock):
    limiter = RateLimiter({"x": Action("things", (Limit(2, 60),))}, clock=clock)
    assert limiter.hit(CLIENT, "x") is None and limiter.hit(CLIENT, "x") is None
    for _ in range(50):
        assert limiter.hit(CLIENT, "x") is not None
    clock.advance(60)
    assert limiter.hit(CLIENT, "x") is None  # the refusals did not push the window on


def test_the_hourly_limit_holds_even_when_each_minute_is_within_its_limit(clock):
    limiter = RateLimiter({"x": Action("things", (Limit(5, 60), Limit(8, 3600)))}, clock=clock)
    for _ in range(8):
        assert limiter.hit(CLIENT, "x") is None
        clock.advance(61)
    refused = limiter.hit(CLIENT, "x")
    assert refused is not None and "at most 8 an hour" in refused.message
    assert refused.retry_after == pytest.approx(3600 - 8 * 61)


def test_clients_and_actions_have_separate_allowances(clock):
    limiter = RateLimiter(clock=clock)
    for _ in range(3):
        assert limiter.hit(CLIENT, "workshop") is None
    assert limiter.hit(CLIENT, "workshop") is not None
    assert limiter.hit("198.51.100.1", "workshop") is None
    assert limiter.hit(CLIENT, "note") is None


def test_upload_bytes_count_by_size_and_name_the_limit_in_megabytes(clock):
    limiter = RateLimiter(clock=clock)
    assert limiter.hit(CLIENT, "upload_bytes", 60 * MB) is None
    refused = limiter.hit(CLIENT, "upload_bytes", 50 * MB)
    assert (
        refused.message == "Too many uploaded data from your network: at most 100 MB an hour. Try again in 60 minutes."
    )
    assert limiter.hit(CLIENT, "upload_bytes", 40 * MB) is None  # what fits is still accepted


def test_memory_stays_bounded_with_many_clients_and_old_windows_go_first(clock):
    limiter = RateLimiter({"x": Action("things", (Limit(1, 60),))}, clock=clock, max_keys=100)
    limiter.hit("old", "x")
    clock.advance(61)  # "old" no longer limits anything
    limiter.hit("recent", "x")
    for i in range(1000):
        limiter.hit(f"10.0.{i // 256}.{i % 256}", "x")
    assert len(limiter) <= 100
    assert ("x", "old") not in limiter._events


def test_the_least_recently_seen_client_is_forgotten_when_every_window_is_live(clock):
    limiter = RateLimiter({"x": Action("things", (Limit(1, 3600),))}, clock=clock, max_keys=3)
    for name in ("a", "b", "c"):
        limiter.hit(name, "x")
    limiter.hit("a", "x")  # refused, but "a" was seen again
    limiter.hit("d", "x")
    assert set(limiter._events) == {("x", "a"), ("x", "c"), ("x", "d")}


def test_the_limiter_counts_exactly_under_concurrent_threads(clock):
    limiter = RateLimiter({"x": Action("things", (Limit(100, 60),))}, clock=clock)
    allowed = []

    def worker() -> None:
        allowed.extend(limiter.hit(CLIENT, "x") is None for _ in range(50))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(allowed) == 100


def test_wrong_passcodes_lock_the_client_out_for_a_growing_time_capped_at_five_minutes(clock):
    limiter = RateLimiter(clock=clock)
    delays = []
    for _ in range(20):
        assert limiter.passcode_refusal(CLIENT) is None
        delays.append(limiter.passcode_wrong(CLIENT))
        clock.advance(delays[-1])
    assert delays[:8] == [0, 0, 0, 0, 1, 2, 4, 8]
    assert delays[-1] == ratelimit.PASSCODE_MAX_DELAY == 300


def test_a_locked_out_client_is_refused_in_plain_words_without_its_passcode_being_checked(clock):
    limiter = RateLimiter(clock=clock)
    for _ in range(7):
        limiter.passcode_wrong(CLIENT)  # the seventh locks for 4 s
    refused = limiter.passcode_refusal(CLIENT)
    assert refused.message == "Too many wrong passcodes from your network; try again in 4 seconds."
    assert limiter.passcode_refusal("198.51.100.1") is None  # another network is not locked out
    clock.advance(4)
    assert limiter.passcode_refusal(CLIENT) is None


def test_a_right_passcode_or_an_hour_without_wrong_ones_clears_the_back_off(clock):
    limiter = RateLimiter(clock=clock)
    for _ in range(6):
        limiter.passcode_wrong(CLIENT)
    limiter.passcode_right(CLIENT)
    assert limiter.passcode_wrong(CLIENT) == 0
    for _ in range(6):
        limiter.passcode_wrong(CLIENT)
    clock.advance(3600)
    assert limiter.passcode_wrong(CLIENT) == 0


def test_passcode_attempts_are_also_limited_per_hour(clock):
    limiter = RateLimiter(clock=clock)
    per_hour = ACTIONS["passcode"].limits[0].count
    for _ in range(per_hour):
        assert limiter.passcode_refusal(CLIENT) is None
    assert "Too many passcode attempts from your network" in limiter.passcode_refusal(CLIENT).message


# --- who the client is -------------------------------------------------------------------------


def test_without_trusted_proxies_the_peer_is_the_client_and_the_header_is_ignored():
    assert client_address(CLIENT, {"X-Forwarded-For": "1.2.3.4"}, ()) == CLIENT
    assert client_address("127.0.0.1", {"X-Forwarded-For": "1.2.3.4"}, ()) == "127.0.0.1"


def test_a_spoofed_header_from_an_untrusted_peer_does_not_change_the_client():
    assert client_address(CLIENT, {"X-Forwarded-For": "127.0.0.1, 198.51.100.1"}, NGINX) == CLIENT


def test_behind_the_proxy_the_rightmost_untrusted_hop_is_the_client_even_with_a_spoofed_prefix():
    # nginx appends the real peer to whatever the client sent, so the left part is the client's to invent
    headers = {"X-Forwarded-For": "10.1.1.1, 198.51.100.99, " + CLIENT}
    assert client_address("127.0.0.1", headers, NGINX) == CLIENT
    proxies, _ = ratelimit.parse_trusted_proxies("127.0.0.1 10.0.0.0/8")
    assert client_address("127.0.0.1", {"X-Forwarded-For": f"{CLIENT}, 10.2.3.4"}, proxies) == CLIENT


def test_repeated_forwarded_for_headers_are_read_as_one_list():
    class Headers(dict):
        def get_all(self, key):
            return ["198.51.100.99", CLIENT] if key.lower() == "x-forwarded-for" else []

    assert client_address("127.0.0.1", Headers(), NGINX) == CLIENT


def test_a_malformed_header_leaves_the_proxy_as_the_client():
    for value in ("", "not-an-ip", "1.2.3.4.5", ", ,", "1.2.3.4 5.6.7.8"):
        assert client_address("127.0.0.1", {"X-Forwarded-For": value}, NGINX) == "127.0.0.1", value
    assert client_address("127.0.0.1", {"X-Forwarded-For": f"{CLIENT}, junk"}, NGINX) == "127.0.0.1"


def test_ipv6_clients_are_normalised_and_keyed_by_their_64():
    proxies, _ = ratelimit.parse_trusted_proxies("::1")
    got = client_address("::1", {"X-Forwarded-For": "2001:DB8:0:1:0:0:0:7"}, proxies)
    assert got == "2001:db8:0:1::7"
    assert client_key(got) == client_key("2001:db8:0:1:ffff::1") == "2001:db8:0:1::/64"
    assert client_key("2001:db8:0:2::1") != client_key(got)
    assert client_address("[2001:db8::5]:443", {}, ()) == "2001:db8::5"
    assert client_address("::ffff:203.0.113.7", {}, ()) == CLIENT  # IPv4 in an IPv6 socket


def test_an_unknown_peer_shares_one_key_so_limits_still_apply():
    assert client_address(None, {"X-Forwarded-For": CLIENT}, NGINX) == ratelimit.UNKNOWN_CLIENT
    assert client_address("garbage", {}, NGINX) == ratelimit.UNKNOWN_CLIENT
    assert client_address(object(), {}, NGINX) == ratelimit.UNKNOWN_CLIENT  # not even a string


def test_trusted_proxies_that_are_not_addresses_are_reported_not_trusted():
    networks, bad = ratelimit.parse_trusted_proxies("127.0.0.1,,  10.0.0.0/33 proxy.local")
    assert [str(n) for n in networks] == ["127.0.0.1/32"] and bad == ["10.0.0.0/33", "proxy.local"]
    assert ratelimit.parse_trusted_proxies(None) == ((), [])
