"""Deactivating a user: every service refuses the tokens issued to them before, through the gateway.

Runs against the real processes behind nginx (see ``test_walking_skeleton``); the services
re-read the issuer's revocation list every few seconds, so the refusal is awaited, not assumed.
"""

from __future__ import annotations

import time
import uuid

import pytest
import requests

DEMO_PASSWORD = "demo-password-2026"
PASSWORD = "a-long-enough-password"
pytestmark = pytest.mark.gateway


def _login(gateway_url: str, email: str, password: str) -> dict[str, str]:
    response = requests.post(
        f"{gateway_url}/api/v1/portal/auth/login",
        json={"email": email, "password": password},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _statuses(urls: list[str], headers: dict[str, str]) -> list[int]:
    return [requests.get(url, headers=headers, timeout=10).status_code for url in urls]


def test_a_deactivated_users_earlier_token_is_refused_by_every_service(gateway_url: str) -> None:
    coordinator = _login(gateway_url, "coordinator@demo.example", DEMO_PASSWORD)
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
    leaver = _login(gateway_url, email, PASSWORD)
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
    deadline = time.monotonic() + 20
    while (statuses := _statuses(urls, leaver)) != [401, 401, 401]:
        assert time.monotonic() < deadline, f"still accepted after 20 s: {statuses}"
        time.sleep(0.5)
    refused = requests.get(urls[1], headers=leaver, timeout=10).json()
    assert refused["code"] == "unauthorized" or refused["status"] == 401
    assert _statuses(urls, coordinator) == [200, 200, 200]  # nobody else is touched
