"""Script run times in the server log, only when PLACEMAP_LOG_RUN_TIMES asks for them."""

import pytest

from placemap.ui import run_log


def test_a_run_is_logged_with_its_page_and_outcome_when_asked(monkeypatch, capsys):
    monkeypatch.setenv(run_log.RUN_TIMES_ENV, "1")
    run_log.timed_run(lambda: None, "profile")
    fields = run_log.parse_run_line(capsys.readouterr().err.strip())
    assert fields["page"] == "profile" and fields["outcome"] == "ok" and float(fields["seconds"]) >= 0


def test_a_run_logs_its_own_processor_time_apart_from_its_wall_time(monkeypatch, capsys):
    # A run that waits (as for other sessions' runs on a busy server) uses little processor time.
    import time

    monkeypatch.setenv(run_log.RUN_TIMES_ENV, "1")
    run_log.timed_run(lambda: time.sleep(0.3), "profile")
    fields = run_log.parse_run_line(capsys.readouterr().err.strip())
    assert float(fields["seconds"]) >= 0.3 and float(fields["cpu"]) < 0.1


def test_nothing_is_logged_unless_asked(monkeypatch, capsys):
    monkeypatch.delenv(run_log.RUN_TIMES_ENV, raising=False)
    run_log.timed_run(lambda: None, "map")
    assert capsys.readouterr().err == ""


def test_a_failing_page_is_logged_as_an_error_and_still_raises(monkeypatch, capsys):
    monkeypatch.setenv(run_log.RUN_TIMES_ENV, "yes")

    def broken():
        raise ValueError("bad")

    with pytest.raises(ValueError, match="bad"):
        run_log.timed_run(broken, "systems")
    assert run_log.parse_run_line(capsys.readouterr().err.strip())["outcome"] == "error"


def test_other_log_lines_are_not_read_as_runs():
    assert run_log.parse_run_line("2026-12-02 WARNING streamlit something") is None
