"""The reports page lists the caller's notifications and the administration's reports."""

from reports import jobs


def test_the_page_needs_a_signed_in_user(client):
    response = client.get("/reports/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/reports/")


def test_the_page_lists_reports_of_the_callers_administration_only(
    client, app, make_token, submitted_event
):
    with app.extensions["db"].session(write=True) as session:
        jobs.accept_submission(submitted_event(), session=session, enqueue=lambda job_id: None)
    client.set_cookie("sc_session", make_token("coord-1", "adm-1", ("coordinator",)))
    page = client.get("/reports/?lang=fr").get_data(as_text=True)
    assert "Rapports de votre administration" in page
    assert "Readiness 2026" in page and "En attente" in page
    client.set_cookie("sc_session", make_token("coord-9", "adm-9", ("coordinator",)))
    other = client.get("/reports/?lang=en").get_data(as_text=True)
    assert "Readiness 2026" not in other
    assert "Nothing yet." in other


def test_the_unread_badge_uses_the_language_plural_forms_never_s_in_brackets(client, make_token):
    client.set_cookie("sc_session", make_token("coord-1", "adm-1", ("coordinator",)))
    french = client.get("/reports/?lang=fr").get_data(as_text=True)
    assert ">0 non lue</span>" in french  # French: 0 takes the singular
    assert 'data-one="{count} non lue" data-other="{count} non lues"' in french
    assert "(s)" not in french
    english = client.get("/reports/?lang=en").get_data(as_text=True)
    assert ">0 unread</span>" in english
    assert 'data-one="{count} unread" data-other="{count} unread"' in english
