"""The forum e-mail digest's choice on the reports page in real chromium through the gateway: a
member switches the page to French and chooses the weekly digest with the keyboard; the choice
is confirmed, kept after a reload and what the API answers; an anonymous visitor is sent to the
sign-in page."""

from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import Browser, expect

pytestmark = pytest.mark.browser

MEMBER = "respondent@demo.example"


def test_a_member_chooses_the_weekly_digest_in_french_with_the_keyboard(
    browser: Browser, gateway_url: str, form_sign_in, sign_in
) -> None:
    headers = sign_in(MEMBER)
    api = f"{gateway_url}/api/v1/reports/notifications/preferences"
    reset = requests.put(api, json={"frequency": "none"}, headers=headers, timeout=10)
    assert reset.status_code == 200, reset.text

    page = browser.new_context(locale="en-GB").new_page()
    form_sign_in(page, MEMBER, "/reports/")
    page.get_by_role("link", name=re.compile("Language: Français")).click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    choice = page.get_by_role("group", name="Résumé par e-mail de vos notifications des forums")
    none = choice.get_by_role("radio", name="Pas d'e-mail (notifications ici seulement)")
    weekly = choice.get_by_role("radio", name="Résumé hebdomadaire (le lundi)")
    expect(none).to_be_checked()  # the current choice
    expect(choice).to_have_accessible_description(re.compile("^Envoyé à l'adresse de votre compte"))

    none.focus()
    page.keyboard.press("ArrowDown")  # daily
    page.keyboard.press("ArrowDown")  # weekly
    expect(weekly).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Enregistrer")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#digest").get_by_role("status")).to_have_text("Enregistré.")
    expect(weekly).to_be_checked()

    page.goto(f"{gateway_url}/reports/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(weekly).to_be_checked()
    expect(none).not_to_be_checked()
    answer = requests.get(api, headers=headers, timeout=10)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"frequency": "weekly"}


def test_an_anonymous_visitor_of_the_reports_page_is_sent_to_sign_in(
    browser: Browser, gateway_url: str
) -> None:
    visitor = browser.new_context(locale="fr-FR").new_page()
    visitor.goto(f"{gateway_url}/reports/")
    expect(visitor).to_have_url(re.compile(r"/login\?next=/reports/$"))
    expect(visitor.locator("#password")).to_be_visible()
    expect(visitor.locator("#digest")).to_have_count(0)
