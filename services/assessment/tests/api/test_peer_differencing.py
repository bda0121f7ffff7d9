"""No administration's values leak through a peer aggregate, not even by differencing: below
five participants every answer is the same as with none; from five on only the aggregate moves;
no response, event or stored row holds an individual score."""

import json

import pytest
from sqlalchemy import func, select

from assessment.models import OutboxMessage, PeerAggregate
from shared.events import CloudEvent

from ..peers_support import BASE, FRAMEWORK, coordinator, submitted

LEVELS = [1, 2, 3, 4, 5, 5]  # the strategy score of adm-0 .. adm-5
FIGURES = {"participants", "first_quartile", "median", "third_quartile"}


@pytest.fixture
def world(client, auth):
    """Six administrations, each with a submitted assessment scoring LEVELS[n] in strategy."""
    return [
        submitted(client, auth, f"adm-{n}", {"strategy": level}) for n, level in enumerate(LEVELS)
    ]


@pytest.fixture
def look(client, auth, world):
    """What an onlooker (a member of adm-9) reads of the region's aggregate."""
    version = client.get(f"{BASE}/assessments/{world[0]}", headers=coordinator(auth, "adm-0"))
    query = {"region": "wca", "framework": FRAMEWORK, "version": version.json["framework_version"]}

    def read():
        shown = client.get(
            f"{BASE}/peer-aggregates", query_string=query, headers=auth("m-9", "adm-9", ("member",))
        )
        assert shown.status_code == 200, shown.json
        return shown.json

    return read


def _join(client, auth, world, n):
    joined = client.put(
        f"{BASE}/assessments/{world[n]}/peer-learning",
        json={"region": "wca"},
        headers=coordinator(auth, f"adm-{n}"),
    )
    assert joined.status_code == 200, joined.json


def _leave(client, auth, world, n):
    left = client.delete(
        f"{BASE}/assessments/{world[n]}/peer-learning", headers=coordinator(auth, f"adm-{n}")
    )
    assert left.status_code == 204


def _compare(client, auth, world, n):
    compared = client.get(
        f"{BASE}/assessments/{world[n]}/peer-comparison",
        query_string={"region": "wca"},
        headers=coordinator(auth, f"adm-{n}"),
    )
    assert compared.status_code == 200, compared.json
    return compared.json


def _numbers(document, path=""):
    """Every number in a JSON document, by where it is."""
    if isinstance(document, bool):
        return {}
    if isinstance(document, int | float):
        return {path: document}
    if isinstance(document, dict):
        items = document.items()
    elif isinstance(document, list):
        items = enumerate(document)
    else:
        return {}
    found = {}
    for key, value in items:
        found.update(_numbers(value, f"{path}/{key}"))
    return found


def _area(document, key):
    return next(a for a in document["areas"] if a["area"] == key)


def _without(document, key):
    """The document with area ``key``'s figures removed."""
    copy = json.loads(json.dumps(document))
    for area in copy["areas"]:
        target = area.get("peers", area) if "peers" in area else area
        if area["area"] == key and target:
            for figure in FIGURES | {"status"}:
                target.pop(figure, None)
    return copy


def test_with_up_to_four_participants_every_answer_is_what_it_is_with_none(
    client, auth, world, look
):
    nobody, compared_alone = look(), _compare(client, auth, world, 5)
    for n in range(4):
        _join(client, auth, world, n)
        assert look() == nobody
        assert _compare(client, auth, world, 5) == compared_alone
        # The only number an onlooker sees is the threshold itself.
        assert _numbers(look()) == {"/threshold": 5}
    # A participant sees its own scores and nothing more than a non-participant would.
    own = _compare(client, auth, world, 0)
    assert {a["peers"]["status"] for a in own["areas"]} == {"not_enough_participants"}
    assert all(not FIGURES & set(a["peers"]) for a in own["areas"])


def test_the_fifth_participant_shows_only_the_aggregate(client, auth, world, look):
    nobody = look()
    for n in range(5):
        _join(client, auth, world, n)
    shown = look()
    strategy = _area(shown, "strategy")
    assert set(strategy) == {"area", "name", "status", *FIGURES}
    assert (strategy["status"], strategy["participants"]) == ("published", 5)
    assert (strategy["first_quartile"], strategy["median"], strategy["third_quartile"]) == (
        2.0,
        3.0,
        4.0,
    )
    assert _without(shown, "strategy") == _without(nobody, "strategy")  # nothing else moved
    assert _area(shown, "data")["status"] == "not_enough_participants"  # nobody answered data
    compared = _area(_compare(client, auth, world, 0), "strategy")
    assert (compared["own_score"], compared["peers"]) == (1.0, strategy)


def test_leaving_six_changes_only_the_aggregate_and_leaving_five_hides_everything(
    client, auth, world, look
):
    nobody = look()
    for n in range(6):
        _join(client, auth, world, n)
    six, compared_six = look(), _compare(client, auth, world, 0)
    _leave(client, auth, world, 5)
    five, compared_five = look(), _compare(client, auth, world, 0)
    assert _area(five, "strategy")["participants"] == 5
    assert _without(five, "strategy") == _without(six, "strategy")
    assert _area(five, "strategy")["status"] == "published"
    assert _without(compared_five, "strategy") == _without(compared_six, "strategy")

    _leave(client, auth, world, 4)
    assert look() == nobody
    assert _numbers(look()) == {"/threshold": 5}


def test_no_individual_score_is_in_any_answer_event_or_stored_row(app, client, auth, world, look):
    with app.extensions["db"].session() as session:
        events_before = session.scalar(select(func.count()).select_from(OutboxMessage))
    for n in range(6):
        _join(client, auth, world, n)
    individual = set(map(float, LEVELS))
    shown = _area(look(), "strategy")
    assert (shown["first_quartile"], shown["median"], shown["third_quartile"]) == (2.25, 3.5, 4.75)
    assert not individual & {shown["first_quartile"], shown["median"], shown["third_quartile"]}
    assert "adm-" not in json.dumps(look())  # and no list of who takes part
    for n in range(6):
        text = json.dumps(_compare(client, auth, world, n))
        assert not any(f"adm-{m}" in text for m in range(6))  # no administration named
    with app.extensions["db"].session() as session:
        rows = session.scalars(select(PeerAggregate)).all()
        stored = {v for r in rows for v in (r.first_quartile, r.median, r.third_quartile)}
        assert stored - {None} == {2.25, 3.5, 4.75}
        staged = session.scalars(
            select(OutboxMessage).order_by(OutboxMessage.id).offset(events_before)
        ).all()
    # Only the aggregate and each administration's own choice leave the service.
    aggregates = [m for m in staged if m.event_type.startswith("peer_aggregate.")]
    assert [m.event_type for m in aggregates] == ["peer_aggregate.published"] * 2
    for message in aggregates:
        assert "adm-" not in message.payload and "participants" not in message.payload
        for area in CloudEvent.from_json(message.payload).data["areas"]:
            assert set(area) == {"area", "first_quartile", "median", "third_quartile"}
    last = CloudEvent.from_json(aggregates[-1].payload).data
    assert set(_numbers(last).values()) == {2.25, 3.5, 4.75}
