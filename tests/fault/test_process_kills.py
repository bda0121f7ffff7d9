"""SIGKILL of the Celery worker mid-build and of the reports event process mid-event.

Both recoveries run in one test, side by side, as the event's takes the longest to come: a
consumer that dies leaves its unacknowledged events to another member of the group once they
have been idle for ``claim_idle_ms`` (30 s), and a dead worker's tasks come back after the
visibility timeout (10 s in this suite).
"""

from __future__ import annotations

import psycopg
import pytest
from platform_api import Coordinator, assert_each_once, pending_submissions, wait_for
from private_servers import FaultSystem

from shared.testing import uses_postgresql

pytestmark = [
    pytest.mark.gateway,
    pytest.mark.skipif(
        not uses_postgresql(),
        reason="fault suite: runs in the PostgreSQL pass (TEST_DB=postgresql)",
    ),
]

BUILDS = 3


def _submitted(coordinator: Coordinator, title: str) -> str:
    assessment_id = coordinator.create(title)
    coordinator.answer_all(assessment_id)
    assert coordinator.submit(assessment_id).status_code == 200
    return assessment_id


def _jobs(system: FaultSystem, assessment_ids: list[str]) -> dict[str, tuple[str, int]]:
    """Return (status, attempts) of the committed report job of each assessment that has one."""
    rows = system.postgres.rows(
        "reports",
        "SELECT assessment_id, status, attempts FROM report_jobs WHERE assessment_id = ANY(%s)",
        assessment_ids,
    )
    return {str(aid): (str(status), int(n)) for aid, status, n in rows}  # type: ignore[call-overload]


@pytest.mark.timeout(240)
def test_a_worker_and_an_event_consumer_killed_mid_work_get_each_item_redelivered_and_done_once(
    system: FaultSystem, coordinator: Coordinator
) -> None:
    # The worker, killed while it builds: its tasks were not acknowledged (acks_late).
    built = [_submitted(coordinator, f"Kill fault: build {n}") for n in range(BUILDS)]

    def building() -> list[str]:
        jobs = _jobs(system, built)
        if len(jobs) < BUILDS:  # an event still in the consumer's hands: wait for it too
            return []
        return [aid for aid, (status, _) in jobs.items() if status == "building"]

    wait_for(building, "a build under way", 60)
    system.stack.kill("reports-worker")
    mid_build = building()
    assert mid_build and all(_jobs(system, mid_build)[aid][1] == 1 for aid in mid_build)
    system.stack.restart("reports-worker")

    # The event process, killed while its consumer handles an assessment.submitted: the test
    # holds a lock that keeps the handler's insert of the report job waiting.
    client = system.redis.client()
    with psycopg.connect(system.postgres.url("reports")) as blocker:
        blocker.execute("LOCK TABLE report_jobs IN SHARE MODE")
        in_hand = _submitted(coordinator, "Kill fault: event")
        [taken] = wait_for(lambda: pending_submissions(client, in_hand), "event taken", 30)
        system.stack.kill("reports-events")
        blocker.rollback()
    # Still the dead consumer's, delivered once; the killed handler's insert was rolled back.
    [orphan] = pending_submissions(client, in_hand)
    assert (orphan["consumer"], orphan["times_delivered"]) == (taken["consumer"], 1)
    assert _jobs(system, [in_hand]) == {}
    system.stack.restart("reports-events")

    # Each redelivered once and done once: one report, built again only if it was mid-build.
    reports = assert_each_once(coordinator, client, [*built, in_hand], timeout_s=120)
    attempts = {aid: report["attempts"] for aid, report in reports.items()}
    assert attempts == {aid: 2 if aid in mid_build else 1 for aid in [*built, in_hand]}
    assert pending_submissions(client, in_hand) == []
    notified = system.postgres.rows(
        "reports",
        "SELECT report_id, count(*) FROM notifications WHERE report_id = ANY(%s) GROUP BY 1",
        [report["id"] for report in reports.values()],
    )
    assert sorted(count for _, count in notified) == [1] * len(reports)
