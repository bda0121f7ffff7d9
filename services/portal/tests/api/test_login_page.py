from portal.demo import DEMO_PASSWORD
from portal.pages import safe_next

ME = "/api/v1/portal/me"


def _form(client, **values):
    client.get("/login")  # sets the CSRF cookie
    csrf = client.get_cookie("sc_csrf").value
    data = {
        "email": "coordinator@demo.example",
        "password": DEMO_PASSWORD,
        "csrf_token": csrf,
        **values,
    }
    return client.post("/login", data=data)


def test_the_sign_in_form_is_bilingual_and_carries_a_csrf_token(client):
    english = client.get("/login?next=/assessment/")
    assert english.status_code == 200
    page = english.get_data(as_text=True)
    assert 'name="csrf_token" value="' in page
    assert 'name="next" value="/assessment/"' in page
    assert client.get_cookie("sc_csrf") is not None
    french = client.get("/login?lang=fr").get_data(as_text=True)
    assert "Mot de passe" in french


def test_signing_in_sets_the_session_cookie_that_every_page_and_api_accepts(client, demo):
    response = _form(client, next="/assessment/")
    assert response.status_code == 303
    assert response.headers["Location"] == "/assessment/"
    cookies = response.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("sc_session="))
    assert "HttpOnly" in session_cookie
    assert "SameSite=Lax" in session_cookie
    assert client.get(ME).json["email"] == "coordinator@demo.example"
    assert "Demo Coordinator" in client.get("/").get_data(as_text=True)


def test_a_wrong_password_shows_the_form_again_with_the_reason(client, demo):
    response = _form(client, password="not-the-password")
    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert "The e-mail address or password is incorrect" in page
    assert 'value="coordinator@demo.example"' in page
    assert client.get_cookie("sc_session") is None


def test_a_form_without_the_csrf_cookie_is_refused(client, demo):
    response = client.post(
        "/login",
        data={
            "email": "coordinator@demo.example",
            "password": DEMO_PASSWORD,
            "csrf_token": "guess",
        },
    )
    assert response.status_code == 400
    assert client.get_cookie("sc_session") is None


def test_signing_in_never_redirects_to_another_site(client, demo):
    response = _form(client, next="//evil.example/")
    assert response.headers["Location"] == "/"
    assert safe_next("https://evil.example/") == "/"
    assert safe_next("/\\evil.example") == "/"
    assert safe_next("/reports/?x=1") == "/reports/?x=1"


def test_signing_out_forgets_the_session(client, demo):
    _form(client)
    assert client.get(ME).status_code == 200
    response = client.post("/logout")
    assert response.status_code == 303
    assert client.get_cookie("sc_session") is None
    assert client.get(ME).status_code == 401
