"""The assessment service's peer-learning events of one region and framework, for the tests."""

from shared.events import new_event

FRAMEWORK = {"key": "ai-ml-readiness", "version": "1.0"}
CUTS = {"area": "strategy", "first_quartile": 2.0, "median": 3.0, "third_quartile": 4.0}
SUBMITTED = {"assessment_id": "asm-1", "administration_id": "adm-1", "framework": FRAMEWORK}


def published(median=3.0, computed_at="2026-03-05T09:00:00Z"):
    """Return a ``peer_aggregate.published`` of region ``wca`` with ``median`` in its one area."""
    data = {
        "region": "wca",
        "framework": FRAMEWORK,
        "areas": [{**CUTS, "median": median}],
        "computed_at": computed_at,
    }
    return new_event("peer_aggregate.published", source="assessment", data=data, subject="wca")


def withdrawn(computed_at="2026-03-07T09:00:00Z"):
    """Return a ``peer_aggregate.withdrawn`` of region ``wca``."""
    data = {"region": "wca", "framework": FRAMEWORK, "computed_at": computed_at}
    return new_event("peer_aggregate.withdrawn", source="assessment", data=data, subject="wca")


def opted(region):
    """Return assessment ``asm-1``'s opt-in to ``region`` (``None``: its opt-out)."""
    kind = "peer_participation.opted_in" if region else "peer_participation.opted_out"
    data = {**SUBMITTED, "region": region}
    return new_event(kind, source="assessment", data=data, subject="asm-1")
