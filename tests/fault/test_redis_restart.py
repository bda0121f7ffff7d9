"""Redis stopped and started again (AOF on) in the middle of a run of 20 submissions."""

from __future__ import annotations

import pytest
from platform_api import (
    SUBMITTED_STREAM,
    Coordinator,
    assert_each_once,
    readiness_is,
    wait_for,
)
from private_servers import FaultSystem

from shared.testing import uses_postgresql

pytestmark = [
    pytest.mark.gateway,
    pytest.mark.skipif(
        not uses_postgresql(),
        reason="fault suite: runs in the PostgreSQL pass (TEST_DB=postgresql)",
    ),
]

BEFORE, DURING, AFTER = 6, 8, 6  # 20 submissions: before, during and after the outage


def _submit(coordinator: Coordinator, count: int, label: str) -> list[str]:
    """Create, answer and submit ``count`` assessments; return those accepted (all must be)."""
    accepted = []
    for n in range(count):
        assessment_id = coordinator.create(f"Redis fault {label} {n}")
        coordinator.answer_all(assessment_id)
        submitted = coordinator.submit(assessment_id)
        assert submitted.status_code == 200, submitted.text
        accepted.append(assessment_id)
    return accepted


@pytest.mark.timeout(300)
def test_a_redis_restart_during_twenty_submissions_gives_each_one_report_and_one_ready_event(
    system: FaultSystem, coordinator: Coordinator
) -> None:
    client = system.redis.client()
    accepted = _submit(coordinator, BEFORE, "before")
    kept = {entry_id for entry_id, _ in client.xrange(SUBMITTED_STREAM, "-", "+")}
    system.redis.stop()

    outage = wait_for(lambda: readiness_is(coordinator, 503, "redis"), "readyz: not ready", 15)
    assert all(checks == {"redis": "ConnectionError"} for _, checks in outage.values()), outage
    # Submissions are stored with their event in the service's outbox: Redis is not needed.
    accepted += _submit(coordinator, DURING, "during")
    assert readiness_is(coordinator, 503, "redis"), "readyz said ready while Redis was down"

    system.redis.start()
    wait_for(lambda: readiness_is(coordinator, 200), "readyz: ready again", 30)
    # The append-only file brought back what the stream held before the stop.
    restored = {entry_id for entry_id, _ in client.xrange(SUBMITTED_STREAM, "-", "+")}
    assert kept <= restored and len(kept) >= BEFORE
    accepted += _submit(coordinator, AFTER, "after")

    assert len(accepted) == BEFORE + DURING + AFTER == len(set(accepted))
    reports = assert_each_once(coordinator, client, accepted, timeout_s=150)
    report_ids = [report["id"] for report in reports.values()]
    notified = system.postgres.rows(
        "reports",
        "SELECT report_id, count(*) FROM notifications WHERE report_id = ANY(%s) GROUP BY 1",
        report_ids,
    )
    assert sorted(count for _, count in notified) == [1] * len(report_ids)  # the coordinator's
    assert {answered.status for answered in coordinator.answered} <= {200, 201}
