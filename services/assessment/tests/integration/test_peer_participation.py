"""Opting assessments in and out of a regional peer aggregate, on the real database: each change
recomputes the stored aggregate in its own transaction (so do reopening and submitting again),
one score per administration, nothing but a count below five administrations, and the CLI
applies a new threshold."""

import pytest
from sqlalchemy import select

from assessment.models import HistoryEntry, PeerAggregate, PeerOptIn
from assessment.peers import participation
from shared.auth import Principal
from shared.errors import ApiError, NotFound

from ..peers_support import FRAMEWORK, coordinator, submitted

pytestmark = pytest.mark.integration

LEVELS = [1, 2, 3, 4, 5, 3]  # strategy level of adm-0 .. adm-5


def _coordinator(administration, roles=("coordinator",)):
    return Principal(f"coord-{administration}", administration, frozenset(roles))


def _opt_in(app, administration, aid, region="wca", roles=("coordinator",)):
    with app.extensions["db"].session(write=True) as session:
        status = participation.opt_in(
            session=session,
            principal=_coordinator(administration, roles),
            cache=app.extensions["frameworks"],
            assessment_id=aid,
            region=region,
        )
        return status["region"]


def _opt_out(app, administration, aid):
    with app.extensions["db"].session(write=True) as session:
        participation.opt_out(
            session=session,
            principal=_coordinator(administration),
            cache=app.extensions["frameworks"],
            assessment_id=aid,
        )


def _stored(app, region="wca"):
    """The stored aggregate rows of a region, by area: (participants, q1, median, q3)."""
    with app.extensions["db"].session() as session:
        rows = session.scalars(select(PeerAggregate).where(PeerAggregate.region == region))
        return {
            r.area: (r.participants, r.first_quartile, r.median, r.third_quartile) for r in rows
        }


@pytest.fixture
def administrations(client, auth):
    """Six administrations with a submitted assessment: strategy at LEVELS, data at 4."""
    return {
        f"adm-{n}": submitted(client, auth, f"adm-{n}", {"strategy": level, "data": 4})
        for n, level in enumerate(LEVELS)
    }


def test_four_opt_ins_store_only_a_count_and_the_fifth_stores_the_distribution(
    app, administrations
):
    for n in range(4):
        _opt_in(app, f"adm-{n}", administrations[f"adm-{n}"])
        stored = _stored(app)
        assert stored["strategy"] == (n + 1, None, None, None)  # never one's own value
        assert stored["governance"] == (0, None, None, None)  # unanswered: no score to count
    _opt_in(app, "adm-4", administrations["adm-4"])
    assert _stored(app)["strategy"] == (5, 2.0, 3.0, 4.0)
    assert _stored(app)["data"] == (5, 4.0, 4.0, 4.0)
    assert _stored(app)["governance"] == (0, None, None, None)


def test_opting_out_recomputes_at_once_and_below_five_the_figures_are_erased(app, administrations):
    for n in range(6):
        _opt_in(app, f"adm-{n}", administrations[f"adm-{n}"])
    assert _stored(app)["strategy"] == (6, 2.25, 3.0, 3.75)
    _opt_out(app, "adm-0", administrations["adm-0"])
    assert _stored(app)["strategy"] == (5, 3.0, 3.0, 4.0)
    _opt_out(app, "adm-1", administrations["adm-1"])
    assert _stored(app)["strategy"] == (4, None, None, None)
    _opt_out(app, "adm-1", administrations["adm-1"])  # again: nothing changes
    assert _stored(app)["strategy"] == (4, None, None, None)


def test_an_administration_counts_once_with_its_latest_opted_in_submission(
    app, client, auth, administrations
):
    for n in range(5):
        _opt_in(app, f"adm-{n}", administrations[f"adm-{n}"])
    newer = submitted(client, auth, "adm-0", {"strategy": 5})
    _opt_in(app, "adm-0", newer)
    # adm-0 now counts at 5 instead of 1: [2, 3, 4, 5, 5]
    assert _stored(app)["strategy"] == (5, 3.0, 4.0, 5.0)
    assert _stored(app)["data"] == (4, None, None, None)  # its newer one left data unanswered


def test_opting_in_is_for_a_coordinator_of_that_administration_and_a_submitted_assessment(
    app, client, auth, administrations
):
    with pytest.raises(NotFound):
        _opt_in(app, "adm-9", administrations["adm-0"])  # another administration
    with pytest.raises(ApiError) as refused:
        _opt_in(app, "adm-0", administrations["adm-0"], roles=("client",))
    assert refused.value.status == 403
    with pytest.raises(ApiError) as refused:
        _opt_in(app, "adm-0", administrations["adm-0"], region="atlantis")
    assert (refused.value.status, refused.value.errors) == (422, {"region": ["unknown region"]})
    started = client.post(
        "/api/v1/assessment/assessments",
        json={"title": "Open"},
        headers=coordinator(auth, "adm-0"),
    ).json["id"]
    with pytest.raises(ApiError) as refused:
        _opt_in(app, "adm-0", started)
    assert (refused.value.status, refused.value.code) == (409, "assessment_not_submitted")
    with app.extensions["db"].session() as session:
        assert session.scalars(select(PeerOptIn)).all() == []


def test_an_administration_contributes_to_one_region_only(app, client, auth, administrations):
    _opt_in(app, "adm-0", administrations["adm-0"], region="wca")
    other = submitted(client, auth, "adm-0", {"strategy": 2})
    with pytest.raises(ApiError) as refused:
        _opt_in(app, "adm-0", other, region="esa")
    assert (refused.value.status, refused.value.code) == (409, "peer_region_conflict")
    # Moving its only opted-in assessment is allowed, and leaves the first region at once.
    assert _opt_in(app, "adm-0", administrations["adm-0"], region="esa") == "esa"
    assert _stored(app, "wca")["strategy"] == (0, None, None, None)
    assert _stored(app, "esa")["strategy"] == (1, None, None, None)


def test_opting_in_and_out_is_in_the_history_with_the_region_only(app, administrations):
    aid = administrations["adm-0"]
    _opt_in(app, "adm-0", aid)
    _opt_in(app, "adm-0", aid)  # again, same region: no second entry
    _opt_out(app, "adm-0", aid)
    with app.extensions["db"].session() as session:
        entries = session.scalars(
            select(HistoryEntry)
            .where(HistoryEntry.assessment_id == aid, HistoryEntry.action.like("peer_%"))
            .order_by(HistoryEntry.id)
        ).all()
    assert [(e.action, e.detail) for e in entries] == [
        ("peer_opted_in", {"region": "wca"}),
        ("peer_opted_out", {"region": "wca"}),
    ]


def test_reopening_drops_the_contribution_at_once_and_submitting_again_brings_it_back(
    app, client, auth, administrations
):
    for n in range(6):
        _opt_in(app, f"adm-{n}", administrations[f"adm-{n}"])
    aid, headers = administrations["adm-5"], coordinator(auth, "adm-5")
    reopened = client.post(
        f"/api/v1/assessment/assessments/{aid}/reopen",
        json={"reason": "Corrections"},
        headers=headers,
    )
    assert reopened.status_code == 200, reopened.json
    assert _stored(app)["strategy"] == (5, 2.0, 3.0, 4.0)  # without adm-5's 3
    with app.extensions["db"].session() as session:
        row = session.scalar(select(PeerOptIn).where(PeerOptIn.administration_id == "adm-5"))
        assert (row.framework_key, row.region) == (FRAMEWORK, "wca")  # its opt-in stays

    results = client.get(f"/api/v1/assessment/assessments/{aid}/results", headers=headers).json
    for explained in next(a for a in results["areas"] if a["area"] == "strategy")["explanation"]:
        saved = client.put(
            f"/api/v1/assessment/assessments/{aid}/answers/{explained['indicator']}",
            json={"value": 5, "confidence": "high"},
            headers=headers,
        )
        assert saved.status_code == 200, saved.json
    again = client.post(f"/api/v1/assessment/assessments/{aid}/submit", headers=headers)
    assert again.status_code == 200, again.json
    # Counted again with its new submission: [1, 2, 3, 4, 5, 5]
    assert _stored(app)["strategy"] == (6, 2.25, 3.5, 4.75)


def test_the_cli_recompute_applies_a_raised_threshold_to_the_stored_figures(app, administrations):
    for n in range(6):
        _opt_in(app, f"adm-{n}", administrations[f"adm-{n}"])
    assert _stored(app)["strategy"] == (6, 2.25, 3.0, 3.75)
    app.config["ASSESSMENT_PEER_MIN_ADMINISTRATIONS"] = 7
    result = app.test_cli_runner().invoke(args=["peers", "recompute"])
    assert result.exit_code == 0, result.output
    assert "assessment: peer aggregate groups recomputed: 1" in result.output
    assert _stored(app)["strategy"] == (6, None, None, None)


def test_a_threshold_below_five_is_refused():
    with pytest.raises(ValueError):
        participation.threshold_of({"ASSESSMENT_PEER_MIN_ADMINISTRATIONS": 4})
    assert participation.threshold_of({}) == 5
