"""The reports page shows a new notification live, in the reader's language, without a reload."""

from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import Browser, expect

pytestmark = pytest.mark.browser


def _submit_an_assessment(gateway_url: str) -> None:
    login = requests.post(
        f"{gateway_url}/api/v1/portal/auth/login",
        json={"email": "coordinator@demo.example", "password": "demo-password-2026"},
        timeout=10,
    )
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    api = f"{gateway_url}/api/v1/assessment"
    aid = requests.post(
        f"{api}/assessments",
        json={"title": "En direct", "language": "fr"},
        headers=headers,
        timeout=10,
    ).json()["id"]
    framework = requests.get(
        f"{api}/frameworks/ai-ml-readiness/1.0", headers=headers, timeout=10
    ).json()["document"]
    for area in framework["areas"]:
        key = area["indicators"][0]["key"]
        requests.put(
            f"{api}/assessments/{aid}/answers/{key}", json={"value": 3}, headers=headers, timeout=10
        ).raise_for_status()
    requests.post(f"{api}/assessments/{aid}/submit", headers=headers, timeout=10).raise_for_status()


def test_a_new_report_notification_appears_live_with_the_unread_count(
    browser: Browser, gateway_url: str, form_sign_in
) -> None:
    page = browser.new_context(locale="fr-FR").new_page()
    form_sign_in(page, "coordinator@demo.example", "/reports/")
    badge = page.locator("#unread-count")
    expect(badge).to_have_text(re.compile(r"^(0|1) non lue$|^\d+ non lues$"))
    before = int(badge.inner_text().split()[0])
    expect(page.locator("#notif-section")).to_have_attribute("data-live", "open")

    _submit_an_assessment(gateway_url)

    # This submission's own notification (other tests' reports may finish meanwhile).
    mine = page.locator("#notifications li", has_text="« En direct »").first
    expect(mine).to_contain_text("Votre rapport est prêt", timeout=60_000)
    expect(mine).to_have_class("unread")
    for _ in range(40):  # the badge counted it, live (and any other that arrived meanwhile)
        if int(badge.inner_text().split()[0]) >= before + 1:
            break
        page.wait_for_timeout(250)
    count = int(badge.inner_text().split()[0])
    assert count >= before + 1
    expect(badge).to_have_text(f"{count} non lue{'' if count < 2 else 's'}")
    expect(page.locator("#mark-all")).to_be_visible()
