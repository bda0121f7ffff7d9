"""The peer-learning API: opting in and out, regional aggregates for signed-in members and an
assessment's comparison, with tenancy (another administration gets 404) and the k-threshold."""

from datetime import datetime, timedelta

import pytest

from assessment import create_app

from ..peers_support import BASE, FRAMEWORK, coordinator, submitted

AGGREGATES = f"{BASE}/peer-aggregates"


def _learning(aid):
    return f"{BASE}/assessments/{aid}/peer-learning"


@pytest.fixture
def version(client, auth):
    listed = client.get(f"{BASE}/frameworks", headers=auth()).json
    return [f for f in listed if f["key"] == FRAMEWORK][-1]["version"]


@pytest.fixture
def mine(client, auth):
    """A submitted assessment of adm-1 (strategy 3, data 4)."""
    return submitted(client, auth, "adm-1", {"strategy": 3, "data": 4})


def test_a_coordinator_opts_a_submitted_assessment_in_and_out(client, auth, mine, version):
    headers = coordinator(auth, "adm-1")
    assert client.get(_learning(mine), headers=headers).json["opted_in"] is False

    joined = client.put(_learning(mine), json={"region": "wca"}, headers=headers)
    assert joined.status_code == 200, joined.json
    assert joined.json["opted_in"] is True
    assert joined.json["region"] == "wca"
    assert joined.json["region_name"] == {
        "en": "West and Central Africa",
        "fr": "Afrique occidentale et centrale",
    }
    assert joined.json["framework"] == {"key": FRAMEWORK, "version": version}
    assert datetime.fromisoformat(joined.json["opted_in_at"]).utcoffset() == timedelta(0)
    assert client.get(_learning(mine), headers=headers).json == joined.json

    assert client.delete(_learning(mine), headers=headers).status_code == 204
    status = client.get(_learning(mine), headers=headers).json
    assert (status["opted_in"], status["region"], status["can_opt_in"]) == (False, None, True)
    assert client.delete(_learning(mine), headers=headers).status_code == 204  # idempotent


def test_opting_in_refuses_an_open_assessment_a_respondent_and_an_unknown_region(
    client, auth, started, mine
):
    headers = auth()  # coord-1 of adm-1
    refused = client.put(_learning(started), json={"region": "wca"}, headers=headers)
    assert refused.status_code == 409 and refused.json["code"] == "assessment_not_submitted"
    assert client.get(_learning(started), headers=headers).json["can_opt_in"] is False

    respondent = auth("resp-1", "adm-1", ("respondent",))
    refused = client.put(_learning(mine), json={"region": "wca"}, headers=respondent)
    assert refused.status_code == 403
    machine = auth("client-1", "adm-1", ("client",))
    assert client.put(_learning(mine), json={"region": "wca"}, headers=machine).status_code == 403

    unknown = client.put(_learning(mine), json={"region": "atlantis"}, headers=headers)
    assert unknown.status_code == 422 and "region" in unknown.json["errors"]


def test_an_administration_in_one_region_cannot_join_another_with_a_second_assessment(
    client, auth, mine
):
    headers = coordinator(auth, "adm-1")
    client.put(_learning(mine), json={"region": "wca"}, headers=headers)
    second = submitted(client, auth, "adm-1", {"strategy": 2})
    refused = client.put(_learning(second), json={"region": "esa"}, headers=headers)
    assert refused.status_code == 409 and refused.json["code"] == "peer_region_conflict"
    assert (
        "autre région"
        in client.put(
            _learning(second), json={"region": "esa"}, headers={**headers, "Accept-Language": "fr"}
        ).json["title"]
    )


def test_another_administration_gets_404_for_every_peer_operation(client, auth, mine):
    stranger = coordinator(auth, "adm-2")
    for response in (
        client.get(_learning(mine), headers=stranger),
        client.put(_learning(mine), json={"region": "wca"}, headers=stranger),
        client.delete(_learning(mine), headers=stranger),
        client.get(f"{BASE}/assessments/{mine}/peer-comparison", headers=stranger),
        client.get(f"{BASE}/assessments/{mine}/peer-comparison?region=wca", headers=stranger),
    ):
        assert response.status_code == 404 and response.json["code"] == "not_found"
    assert client.get(_learning(mine), headers=coordinator(auth, "adm-1")).json["opted_in"] is False


def test_aggregates_are_for_signed_in_callers_and_name_a_known_framework(client, auth, version):
    query = {"region": "wca", "framework": FRAMEWORK, "version": version}
    assert client.get(AGGREGATES, query_string=query).status_code == 401
    member = auth("member-1", "adm-7", ("member",))
    shown = client.get(AGGREGATES, query_string=query, headers=member)
    assert shown.status_code == 200, shown.json
    assert shown.json["region_name"]["fr"] == "Afrique occidentale et centrale"
    assert shown.json["reminder"]["en"].startswith("Not a benchmark")
    assert "benchmark" in shown.json["reminder"]["fr"]
    assert {a["status"] for a in shown.json["areas"]} == {"not_enough_participants"}
    unknown = client.get(AGGREGATES, query_string={**query, "version": "9.9"}, headers=member)
    assert unknown.status_code == 422 and unknown.json["code"] == "unknown_framework"
    bad_region = client.get(AGGREGATES, query_string={**query, "region": "xx"}, headers=member)
    assert bad_region.status_code == 422


def test_the_comparison_shows_own_scores_with_the_reminder_and_the_opted_in_region(
    client, auth, mine
):
    headers = coordinator(auth, "adm-1")
    alone = client.get(f"{BASE}/assessments/{mine}/peer-comparison", headers=headers)
    assert alone.status_code == 200, alone.json
    areas = {a["area"]: a for a in alone.json["areas"]}
    assert (areas["strategy"]["own_score"], areas["data"]["own_score"]) == (3.0, 4.0)
    assert areas["strategy"]["peers"] is None and alone.json["region"] is None
    assert alone.json["reminder"]["fr"].startswith("Ce n'est pas un classement")

    client.put(_learning(mine), json={"region": "wca"}, headers=headers)
    compared = client.get(f"{BASE}/assessments/{mine}/peer-comparison", headers=headers).json
    assert (compared["opted_in_region"], compared["region"]) == ("wca", "wca")
    strategy = next(a for a in compared["areas"] if a["area"] == "strategy")
    assert strategy["peers"] == {
        "area": "strategy",
        "name": strategy["name"],
        "status": "not_enough_participants",
    }
    other = client.get(
        f"{BASE}/assessments/{mine}/peer-comparison",
        query_string={"region": "eur"},
        headers=headers,
    ).json
    assert other["region"] == "eur" and other["opted_in_region"] == "wca"


def test_a_threshold_raised_since_the_last_recomputation_hides_the_figures_at_once(
    app, client, auth, version
):
    for n in range(5):
        aid = submitted(client, auth, f"adm-{n}", {"strategy": n + 1})
        joined = client.put(
            _learning(aid), json={"region": "wca"}, headers=coordinator(auth, f"adm-{n}")
        )
        assert joined.status_code == 200, joined.json
    query = {"region": "wca", "framework": FRAMEWORK, "version": version}
    member = auth("member-1", "adm-7", ("member",))
    strategy = next(
        a
        for a in client.get(AGGREGATES, query_string=query, headers=member).json["areas"]
        if a["area"] == "strategy"
    )
    assert (strategy["status"], strategy["median"]) == ("published", 3.0)

    app.config["ASSESSMENT_PEER_MIN_ADMINISTRATIONS"] = 6  # the stored figures are still there
    shown = client.get(AGGREGATES, query_string=query, headers=member).json
    assert shown["threshold"] == 6
    assert {a["status"] for a in shown["areas"]} == {"not_enough_participants"}
    assert all(set(a) == {"area", "name", "status"} for a in shown["areas"])


def test_the_service_refuses_to_start_with_a_threshold_below_five(service_config):
    with pytest.raises(ValueError, match="ASSESSMENT_PEER_MIN_ADMINISTRATIONS"):
        create_app({**service_config, "ASSESSMENT_PEER_MIN_ADMINISTRATIONS": 4})
