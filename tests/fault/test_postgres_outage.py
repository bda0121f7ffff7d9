"""PostgreSQL stopped for 10 s while answers are being saved and assessments submitted."""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter

import psycopg
import pytest
from platform_api import (
    Answered,
    Coordinator,
    assert_each_once,
    pending_submissions,
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

OUTAGE_S = 10.0
IN_FLIGHT = 3  # submissions accepted just before the stop: their events and builds span it


class Saver(threading.Thread):
    """Autosaves answers of one assessment in a loop, each save changing the value."""

    def __init__(self, coordinator: Coordinator, assessment_id: str) -> None:
        super().__init__(daemon=True)
        self.coordinator = coordinator
        self.assessment_id = assessment_id
        self.stop = threading.Event()
        # (indicator, value sent, what it answered)
        self.saves: list[tuple[str, int, Answered]] = []

    def run(self) -> None:
        indicators = self.coordinator.indicators()
        n = 0
        while not self.stop.is_set():
            indicator = indicators[n % len(indicators)]
            value = 1 + (n // len(indicators)) % 5  # differs from this indicator's last save
            self.coordinator.answer(self.assessment_id, indicator, value)
            self.saves.append((indicator, value, self.coordinator.answered[-1]))
            n += 1
            time.sleep(0.05)

    def saved_after(self, moment: float) -> int:
        """Return how many saves succeeded after ``moment``."""
        return sum(1 for _, _, a in self.saves if a.status == 200 and a.at > moment)


def _submitted(coordinator: Coordinator, title: str) -> str:
    assessment_id = coordinator.create(f"PostgreSQL fault: {title}")
    coordinator.answer_all(assessment_id)
    assert coordinator.submit(assessment_id).status_code == 200
    return assessment_id


def _stored_answers(system: FaultSystem, assessment_id: str) -> dict[str, int]:
    rows = system.postgres.rows(
        "assessment",
        "SELECT indicator, value FROM answers WHERE assessment_id = %s",
        assessment_id,
    )
    return {str(indicator): int(value) for indicator, value in rows}  # type: ignore[call-overload]


def _outbox(system: FaultSystem, service: str) -> Counter[tuple[str, bool]]:
    """Count a service's outbox rows by (event type, published)."""
    rows = system.postgres.rows(service, "SELECT event_type, published_at IS NOT NULL FROM outbox")
    return Counter((str(kind), bool(published)) for kind, published in rows)


def _jobs(system: FaultSystem, assessment_ids: list[str]) -> int:
    """Count the report jobs of some assessments."""
    sql = "SELECT count(*) FROM report_jobs WHERE assessment_id = ANY(%s)"
    return int(system.postgres.rows("reports", sql, assessment_ids)[0][0])  # type: ignore[call-overload]


def _published(system: FaultSystem, service: str, event_type: str) -> int:
    """Count a service's published outbox rows of ``event_type``."""
    return _outbox(system, service)[(event_type, True)]


def _submitted_events(system: FaultSystem, assessment_id: str) -> int:
    """Count the ``assessment.submitted`` outbox rows of one assessment."""
    # By the event's own assessment id: a later submission's payload names this one too (as the
    # previous assessment its progress is measured from).
    rows = system.postgres.rows(
        "assessment",
        "SELECT count(*) FROM outbox WHERE event_type = 'assessment.submitted'"
        " AND payload::jsonb #>> '{data,assessment_id}' = %s",
        assessment_id,
    )
    return int(rows[0][0])  # type: ignore[call-overload]


@pytest.mark.timeout(240)
def test_a_postgresql_outage_answers_clear_503s_leaves_nothing_half_written_and_drains_after(
    system: FaultSystem, coordinator: Coordinator
) -> None:
    submitted_before = _published(system, "assessment", "assessment.submitted")
    ready_before = _published(system, "reports", "report.ready")
    refused = coordinator.create("PostgreSQL fault: submitted after the outage")
    coordinator.answer_all(refused)
    unsubmitted = coordinator.assessment(refused)
    saver = Saver(Coordinator(system.gateway), coordinator.create("PostgreSQL fault: autosave"))
    saver.start()
    in_flight = [_submitted(coordinator, f"in flight {n}") for n in range(IN_FLIGHT - 1)]
    # Their events handled first (the consumer takes one at a time): the next is alone in hand.
    wait_for(lambda: _jobs(system, in_flight) == len(in_flight), "their report jobs", 30)
    # The last one is in a consumer's hands when PostgreSQL stops: a lock of the test keeps its
    # handler's insert of the report job waiting (the stop ends both sessions).
    blocker = psycopg.connect(system.postgres.url("reports"))
    blocker.execute("LOCK TABLE report_jobs IN SHARE MODE")
    in_flight.append(_submitted(coordinator, "in a consumer's hands"))
    client = system.redis.client()
    wait_for(lambda: pending_submissions(client, in_flight[-1]), "the event being handled", 30)

    system.postgres.stop()
    with contextlib.suppress(psycopg.Error):
        blocker.close()
    stopped_at = time.monotonic()
    readiness = wait_for(lambda: readiness_is(coordinator, 503, "database"), "not ready", 5)
    assert all("redis" not in checks for _, checks in readiness.values()), readiness
    while_down = [
        coordinator.submit(refused),
        coordinator.call("GET", "reports/reports", "reports"),
        coordinator.call("POST", "assessment/assessments", "create", json={"title": "x"}),
    ]
    time.sleep(max(0.0, stopped_at + OUTAGE_S - time.monotonic()))
    system.postgres.start()
    restarted_at = time.monotonic()
    wait_for(lambda: readiness_is(coordinator, 200), "readyz: ready again", 30)
    wait_for(lambda: saver.saved_after(restarted_at) >= 3, "autosave working again", 30)
    saver.stop.set()
    saver.join(timeout=30)

    assert not saver.is_alive()
    # While down: the one clear problem, for writes and reads alike; nothing else at any time.
    assert [
        (r.status_code, r.headers["Content-Type"], r.json()["code"], r.headers["Retry-After"])
        for r in while_down
    ] == [(503, "application/problem+json", "service_unavailable", "5")] * 3
    outcomes = Counter(
        "ok" if a.status == 200 else "unavailable" if a.clear_unavailable else f"{a.status}"
        for _, _, a in saver.saves
    )
    assert set(outcomes) == {"ok", "unavailable"}, outcomes
    # No half-written state: each answer is the last one acknowledged, the refused submission
    # left the assessment open, without an event.
    last_acknowledged = {ind: value for ind, value, a in saver.saves if a.status == 200}
    assert _stored_answers(system, saver.assessment_id) == last_acknowledged
    after = coordinator.assessment(refused)
    kept = ("status", "version", "submitted_at")
    assert {k: after.get(k) for k in kept} == {k: unsubmitted.get(k) for k in kept}
    assert (after["status"], coordinator.reports(refused)) == ("in_progress", [])
    assert _submitted_events(system, refused) == 0

    # The client retries its refused submission; every accepted one gets its report once.
    assert coordinator.submit(refused).status_code == 200
    accepted = [*in_flight, refused]
    assert_each_once(coordinator, client, accepted, timeout_s=120)
    assert [_submitted_events(system, aid) for aid in accepted] == [1] * len(accepted)
    # The outboxes drained: every event was published, one per submission and per report.
    assert not [key for key in _outbox(system, "assessment") if not key[1]]
    assert _published(system, "assessment", "assessment.submitted") - submitted_before == len(
        accepted
    )

    def reports_drained() -> Counter[tuple[str, bool]] | None:
        outbox = _outbox(system, "reports")
        return None if [key for key in outbox if not key[1]] else outbox

    reports_outbox = wait_for(reports_drained, "the reports outbox drained", 15)
    assert reports_outbox[("report.ready", True)] - ready_before == len(accepted)
    assert reports_outbox[("report.failed", True)] == 0
