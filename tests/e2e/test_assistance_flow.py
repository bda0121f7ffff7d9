"""A capacity-building request across the platform, through the real gateway and event
processes: a coordinator drafts it from a submitted assessment's gaps and sends it, the
operators find it in their queue (portal) with a volunteer administration beside it, answer it,
and the requester sees the answer (assessment); another administration sees none of it."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
import requests

pytestmark = pytest.mark.gateway


def test_a_request_goes_to_the_operators_and_their_answer_comes_back(
    gateway_url: str,
    sign_in: Callable[..., dict[str, str]],
    wait_for: Callable[..., Any],
) -> None:
    coordinator = sign_in("coordinator@demo.example")
    operator = sign_in("operator@demo.example")
    stranger = sign_in("coordinator@other.example")
    api = f"{gateway_url}/api/v1/assessment"
    portal = f"{gateway_url}/api/v1/portal"

    created = requests.post(
        f"{api}/assessments",
        json={"title": "Assistance", "language": "fr"},
        headers=coordinator,
        timeout=10,
    )
    assert created.status_code == 201, created.text
    aid = created.json()["id"]
    framework = requests.get(
        f"{api}/frameworks/ai-ml-readiness/1.0", headers=coordinator, timeout=10
    ).json()["document"]
    for indicator in framework["areas"][0]["indicators"][:3]:
        saved = requests.put(
            f"{api}/assessments/{aid}/answers/{indicator['key']}",
            json={"value": 1},
            headers=coordinator,
            timeout=10,
        )
        assert saved.status_code == 200, saved.text
    assert requests.post(f"{api}/assessments/{aid}/submit", headers=coordinator, timeout=10).ok
    gaps = requests.get(f"{api}/assessments/{aid}/results", headers=coordinator, timeout=10)
    gap = gaps.json()["priorities"][0]

    drafted = requests.post(
        f"{api}/assessments/{aid}/assistance-requests",
        json={
            "topic": "Stratégie IA",
            "indicators": [gap["indicator"]],
            "horizon": "0-6",
            "formats": ["mentoring"],
        },
        headers=coordinator,
        timeout=10,
    )
    assert drafted.status_code == 201, drafted.text
    request_id = drafted.json()["id"]
    # A draft stays inside the administration: the operators do not see it.
    time.sleep(1)
    queue = requests.get(f"{portal}/assistance-requests", headers=operator, timeout=10).json()
    assert request_id not in {case["request_id"] for case in queue}

    other_admin = requests.get(f"{portal}/me", headers=stranger, timeout=10).json()
    offered = requests.put(
        f"{portal}/administrations/{other_admin['administration_id']}/expertise",
        json={"areas": [gap["area"]], "languages": ["fr"]},
        headers=stranger,
        timeout=10,
    )
    assert offered.status_code == 200, offered.text
    sent = requests.post(
        f"{api}/assistance-requests/{request_id}/send", headers=coordinator, timeout=10
    )
    assert sent.status_code == 200 and sent.json()["status"] == "sent"

    def queued():
        found = requests.get(
            f"{portal}/assistance-requests/{request_id}", headers=operator, timeout=10
        )
        return found.json() if found.status_code == 200 else None

    detail = wait_for(queued)
    assert detail["case"]["indicators"][0]["indicator"] == gap["indicator"]
    assert detail["case"]["administration_name"] == "Demo Customs Administration"
    volunteer = next(
        s
        for s in detail["suggestions"]
        if s["administration_id"] == other_admin["administration_id"]
    )
    answered = requests.patch(
        f"{portal}/assistance-requests/{request_id}",
        json={
            "status": "matched",
            "note": "Une administration pair propose un mentorat.",
            "matches": [{"kind": "administration", "id": volunteer["administration_id"]}],
        },
        headers=operator,
        timeout=10,
    )
    assert answered.status_code == 200, answered.text

    def answered_back():
        mine = requests.get(
            f"{api}/assistance-requests/{request_id}", headers=coordinator, timeout=10
        )
        body = mine.json()
        return body if body["status"] == "matched" else None

    back = wait_for(answered_back)
    assert back["operator_note"] == "Une administration pair propose un mentorat."
    assert back["matches"][0]["name"] == "Other Customs Administration"
    assert (
        requests.get(
            f"{api}/assistance-requests/{request_id}", headers=stranger, timeout=10
        ).status_code
        == 404
    )
    assert (
        requests.get(f"{portal}/assistance-requests", headers=coordinator, timeout=10).status_code
        == 403
    )
