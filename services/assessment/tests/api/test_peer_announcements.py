"""Peer learning announces, in the transaction of the change, only what members may see: the
aggregate once published (no count, no administration), its withdrawal below five, and each
administration's own opt-in or opt-out."""

from sqlalchemy import select

from assessment.models import OutboxMessage
from assessment.peers.aggregate import REGIONS
from shared.events import CloudEvent, load_payload
from shared.payloads import PEER_REGIONS

from ..peers_support import BASE, coordinator, submitted

LEVELS = [1, 2, 3, 4, 5]


def _staged(app, prefix):
    with app.extensions["db"].session() as session:
        rows = session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.event_type.startswith(prefix))
            .order_by(OutboxMessage.id)
        ).all()
        return [CloudEvent.from_json(row.payload) for row in rows]


def _join(client, auth, aid, n, region="wca"):
    joined = client.put(
        f"{BASE}/assessments/{aid}/peer-learning",
        json={"region": region},
        headers=coordinator(auth, f"adm-{n}"),
    )
    assert joined.status_code == 200, joined.json


def _leave(client, auth, aid, n):
    left = client.delete(
        f"{BASE}/assessments/{aid}/peer-learning", headers=coordinator(auth, f"adm-{n}")
    )
    assert left.status_code == 204


def test_the_regions_of_the_events_are_those_of_peer_learning():
    assert set(PEER_REGIONS) == set(REGIONS)


def test_below_five_nothing_is_published_and_the_fifth_publishes_the_cut_points_only(
    app, client, auth
):
    world = [submitted(client, auth, f"adm-{n}", {"strategy": lv}) for n, lv in enumerate(LEVELS)]
    for n in range(4):
        _join(client, auth, world[n], n)
    assert _staged(app, "peer_aggregate.") == []
    _join(client, auth, world[4], 4)
    (published,) = _staged(app, "peer_aggregate.")
    assert published.type == "peer_aggregate.published"
    data = load_payload(published)
    assert set(data) == {"region", "framework", "areas", "computed_at"}
    assert data["region"] == "wca"
    assert data["framework"]["key"] == "ai-ml-readiness"
    assert data["areas"] == [
        {"area": "strategy", "first_quartile": 2.0, "median": 3.0, "third_quartile": 4.0}
    ]
    assert "adm-" not in published.to_json()


def test_leaving_below_five_withdraws_and_an_unchanged_recomputation_says_nothing(
    app, client, auth
):
    world = [submitted(client, auth, f"adm-{n}", {"strategy": lv}) for n, lv in enumerate(LEVELS)]
    for n in range(5):
        _join(client, auth, world[n], n)
    _join(client, auth, world[4], 4)  # already in: nothing changes, nothing said
    assert [e.type for e in _staged(app, "peer_aggregate.")] == ["peer_aggregate.published"]
    _leave(client, auth, world[4], 4)
    events = _staged(app, "peer_aggregate.")
    assert [e.type for e in events] == ["peer_aggregate.published", "peer_aggregate.withdrawn"]
    withdrawn = load_payload(events[-1])
    assert set(withdrawn) == {"region", "framework", "computed_at"}
    _leave(client, auth, world[3], 3)  # still below: nothing more to withdraw
    assert len(_staged(app, "peer_aggregate.")) == 2


def test_each_opt_in_and_out_announces_the_administrations_own_choice(app, client, auth):
    aid = submitted(client, auth, "adm-0", {"strategy": 3})
    _join(client, auth, aid, 0, region="esa")
    _leave(client, auth, aid, 0)
    opted_in, opted_out = _staged(app, "peer_participation.")
    assert (opted_in.type, opted_out.type) == (
        "peer_participation.opted_in",
        "peer_participation.opted_out",
    )
    assert load_payload(opted_in) | {"framework": None} == {
        "assessment_id": aid,
        "administration_id": "adm-0",
        "region": "esa",
        "framework": None,
    }
    assert load_payload(opted_out)["region"] is None
    assert opted_in.subject == aid
