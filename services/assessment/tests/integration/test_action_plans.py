"""Action plan use cases on the real database (SQLite or PostgreSQL): a plan from priorities,
actions added and changed by the coordinator, owners limited to their own actions' status and
evidence, evidence required for done, the log of changes, and tenancy."""

from datetime import date

import pytest
from sqlalchemy import select

from assessment.actions import plans
from assessment.actions.models import ActionLogEntry, PlanAction
from shared.auth import Principal
from shared.errors import ApiError, NotFound

from ..conftest import BASE

pytestmark = pytest.mark.integration

TODAY = date(2026, 12, 7)
COORD = Principal("coord-1", "adm-1", frozenset({"coordinator"}), name="Coordinator")
OWNER = Principal("resp-1", "adm-1", frozenset({"respondent"}), name="Awa")
OTHER_OWNER = Principal("resp-2", "adm-1", frozenset({"respondent"}), name="Binta")
STRANGER = Principal("coord-9", "adm-2", frozenset({"coordinator"}), name="Elsewhere")


@pytest.fixture
def answered(client, auth, started, indicators):
    """The started assessment with its data and governance indicators answered at level 1."""
    base = f"{BASE}/assessments/{started}"
    for area in ("data", "governance"):
        for key in indicators[area]:
            response = client.put(f"{base}/answers/{key}", json={"value": 1}, headers=auth())
            assert response.status_code == 200, response.json
    for user in ("resp-1", "resp-2"):
        invited = client.put(
            f"{base}/participants/{user}", json={"name": user.title(), "areas": []}, headers=auth()
        )
        assert invited.status_code == 200, invited.json
    return started


def _run(app, function, **kwargs):
    with app.extensions["db"].session(write=True) as session:
        return function(session=session, today=TODAY, **kwargs)


def _cache(app):
    return app.extensions["frameworks"]


def _plan(app, assessment_id, **kwargs):
    return _run(
        app,
        plans.create_plan,
        principal=COORD,
        cache=_cache(app),
        assessment_id=assessment_id,
        **kwargs,
    )


def _results(client, auth, assessment_id):
    return client.get(f"{BASE}/assessments/{assessment_id}/results", headers=auth()).json


def test_a_plan_from_priorities_has_one_action_per_priority_in_rank_order(
    app, client, auth, answered
):
    priorities = _results(client, auth, answered)["priorities"]
    assert len(priorities) > 3
    plan = _plan(app, answered, limit=3)
    assert [a["indicators"] for a in plan["actions"]] == [[p["indicator"]] for p in priorities[:3]]
    first, top = plan["actions"][0], priorities[0]
    assert first["recommendations"] == [top["recommendation"]["key"]]
    assert first["title"] == top["recommendation"]["text"]["en"]
    assert first["owner_id"] == "coord-1" and first["status"] == "planned"
    assert first["target_level"] == 3  # the area's target
    phase_months = {"0-6": 6, "6-18": 18, "18-36": 36}
    months = 6 if top["quick_win"] else phase_months[top["recommendation"]["horizon"]]
    assert first["target_date"] == date(
        2026 + (12 + months - 1) // 12, (12 + months - 1) % 12 + 1, 7
    )
    assert plan["counts"] == {"planned": 3, "in_progress": 0, "done": 0, "dropped": 0, "overdue": 0}


def test_chosen_priorities_make_the_plan_and_a_non_priority_is_refused(
    app, client, auth, answered, indicators
):
    priorities = _results(client, auth, answered)["priorities"]
    chosen = [priorities[2]["indicator"], priorities[0]["indicator"]]
    with pytest.raises(ApiError) as refused:
        _plan(app, answered, indicators=[*chosen, indicators["strategy"][0]])
    assert refused.value.status == 422 and refused.value.code == "not_a_priority"
    plan = _plan(app, answered, indicators=chosen)
    assert [a["indicators"][0] for a in plan["actions"]] == [chosen[1], chosen[0]]  # rank order


def test_a_second_plan_for_the_same_assessment_is_a_conflict(app, answered):
    _plan(app, answered, limit=1)
    with pytest.raises(ApiError) as refused:
        _plan(app, answered, limit=1)
    assert (refused.value.status, refused.value.code) == (409, "action_plan_exists")


def test_only_a_coordinator_creates_and_another_administration_finds_nothing(app, answered):
    with pytest.raises(ApiError) as refused:
        _run(
            app,
            plans.create_plan,
            principal=OWNER,
            cache=_cache(app),
            assessment_id=answered,
        )
    assert refused.value.status == 403
    with pytest.raises(NotFound):
        _run(app, plans.create_plan, principal=STRANGER, cache=_cache(app), assessment_id=answered)
    plan = _plan(app, answered, limit=1)
    with pytest.raises(NotFound):
        _run(app, plans.list_actions, principal=STRANGER, plan_id=plan["id"])
    with pytest.raises(NotFound):
        _run(app, plans.get_action, principal=STRANGER, action_id=plan["actions"][0]["id"])
    with pytest.raises(NotFound):
        _run(
            app,
            plans.get_plan,
            principal=STRANGER,
            cache=_cache(app),
            assessment_id=answered,
        )


def _add(app, plan_id, **fields):
    values = {"title": "Name data owners", "owner_id": "resp-1", "target_date": date(2027, 3, 31)}
    return _run(
        app,
        plans.add_action,
        principal=COORD,
        cache=_cache(app),
        plan_id=plan_id,
        **{**values, **fields},
    )


def test_the_coordinator_adds_an_action_owned_by_a_user_of_the_administration(
    app, answered, indicators
):
    plan = _plan(app, answered, limit=1)
    key = indicators["data"][1]
    added = _add(app, plan["id"], indicators=[key], target_level=4)
    assert (added["owner_id"], added["owner_name"], added["position"]) == ("resp-1", "Resp-1", 2)
    assert added["indicators"] == [key] and added["target_level"] == 4
    listed, total = _run(app, plans.list_actions, principal=COORD, plan_id=plan["id"])
    assert total == 2 and [a["id"] for a in listed][-1] == added["id"]


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"owner_id": "nobody"}, "unknown_owner", "owner_id"),
        ({"indicators": ["no.such"]}, "unknown_reference", "indicators"),
        ({"recommendations": ["no.such"]}, "unknown_reference", "recommendations"),
        ({"target_level": 6}, "validation_failed", "target_level"),
    ],
)
def test_an_action_refuses_what_the_administration_or_framework_does_not_hold(
    app, answered, fields, code, field
):
    plan = _plan(app, answered, limit=1)
    with pytest.raises(ApiError) as refused:
        _add(app, plan["id"], **fields)
    assert (refused.value.status, refused.value.code) == (422, code)
    assert list(refused.value.errors) == [field]


def test_an_owner_of_another_administration_is_not_a_user_of_this_one(app, client, auth, answered):
    other = client.post(
        f"{BASE}/assessments", json={"title": "Elsewhere"}, headers=auth("coord-9", "adm-2")
    ).json["id"]
    client.put(
        f"{BASE}/assessments/{other}/participants/resp-9",
        json={"name": "Foreign", "areas": []},
        headers=auth("coord-9", "adm-2"),
    )
    plan = _plan(app, answered, limit=1)
    with pytest.raises(ApiError) as refused:
        _add(app, plan["id"], owner_id="resp-9")
    assert refused.value.code == "unknown_owner"


def test_done_needs_evidence_and_every_change_is_logged(app, answered):
    plan = _plan(app, answered, limit=1)
    action = _add(app, plan["id"])

    def update(principal, **changes):
        return _run(
            app,
            plans.update_action,
            principal=principal,
            cache=_cache(app),
            action_id=action["id"],
            changes=changes,
        )

    started = update(OWNER, status="in_progress")
    assert started["status"] == "in_progress" and started["completed_at"] is None
    with pytest.raises(ApiError) as refused:
        update(OWNER, status="done", evidence={"note": "  "})
    assert (refused.value.status, refused.value.code) == (422, "evidence_required")
    done = update(OWNER, status="done", evidence={"link": "https://intranet.example/owners"})
    assert done["status"] == "done" and done["completed_at"] is not None
    assert done["evidence"] == {
        "note": "",
        "link": "https://intranet.example/owners",
        "contribution_id": None,
    }
    assert [(e["change"], e["actor"]) for e in done["log"]] == [
        ("created", "coord-1"),
        ("status", "resp-1"),
        ("status", "resp-1"),
    ]
    assert done["log"][-1]["detail"]["fields"]["status"] == ["in_progress", "done"]
    reopened = update(COORD, status="in_progress", title="Name data owners everywhere")
    assert reopened["completed_at"] is None and reopened["title"] == "Name data owners everywhere"
    assert update(COORD, title="Name data owners everywhere")["log"] == reopened["log"]


def test_an_owner_changes_only_status_and_evidence_of_their_own_actions(app, answered):
    plan = _plan(app, answered, limit=1)
    action = _add(app, plan["id"])
    with pytest.raises(ApiError) as refused:
        _run(
            app,
            plans.update_action,
            principal=OWNER,
            cache=_cache(app),
            action_id=action["id"],
            changes={"target_date": date(2030, 1, 1)},
        )
    assert refused.value.status == 403
    for function, extra in ((plans.get_action, {}), (plans.update_action, {"cache": None})):
        with pytest.raises(NotFound):  # not theirs: they do not see it
            kwargs = {"changes": {"status": "dropped"}} if extra else {}
            _run(app, function, principal=OTHER_OWNER, action_id=action["id"], **extra, **kwargs)
    with app.extensions["db"].session() as session:
        stored = session.get(PlanAction, action["id"])
        assert (stored.status, stored.target_date) == ("planned", date(2027, 3, 31))
        assert session.scalars(select(ActionLogEntry.change)).all() == ["created", "created"]


def test_owners_list_their_actions_soonest_first_with_overdue_flagged(app, answered):
    plan = _plan(app, answered, limit=1)
    late = _add(app, plan["id"], title="Late", target_date=date(2026, 11, 30))
    soon = _add(app, plan["id"], title="Soon", target_date=date(2026, 12, 20))
    _add(app, plan["id"], title="Someone else's", owner_id="resp-2")
    dropped = _add(app, plan["id"], title="Dropped", target_date=date(2026, 1, 1))
    _run(
        app,
        plans.update_action,
        principal=COORD,
        cache=_cache(app),
        action_id=dropped["id"],
        changes={"status": "dropped"},
    )
    mine, total = _run(app, plans.my_actions, principal=OWNER)
    assert total == 3
    assert [(a["title"], a["overdue"]) for a in mine] == [
        ("Dropped", False),
        ("Late", True),
        ("Soon", False),
    ]
    assert {a["assessment_id"] for a in mine} == {answered}
    overdue, _ = _run(app, plans.my_actions, principal=OWNER, overdue=True)
    assert [a["id"] for a in overdue] == [late["id"]]
    open_ones, _ = _run(app, plans.my_actions, principal=OWNER, overdue=False, status="planned")
    assert [a["id"] for a in open_ones] == [soon["id"]]
    assert _run(app, plans.my_actions, principal=STRANGER) == ([], 0)
    with pytest.raises(ApiError) as refused:
        _run(app, plans.list_actions, principal=OWNER, plan_id=plan["id"])
    assert refused.value.status == 403
