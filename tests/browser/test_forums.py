"""The members' forums in real chromium through the gateway: a member starts a thread in French
from a category, a second member replies quoting it, the first sees the reply with the quote,
and an editor locks the thread so that the reply form disappears."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Browser, expect

pytestmark = pytest.mark.browser


def test_two_members_discuss_in_french_with_a_quote_until_an_editor_locks_the_thread(
    browser: Browser, gateway_url: str, sign_in
) -> None:
    title = f"Scanners et IA {uuid.uuid4().hex[:6]}"
    author = browser.new_context(locale="fr-FR").new_page()
    sign_in(author, "coordinator@demo.example", "/forums")
    expect(author.get_by_role("heading", level=1)).to_have_text("Forums")
    author.get_by_role("link", name="Intelligence artificielle", exact=True).click()
    expect(author.get_by_role("heading", level=1)).to_have_text("Intelligence artificielle")
    author.get_by_label("Titre").fill(title)
    author.get_by_label("Langue du fil").select_option("fr")
    author.get_by_label("Message (Markdown)").fill("Qui lit les images de **scanner** avec l'IA ?")
    author.get_by_role("button", name="Lancer le fil").click()
    expect(author.get_by_role("heading", level=1)).to_have_text(title)
    expect(author.locator("#posts article").first.locator(".body strong")).to_have_text("scanner")
    thread_path = author.url.removeprefix(gateway_url).split("?")[0]
    assert re.fullmatch(r"/forums/threads/[0-9a-f-]{36}", thread_path)

    replier = browser.new_context(locale="fr-FR").new_page()
    sign_in(replier, "respondent@demo.example", thread_path)
    replier.locator("#posts article").first.get_by_role("link", name="Citer").click()
    expect(replier.locator("#quoting")).to_contain_text("Citation de Demo Coordinator")
    reply = replier.get_by_label("Votre réponse (Markdown)")
    expect(reply).to_have_value(re.compile(r"^> Qui lit les images"))
    reply.press("End")
    reply.press("Control+End")
    reply.press_sequentially("Nous, depuis 2024, au port.")
    replier.get_by_role("button", name="Publier la réponse").click()
    expect(replier.locator("p.ok")).to_have_text("Votre réponse est publiée.")

    author.reload()
    answer = author.locator("#posts article").nth(1)
    expect(answer.locator(".author")).to_have_text("Demo Respondent")
    expect(answer.locator(".quote-ref")).to_contain_text("En réponse à Demo Coordinator")
    expect(answer.locator(".body blockquote")).to_contain_text("Qui lit les images")
    expect(answer.locator(".body")).to_contain_text("Nous, depuis 2024, au port.")
    expect(author.locator("#reply-form")).to_be_visible()

    editor = browser.new_context(locale="en-GB").new_page()
    sign_in(editor, "editor@demo.example", thread_path)
    editor.get_by_role("button", name="Lock the thread").click()
    expect(editor.locator("p.ok")).to_have_text("Done: the moderation log keeps it.")
    expect(editor.locator("#reply-form")).to_have_count(0)
    expect(editor.get_by_role("button", name="Unlock the thread")).to_be_visible()

    author.reload()
    expect(author.locator("#reply-form")).to_have_count(0)
    expect(author.locator("#locked-notice")).to_have_text(
        "Ce fil est verrouillé : il n'accepte plus de réponses."
    )
