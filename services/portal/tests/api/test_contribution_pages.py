"""The members' contribution pages: share a file from a plain HTML form (multipart, CSRF),
follow its review, answer a change request; in English and French."""

import io

import pytest

from portal.contributions.models import Contribution

CSRF = "csrf-test-token"
PDF = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n"
API = "/api/v1/portal/contributions"


@pytest.fixture
def browser(app, people):
    """Return a test client signed in with the session cookie as one of ``people``."""

    def as_person(who: str, language: str = "en"):
        client = app.test_client()
        header = people[who].get("Authorization")
        if header:
            client.set_cookie("sc_session", header.removeprefix("Bearer "))
        client.set_cookie("sc_csrf", CSRF)
        client.set_cookie("lang", language)
        return client

    return as_person


def form(content=PDF, name="étude.pdf", **fields):
    return {
        "csrf_token": CSRF,
        "kind": "case_study",
        "title_en": "",
        "title_fr": "Scanner à conteneurs",
        "summary_fr": "Retour d'expérience",
        "technologies": ["ai"],
        "region": "",
        "visibility": "members",
        "file": (io.BytesIO(content), name),
        **fields,
    }


def post(client, path, data):
    return client.post(path, data=data, content_type="multipart/form-data")


def test_the_form_is_for_signed_in_members_in_their_language(browser):
    anonymous = browser("anonymous").get("/contribute")
    assert anonymous.status_code == 302 and anonymous.location.startswith("/login?next=/contribute")
    page = browser("member", "fr").get("/contribute")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Partager un document" in text and 'enctype="multipart/form-data"' in text
    assert "Share material" in browser("member").get("/contribute").get_data(as_text=True)
    assert browser("editor").get("/contribute").status_code == 403


def test_a_member_shares_a_file_and_follows_its_review_to_a_new_version(
    browser, client, people, count
):
    member = browser("member", "fr")
    sent = post(member, "/contribute", form())
    assert sent.status_code == 303, sent.get_data(as_text=True)
    detail_url = sent.location.split("?")[0]
    page = member.get(sent.location).get_data(as_text=True)
    assert "Merci : les éditeurs vont le relire." in page and "En relecture" in page
    assert "étude.pdf" in page and count(Contribution) == 1
    contribution_id = detail_url.rsplit("/", 1)[1]

    asked = client.post(
        f"{API}/{contribution_id}/request-changes",
        json={"note": "Ajoutez les résultats"},
        headers=people["editor"],
    )
    assert asked.status_code == 200
    page = member.get(detail_url).get_data(as_text=True)
    assert "Modifications demandées" in page and "Ajoutez les résultats" in page
    assert f'action="/contributions/{contribution_id}/versions"' in page

    again = post(
        member,
        f"{detail_url}/versions",
        {"csrf_token": CSRF, "note": "Fait", "file": (io.BytesIO(PDF + b"%v2"), "v2.pdf")},
    )
    assert again.status_code == 303
    page = member.get(detail_url).get_data(as_text=True)
    assert "Version 2" in page and "nouvelle version envoyée" in page and "Fait" in page
    listed = member.get("/contributions").get_data(as_text=True)
    assert "Scanner à conteneurs" in listed and "En relecture" in listed
    download = member.get(f"{API}/{contribution_id}/file")
    assert download.status_code == 200 and download.data == PDF + b"%v2"


def test_a_refused_file_shows_the_reason_keeps_the_input_and_stores_nothing(browser, count):
    member = browser("member", "fr")
    refused = post(member, "/contribute", form(b"<html><script>alert(1)</script>", "x.pdf"))
    assert refused.status_code == 415
    page = refused.get_data(as_text=True)
    assert "balisage ou script" in page and 'value="Scanner à conteneurs"' in page
    assert count(Contribution) == 0


def test_the_form_needs_its_csrf_token(browser, count):
    response = post(browser("member"), "/contribute", form(csrf_token="forged"))
    assert response.status_code == 403 and count(Contribution) == 0


def test_a_file_over_the_limit_is_refused_on_the_page(make_app, people, count):
    small = make_app(PORTAL_UPLOAD_MAX_BYTES=2048)
    client = small.test_client()
    client.set_cookie("sc_session", people["member"]["Authorization"].removeprefix("Bearer "))
    client.set_cookie("sc_csrf", CSRF)
    response = post(client, "/contribute", form(PDF + b"0" * 5000))
    assert response.status_code == 413
    assert "the file is larger than 2 KiB" in response.get_data(as_text=True)
    assert count(Contribution) == 0


def test_another_member_cannot_open_the_contribution_page(browser):
    sent = post(browser("member"), "/contribute", form())
    assert browser("other").get(sent.location).status_code == 404
    assert browser("respondent").get(sent.location).status_code == 404
