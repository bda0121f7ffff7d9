"""The results page's peer section: own scores beside the regional distribution in EN and FR,
the coordinator's opt-in form, and nothing of other administrations below five."""

import re

import pytest

from ..peers_support import BASE, coordinator, submitted

CSRF = "csrf-123"


@pytest.fixture
def browser(client, make_token):
    def sign_in(sub="coord-adm-0", administration_id="adm-0", roles=("coordinator",)):
        client.set_cookie("sc_session", make_token(sub, administration_id, roles))
        client.set_cookie("sc_csrf", CSRF)
        return client

    return sign_in


@pytest.fixture
def world(client, auth):
    """Five administrations with a submitted assessment (strategy 1..5)."""
    return [submitted(client, auth, f"adm-{n}", {"strategy": n + 1}) for n in range(5)]


def _row(page, area):
    found = re.search(
        rf'<tr data-area="{area}">(.*?)</tr>', page.split('id="peer-comparison"')[1], re.S
    )
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip()


def test_a_coordinator_opts_in_from_the_results_page_in_french(browser, world):
    b = browser()
    page = b.get(f"/assessment/{world[0]}/results?lang=fr").get_data(as_text=True)
    assert "Apprentissage entre pairs" in page
    assert "Ce n'est pas un classement de référence (benchmark)" in page
    assert "ne contribue à aucun agrégat régional" in page
    assert 'id="peer-comparison"' not in page  # no region yet: nothing to compare with

    sent = b.post(
        f"/assessment/{world[0]}/peer-learning", data={"region": "wca", "csrf_token": CSRF}
    )
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/results#peers")
    page = b.get(f"/assessment/{world[0]}/results?lang=fr").get_data(as_text=True)
    assert "contribue à l'agrégat de la région Afrique occidentale et centrale" in page
    assert _row(page, "strategy") == "Stratégie 1.0 Pas encore assez de participants"

    out = b.post(
        f"/assessment/{world[0]}/peer-learning", data={"action": "out", "csrf_token": CSRF}
    )
    assert out.status_code == 302
    page = b.get(f"/assessment/{world[0]}/results?lang=fr").get_data(as_text=True)
    assert "ne contribue à aucun agrégat régional" in page


def test_from_five_administrations_the_page_shows_the_distribution_in_english(
    browser, client, auth, world
):
    for n, aid in enumerate(world):
        joined = client.put(
            f"{BASE}/assessments/{aid}/peer-learning",
            json={"region": "wca"},
            headers=coordinator(auth, f"adm-{n}"),
        )
        assert joined.status_code == 200, joined.json
    page = browser().get(f"/assessment/{world[0]}/results?lang=en").get_data(as_text=True)
    assert "Not a benchmark" in page and "Regional median" in page
    assert _row(page, "strategy") == "Strategy 1.0 2.0 3.0 4.0 5"
    assert "Not enough participants yet" in _row(page, "data")
    assert not any(f"adm-{n}" in page for n in range(1, 5))


def test_a_respondent_sees_the_section_without_the_form(browser, client, auth):
    aid = submitted(client, auth, "adm-0", {"strategy": 2}, respondents=("resp-0",))
    b = browser("resp-0", "adm-0", ("respondent",))
    page = b.get(f"/assessment/{aid}/results").get_data(as_text=True)
    assert "Peer learning" in page and "Not a benchmark" in page
    assert 'name="region"' not in page


def test_a_refused_change_is_said_on_the_page_and_another_administration_gets_404(browser, world):
    b = browser()
    sent = b.post(
        f"/assessment/{world[0]}/peer-learning", data={"region": "xx", "csrf_token": CSRF}
    )
    assert sent.status_code == 302 and "peer_error=" in sent.headers["Location"]
    assert 'role="alert"' in b.get(sent.headers["Location"]).get_data(as_text=True)
    stranger = browser("coord-adm-9", "adm-9")
    refused = stranger.post(
        f"/assessment/{world[0]}/peer-learning",
        data={"region": "wca", "csrf_token": CSRF},
        headers={"Accept": "text/html"},
    )
    assert refused.status_code == 404
