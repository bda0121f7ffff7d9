"""The second readiness tool, shipped as framework files only, taken end to end in French in
real chromium: a coordinator starts the Blockchain self-assessment, answers every area, submits,
reads the results and downloads the French report."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

pytestmark = pytest.mark.browser

TOOL = "Auto-évaluation de la préparation à la chaîne de blocs pour les douanes"


def test_a_coordinator_takes_the_blockchain_tool_end_to_end_in_french(
    browser: Browser, gateway_url: str, form_sign_in
) -> None:
    page = browser.new_context(locale="fr-FR").new_page()
    form_sign_in(page, "coordinator@demo.example", "/assessment/")
    page.get_by_label("Outil de préparation").select_option(value="blockchain-readiness")
    page.get_by_label("Titre").fill("Chaîne de blocs 2027")
    page.get_by_label("Langue du rapport").select_option("fr")
    page.get_by_role("button", name="Démarrer une évaluation").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chaîne de blocs 2027")
    overview_url = page.url

    answer_links = page.get_by_role("link", name=re.compile("^Répondre — "))
    areas = answer_links.count()
    assert areas >= 6  # its own areas and the modules it reuses from the AI/ML tool
    for index in range(areas):
        page.goto(overview_url)
        page.get_by_role("link", name=re.compile("^Répondre — ")).nth(index).click()
        fieldsets = page.locator("fieldset.indicator")
        for n in range(fieldsets.count()):
            level = "2" if index % 2 else "4"  # some gaps, some strengths
            fieldsets.nth(n).locator(f"input[type=radio][value='{level}']").check()
        for n in range(fieldsets.count()):
            expect(fieldsets.nth(n).locator(".status")).to_have_text("Enregistré")

    page.goto(overview_url)
    page.get_by_role("button", name="Soumettre l'évaluation").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Résultats")
    expect(page.locator("#area-scores tbody tr")).to_have_count(areas)
    expect(page.locator("#area-scores")).to_contain_text("Cas d'usage")
    expect(page.locator("#priorities li").first).to_be_visible()
    expect(page.get_by_text("et non un classement")).to_be_visible()

    page.goto(f"{gateway_url}/reports/")
    row = page.locator("#reports tr", has_text="Chaîne de blocs 2027")
    for _ in range(60):
        if row.count() and "Prêt" in row.inner_text():
            break
        page.wait_for_timeout(500)
        page.reload()
    expect(row).to_contain_text("Prêt")
    expect(row).to_contain_text("FR")
    with page.expect_download() as download:
        row.get_by_role("link", name="HTML").click()
    report = download.value.path().read_text(encoding="utf-8")
    assert TOOL in report
    assert "Demo Customs Administration" in report  # named, never by its id
    assert '<html lang="fr">' in report
