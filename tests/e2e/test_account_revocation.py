"""Deactivating a user: every service refuses the tokens issued to them before, through the gateway.

Runs against the real processes behind nginx (see ``test_walking_skeleton``); the services
re-read the issuer's revocation list every few seconds, so the test waits that bound, then
checks that every process refuses.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

import pytest
import requests

PASSWORD = "a-long-enough-password"
REFRESH_S = 5.0  # AUTH_REVOCATIONS_REFRESH_S's default, which the test platform keeps
pytestmark = pytest.mark.gateway


def _statuses(urls: list[str], headers: dict[str, str]) -> list[int]:
    return [requests.get(url, headers=headers, timeout=10).status_code for url in urls]


def test_a_deactivated_users_earlier_token_is_refused_by_every_service(
    gateway_url: str, sign_in: Callable[..., dict[str, str]]
) -> None:
    coordinator = sign_in("coordinator@demo.example")
    portal = f"{gateway_url}/api/v1/portal"
    administration = requests.get(f"{portal}/me", headers=coordinator, timeout=10).json()[
        "administration_id"
    ]
    email = f"leaver-{uuid.uuid4().hex[:8]}@demo.example"
    created = requests.post(
        f"{portal}/administrations/{administration}/users",
        json={
            "email": email,
            "display_name": "Leaver",
            "password": PASSWORD,
            "roles": ["respondent"],
        },
        headers=coordinator,
        timeout=10,
    )
    assert created.status_code == 201, created.text
    leaver = sign_in(email, PASSWORD)
    urls = [
        f"{portal}/me",
        f"{gateway_url}/api/v1/assessment/assessments",
        f"{gateway_url}/api/v1/reports/notifications",
    ]
    assert _statuses(urls, leaver) == [200, 200, 200]

    deactivated = requests.patch(
        f"{portal}/administrations/{administration}/users/{created.json()['id']}",
        json={"active": False},
        headers=coordinator,
        timeout=10,
    )
    assert deactivated.status_code == 200, deactivated.text
    # Each web process re-reads the list at most every AUTH_REVOCATIONS_REFRESH_S: once that
    # has passed, every process of every service refuses the token, whichever one answers.
    time.sleep(REFRESH_S + 0.5)
    for _ in range(4):  # several requests per service, so more than one worker answers
        for url in urls:
            refused = requests.get(url, headers=leaver, timeout=10)
            assert refused.status_code == 401, (url, refused.text)
            assert refused.json()["code"] == "token_revoked", url
    assert _statuses(urls, coordinator) == [200, 200, 200]  # nobody else is touched
