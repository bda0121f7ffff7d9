"""Webhook receivers that are slow (10 s) or down, next to one that answers at once."""

from __future__ import annotations

import itertools
import time
from datetime import datetime
from typing import Any

import pytest
from platform_api import Coordinator, assert_each_once, ready_events, wait_for
from private_servers import FaultSystem
from standardwebhooks.webhooks import Webhook
from webhook_receivers import Receiver, unreachable_url

from shared.testing import uses_postgresql

pytestmark = [
    pytest.mark.gateway,
    pytest.mark.skipif(
        not uses_postgresql(),
        reason="fault suite: runs in the PostgreSQL pass (TEST_DB=postgresql)",
    ),
]

# As the suite's stack is configured (tests/fault/conftest.py): 3 s per attempt, 4 attempts,
# the next one 1, 2, 4 s after a failure.
TIMEOUT_S, MAX_ATTEMPTS, BACKOFF_S = 3.0, 4, [1.0, 2.0, 4.0]
LATE_S = 2.5  # how much later than its schedule an attempt may start on a busy machine


class Deliveries:
    """Follows one endpoint's deliveries through the API, noting each attempt's time."""

    def __init__(self, coordinator: Coordinator, endpoint: dict[str, Any], event_id: str) -> None:
        self.coordinator = coordinator
        self.endpoint = endpoint
        self.event_id = event_id
        self.listed: list[dict[str, Any]] = []
        self.attempt_times: set[datetime] = set()

    def poll(self) -> bool:
        """Read the deliveries again; return whether all are finished (none pending)."""
        answer = self.coordinator.call(
            "GET", f"reports/webhooks/{self.endpoint['id']}/deliveries", "deliveries"
        )
        assert answer.status_code == 200, answer.text
        self.listed = [d for d in answer.json() if d["event_id"] == self.event_id]
        for delivery in self.listed:
            if delivery.get("last_attempt_at"):
                self.attempt_times.add(datetime.fromisoformat(delivery["last_attempt_at"]))
        return bool(self.listed) and all(d["status"] != "pending" for d in self.listed)

    def gaps_s(self) -> list[float]:
        """Return the seconds between consecutive attempts."""
        times = sorted(self.attempt_times)
        return [(b - a).total_seconds() for a, b in itertools.pairwise(times)]

    def summary(self) -> list[tuple[str, int, int | None]]:
        """Return (status, attempts, last status code) of each delivery."""
        return [(d["status"], d["attempts"], d["last_status_code"]) for d in self.listed]


def _register(coordinator: Coordinator, url: str) -> dict[str, Any]:
    created = coordinator.call(
        "POST", "reports/webhooks", "register", json={"url": url, "events": ["report.ready"]}
    )
    assert created.status_code == 201, created.text
    return dict(created.json())


def _on_schedule(gaps: list[float], expected: list[float]) -> bool:
    return len(gaps) == len(expected) and all(
        wait <= gap <= wait + LATE_S for gap, wait in zip(gaps, expected, strict=True)
    )


@pytest.mark.timeout(180)
def test_slow_and_down_receivers_hold_up_no_other_delivery_and_retries_follow_the_schedule(
    system: FaultSystem, coordinator: Coordinator
) -> None:
    fast, slow = Receiver(), Receiver(first_attempt_delay_s=10.0)
    endpoints = {
        "fast": _register(coordinator, fast.url),
        "slow": _register(coordinator, slow.url),
        "down": _register(coordinator, unreachable_url()),
    }
    try:
        assessment_id = coordinator.create("Webhook fault")
        coordinator.answer_all(assessment_id)
        assert coordinator.submit(assessment_id).status_code == 200
        assert_each_once(coordinator, system.redis.client(), [assessment_id], timeout_s=60)
        [event_id] = ready_events(system.redis.client())[assessment_id]
        followed = {name: Deliveries(coordinator, e, event_id) for name, e in endpoints.items()}
        wait_for(lambda: all([f.poll() for f in followed.values()]), "every delivery finished", 60)
        time.sleep(2 * BACKOFF_S[0])  # time for a wrong extra attempt to show
        for deliveries in followed.values():
            deliveries.poll()
    finally:
        for endpoint in endpoints.values():
            coordinator.call("DELETE", f"reports/webhooks/{endpoint['id']}", "unregister")
        fast.close()
        slow.close()

    to_fast, to_slow = fast.of_event(event_id), slow.of_event(event_id)
    assert followed["fast"].summary() == [("delivered", 1, 204)]
    assert followed["slow"].summary() == [("delivered", 2, 204)]
    assert followed["down"].summary() == [("failed", MAX_ATTEMPTS, None)]
    assert (len(to_fast), len(to_slow)) == (1, 2)
    # Not held up: the fast receiver had its delivery before the sender gave up on the slow one.
    assert to_fast[0].at < to_slow[0].at + TIMEOUT_S
    assert to_slow[0].answered_at is None or to_slow[0].answered_at > to_fast[0].at
    # Retries on schedule: the slow one after its timeout and one backoff, the down one after
    # each backoff until it gives up.
    slow_gaps, down_gaps = followed["slow"].gaps_s(), followed["down"].gaps_s()
    assert _on_schedule(slow_gaps, [TIMEOUT_S + BACKOFF_S[0]]), slow_gaps
    assert _on_schedule(down_gaps, BACKOFF_S), down_gaps
    # One success each: every attempt of a delivery sends the same signed bytes of the one
    # report.ready event under one webhook-id; nothing is sent once a delivery succeeded.
    assert len({r.webhook_id for r in [*to_fast, *to_slow]}) == 2
    assert len({r.webhook_id for r in to_slow}) == 1
    assert to_slow[0].body == to_slow[1].body
    for receiver, endpoint in ((fast, endpoints["fast"]), (slow, endpoints["slow"])):
        verifier = Webhook(endpoint["secret"])
        for request in receiver.of_event(event_id):
            body = verifier.verify(request.body, request.headers)
            assert (body["id"], body["type"]) == (event_id, "report.ready")
            assert body["data"]["assessment_id"] == assessment_id
