"""Each script run's duration and page in the server's log, when ``PLACEMAP_LOG_RUN_TIMES=1`` asks for it.

Streamlit UI code (reads the session's id through streamlit). The line is written to the server's
standard error as ``placemap-run page=<url path> seconds=<s> cpu=<s> session=<id> outcome=<ok|rerun|stop|error>``,
so a load test can report the server's own time per step apart from the browsers' (see
``benchmarks/load.py``); nothing is logged unless the variable is set. ``seconds`` is the run's
wall time (what the person waits for, including time spent waiting for other sessions' runs on a
busy server); ``cpu`` is the processor time of the run's own thread, its cost whatever else runs.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

RUN_TIMES_ENV = "PLACEMAP_LOG_RUN_TIMES"
PREFIX = "placemap-run"


def enabled() -> bool:
    """Whether run times are logged (``PLACEMAP_LOG_RUN_TIMES`` set to 1, true or yes)."""
    return os.environ.get(RUN_TIMES_ENV, "").strip().lower() in {"1", "true", "yes"}


def run_line(page: str, seconds: float, session: str, outcome: str, cpu: float | None = None) -> str:
    """The log line for one run (no spaces inside values); ``cpu`` the run thread's processor seconds.

    Example
    -------
    >>> run_line("map", 0.12345, "abc", "ok", cpu=0.05)
    'placemap-run page=map seconds=0.1235 cpu=0.0500 session=abc outcome=ok'
    """
    used = "" if cpu is None else f" cpu={cpu:.4f}"
    return f"{PREFIX} page={page or 'map'} seconds={seconds:.4f}{used} session={session or '-'} outcome={outcome}"


def parse_run_line(line: str) -> dict[str, str] | None:
    """The fields of a ``run_line`` (``seconds`` still text), or ``None`` for any other line."""
    if not line.startswith(PREFIX + " "):
        return None
    fields = dict(part.split("=", 1) for part in line.split()[1:] if "=" in part)
    return fields if {"page", "seconds"} <= fields.keys() else None


def timed_run(
    run: Callable[[], None], page: str, started: float | None = None, cpu_started: float | None = None
) -> None:
    """``run()`` (the page), logging how long the script run took when run times are asked for.

    ``started`` and ``cpu_started`` are the ``time.perf_counter()`` and ``time.thread_time()`` at the
    top of the script (the run's start; now when not given). A rerun or stop that Streamlit raises
    through the page is logged with its outcome and re-raised.
    """
    if not enabled():
        run()
        return
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)
    session = getattr(ctx, "session_id", "") if ctx else ""
    started, outcome = started or time.perf_counter(), "error"
    cpu_started = time.thread_time() if cpu_started is None else cpu_started
    try:
        run()
        outcome = "ok"
    except BaseException as exc:
        name = type(exc).__name__
        outcome = "rerun" if "Rerun" in name else "stop" if "Stop" in name else "error"
        raise
    finally:
        seconds, cpu = time.perf_counter() - started, time.thread_time() - cpu_started
        print(run_line(page, seconds, session, outcome, cpu), file=sys.stderr, flush=True)
