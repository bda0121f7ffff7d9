"""The whole platform through the real gateway: sign in, assess, submit, get notified, download.

Runs against real processes (gunicorns, event relays and consumers, Celery worker, Redis, the
services' databases) behind nginx in CI.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from typing import Any

import pytest
import requests

pytestmark = pytest.mark.gateway


def test_submit_to_notification_and_download_through_the_gateway(
    gateway_url: str,
    sign_in: Callable[..., dict[str, str]],
    wait_for: Callable[..., Any],
) -> None:
    coordinator = sign_in("coordinator@demo.example")
    api = f"{gateway_url}/api/v1/assessment"
    created = requests.post(
        f"{api}/assessments",
        json={"title": "Skeleton", "language": "fr"},
        headers=coordinator,
        timeout=10,
    )
    assert created.status_code == 201, created.text
    aid = created.json()["id"]
    framework = requests.get(
        f"{api}/frameworks/ai-ml-readiness/1.0", headers=coordinator, timeout=10
    ).json()["document"]
    for area in framework["areas"]:
        for indicator in area["indicators"][:3]:
            saved = requests.put(
                f"{api}/assessments/{aid}/answers/{indicator['key']}",
                json={"value": 2},
                headers=coordinator,
                timeout=10,
            )
            assert saved.status_code == 200, saved.text
    submitted = requests.post(f"{api}/assessments/{aid}/submit", headers=coordinator, timeout=10)
    assert submitted.status_code == 200, submitted.text

    reports_api = f"{gateway_url}/api/v1/reports"

    def ready_report():
        listed = requests.get(
            f"{reports_api}/reports", params={"assessment_id": aid}, headers=coordinator, timeout=10
        ).json()
        items = listed if isinstance(listed, list) else listed.get("items", [])
        return next((r for r in items if r["status"] == "ready"), None)

    report = wait_for(ready_report)
    download = requests.get(
        f"{reports_api}/reports/{report['id']}/files/html", headers=coordinator, timeout=10
    )
    assert download.status_code == 200
    assert "attachment" in download.headers["Content-Disposition"]
    assert "Skeleton" in download.text and "Données" in download.text
    # The portal announced the demo administration's name; the report names it, never its id.
    pdf = requests.get(
        f"{reports_api}/reports/{report['id']}/files/pdf", headers=coordinator, timeout=30
    )
    assert pdf.status_code == 200
    assert (
        "filename=demo-customs-administration-skeleton-v1-fr.pdf"
        in (pdf.headers["Content-Disposition"])
    )
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf.content, capture_output=True, check=True
    ).stdout.decode()
    assert "Demo Customs Administration" in " ".join(text.split())
    assert re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-", text) is None  # no id shown

    def notified():
        # This report's own notification: earlier tests may have left others, unread too.
        body = requests.get(f"{reports_api}/notifications", headers=coordinator, timeout=10).json()
        mine = [item for item in body["items"] if report["id"] in str(item) or aid in str(item)]
        return (body, mine) if mine else None

    notifications, mine = wait_for(notified)
    assert notifications["unread"] >= 1
    assert all(item.get("read_at") is None for item in mine)

    other = sign_in("coordinator@other.example")
    assert requests.get(f"{api}/assessments/{aid}", headers=other, timeout=10).status_code == 404
    assert (
        requests.get(f"{reports_api}/reports/{report['id']}", headers=other, timeout=10).status_code
        == 404
    )
    files = requests.get(
        f"{reports_api}/reports/{report['id']}/files/html", headers=other, timeout=10
    )
    assert files.status_code == 404
    assert files.headers["Content-Type"].startswith("application/problem+json")


def test_the_gateway_refuses_bad_requests_in_the_one_error_format(
    gateway_url: str, sign_in: Callable[..., dict[str, str]]
) -> None:
    api = f"{gateway_url}/api/v1/assessment/assessments"
    missing = requests.post(api, json={"title": "x"}, timeout=10)
    assert missing.status_code == 401
    assert missing.headers["Content-Type"].startswith("application/problem+json")
    forged = requests.get(
        api, headers={"Authorization": "Bearer eyJhbGciOiJFZERTQSJ9.e30.AAAA"}, timeout=10
    )
    assert (forged.status_code, forged.json()["code"]) == (401, "invalid_token")
    coordinator = sign_in("coordinator@demo.example")
    oversized = requests.post(
        api,
        data=b'{"title": "' + b"x" * 2_000_000 + b'"}',
        headers={**coordinator, "Content-Type": "application/json"},
        timeout=10,
    )
    assert oversized.status_code == 413
    assert oversized.json()["code"] == "payload_too_large"
    malformed = requests.post(
        api, data=b"{nope", headers={**coordinator, "Content-Type": "application/json"}, timeout=10
    )
    assert (malformed.status_code, malformed.json()["code"]) == (400, "invalid_json")
    before = requests.get(api, headers=coordinator, timeout=10).json()
    unknown = requests.post(
        api, json={"title": "x", "admin": "other"}, headers=coordinator, timeout=10
    )
    assert unknown.status_code == 422
    assert requests.get(api, headers=coordinator, timeout=10).json() == before


def test_every_service_answers_health_docs_and_keys_through_the_gateway(gateway_url: str) -> None:
    for service in ("portal", "assessment", "reports"):
        assert requests.get(f"{gateway_url}/api/v1/{service}/healthz", timeout=10).ok
        ready = requests.get(f"{gateway_url}/api/v1/{service}/readyz", timeout=10)
        assert ready.json()["status"] == "ready"
        spec = requests.get(f"{gateway_url}/api/v1/{service}/openapi.json", timeout=10).json()
        assert spec["openapi"].startswith("3.")
        assert requests.get(f"{gateway_url}/api/v1/{service}/docs", timeout=10).ok
    assert requests.get(f"{gateway_url}/metrics", timeout=10).status_code == 404
    jwks = requests.get(f"{gateway_url}/.well-known/jwks.json", timeout=10).json()
    assert jwks["keys"] and jwks["keys"][0]["kty"] == "OKP"
    discovery = requests.get(f"{gateway_url}/.well-known/openid-configuration", timeout=10).json()
    assert discovery["jwks_uri"].endswith("/.well-known/jwks.json")
