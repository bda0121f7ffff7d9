"""The members' community end to end in real chromium through the gateway: a member shares a
case study as a PDF, an editor asks for a change with a remark, the member answers with a new
version, a second editor publishes it, a member of another administration finds it by a search
without accents, opens a thread about it from its page, and is told of the reply in the
reports page, whose link opens the thread at that reply."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Browser, expect

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n"


def _pdf(name: str, extra: bytes = b"") -> dict[str, object]:
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF + extra}


def test_a_shared_case_study_is_reviewed_published_found_and_discussed(
    browser: Browser, gateway_url: str, form_sign_in
) -> None:
    token = uuid.uuid4().hex[:6]
    english = f"Container scanner case study {token}"
    french = f"Étude de cas : détection au scanner {token}"
    remark = f"Add the results of {token}"

    member = browser.new_context(locale="en-GB").new_page()
    form_sign_in(member, "coordinator@demo.example", "/contributions")
    member.get_by_role("link", name="Share new material").click()
    member.locator("#file").set_input_files(_pdf("scanner-case.pdf"))
    member.get_by_label("Kind").select_option("case_study")
    member.locator("#title_en").fill(english)
    member.locator("#summary_en").fill("How the port reads X-ray scans with AI.")
    member.locator("#title_fr").fill(french)
    member.get_by_role("button", name="Send for review").click()
    expect(member.get_by_role("status")).to_have_text("Thank you: the editors will review it.")
    expect(member.locator("#contribution-status")).to_have_text("In review")
    contribution_url = member.url.split("?")[0]

    editor = browser.new_context(locale="en-GB").new_page()
    form_sign_in(editor, "editor@demo.example", "/editor/")
    editor.get_by_role("link", name="Members' contributions").click()
    editor.get_by_role("link", name=english).click()
    expect(editor.locator("#contribution-status")).to_have_text("In review")
    expect(editor.locator("#versions")).to_contain_text("scanner-case.pdf")
    editor.get_by_label("What the contributor should change").fill(remark)
    editor.get_by_role("button", name="Request changes").click()
    expect(editor.get_by_role("status")).to_contain_text("The contributor is asked for changes")
    expect(editor.locator("#contribution-status")).to_have_text("Changes requested")

    member.goto(contribution_url)
    expect(member.locator("#contribution-status")).to_have_text("Changes requested")
    expect(member.get_by_role("table", name="Review")).to_contain_text(
        f"changes requested: “{remark}”"
    )
    member.locator("#file").set_input_files(_pdf("scanner-case-v2.pdf", b"%v2"))
    member.get_by_label("What you changed (for the editors)").fill("Results added")
    member.get_by_role("button", name="Send the new version").click()
    expect(member.locator("#contribution-status")).to_have_text("In review")
    expect(member.get_by_role("table", name="Versions of the file")).to_contain_text("Version 2")

    reviewer = browser.new_context(locale="fr-FR").new_page()
    form_sign_in(reviewer, "reviewer@demo.example", "/editor/contributions/")
    reviewer.get_by_role("link", name=french).click()
    expect(reviewer.locator("#versions")).to_contain_text("scanner-case-v2.pdf")
    expect(reviewer.locator("#remarks")).to_contain_text(remark)
    reviewer.get_by_role("button", name="Publier", exact=True).click()
    expect(reviewer.get_by_role("status")).to_have_text(
        "Publié : les membres le trouvent dans le catalogue."
    )
    expect(reviewer.locator("#contribution-status")).to_have_text("Publié")

    other = browser.new_context(locale="fr-FR")
    reader = other.new_page()
    form_sign_in(reader, "coordinator@other.example", "/")
    search = reader.get_by_label("Rechercher dans le catalogue")
    search.fill(f"etude detection {token}")  # no accents
    search.press("Enter")
    expect(reader.locator("#results")).to_contain_text(french)
    reader.get_by_role("link", name=french).click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(french)
    discuss = reader.locator("#discuss")
    expect(discuss).to_have_text("Discuter de cette étude de cas")
    discuss.click()
    thread_title = f"Vos résultats au port {token}"
    reader.get_by_label("Titre").fill(thread_title)
    reader.get_by_label("Langue du fil").select_option("fr")
    reader.get_by_label("Message (Markdown)").fill("Quels taux de détection obtenez-vous ?")
    reader.get_by_role("button", name="Lancer le fil").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(thread_title)
    expect(reader.get_by_role("link", name=french)).to_be_visible()

    notices = other.new_page()
    notices.goto(f"{gateway_url}/reports/")
    expect(notices.locator("#notif-section")).to_have_attribute("data-live", "open")

    member.goto(contribution_url)
    expect(member.locator("#contribution-status")).to_have_text("Published")
    member.get_by_role("link", name="See its page in the catalogue").click()
    member.locator("#discussions").get_by_role("link", name=thread_title).click()
    member.get_by_label("Your reply (Markdown)").fill("About 8 % more seizures.")
    member.get_by_role("button", name="Post the reply").click()
    expect(member.locator("p.ok")).to_have_text("Your reply is posted.")
    reply = member.locator("#posts article").nth(1)
    reply_id = (reply.get_attribute("id") or "").removeprefix("post-")
    assert reply_id

    told = notices.locator("#notifications li", has_text=thread_title)
    expect(told).to_contain_text("Nouvelle réponse dans votre discussion", timeout=60_000)
    expect(told).to_contain_text(f"a répondu dans votre discussion « {thread_title} »")
    told.get_by_role("link").click()
    expect(notices).to_have_url(re.compile(rf"\?post={reply_id}#post-{reply_id}$"))
    landed = notices.locator(f"#post-{reply_id}")
    expect(landed).to_contain_text("About 8 % more seizures.")
    expect(landed).to_be_in_viewport()
