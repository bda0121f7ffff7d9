"""The portal's catalogue in real chromium through the gateway: search with filters, switching
language on an item, and two editors taking an item from draft to the public catalogue."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser


def _total(page: Page) -> int:
    heading = page.locator("#results-h").inner_text()
    found = re.search(r"(\d+)", heading)
    assert found, heading
    return int(found.group(1))


def test_a_visitor_searches_without_accents_then_narrows_with_a_filter(
    browser: Browser, gateway_url: str
) -> None:
    page = browser.new_context(locale="fr-FR").new_page()
    page.goto(f"{gateway_url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Douane intelligente")
    search = page.get_by_label("Rechercher dans le catalogue")
    search.fill("donnees")
    search.press("Enter")  # the keyboard is enough
    expect(page).to_have_url(re.compile(r"/catalogue\?q=donnees"))
    everything = _total(page)
    assert everything >= 5
    expect(page.locator("#results li").first).to_contain_text(re.compile("[Dd]onnées"))

    facet = page.locator("#facet-technology")
    blockchain = facet.get_by_label(re.compile("Chaîne de blocs"))
    announced = int(re.search(r"\((\d+)\)", blockchain.locator("xpath=..").inner_text()).group(1))
    blockchain.check()
    page.get_by_role("button", name="Appliquer les filtres").click()
    expect(page).to_have_url(re.compile(r"technology=blockchain"))
    narrowed = _total(page)
    assert 0 < narrowed < everything
    assert narrowed == announced  # the facet count said what the filter gives
    expect(page.get_by_label("Mots recherchés")).to_have_value("donnees")
    cards = page.locator("#results li")
    expect(cards).to_have_count(narrowed)
    for index in range(narrowed):
        expect(cards.nth(index)).to_contain_text("Chaîne de blocs")


def test_switching_language_on_an_item_keeps_the_reader_on_it(
    browser: Browser, gateway_url: str
) -> None:
    page = browser.new_context(locale="en-GB").new_page()
    page.goto(f"{gateway_url}/catalogue?q=data+governance+framework")
    page.locator("#results li a").first.click()
    item_path = page.url.removeprefix(gateway_url)
    assert item_path.startswith("/catalogue/")
    english = page.get_by_role("heading", level=1).inner_text()
    page.get_by_role("link", name="Language: Français").click()
    expect(page).to_have_url(re.compile(re.escape(item_path) + r"\?lang=fr$"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    french = page.get_by_role("heading", level=1).inner_text()
    assert french and french != english
    page.get_by_role("link", name="Retour au catalogue").click()  # the choice is remembered
    expect(page.get_by_role("heading", level=1)).to_have_text("Catalogue")
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_an_editor_writes_an_item_and_a_second_editor_publishes_it(
    browser: Browser, gateway_url: str, form_sign_in
) -> None:
    title = f"Guide to scanner images {uuid.uuid4().hex[:6]}"
    editor = browser.new_context(locale="en-GB").new_page()
    form_sign_in(editor, "editor@demo.example", "/editor/")
    editor.get_by_role("link", name="New item").click()
    editor.get_by_label("Kind").select_option("resource")
    editor.locator("#en-title").fill(title)
    editor.locator("#en-summary").fill("Reading X-ray scans of containers with AI.")
    editor.locator("#en-body").fill("## Steps\n\n1. Collect labelled scans.")
    french_title = f"Guide des images de scanner {title[-6:]}"
    editor.locator("#fr-title").fill(french_title)
    editor.get_by_label("Artificial intelligence").first.check()
    editor.get_by_role("button", name="Create the draft").click()
    expect(editor.get_by_role("status")).to_have_text("Saved.")
    expect(editor.locator("#item-status")).to_have_text("Draft")
    editor.get_by_role("button", name="Send for review").click()
    expect(editor.locator("#item-status")).to_have_text("In review")
    expect(editor.get_by_text("another editor must publish it")).to_be_visible()
    editor.get_by_role("button", name="Publish").click()  # refused: they wrote it
    expect(editor.get_by_role("alert")).to_contain_text("Another editor must publish")
    edit_url = editor.url.split("?")[0]

    visitor = browser.new_context(locale="en-GB").new_page()
    visitor.goto(f"{gateway_url}/catalogue?q={title.split()[-1]}")
    expect(visitor.get_by_text(title)).to_have_count(0)

    reviewer = browser.new_context(locale="fr-FR").new_page()
    form_sign_in(reviewer, "reviewer@demo.example", "/editor/")
    reviewer.get_by_role("link", name=french_title).click()  # the desk speaks their language
    assert reviewer.url.split("?")[0] == edit_url
    reviewer.locator("#note-publish").fill("Relu")
    reviewer.get_by_role("button", name="Publier").click()
    expect(reviewer.locator("#item-status")).to_have_text("Publié")
    expect(reviewer.locator("#history")).to_contain_text("Relu")

    visitor.reload()
    expect(visitor.get_by_role("link", name=title)).to_be_visible()
    visitor.get_by_role("link", name=title).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(title)
