"""A coordinator and a respondent walk through a whole assessment in real chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

pytestmark = pytest.mark.browser


def test_coordinator_and_respondent_complete_an_assessment(
    browser: Browser, gateway_url: str, form_sign_in
) -> None:
    coordinator = browser.new_context(locale="fr-FR").new_page()
    form_sign_in(coordinator, "coordinator@demo.example", "/assessment/")
    expect(coordinator.get_by_role("heading", level=1)).to_have_text(
        "Auto-évaluations de préparation"
    )
    coordinator.get_by_label("Titre").fill("Évaluation navigateur")
    coordinator.get_by_role("button", name="Démarrer une évaluation").click()
    expect(coordinator.get_by_role("heading", level=1)).to_contain_text("Évaluation navigateur")
    overview_url = coordinator.url

    # Invite the respondent, picked from the administration's people, for the data area.
    coordinator.get_by_label("Choisir dans votre administration").select_option(
        label="Demo Respondent <respondent@demo.example>"
    )
    coordinator.locator("input[name=areas][value=data]").check()
    coordinator.get_by_role("button", name="Inviter").click()
    # The participants' list, not the picker (filled by a script, it may appear at any moment).
    participants = coordinator.get_by_role("listitem").filter(has_text="Demo Respondent")
    expect(participants).to_be_visible()
    coordinator.get_by_role("combobox", name="Données", exact=True).select_option("4")
    coordinator.get_by_role("button", name="Enregistrer les cibles").click()
    expect(coordinator.get_by_role("combobox", name="Données", exact=True)).to_have_value("4")

    # The respondent answers the data area in English; answers save at once.
    respondent = browser.new_context(locale="en-GB").new_page()
    form_sign_in(respondent, "respondent@demo.example", "/assessment/")
    respondent.get_by_role("link", name="Évaluation navigateur").click()
    expect(respondent.get_by_role("link", name=re.compile("Answer"))).to_have_count(1)
    respondent.get_by_role("link", name=re.compile("Answer")).click()
    fieldsets = respondent.locator("fieldset.indicator")
    count = fieldsets.count()
    assert count >= 6
    first_radio = fieldsets.nth(0).locator("input[type=radio][value='2']")
    first_radio.focus()
    respondent.keyboard.press("Space")  # keyboard works
    for index in range(1, count):
        fieldsets.nth(index).locator("input[type=radio][value='3']").check()
    for index in range(count):
        expect(fieldsets.nth(index).locator(".status")).to_have_text("Saved")
    expect(respondent.locator("#progress-text")).to_have_text(f"{count} of {count} answered")
    respondent.reload()  # resume: everything was saved
    expect(fieldsets.nth(0).locator("input[value='2']")).to_be_checked()
    expect(fieldsets.nth(count - 1).locator("input[value='3']")).to_be_checked()

    # The coordinator answers the same area differently, sees the disagreement and settles it.
    coordinator.goto(overview_url)
    coordinator.get_by_role("link", name=re.compile("Répondre — Données")).click()
    coordinator.locator("fieldset.indicator").nth(0).locator("input[value='5']").check()
    expect(coordinator.locator("fieldset.indicator").nth(0).locator(".status")).to_have_text(
        "Enregistré"
    )
    coordinator.goto(overview_url)
    coordinator.get_by_role("link", name="Divergences").click()
    flagged = coordinator.locator("tr.disagreement")
    expect(flagged).to_have_count(1)
    flagged.locator("select").select_option("4")
    flagged.get_by_role("button", name="Retenir").click()
    expect(coordinator.locator("tr.disagreement")).to_have_count(1)
    expect(coordinator.locator("tr.disagreement")).to_contain_text("4")

    # Submit, then read the results: radar, levels, priorities, roadmap.
    coordinator.goto(overview_url)
    coordinator.get_by_role("button", name="Soumettre l'évaluation").click()
    expect(coordinator.get_by_role("heading", level=1)).to_contain_text("Résultats")
    expect(coordinator.locator("figure.radar svg polygon.value")).to_have_count(1)
    expect(coordinator.locator("figure.radar svg polygon.target")).to_have_count(1)
    expect(coordinator.locator("#area-scores tbody tr")).to_have_count(6)
    data_row = coordinator.locator("#area-scores tr[data-area=data]")
    expect(data_row).to_contain_text("Données")
    expect(data_row).to_contain_text("3 — Opérationnel")
    expect(coordinator.locator("#priorities li").first).to_be_visible()
    expect(coordinator.get_by_role("heading", name="0-6 mois")).to_be_visible()
    expect(coordinator.get_by_text("et non un classement")).to_be_visible()

    # The report is built by the worker; the notification is written by another process (the
    # event consumer) when it hears the report is ready: wait for both, not one then the other.
    # Other tests' reports may be ready (or still building) on the same platform: wait for this
    # assessment's own row and its own notification.
    coordinator.goto(f"{gateway_url}/reports/")
    row = coordinator.locator("#reports tr", has_text="Évaluation navigateur")
    announced = coordinator.locator("#notifications li", has_text="Évaluation navigateur")
    for _ in range(120):
        if row.count() and "Prêt" in row.first.inner_text() and announced.count():
            break
        coordinator.wait_for_timeout(500)
        coordinator.reload()
    expect(row).to_contain_text("Prêt")
    expect(announced.first).to_be_visible()
    with coordinator.expect_download() as download:
        row.get_by_role("link", name="HTML").click()
    assert download.value.suggested_filename.endswith(".html")


def test_switching_language_keeps_the_page(
    browser: Browser, gateway_url: str, form_sign_in
) -> None:
    page = browser.new_context(locale="en-GB").new_page()
    form_sign_in(page, "coordinator@demo.example", "/assessment/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Readiness self-assessments")
    page.get_by_role("link", name=re.compile("(Langue|Language): Français")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Auto-évaluations de préparation")
    assert page.url.split("?")[0].endswith("/assessment/")
    page.goto(f"{gateway_url}/assessment/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")  # the choice is remembered
