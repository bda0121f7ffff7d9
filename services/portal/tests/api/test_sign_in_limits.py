"""Failed sign-ins are limited per account: a whole administration signs in from one address."""

import time

import pytest

from portal.demo import DEMO_PASSWORD
from portal.models import User, join_roles

from ..conftest import LOGIN

ROOM = {"REMOTE_ADDR": "198.51.100.7"}  # one administration, one address


@pytest.fixture
def limited(make_app):
    app = make_app(PORTAL_SIGNIN_ADDRESS_LIMIT=5, PORTAL_SIGNIN_WINDOW_S=2)
    return app, app.test_client()


def _officers(app, administration_id, count):
    passwords = app.extensions["portal.passwords"]
    hashed = passwords.hash(DEMO_PASSWORD)
    emails = [f"officer{n}@demo.example" for n in range(count)]
    with app.extensions["db"].session(write=True) as session, session.begin():
        for email in emails:
            session.add(
                User(
                    administration_id=administration_id,
                    email=email,
                    display_name=email,
                    password_hash=hashed,
                    roles_text=join_roles(("respondent",)),
                    language="fr",
                )
            )
    return emails


def _sign_in(client, email, password=DEMO_PASSWORD, **headers):
    return client.post(
        LOGIN, json={"email": email, "password": password}, environ_base=ROOM, headers=headers
    )


def test_forty_officers_sign_in_from_one_address_within_a_minute(limited, demo):
    app, client = limited
    for email in _officers(app, demo["demo"], 40):
        assert _sign_in(client, email).status_code == 200, email


def test_wrong_passwords_lock_one_account_briefly_and_no_other(limited, demo):
    app, client = limited
    officer, colleague = _officers(app, demo["demo"], 2)
    answers = [_sign_in(client, officer, "wrong-password").status_code for _ in range(20)]
    assert answers == [401] * 5 + [429] * 15
    refused = _sign_in(client, officer, **{"Accept-Language": "fr"})  # even the right password
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 2
    assert refused.mimetype == "application/problem+json"
    assert refused.json["code"] == "too_many_sign_in_attempts"
    assert "Trop de connexions échouées" in refused.json["title"]
    assert _sign_in(client, colleague).status_code == 200
    time.sleep(2.1)  # the window is short: the officer is not locked out for long
    assert _sign_in(client, officer).status_code == 200


def test_an_unknown_account_is_limited_exactly_like_a_real_one(limited, demo):
    app, client = limited
    (officer,) = _officers(app, demo["demo"], 1)
    unknown = [_sign_in(client, "nobody@demo.example", "x").status_code for _ in range(7)]
    known = [_sign_in(client, officer, "x").status_code for _ in range(7)]
    assert unknown == known == [401] * 5 + [429] * 2


def test_failures_from_many_addresses_add_up_to_the_account_limit(make_app, demo):
    app = make_app(PORTAL_SIGNIN_ADDRESS_LIMIT=5, PORTAL_SIGNIN_ACCOUNT_LIMIT=8)
    client = app.test_client()
    (officer,) = _officers(app, demo["demo"], 1)
    codes = []
    for n in range(10):
        address = {"REMOTE_ADDR": f"203.0.113.{n}"}
        response = client.post(
            LOGIN, json={"email": officer, "password": "x"}, environ_base=address
        )
        codes.append(response.status_code)
    assert codes == [401] * 8 + [429] * 2


def test_the_sign_in_page_says_why_in_the_readers_language(limited, demo):
    app, client = limited
    (officer,) = _officers(app, demo["demo"], 1)
    client.set_cookie("sc_csrf", "csrf-1")
    for _ in range(6):
        page = client.post(
            "/login?lang=fr",
            data={"email": officer, "password": "x", "csrf_token": "csrf-1"},
            environ_base=ROOM,
        )
    assert page.status_code == 429
    assert "Trop de connexions échouées" in page.get_data(as_text=True)
