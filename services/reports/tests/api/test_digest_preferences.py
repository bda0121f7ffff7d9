"""A member chooses whether their forum notifications also come as an e-mail digest (none by
default, daily or weekly): their own choice only, over the API and on the reports page; a bad
value is a problem in the reader's language."""

import pytest

from reports import digests
from shared.auth import Principal

URL = "/api/v1/reports/notifications/preferences"


def _member(auth, sub="author-1", administration_id="adm-1"):
    return auth(sub, administration_id, ("respondent",))


def test_without_a_token_the_preferences_are_refused(client):
    assert client.get(URL).status_code == 401
    refused = client.put(URL, json={"frequency": "daily"})
    assert refused.status_code == 401
    assert refused.headers["Content-Type"] == "application/problem+json"


def test_the_digest_is_off_until_the_member_chooses_one(client, auth):
    assert client.get(URL, headers=_member(auth)).json == {"frequency": "none"}


def test_a_member_chooses_a_frequency_for_themselves_only(client, auth, app):
    author = _member(auth)
    assert client.put(URL, json={"frequency": "weekly"}, headers=author).json == {
        "frequency": "weekly"
    }
    assert client.get(URL, headers=author).json == {"frequency": "weekly"}
    # the same person from another administration (the forums are everyone's) sees it too
    assert client.get(URL, headers=_member(auth, administration_id="adm-2")).json == {
        "frequency": "weekly"
    }
    # anybody else still has none; their choice does not touch the author's
    other = _member(auth, "member-9")
    assert client.get(URL, headers=other).json == {"frequency": "none"}
    assert client.put(URL, json={"frequency": "daily"}, headers=other).status_code == 200
    assert client.put(URL, json={"frequency": "none"}, headers=author).status_code == 200
    with app.extensions["db"].session() as session:
        chosen = {
            who: digests.get_preference(
                session=session, principal=Principal(subject=who, administration_id="adm-1")
            )
            for who in ("author-1", "member-9")
        }
    assert chosen == {"author-1": "none", "member-9": "daily"}


def test_a_machine_client_has_no_digest(client, auth):
    machine = auth("author-1", "adm-1", ("client",))
    assert client.get(URL, headers=machine).status_code == 403
    assert client.put(URL, json={"frequency": "daily"}, headers=machine).status_code == 403


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "Must be one of: none, daily, weekly."), ("fr", "Doit être l'une des valeurs")],
)
def test_a_bad_frequency_is_a_problem_in_the_readers_language(client, auth, language, message):
    for body in ({"frequency": "hourly"}, {}, {"frequency": "daily", "extra": 1}):
        refused = client.put(URL, json=body, headers={**_member(auth), "Accept-Language": language})
        assert refused.status_code == 422
        assert refused.headers["Content-Type"] == "application/problem+json"
    refused = client.put(
        URL, json={"frequency": "hourly"}, headers={**_member(auth), "Accept-Language": language}
    )
    assert refused.json["code"] == "validation_failed"
    assert message in refused.json["errors"]["frequency"][0]
    assert client.get(URL, headers=_member(auth)).json == {"frequency": "none"}


def test_the_page_offers_the_choice_and_saves_it(client, make_token):
    client.set_cookie("sc_session", make_token("author-1", "adm-1", ("respondent",)))
    client.set_cookie("sc_csrf", "tok")
    page = client.get("/reports/?lang=fr").get_data(as_text=True)
    assert "Résumé par e-mail de vos notifications des forums" in page
    assert 'value="none" checked' in page
    saved = client.post(
        "/reports/notifications/digest", data={"csrf_token": "tok", "frequency": "daily"}
    )
    assert saved.status_code == 302
    assert saved.headers["Location"].endswith("/reports/?saved=digest#digest")
    page = client.get("/reports/?lang=pt&saved=digest").get_data(as_text=True)
    assert 'value="daily" checked' in page and 'id="digest-saved"' in page
    refused = client.post(
        "/reports/notifications/digest", data={"csrf_token": "tok", "frequency": "hourly"}
    )
    assert refused.status_code == 422
    forged = client.post("/reports/notifications/digest", data={"frequency": "weekly"})
    assert forged.status_code == 403
    assert 'value="daily" checked' in client.get("/reports/").get_data(as_text=True)


def test_a_machine_client_gets_no_choice_on_the_page(client, make_token):
    client.set_cookie("sc_session", make_token("svc-1", "adm-1", ("client",)))
    assert 'id="digest"' not in client.get("/reports/").get_data(as_text=True)


def test_a_visitor_whose_session_ended_is_sent_to_sign_in_and_nothing_changes(client, auth):
    client.set_cookie("sc_csrf", "tok")
    sent = client.post(
        "/reports/notifications/digest", data={"csrf_token": "tok", "frequency": "weekly"}
    )
    assert sent.status_code == 302
    assert sent.headers["Location"] == "/login?next=/reports/"
    assert client.get(URL, headers=_member(auth)).json == {"frequency": "none"}


def test_the_hint_describes_the_choice_on_the_page(client, make_token):
    client.set_cookie("sc_session", make_token("author-1", "adm-1", ("respondent",)))
    page = client.get("/reports/").get_data(as_text=True)
    assert '<fieldset aria-describedby="digest-hint">' in page
    assert '<p class="muted" id="digest-hint">Sent to the address of your account' in page
