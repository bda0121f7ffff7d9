"""A coordinator opts a submitted assessment in to a regional aggregate from its results page, in
French, in real chromium, and sees nothing of other administrations below five."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

pytestmark = pytest.mark.browser


def test_a_coordinator_opts_in_and_out_from_the_results_page_in_french(
    browser: Browser, gateway_url: str, form_sign_in
) -> None:
    page = browser.new_context(locale="fr-FR").new_page()
    form_sign_in(page, "coordinator@demo.example", "/assessment/")
    page.get_by_label("Titre").fill("Évaluation pairs")
    page.get_by_role("button", name="Démarrer une évaluation").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Évaluation pairs")
    page.get_by_role("button", name="Soumettre l'évaluation").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Résultats")

    section = page.locator("section#peers")
    expect(section.get_by_role("heading", name="Apprentissage entre pairs")).to_be_visible()
    expect(section).to_contain_text("Ce n'est pas un classement de référence (benchmark)")
    expect(section).to_contain_text("ne contribue à aucun agrégat régional")
    section.get_by_label("Région").select_option(label="Afrique occidentale et centrale")
    section.get_by_role("button", name="Contribuer à l'agrégat").click()

    section = page.locator("section#peers")
    expect(section).to_contain_text(
        "contribue à l'agrégat de la région Afrique occidentale et centrale"
    )
    rows = section.locator("#peer-comparison tbody tr")
    expect(rows).to_have_count(6)
    expect(rows.first).to_contain_text("Pas encore assez de participants")
    section.get_by_role("button", name="Ne plus contribuer").click()
    expect(page.locator("section#peers")).to_contain_text("ne contribue à aucun agrégat régional")
