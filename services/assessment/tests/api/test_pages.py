"""The assessment pages render for a signed-in session, in English, French and Portuguese."""

import pytest

from ..conftest import BASE


@pytest.fixture
def signed_in(client, make_token):
    def sign_in(sub="coord-1", roles=("coordinator",), administration_id="adm-1"):
        client.set_cookie("sc_session", make_token(sub, administration_id, roles))
        client.set_cookie("sc_csrf", "csrf-123")
        return client

    return sign_in


def test_pages_need_a_signed_in_user(client):
    response = client.get("/assessment/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/assessment/")


def test_a_coordinator_starts_answers_and_reads_results_in_french(signed_in, indicators):
    b = signed_in()
    created = b.post(
        "/assessment/new",
        data={"title": "Évaluation 2026", "language": "fr", "csrf_token": "csrf-123"},
    )
    assert created.status_code == 302
    overview_url = created.headers["Location"]
    page = b.get(overview_url + "?lang=fr").get_data(as_text=True)
    assert "Évaluation 2026" in page and "Avancement par domaine" in page
    aid = overview_url.rstrip("/").rsplit("/", 1)[-1]
    form = {"csrf_token": "csrf-123"}
    form.update({f"value-{k}": "2" for k in indicators["data"]})
    saved = b.post(f"/assessment/{aid}/areas/data", data=form)
    assert saved.status_code == 302 and "saved=1" in saved.headers["Location"]
    # The bars' widths are classes (the policy refuses style attributes): data is done, 100 %.
    overview = b.get(overview_url).get_data(as_text=True)
    assert f'aria-valuenow="{len(indicators["data"])}"' in overview
    assert '<span class="pct-100"></span>' in overview and '<span class="pct-0"></span>' in overview
    area = b.get(f"/assessment/{aid}/areas/data").get_data(as_text=True)
    assert '<span class="pct-100"></span>' in area
    results = b.get(f"/assessment/{aid}/results?lang=fr").get_data(as_text=True)
    assert "<svg" in results and "Feuille de route" in results and "Données" in results
    assert "2 — En développement" in results


def test_a_form_without_the_csrf_token_is_refused(signed_in):
    b = signed_in()
    response = b.post("/assessment/new", data={"title": "x"})
    assert response.status_code == 403


def test_another_administration_gets_a_404_page(signed_in, client, auth, started):
    b = signed_in(sub="coord-9", administration_id="adm-2")
    response = b.get(f"/assessment/{started}", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert "text/html" in response.content_type


def test_every_page_renders_in_both_languages(signed_in, client, auth, started, indicators):
    client.put(
        f"{BASE}/assessments/{started}/answers/{indicators['data'][0]}",
        json={"value": 3},
        headers=auth(),
    )
    b = signed_in()
    for path in (
        "/assessment/",
        f"/assessment/{started}",
        f"/assessment/{started}/areas/data",
        f"/assessment/{started}/consensus",
        f"/assessment/{started}/results",
    ):
        for lang in ("en", "fr"):
            response = b.get(f"{path}?lang={lang}")
            assert response.status_code == 200, (path, lang)
            assert f'<html lang="{lang}">' in response.get_data(as_text=True)


def test_a_respondent_cannot_start_an_assessment_from_the_page(signed_in, client):
    b = signed_in(sub="resp-1", roles=("respondent",))
    response = b.post("/assessment/new", data={"title": "Mine", "csrf_token": "csrf-123"})
    assert response.status_code == 302 and "error=forbidden" in response.headers["Location"]
    coordinator = signed_in()
    assert "Mine" not in coordinator.get("/assessment/").get_data(as_text=True)


def test_a_form_with_a_control_character_is_refused_in_french_and_nothing_is_created(signed_in):
    b = signed_in()
    response = b.post(
        "/assessment/new?lang=fr",
        data={"title": "Plan\x0b2027", "language": "fr", "csrf_token": "csrf-123"},
        headers={"Accept": "text/html"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "text/html" in response.content_type and "contrôle" in page and "U+000B" in page
    assert "Plan" not in b.get("/assessment/").get_data(as_text=True)


def test_the_team_is_listed_by_name_and_e_mail_not_by_user_id(signed_in, started):
    b = signed_in()
    invited = b.post(
        f"/assessment/{started}/participants",
        data={
            "csrf_token": "csrf-123",
            "user_id": "user-4711",
            "name": "Awa Diop",
            "email": "awa.diop@douanes.example",
            "areas": ["data"],
        },
    )
    assert invited.status_code == 302
    b.post(
        f"/assessment/{started}/participants",
        data={"csrf_token": "csrf-123", "user_id": "user-4712", "name": "Jean K", "email": "x"},
    )
    page = b.get(f"/assessment/{started}?lang=fr").get_data(as_text=True)
    team = page[page.index('id="team-h"') : page.index('id="invite-form"')]
    email = '<span class="participant-email">&lt;awa.diop@douanes.example&gt;</span>'
    assert f"Awa Diop {email}" in team
    assert "Jean K <span" in team and "&lt;x&gt;" not in team  # an implausible address is dropped
    assert "user-4711" not in team and "user-4712" not in team
    assert '<input id="email" name="email" type="email"' in page and "Courriel (facultatif)" in page


def test_the_pages_speak_portuguese_from_the_catalog_with_the_content_in_english(
    signed_in, indicators
):
    b = signed_in()
    created = b.post("/assessment/new", data={"title": "Avaliação", "csrf_token": "csrf-123"})
    overview_url = created.headers["Location"]
    aid = overview_url.rstrip("/").rsplit("/", 1)[-1]
    overview = b.get(overview_url + "?lang=pt").get_data(as_text=True)
    assert "Progresso por domínio" in overview and "Submeter a avaliação" in overview
    dashboard = b.get("/assessment/?lang=pt").get_data(as_text=True)
    assert "Autoavaliações de preparação" in dashboard and "Em curso" in dashboard
    area = b.get(f"/assessment/{aid}/areas/data?lang=pt").get_data(as_text=True)
    assert "Grau de confiança" in area and "Não sei" in area
    assert "<h1>Data</h1>" in area  # no Portuguese in the content: English
    imports = b.get(f"/assessment/{aid}/imports?lang=pt").get_data(as_text=True)
    assert "Respostas em massa: Avaliação" in imports
    results = b.get(f"/assessment/{aid}/results?lang=pt").get_data(as_text=True)
    assert "Roteiro" in results and "Perfil de preparação" in results
