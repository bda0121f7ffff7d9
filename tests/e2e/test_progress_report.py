"""Progress since the previous assessment through the real gateway (issue 16): an assessment,
its plan with an action done, the next assessment submitted; that report shows the indicator's
level then and now and the action, its owner named, never an id."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
import requests
from openpyxl import load_workbook

pytestmark = pytest.mark.gateway


def test_the_next_assessments_report_shows_the_progress_and_the_actions_taken(
    gateway_url: str,
    sign_in: Callable[..., dict[str, str]],
    wait_for: Callable[..., Any],
) -> None:
    coordinator = sign_in("coordinator@demo.example")
    api = f"{gateway_url}/api/v1/assessment"

    def start(title: str) -> dict:
        created = requests.post(
            f"{api}/assessments",
            json={"title": title, "language": "en"},
            headers=coordinator,
            timeout=10,
        )
        assert created.status_code == 201, created.text
        return created.json()

    def answer(aid: str, key: str, value: int) -> None:
        saved = requests.put(
            f"{api}/assessments/{aid}/answers/{key}",
            json={"value": value},
            headers=coordinator,
            timeout=10,
        )
        assert saved.status_code == 200, saved.text

    def submit(aid: str) -> None:
        done = requests.post(f"{api}/assessments/{aid}/submit", headers=coordinator, timeout=10)
        assert done.status_code == 200, done.text

    first = start("Progress 2026")["id"]
    framework = requests.get(
        f"{api}/frameworks/ai-ml-readiness/1.0", headers=coordinator, timeout=10
    ).json()["document"]
    for area in framework["areas"]:
        for indicator in area["indicators"]:
            answer(first, indicator["key"], 1)
    submit(first)
    plan = requests.post(
        f"{api}/assessments/{first}/action-plan", json={"limit": 1}, headers=coordinator, timeout=10
    )
    assert plan.status_code == 201, plan.text
    (action,) = plan.json()["actions"]
    done = requests.patch(
        f"{api}/actions/{action['id']}",
        json={"status": "done", "evidence": {"note": "Decision 2026-12"}},
        headers=coordinator,
        timeout=10,
    )
    assert done.status_code == 200, done.text

    second = start("Progress 2027")
    assert second["previous_id"] == first
    key = action["indicators"][0]
    answer(second["id"], key, 3)
    submit(second["id"])

    reports_api = f"{gateway_url}/api/v1/reports"

    def ready_report():
        listed = requests.get(
            f"{reports_api}/reports",
            params={"assessment_id": second["id"]},
            headers=coordinator,
            timeout=10,
        ).json()
        items = listed if isinstance(listed, list) else listed.get("items", [])
        return next((r for r in items if r["status"] == "ready"), None)

    report = wait_for(ready_report)
    page = requests.get(
        f"{reports_api}/reports/{report['id']}/files/html", headers=coordinator, timeout=10
    )
    assert page.status_code == 200
    assert 'id="progress-indicators"' in page.text
    assert f'data-indicator="{key}"' in page.text
    assert "1 indicator moved up, 0 stayed at the same level and 0 moved down." in page.text
    assert "1 action was planned for these indicators; 1 is done." in page.text
    assert action["title"] in page.text
    workbook = requests.get(
        f"{reports_api}/reports/{report['id']}/files/xlsx", headers=coordinator, timeout=10
    )
    sheet = load_workbook(io.BytesIO(workbook.content))["Progress"]
    (row,) = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[1] == key]
    assert (row[3], row[4], row[5]) == ("1 \u2014 Initial", "3 \u2014 Operational", 2)
    assert row[8] == "Demo Coordinator"  # the owner's name, never a user id
