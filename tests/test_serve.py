"""The server's entry point: Streamlit's own command line, with the app's modules imported before anyone is served."""

import sys

import pytest
from streamlit.web import bootstrap

from placemap.ui import serve


def test_the_server_starts_the_app_with_the_options_given_and_its_modules_already_imported(monkeypatch):
    started = {}

    def fake_run(main_script_path, is_hello, args, flag_options, **kwargs):
        started.update(path=main_script_path, flags=flag_options, loaded=[m in sys.modules for m in serve.PRELOAD])

    monkeypatch.setattr(bootstrap, "run", fake_run)
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    with pytest.raises(SystemExit) as done:
        serve.main(["--server.port", "8599", "--server.headless", "true"])
    assert done.value.code in (0, None)
    assert started["path"] == str(serve.APP)
    assert started["flags"]["server_port"] == 8599
    assert all(started["loaded"])


def test_the_lock_down_of_gdal_is_imported_before_anything_else():
    assert serve.PRELOAD[0] == "placemap.uploads.gdal_safety"
    assert not any("streamlit_folium" in name or "map_panel" in name for name in serve.PRELOAD)
