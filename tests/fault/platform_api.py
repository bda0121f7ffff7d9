"""The fault tests' view of the platform: a coordinator on the public API, and the counters.

Everything a test does goes through the gateway as a client would; what it counts afterwards
comes from the public API (reports, their attempts) and from the private Redis's streams
(``report.ready`` events, read with XRANGE).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import redis
import requests

from portal.demo import DEMO_PASSWORD

T = TypeVar("T")
READY_STREAM = "reports:events"  # shared.bus.stream_name("reports")
SUBMITTED_STREAM = "assessment:events"
JOBS_GROUP = "reports"  # the reports consumer group turning submissions into report jobs
PROBLEM = "application/problem+json"


def wait_for(fetch: Callable[[], T | None], what: str, timeout_s: float = 60.0) -> T:
    """Return the first truthy value of ``fetch()``, polled until ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = fetch()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout_s:.0f} s (last: {value!r})")
        time.sleep(0.2)


@dataclass
class Answered:
    """What one HTTP call answered (kept for the test's tallies)."""

    action: str
    status: int
    content_type: str
    code: str | None
    at: float = field(default_factory=time.monotonic)

    @property
    def clear_unavailable(self) -> bool:
        """Whether this is the 503 problem a client can act on (retry later)."""
        return (
            self.status == 503
            and self.content_type.startswith(PROBLEM)
            and self.code == "service_unavailable"
        )


class Coordinator:
    """The demo administration's coordinator, signed in through the gateway."""

    def __init__(self, gateway: str, email: str = "coordinator@demo.example") -> None:
        """Sign in; every later call carries the token."""
        self.gateway = gateway
        self.http = requests.Session()
        self.http.trust_env = False  # loopback: never through a proxy
        signed = self.http.post(
            f"{gateway}/api/v1/portal/auth/login",
            json={"email": email, "password": DEMO_PASSWORD},
            timeout=15,
        )
        assert signed.status_code == 200, signed.text
        self.http.headers["Authorization"] = f"Bearer {signed.json()['access_token']}"
        self.answered: list[Answered] = []
        self._indicators: list[str] | None = None

    def call(self, method: str, path: str, action: str, **kwargs: Any) -> requests.Response:
        """Send one request to ``/api/v1/<path>``, note what it answered and return it."""
        response = self.http.request(method, f"{self.gateway}/api/v1/{path}", timeout=30, **kwargs)
        kind = response.headers.get("Content-Type", "")
        code = response.json().get("code") if kind.startswith(PROBLEM) else None
        self.answered.append(Answered(action, response.status_code, kind, code))
        return response

    def indicators(self) -> list[str]:
        """Return one indicator per area of the framework (enough for a scored submission)."""
        if self._indicators is None:
            framework = self.call(
                "GET", "assessment/frameworks/ai-ml-readiness/1.0", "framework"
            ).json()["document"]
            self._indicators = [area["indicators"][0]["key"] for area in framework["areas"]]
        return self._indicators

    def create(self, title: str) -> str:
        """Start an assessment; return its id."""
        created = self.call(
            "POST", "assessment/assessments", "create", json={"title": title, "language": "fr"}
        )
        assert created.status_code == 201, created.text
        return str(created.json()["id"])

    def answer(self, assessment_id: str, indicator: str, value: int) -> requests.Response:
        """Save one answer (the autosave call)."""
        return self.call(
            "PUT",
            f"assessment/assessments/{assessment_id}/answers/{indicator}",
            "answer",
            json={"value": value},
        )

    def answer_all(self, assessment_id: str, value: int = 2) -> None:
        """Answer one indicator per area, each save required to succeed."""
        for indicator in self.indicators():
            saved = self.answer(assessment_id, indicator, value)
            assert saved.status_code == 200, saved.text

    def submit(self, assessment_id: str) -> requests.Response:
        """Submit an assessment."""
        return self.call("POST", f"assessment/assessments/{assessment_id}/submit", "submit")

    def assessment(self, assessment_id: str) -> dict[str, Any]:
        """Return an assessment as the API shows it."""
        found = self.call("GET", f"assessment/assessments/{assessment_id}", "read")
        assert found.status_code == 200, found.text
        return dict(found.json())

    def reports(self, assessment_id: str) -> list[dict[str, Any]]:
        """Return every report of an assessment (any status)."""
        listed = self.call(
            "GET",
            "reports/reports",
            "reports",
            params={"assessment_id": assessment_id, "page_size": 100},
        )
        assert listed.status_code == 200, listed.text
        return list(listed.json())

    def ready_reports(self, assessment_ids: Iterable[str], timeout_s: float) -> dict[str, Any]:
        """Wait until each assessment has a finished report; return their reports by id."""
        wanted = list(assessment_ids)
        found: dict[str, list[dict[str, Any]]] = {}

        def all_finished() -> bool:
            for aid in wanted:
                if aid not in found:
                    reports = self.reports(aid)
                    if reports and all(r["status"] in ("ready", "failed") for r in reports):
                        found[aid] = reports
            return len(found) == len(wanted)

        wait_for(all_finished, f"reports of {len(wanted)} submissions", timeout_s)
        return found

    def readiness(self) -> dict[str, tuple[int, dict[str, Any]]]:
        """Return each service's ``readyz`` status and the checks it names."""
        states = {}
        for service in ("portal", "assessment", "reports"):
            answer = self.http.get(f"{self.gateway}/api/v1/{service}/readyz", timeout=15)
            body = answer.json()
            checks = body.get("checks") or body.get("errors", {}).get("checks", {})
            states[service] = (answer.status_code, checks)
        return states


def readiness_is(
    coordinator: Coordinator, status: int, failing: str | None = None
) -> dict[str, tuple[int, dict[str, Any]]] | None:
    """Return the services' readiness if all answer ``status`` naming ``failing``, else None."""
    states = coordinator.readiness()
    if all(
        code == status and (failing is None or failing in checks)
        for code, checks in states.values()
    ):
        return states
    return None


def ready_events(client: redis.Redis) -> dict[str, Counter[str]]:
    """Count the ``report.ready`` stream entries of each event id, per assessment."""
    found: dict[str, Counter[str]] = {}
    for _entry_id, fields in client.xrange(READY_STREAM, "-", "+"):
        if fields.get(b"type") != b"report.ready":
            continue
        event = json.loads(fields[b"event"])
        found.setdefault(event["data"]["assessment_id"], Counter())[event["id"]] += 1
    return found


def assert_each_once(
    coordinator: Coordinator, client: redis.Redis, accepted: list[str], timeout_s: float
) -> dict[str, dict[str, Any]]:
    """Assert one ready report and one ``report.ready`` entry per submission; return the reports."""
    reports = coordinator.ready_reports(accepted, timeout_s)

    def all_announced() -> dict[str, Counter[str]] | None:
        found = ready_events(client)
        return found if set(accepted) <= set(found) else None

    events = wait_for(all_announced, "a report.ready per submission", timeout_s=30)
    one_each = {aid: [(r["status"], r["version"]) for r in reports[aid]] for aid in accepted}
    assert one_each == {aid: [("ready", 1)] for aid in accepted}
    entries = {aid: dict(events[aid]) for aid in accepted}
    assert all(list(e.values()) == [1] for e in entries.values()), entries
    assert dead_letters(client) == {}, "events were given up on"
    return {aid: reports[aid][0] for aid in accepted}


def dead_letters(client: redis.Redis) -> dict[str, int]:
    """Return how many entries each non-empty dead-letter stream holds."""
    counts = {key.decode(): int(client.xlen(key)) for key in client.scan_iter(match="*:dlq")}
    return {name: count for name, count in counts.items() if count}


def pending_submissions(client: redis.Redis, assessment_id: str) -> list[dict[str, Any]]:
    """Return the read but unacknowledged entries of ``assessment_id``'s submission."""
    found = []
    for item in client.xpending_range(SUBMITTED_STREAM, JOBS_GROUP, min="-", max="+", count=100):
        entry_id = item["message_id"]
        [(_, fields)] = client.xrange(SUBMITTED_STREAM, min=entry_id, max=entry_id)
        if json.loads(fields[b"event"])["data"]["assessment_id"] == assessment_id:
            found.append(item)
    return found
