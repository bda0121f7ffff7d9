"""Answering a shared module once: offered as pre-filled in the other tool, confirmed to count."""

import pytest

from ..conftest import BASE

AI, CHAIN = "ai-ml-readiness", "blockchain-readiness"
# Indicators the Blockchain tool reuses from the AI/ML tool's modules, and one it does not.
SHARED = {"strategy.evidence": 4, "governance.steering": 2, "skills.partnerships": "dont_know"}
AI_ONLY = {"strategy.plan": 3}


def _start(client, headers, key, title="Readiness"):
    created = client.post(
        f"{BASE}/assessments", json={"title": title, "framework_key": key}, headers=headers
    )
    assert created.status_code == 201, created.json
    return created.json["id"]


def _answer(client, headers, aid, values, confidence="high"):
    for key, value in values.items():
        saved = client.put(
            f"{BASE}/assessments/{aid}/answers/{key}",
            json={"value": value, "confidence": confidence},
            headers=headers,
        )
        assert saved.status_code == 200, saved.json


def _submitted(client, headers, key, values, title="AI/ML 2026"):
    aid = _start(client, headers, key, title)
    _answer(client, headers, aid, values)
    assert client.post(f"{BASE}/assessments/{aid}/submit", headers=headers).status_code == 200
    return aid


def _offers(client, headers, aid):
    listed = client.get(f"{BASE}/assessments/{aid}/prefill", headers=headers)
    assert listed.status_code == 200, listed.json
    return {o["indicator"]: o for o in listed.json}


def _area(client, headers, aid, key):
    results = client.get(f"{BASE}/assessments/{aid}/results", headers=headers).json
    return next(a for a in results["areas"] if a["area"] == key)


@pytest.fixture
def ai_submitted(client, auth):
    return _submitted(client, auth(), AI, {**SHARED, **AI_ONLY})


def test_a_submitted_shared_module_is_offered_and_counts_only_once_confirmed(
    client, auth, ai_submitted
):
    chain = _start(client, auth(), CHAIN)
    offers = _offers(client, auth(), chain)
    assert {k: o["value"] for k, o in offers.items()} == SHARED  # never strategy.plan
    assert offers["strategy.evidence"]["area"] == "strategy"
    assert offers["strategy.evidence"]["confidence"] == "high"
    assert offers["strategy.evidence"]["source"]["assessment_id"] == ai_submitted
    assert offers["strategy.evidence"]["source"]["framework"] == {"key": AI, "version": "1.0"}
    assert _area(client, auth(), chain, "strategy")["coverage"] == 0  # not counted yet

    confirmed = client.post(f"{BASE}/assessments/{chain}/prefill/confirm", headers=auth())
    assert confirmed.status_code == 200, confirmed.json
    assert {a["indicator"]: a["value"] for a in confirmed.json} == SHARED
    assert _area(client, auth(), chain, "strategy")["score"] == 4.0
    assert _offers(client, auth(), chain) == {}  # confirmed: agreed answers now
    history = client.get(f"{BASE}/assessments/{chain}/history", headers=auth()).json
    entry = next(h for h in history if h["action"] == "prefill_confirmed")
    assert entry["detail"]["sources"] == [ai_submitted]


def test_the_coordinator_confirms_some_offers_and_only_offered_ones(client, auth, ai_submitted):
    chain = _start(client, auth(), CHAIN)
    client.put(
        f"{BASE}/assessments/{chain}/participants/resp-1", json={"name": "Awa"}, headers=auth()
    )
    respondent = auth(sub="resp-1", roles=("respondent",))
    assert set(_offers(client, respondent, chain)) == set(SHARED)  # respondents see them
    refused = client.post(
        f"{BASE}/assessments/{chain}/prefill/confirm", json={"indicators": []}, headers=respondent
    )
    assert refused.status_code == 403
    wrong = client.post(
        f"{BASE}/assessments/{chain}/prefill/confirm",
        json={"indicators": ["strategy.evidence", "strategy.plan"]},
        headers=auth(),
    )
    assert wrong.status_code == 409 and wrong.json["code"] == "not_prefilled"
    assert "strategy.plan" in str(wrong.json["errors"])
    one = client.post(
        f"{BASE}/assessments/{chain}/prefill/confirm",
        json={"indicators": ["governance.steering"]},
        headers=auth(),
    )
    assert [a["indicator"] for a in one.json] == ["governance.steering"]
    assert set(_offers(client, auth(), chain)) == {"strategy.evidence", "skills.partnerships"}


def test_another_administration_never_prefills_and_never_sees_the_offers(client, auth):
    other = auth(sub="coord-9", administration_id="adm-2")
    _submitted(client, other, AI, SHARED)
    chain = _start(client, auth(), CHAIN)
    assert _offers(client, auth(), chain) == {}
    assert client.get(f"{BASE}/assessments/{chain}/prefill", headers=other).status_code == 404
    stolen = client.post(f"{BASE}/assessments/{chain}/prefill/confirm", headers=other)
    assert stolen.status_code == 404


def test_answers_in_progress_are_not_offered_and_the_offer_works_both_ways(client, auth):
    draft = _start(client, auth(), AI)
    _answer(client, auth(), draft, SHARED)
    chain = _start(client, auth(), CHAIN)
    assert _offers(client, auth(), chain) == {}  # a draft is not the team's position
    _answer(client, auth(), chain, {"skills.partnerships": 5, "bc.uc.problem": 2})
    assert client.post(f"{BASE}/assessments/{chain}/submit", headers=auth()).status_code == 200
    assert {k: o["value"] for k, o in _offers(client, auth(), draft).items()} == {
        "skills.partnerships": 5
    }


def test_the_questionnaire_page_shows_unconfirmed_prefills_and_confirms_them(
    client, auth, make_token, ai_submitted
):
    chain = _start(client, auth(), CHAIN)
    client.set_cookie("sc_session", make_token("coord-1", "adm-1", ("coordinator",)))
    client.set_cookie("sc_csrf", "csrf-123")
    html = client.get(f"/assessment/{chain}/areas/strategy?lang=fr").get_data(as_text=True)
    assert "Réponses préremplies" in html and "Non confirmé" in html
    assert 'data-prefilled="4"' in html and "« AI/ML 2026 »" in html
    assert "Confirmer les réponses préremplies" in html
    assert "1 réponse est préremplie" in html  # one offer in this area: singular
    form = {"csrf_token": "csrf-123", "indicator": ["strategy.evidence"]}
    posted = client.post(f"/assessment/{chain}/areas/strategy/prefill", data=form)
    assert posted.status_code == 302, posted.get_data(as_text=True)
    after = client.get(f"/assessment/{chain}/areas/strategy?lang=fr").get_data(as_text=True)
    assert 'data-agreed="4"' in after and "Non confirmé" not in after
    assert "Réponse retenue : Avancé (4)" in after


def test_the_start_form_offers_every_published_tool(client, make_token):
    client.set_cookie("sc_session", make_token("coord-1", "adm-1", ("coordinator",)))
    client.set_cookie("sc_csrf", "csrf-123")
    page = client.get("/assessment/?lang=fr").get_data(as_text=True)
    assert 'value="ai-ml-readiness"' in page and 'value="blockchain-readiness"' in page
    assert "Auto-évaluation de la préparation à la chaîne de blocs pour les douanes" in page
    created = client.post(
        "/assessment/new",
        data={"title": "Chaîne 2026", "framework_key": CHAIN, "csrf_token": "csrf-123"},
    )
    assert created.status_code == 302
    overview = client.get(created.headers["Location"] + "?lang=fr").get_data(as_text=True)
    assert "Cas d&#39;usage et justification économique" in overview
    listing = client.get("/assessment/?lang=fr").get_data(as_text=True)
    assert "Chaîne 2026" in listing and "chaîne de blocs pour les douanes 1.0" in listing


def test_a_published_framework_may_reuse_a_published_module_and_a_wrong_one_is_refused(
    client, auth
):
    operator = auth(sub="op", administration_id=None, roles=("operator",))
    document = {
        "key": "cloud-readiness",
        "version": "0.1",
        "title": {"en": "Cloud readiness", "fr": "Préparation à l'informatique en nuage"},
        "description": {"en": "Cloud", "fr": "Nuage"},
        "levels": [{"value": n, "name": {"en": f"L{n}", "fr": f"N{n}"}} for n in range(1, 6)],
        "areas": [{"reuse": "ai-ml-readiness@1.0/skills", "indicators": ["skills.partnerships"]}],
    }
    published = client.post(f"{BASE}/frameworks", json={"document": document}, headers=operator)
    assert published.status_code == 201, published.json
    stored = client.get(f"{BASE}/frameworks/cloud-readiness/0.1", headers=auth()).json
    (area,) = stored["document"]["areas"]
    assert area["origin"] == {"framework": AI, "version": "1.0", "area": "skills"}
    document.update(version="0.2", areas=[{"reuse": "ai-ml-readiness@7.0/skills"}])
    refused = client.post(
        f"{BASE}/frameworks",
        json={"document": document},
        headers={**operator, "Accept-Language": "fr"},
    )
    assert refused.status_code == 422 and refused.json["code"] == "invalid_framework"
    assert "référence inconnue ai-ml-readiness@7.0/skills : aucun référentiel" in str(
        refused.json["errors"]
    )
