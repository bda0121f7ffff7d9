"""A coordinator builds an action plan from an assessment's priorities, the owner marks an action
done with evidence, and the next assessment shows the level then and now beside it — in real
chromium through the gateway."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser


def _start_and_answer_data(page: Page, title: str, level: str) -> str:
    """Start an assessment from the dashboard, answer the data area at ``level``; return the
    first data indicator's key (the page is left on the overview)."""
    page.get_by_label("Titre").fill(title)
    page.get_by_role("button", name="Démarrer une évaluation").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    overview_url = page.url
    page.get_by_role("link", name=re.compile("Répondre — Données")).click()
    fieldsets = page.locator("fieldset.indicator")
    expect(fieldsets.first).to_be_visible()
    for index in range(fieldsets.count()):
        fieldsets.nth(index).locator(f"input[type=radio][value='{level}']").check()
    for index in range(fieldsets.count()):
        expect(fieldsets.nth(index).locator(".status")).to_have_text("Enregistré")
    key = fieldsets.first.get_attribute("data-indicator")
    assert key
    page.goto(overview_url)
    return key


def test_an_action_plan_is_built_done_with_evidence_and_tracked_to_the_next_assessment(
    browser: Browser, gateway_url: str, form_sign_in
) -> None:
    coordinator = browser.new_context(locale="fr-FR").new_page()
    form_sign_in(coordinator, "coordinator@demo.example", "/assessment/")
    key = _start_and_answer_data(coordinator, "Plan navigateur 2026", "1")
    coordinator.get_by_label("Choisir dans votre administration").select_option(
        label="Demo Respondent <respondent@demo.example>"
    )
    coordinator.get_by_role("button", name="Inviter").click()
    expect(coordinator.get_by_role("listitem").filter(has_text="Demo Respondent")).to_be_visible()
    coordinator.get_by_role("button", name="Soumettre l'évaluation").click()
    expect(coordinator.get_by_role("heading", level=1)).to_contain_text("Résultats")

    # The plan from the priorities chosen on the results page (the first five are ticked).
    build = coordinator.locator("form#build-plan")
    expect(build.locator("input[name=indicator]:checked")).not_to_have_count(0)
    build.get_by_role("button", name="Établir un plan d'action").click()
    expect(coordinator.get_by_role("heading", level=1)).to_contain_text("Plan d'action")
    from_priorities = coordinator.locator("#plan-actions tbody tr")
    expect(from_priorities.first).to_contain_text("Prévue")
    count = from_priorities.count()
    assert count >= 1

    # An action for the respondent, on the first data indicator.
    add = coordinator.locator("form#add-action")
    add.get_by_label("Action").fill("Nommer les responsables des données")
    add.get_by_label("Responsable").select_option(label="Demo Respondent")
    add.get_by_label("Échéance").fill("2027-06-30")
    add.get_by_label("Indicateur traité").select_option(key)
    add.get_by_role("button", name="Ajouter une action").click()
    expect(coordinator.locator("#plan-actions tbody tr")).to_have_count(count + 1)
    added = coordinator.locator("#plan-actions tbody tr", has_text="Nommer les responsables")
    expect(added).to_contain_text("Demo Respondent")
    expect(added).to_contain_text("2027-06-30")

    # The owner marks it done with a note and a link, in English.
    owner = browser.new_context(locale="en-GB").new_page()
    form_sign_in(owner, "respondent@demo.example", "/assessment/")
    owner.get_by_role("link", name="My actions").click()
    mine = owner.locator("section[data-action]", has_text="Nommer les responsables")
    expect(mine).to_contain_text("Planned")
    mine.get_by_label("Status").select_option("done")
    mine.get_by_label("Evidence: note").fill("Owners named by decision 12/2026")
    mine.get_by_label("Evidence: link").fill("https://intranet.example/decisions/12-2026")
    mine.get_by_role("button", name="Update").click()
    expect(owner.locator("p.notice[role=status]")).to_have_text("Saved.")
    mine = owner.locator("section[data-action]", has_text="Nommer les responsables")
    expect(mine).to_contain_text("Done")
    expect(
        mine.get_by_role("link", name="https://intranet.example/decisions/12-2026")
    ).to_be_visible()

    coordinator.reload()
    expect(added).to_contain_text("Réalisée")
    expect(added).to_contain_text("Owners named by decision 12/2026")

    # The re-assessment: data answered at 3 now; its results show the change beside the action.
    coordinator.goto(f"{gateway_url}/assessment/")
    _start_and_answer_data(coordinator, "Plan navigateur 2027", "3")
    coordinator.get_by_role("button", name="Soumettre l'évaluation").click()
    expect(coordinator.get_by_role("heading", level=1)).to_contain_text("Résultats")
    since = coordinator.locator("section#since")
    expect(
        since.get_by_role("heading", name="Actions depuis l'évaluation précédente")
    ).to_be_visible()
    expect(since).to_contain_text("Plan navigateur 2026")
    row = since.locator(f"tr[data-indicator='{key}']")
    expect(row.locator("td").nth(0)).to_have_text("1")
    expect(row.locator("td").nth(1)).to_have_text("3")
    expect(row.locator("td").nth(2)).to_have_text("+2")
    expect(row.locator("li", has_text="Nommer les responsables des données")).to_have_text(
        "Nommer les responsables des données — Réalisée"
    )
