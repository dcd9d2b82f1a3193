"""Real sign-in: Streamlit's OpenID Connect login against a provider on loopback, in Chromium.

The provider is ``oidc-provider-mock`` (its login form takes the subject, which it also gives as
the e-mail claim). The app runs with a temporary secrets file passed by ``--secrets.files``, so
a real ``.streamlit/secrets.toml`` in the checkout is neither read nor touched. An editor sees
the Save and Delete controls; a signed-in person on no list sees neither.
"""

from __future__ import annotations

import secrets
import threading

import pandas as pd
import pytest
import werkzeug.serving

from placemap.storage import store, upload_store
from placemap.uploads.table import ColumnSpec, UploadedTable
from tests.e2e.conftest import _free_port, start_server, wait_until_idle

pytestmark = pytest.mark.browser
EDITOR, VIEWER = "ed@council.gov.uk", "eve@elsewhere.org"


@pytest.fixture(scope="module")
def provider_url():
    import oidc_provider_mock

    # The package's own WSGI app on 127.0.0.1 (its thread helper binds "localhost", which may be IPv6).
    server = werkzeug.serving.make_server("127.0.0.1", 0, oidc_provider_mock.app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def signed_app(provider_url, tmp_path_factory):
    folder = tmp_path_factory.mktemp("sign_in")
    port = _free_port()
    secrets_file = folder / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "placemap-test"\n'
        'client_secret = "not-a-real-secret"\n'
        f'server_metadata_url = "{provider_url}/.well-known/openid-configuration"\n'
        "[placemap.roles]\n"
        f'editors = ["{EDITOR}"]\n'
        "moderators = []\n"
    )
    db_path = folder / "placemap.db"
    db = store.open_store(f"sqlite:///{db_path}")
    values = pd.DataFrame({"v": [1.0, 2.0]}, index=pd.Index(["E01012662", "E01012663"], name="area_code"))
    table = UploadedTable("x", "Editor's referrals", "Council", "lsoa21", values, [ColumnSpec("v", "V")])
    share_id = upload_store.save_upload(
        db, "indicators", table.name, table.source, table.to_payload(), "lsoa21", 2, owner=f"user:{EDITOR}"
    )
    db.close()
    env = {"PLACEMAP_DB_PATH": str(db_path), "DATABASE_URL": "", "PLACEMAP_FACILITATOR_PASSCODE": ""}
    process = start_server(port, env=env, args=("--secrets.files", str(secrets_file)))
    yield f"http://127.0.0.1:{port}", share_id
    process.terminate()
    process.wait(timeout=20)


def _sign_in(page, url: str, who: str) -> None:
    page.goto(f"{url}/about")
    page.get_by_role("button", name="Sign in").click(timeout=120_000)  # the first run of a page can be slow
    page.locator('input[name="sub"]').wait_for(timeout=30_000)  # the provider's own login form
    page.locator('input[name="sub"]').fill(who)
    page.get_by_role("button", name="Authorize").click()
    page.get_by_text("Signed in as").wait_for(timeout=60_000)
    wait_until_idle(page)


def _upload_tab(page, url: str) -> None:
    page.goto(f"{url}/upload")
    page.get_by_role("tab", name="Your datasets").click(timeout=120_000)
    wait_until_idle(page)


def test_an_editor_signs_in_and_sees_the_save_and_delete_controls(page, signed_app):
    url, _share_id = signed_app
    _sign_in(page, url, EDITOR)
    assert page.get_by_text(f"Signed in as {EDITOR} (editor).").is_visible()
    _upload_tab(page, url)
    assert page.get_by_text("Editor's referrals").is_visible()
    assert page.get_by_role("button", name="Delete").count() == 1
    page.goto(f"{url}/initiatives")
    page.get_by_text("Record an initiative").wait_for(timeout=120_000)
    wait_until_idle(page)
    assert page.get_by_role("button", name="Save the initiative").count() == 1
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="End session").click(timeout=60_000)  # the provider confirms the sign-out
    page.get_by_role("button", name="Sign in").wait_for(timeout=120_000)
    assert page.get_by_text("Signed in as").count() == 0


def test_a_signed_in_viewer_sees_no_save_or_delete_controls(page, signed_app):
    url, share_id = signed_app
    _sign_in(page, url, VIEWER)
    assert page.get_by_text(f"Signed in as {VIEWER} (viewer).").is_visible()
    _upload_tab(page, url)
    assert page.get_by_role("button", name="Delete").count() == 0
    assert page.get_by_text("Editor's referrals").count() == 0
    assert share_id not in page.content()
    page.goto(f"{url}/initiatives")
    page.get_by_text("Record an initiative").wait_for(timeout=120_000)
    wait_until_idle(page)
    assert page.get_by_role("button", name="Save the initiative").count() == 0
    assert page.get_by_text("This needs the editor role; you are signed in as a viewer.").is_visible()


def test_without_signing_in_the_page_offers_sign_in_and_no_save(page, signed_app):
    url, _share_id = signed_app
    page.goto(f"{url}/initiatives")
    page.get_by_text("Record an initiative").wait_for(timeout=120_000)
    wait_until_idle(page)
    page.get_by_role("button", name="Sign in").wait_for(timeout=60_000)  # visible: wait_for fails otherwise
    assert page.get_by_role("button", name="Save the initiative").count() == 0
