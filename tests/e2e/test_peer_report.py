"""Peer learning in the report through the real gateway (issue 16, ADR 0012): five
administrations submit and opt in, the first after its report was built; once the fifth is in,
the first is told of its report's new revision, downloads it and finds its scores beside the
regional distribution. A
sixth that did not opt in finds no distribution in its report and reaches none of the others'
reports, files or comparisons."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from html import unescape
from typing import Any

import pytest
import requests

pytestmark = pytest.mark.gateway

PASSWORD = "a-long-enough-password"
REGION = "amc"  # no other test of the session opts in there
HEADING = "Your scores beside the regional distribution"
REMINDER = "Not a benchmark: the regional distribution is there to inform your internal discussion."


def _ok(response: requests.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def _text(response: requests.Response) -> str:
    assert response.status_code == 200, response.text
    return unescape(response.text)


def test_opting_in_after_the_report_gives_it_the_distribution_and_nothing_to_the_others(
    gateway_url: str,
    sign_in: Callable[..., dict[str, str]],
    wait_for: Callable[..., Any],
) -> None:
    portal = f"{gateway_url}/api/v1/portal"
    api = f"{gateway_url}/api/v1/assessment"
    reports = f"{gateway_url}/api/v1/reports/reports"
    operator = sign_in("operator@demo.example")
    tag = uuid.uuid4().hex[:8]
    framework = _ok(
        requests.get(f"{api}/frameworks/ai-ml-readiness/1.0", headers=operator, timeout=10)
    )
    indicators = [i["key"] for area in framework["document"]["areas"] for i in area["indicators"]]

    def submitted(n: int) -> tuple[dict[str, str], str]:
        """A new administration, its coordinator signed in, and its assessment submitted."""
        administration = _ok(
            requests.post(
                f"{portal}/administrations",
                json={"name": f"Peers {tag} {n}"},
                headers=operator,
                timeout=10,
            ),
            201,
        )
        email = f"peers-{tag}-{n}@demo.example"
        user = {"email": email, "display_name": f"Coordinator {n}", "password": PASSWORD}
        _ok(
            requests.post(
                f"{portal}/administrations/{administration['id']}/users",
                json={**user, "roles": ["coordinator"]},
                headers=operator,
                timeout=10,
            ),
            201,
        )
        headers = sign_in(email, PASSWORD)
        created = _ok(
            requests.post(
                f"{api}/assessments",
                json={"title": f"Peers {n}", "language": "en"},
                headers=headers,
                timeout=10,
            ),
            201,
        )
        answers = [{"indicator": key, "value": 1 + (n + i) % 4} for i, key in enumerate(indicators)]
        _ok(
            requests.post(
                f"{api}/assessments/{created['id']}/bulk-answers",
                json={"respondents": [{"user_id": f"offline-{n}", "answers": answers}]},
                headers=headers,
                timeout=10,
            )
        )
        _ok(requests.post(f"{api}/assessments/{created['id']}/submit", headers=headers, timeout=10))
        return headers, created["id"]

    members = [submitted(n) for n in range(5)]

    def ready(headers: dict[str, str], assessment_id: str, revision: int) -> dict | None:
        listed = _ok(
            requests.get(
                reports, params={"assessment_id": assessment_id}, headers=headers, timeout=10
            )
        )
        return next(
            (r for r in listed if r["status"] == "ready" and r["revision"] == revision), None
        )

    # The first one has its report (built first) before it opts in; the others' may still be
    # queued: theirs then show the distribution from the start, when it is built.
    first_report = wait_for(lambda: ready(*members[0], 1))
    for headers, assessment_id in members[:5]:
        opted = _ok(
            requests.put(
                f"{api}/assessments/{assessment_id}/peer-learning",
                json={"region": REGION},
                headers=headers,
                timeout=10,
            )
        )
        assert opted["opted_in"] is True

    members.append(submitted(5))  # the sixth, who does not opt in
    headers, assessment_id = members[0]
    updated = wait_for(lambda: ready(headers, assessment_id, 2), timeout_s=90)
    page = _text(requests.get(f"{reports}/{updated['id']}/files/html", headers=headers, timeout=10))
    assert HEADING in page and REMINDER in page
    assert 'id="peer-distribution"' in page and "Americas and the Caribbean" in page
    assert "Distribution as computed on " in page  # the report is a dated snapshot
    earlier = _text(
        requests.get(f"{reports}/{first_report['id']}/files/html", headers=headers, timeout=10)
    )
    assert HEADING not in earlier  # the report as first built stays as it was

    def told() -> dict | None:
        listed = _ok(
            requests.get(f"{gateway_url}/api/v1/reports/notifications", headers=headers, timeout=10)
        )
        return next((n for n in listed["items"] if n["report_id"] == updated["id"]), None)

    assert wait_for(told)["code"] == "report_ready"  # the coordinator is told it is ready

    outsider, own = members[5]
    wait_for(lambda: ready(outsider, own, 1))
    (mine,) = _ok(
        requests.get(reports, params={"assessment_id": own}, headers=outsider, timeout=10)
    )
    assert mine["revision"] == 1
    own_page = _text(
        requests.get(f"{reports}/{mine['id']}/files/html", headers=outsider, timeout=10)
    )
    assert HEADING not in own_page and 'id="peer-distribution"' not in own_page
    listed = _ok(
        requests.get(reports, params={"assessment_id": assessment_id}, headers=outsider, timeout=10)
    )
    assert listed == []
    for url in (
        f"{reports}/{updated['id']}",
        f"{reports}/{updated['id']}/files/html",
        f"{reports}/{updated['id']}/files/xlsx",
        f"{api}/assessments/{assessment_id}/peer-comparison",
    ):
        assert requests.get(url, headers=outsider, timeout=10).status_code == 404, url
