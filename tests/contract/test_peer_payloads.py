"""The peer-learning payload schemas are registered, versioned and additive: the published
aggregate carries only cut points (no count, no administration), a newer producer's extra field
is kept by a consumer, and a missing required field is refused."""

import pytest

from shared.events import InvalidEvent, new_event
from shared.payloads import REGISTRY, schema_for

FRAMEWORK = {"key": "ai-ml-readiness", "version": "1.0"}
PUBLISHED = {
    "region": "wca",
    "framework": FRAMEWORK,
    "areas": [{"area": "strategy", "first_quartile": 2.0, "median": 3.0, "third_quartile": 4.0}],
    "computed_at": "2026-03-01T09:00:00Z",
}


@pytest.mark.parametrize(
    "event_type",
    [
        "peer_aggregate.published",
        "peer_aggregate.withdrawn",
        "peer_participation.opted_in",
        "peer_participation.opted_out",
    ],
)
def test_each_peer_event_is_registered_at_version_one(event_type):
    assert REGISTRY[event_type][0] == 1
    assert new_event(event_type, source="assessment", data=_data(event_type)).dataschema.endswith(
        f"/{event_type}/v1"
    )


def _data(event_type):
    if event_type == "peer_aggregate.published":
        return PUBLISHED
    if event_type == "peer_aggregate.withdrawn":
        return {"region": "wca", "framework": FRAMEWORK, "computed_at": "2026-03-01T09:00:00Z"}
    region = "wca" if event_type.endswith("opted_in") else None
    return {
        "assessment_id": "a",
        "administration_id": "adm",
        "region": region,
        "framework": FRAMEWORK,
    }


def test_the_published_aggregate_has_no_field_for_a_count_or_an_administration():
    _, schema = schema_for("peer_aggregate.published")
    area = schema.fields["areas"].inner.schema  # type: ignore[attr-defined]
    assert set(schema.fields) == {"region", "framework", "areas", "computed_at"}
    assert set(area.fields) == {"area", "first_quartile", "median", "third_quartile"}
    with pytest.raises(InvalidEvent):
        new_event(
            "peer_aggregate.published",
            source="assessment",
            data={**PUBLISHED, "participants": 5},
        )
    with pytest.raises(InvalidEvent):
        new_event("peer_aggregate.published", source="assessment", data={**PUBLISHED, "areas": []})


def test_a_consumer_keeps_a_newer_producers_extra_field():
    _, schema = schema_for("peer_aggregate.published")
    loaded = schema.load({**PUBLISHED, "later": "x"}, unknown="include")
    assert loaded["later"] == "x" and loaded["computed_at"] == "2026-03-01T09:00:00+00:00"


def test_an_unknown_region_is_refused():
    with pytest.raises(InvalidEvent):
        new_event(
            "peer_aggregate.published", source="assessment", data={**PUBLISHED, "region": "x"}
        )
