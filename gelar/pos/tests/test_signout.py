"""Signing out removes what the till keeps on the device: the server's part.

The answer to the sign-out POST tells the browser to empty its HTTP cache
(Clear-Site-Data: "cache"), and the sign-out page loads gelar/static/pos/signout.js,
which deletes the till's caches, service workers and (when no sale waits to sync) its
IndexedDB first; tests/browser/test_pos_journey.py checks that part in Chromium.
"""

import pytest
from django.contrib.auth import get_user
from django.templatetags.static import static
from django.utils.html import escape
from django.utils.translation import gettext as _

from gelar.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client):
    client.force_login(make_user(email="kasir@batik.test"))
    return client


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_sign_out_answer_clears_the_http_cache_only(signed_in, prefix):
    response = signed_in.post(f"{prefix}/akun/logout/")

    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache"'
    assert not get_user(signed_in).is_authenticated


def test_the_sign_out_page_loads_the_tills_cleanup(signed_in):
    response = signed_in.get("/akun/logout/")

    assert response.status_code == 200
    page = response.content.decode()
    assert f'<script src="{static("pos/signout.js")}"></script>' in page
    assert 'action="/akun/logout/"' in page
    note = _(
        "Booth sales made offline on this device and still waiting to sync: %(count)s. "
        "They stay on this device and are synced when the till is opened again, signed in."
    )
    assert f'data-text="{escape(note)}"' in page
    # Still signed in: the page only asks.
    assert get_user(signed_in).is_authenticated
    assert "Clear-Site-Data" not in response


def test_signed_out_the_sign_out_page_sends_on(client):
    response = client.get("/akun/logout/")

    assert response.status_code == 302
    assert "Clear-Site-Data" not in response
