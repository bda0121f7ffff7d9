"""The members' forums in real chromium through the gateway: a member starts a thread in French
from a category, a second member replies quoting it, the first sees the reply with the quote,
and an editor locks the thread so that the reply form disappears; the top menu's Forums entry
(members only, current on forum pages); a reply mentioning a member of another administration
found with the picker by an accent-free prefix, who is told of it in the reports page."""

from __future__ import annotations

import re
import uuid

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from portal.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_two_members_discuss_in_french_with_a_quote_until_an_editor_locks_the_thread(
    browser: Browser, gateway_url: str, form_sign_in
) -> None:
    title = f"Scanners et IA {uuid.uuid4().hex[:6]}"
    author = browser.new_context(locale="fr-FR").new_page()
    form_sign_in(author, "coordinator@demo.example", "/forums")
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
    form_sign_in(replier, "respondent@demo.example", thread_path)
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
    form_sign_in(editor, "editor@demo.example", thread_path)
    editor.get_by_role("button", name="Lock the thread").click()
    expect(editor.locator("p.ok")).to_have_text("Done: the moderation log keeps it.")
    expect(editor.locator("#reply-form")).to_have_count(0)
    expect(editor.get_by_role("button", name="Unlock the thread")).to_be_visible()

    author.reload()
    expect(author.locator("#reply-form")).to_have_count(0)
    expect(author.locator("#locked-notice")).to_have_text(
        "Ce fil est verrouillé : il n'accepte plus de réponses."
    )


def test_the_forums_menu_entry_is_for_members_and_current_on_forum_pages(
    browser: Browser, gateway_url: str, form_sign_in
) -> None:
    visitor = browser.new_context(locale="en-GB").new_page()
    visitor.goto(f"{gateway_url}/catalogue")
    expect(visitor.get_by_role("navigation", name="Main navigation")).to_contain_text("Catalogue")
    expect(visitor.locator("#menu-forums")).to_have_count(0)

    member = browser.new_context(locale="en-GB").new_page()
    form_sign_in(member, "respondent@demo.example", "/assessment/")
    menu = member.get_by_role("navigation", name="Main navigation")
    entry = menu.get_by_role("link", name="Forums", exact=True)
    expect(entry).to_have_attribute("href", "/forums")
    expect(entry).not_to_have_attribute("aria-current", re.compile(".*"))
    member.goto(f"{gateway_url}/catalogue")
    expect(entry).not_to_have_attribute("aria-current", re.compile(".*"))

    entry.click()
    expect(member).to_have_url(f"{gateway_url}/forums")
    expect(member.get_by_role("heading", level=1)).to_have_text("Forums")
    expect(entry).to_have_attribute("aria-current", "page")
    member.get_by_role("link", name="Artificial intelligence", exact=True).click()
    expect(member.get_by_role("heading", level=1)).to_have_text("Artificial intelligence")
    expect(entry).to_have_attribute("aria-current", "page")


def _new_member_of_the_other_administration(
    gateway_url: str, operator: dict[str, str], name: str, email: str
) -> None:
    """Have the operator create an English-speaking coordinator of the other administration."""
    api = f"{gateway_url}/api/v1/portal/administrations"
    listed = requests.get(api, params={"page_size": 100}, headers=operator, timeout=10)
    listed.raise_for_status()
    other = next(a["id"] for a in listed.json() if a["name"] == "Other Customs Administration")
    created = requests.post(
        f"{api}/{other}/users",
        json={
            "email": email,
            "display_name": name,
            "password": DEMO_PASSWORD,
            "roles": ["coordinator"],
            "language": "en",
        },
        headers=operator,
        timeout=10,
    )
    assert created.status_code == 201, created.text


def _start_a_thread(page: Page, title: str) -> str:
    """Start an English thread in the AI category from ``page``; return its path."""
    page.get_by_role("link", name="Artificial intelligence", exact=True).click()
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Language of the thread", exact=True).select_option("en")
    page.get_by_label("Message (Markdown)").fill("Who screens containers with AI?")
    page.get_by_role("button", name="Start the thread").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    return page.url.split("?")[0]


def test_a_member_of_another_administration_found_without_accents_is_told_of_the_mention(
    browser: Browser, gateway_url: str, form_sign_in, sign_in
) -> None:
    token = uuid.uuid4().hex[:6]
    name = f"Hélène Lefèvre {token}"
    email = f"helene-{token}@other.example"
    operator = sign_in("operator@demo.example")
    _new_member_of_the_other_administration(gateway_url, operator, name, email)
    title = f"Container screening {token}"

    mentioned = browser.new_context(locale="en-GB").new_page()
    form_sign_in(mentioned, email, "/reports/")
    expect(mentioned.locator("#notif-section")).to_have_attribute("data-live", "open")

    replier = browser.new_context(locale="en-GB").new_page()
    form_sign_in(replier, "coordinator@demo.example", "/forums")
    thread_url = _start_a_thread(replier, title)
    replier.get_by_label("Your reply (Markdown)").fill("Hélène, your port tried it in 2025?")
    search = replier.get_by_label("Mention members (type the start of a name)")
    search.press_sequentially("helene lefev")  # no accents
    choice = replier.locator("#mention-results").get_by_role(
        "button", name=f"{name} (Other Customs Administration)"
    )
    expect(choice).to_be_visible()
    choice.click()
    expect(replier.locator("#mention-status")).to_have_text(f"{name} will be mentioned.")
    chosen = replier.get_by_role("list", name="Members mentioned").get_by_role("checkbox")
    expect(chosen).to_have_count(1)
    expect(chosen).to_be_checked()
    replier.get_by_role("button", name="Post the reply").click()
    expect(replier.locator("p.ok")).to_have_text("Your reply is posted.")
    reply = replier.locator("#posts article").nth(1)
    expect(reply.locator(".mentions")).to_have_text(f"Mentions: {name}")
    reply_id = (reply.get_attribute("id") or "").removeprefix("post-")
    assert reply_id
    assert replier.url.startswith(thread_url)

    told = mentioned.locator("#notifications li", has_text=title)
    expect(told).to_contain_text("You were mentioned in a forum", timeout=60_000)
    expect(told).to_contain_text(f"Demo Coordinator mentioned you in the thread “{title}”.")
    told.get_by_role("link").click()
    expect(mentioned).to_have_url(re.compile(rf"\?post={reply_id}#post-{reply_id}$"))
    expect(mentioned.locator(f"#post-{reply_id} .mentions")).to_have_text(f"Mentions: {name}")
