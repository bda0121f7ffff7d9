"""The editors' pages of members' contributions: the queue in review, one contribution with its
file versions, asking for changes with a remark (which the contributor reads), publishing and
archiving; for editors only, in English and French."""

import io
import re

import pytest

from portal.contributions.models import Contribution

CSRF = "csrf-test-token"
PDF = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n"
PAGES = "/editor/contributions"


@pytest.fixture
def signed_in(app, people):
    """Return a test client signed in with the session cookie as one of ``people``."""

    def as_person(who: str, language: str = "en"):
        client = app.test_client()
        header = people[who].get("Authorization")
        if header:
            client.set_cookie("sc_session", header.removeprefix("Bearer "))
        client.set_cookie("sc_csrf", CSRF)
        client.set_cookie("lang", language)
        return client

    return as_person


@pytest.fixture
def shared(signed_in):
    """Return the id of a case study a member shared, in review."""
    sent = signed_in("member", "fr").post(
        "/contribute",
        data={
            "csrf_token": CSRF,
            "kind": "case_study",
            "title_fr": "Scanner à conteneurs",
            "visibility": "members",
            "file": (io.BytesIO(PDF), "étude.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert sent.status_code == 303, sent.get_data(as_text=True)
    return sent.location.split("?")[0].rsplit("/", 1)[1]


def test_the_review_pages_are_for_signed_in_editors(signed_in, shared):
    anonymous = signed_in("anonymous").get(f"{PAGES}/")
    assert anonymous.status_code == 302 and anonymous.location.startswith("/login?next=/editor")
    assert signed_in("member").get(f"{PAGES}/").status_code == 403
    assert signed_in("member").get(f"{PAGES}/{shared}").status_code == 403
    assert signed_in("editor").get(f"{PAGES}/no-such-id").status_code == 404
    queue = signed_in("editor").get(f"{PAGES}/").get_data(as_text=True)
    assert f'href="{PAGES}/{shared}"' in queue and "Demo Coordinator" in queue
    assert f'href="{PAGES}/"' in signed_in("editor").get("/editor/").get_data(as_text=True)


def test_an_editor_asks_for_changes_with_a_remark_the_contributor_reads(signed_in, shared):
    editor = signed_in("editor")
    page = editor.get(f"{PAGES}/{shared}").get_data(as_text=True)
    assert "étude.pdf" in page and "Demo Customs Administration" in page
    assert f'action="{PAGES}/{shared}/request-changes"' in page

    asked = editor.post(
        f"{PAGES}/{shared}/request-changes",
        data={"csrf_token": CSRF, "note": "Ajoutez les chiffres"},
    )
    assert asked.status_code == 303
    page = editor.get(asked.location).get_data(as_text=True)
    assert "The contributor is asked for changes" in page and "Changes requested" in page
    assert "Ajoutez les chiffres" in page and "request-changes" not in page.split("</h1>")[1]
    mine = signed_in("member", "fr").get(f"/contributions/{shared}").get_data(as_text=True)
    assert "Modifications demandées" in mine and "Ajoutez les chiffres" in mine
    assert signed_in("editor").get(f"{PAGES}/?status=changes_requested").get_data(as_text=True)


def test_changes_are_not_asked_without_a_remark(signed_in, shared, count):
    refused = signed_in("editor", "fr").post(
        f"{PAGES}/{shared}/request-changes", data={"csrf_token": CSRF, "note": "  "}
    )
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert 'aria-invalid="true"' in page and "En relecture" in page
    assert count(Contribution) == 1


def test_a_second_editor_publishes_and_the_contribution_leaves_the_queue(signed_in, shared):
    reviewer = signed_in("editor2", "fr")
    published = reviewer.post(
        f"{PAGES}/{shared}/publish", data={"csrf_token": CSRF, "note": "Relu"}
    )
    assert published.status_code == 303
    page = reviewer.get(published.location).get_data(as_text=True)
    assert "Publié : les membres le trouvent dans le catalogue." in page
    assert "Relu" in page and "/catalogue/" in page
    assert f"{PAGES}/{shared}" not in signed_in("editor").get(f"{PAGES}/").get_data(as_text=True)
    mine = signed_in("member").get(f"/contributions/{shared}").get_data(as_text=True)
    assert "Published" in mine


def test_a_decision_the_workflow_refuses_is_shown_not_applied(signed_in, shared):
    editor = signed_in("editor")
    editor.post(f"{PAGES}/{shared}/request-changes", data={"csrf_token": CSRF, "note": "Plus"})
    again = editor.post(f"{PAGES}/{shared}/publish", data={"csrf_token": CSRF})
    assert again.status_code == 303 and "error=" in again.location
    page = editor.get(again.location).get_data(as_text=True)
    assert 'role="alert"' in page and "Changes requested" in page


def test_a_decision_needs_the_forms_csrf_token(signed_in, shared):
    forged = signed_in("editor2").post(f"{PAGES}/{shared}/publish", data={"csrf_token": "forged"})
    assert forged.status_code == 403
    assert "In review" in signed_in("editor").get(f"{PAGES}/{shared}").get_data(as_text=True)


def test_an_editor_archives_a_contribution_in_review_with_a_note_the_contributor_reads(
    signed_in, shared
):
    editor = signed_in("editor")
    page = editor.get(f"{PAGES}/{shared}").get_data(as_text=True)
    assert f'action="{PAGES}/{shared}/archive"' in page
    archived = editor.post(
        f"{PAGES}/{shared}/archive", data={"csrf_token": CSRF, "note": "Hors sujet"}
    )
    assert archived.status_code == 303 and archived.location.endswith("done=archive")
    page = editor.get(archived.location).get_data(as_text=True)
    assert "Archived: it is out of the review queue and of the catalogue." in page
    assert '<strong id="contribution-status">Archived</strong>' in page
    assert "archived: “Hors sujet”" in page
    decisions = page.split("</h1>")[1]
    assert "/archive" not in decisions and "/publish" not in decisions
    assert f"{PAGES}/{shared}" not in editor.get(f"{PAGES}/").get_data(as_text=True)
    listed = editor.get(f"{PAGES}/?status=archived").get_data(as_text=True)
    assert f'href="{PAGES}/{shared}"' in listed
    mine = signed_in("member", "fr").get(f"/contributions/{shared}").get_data(as_text=True)
    assert "Archivé" in mine and "Hors sujet" in mine


def test_archiving_a_published_contribution_takes_it_out_of_the_catalogue(signed_in, shared):
    published = signed_in("editor2").post(f"{PAGES}/{shared}/publish", data={"csrf_token": CSRF})
    page = signed_in("editor2").get(published.location).get_data(as_text=True)
    item_page = re.search(r'href="(/catalogue/[^"]+)"', page.split("</h1>")[1])
    assert item_page is not None
    member = signed_in("member")
    assert member.get(item_page.group(1)).status_code == 200

    archived = signed_in("editor", "fr").post(
        f"{PAGES}/{shared}/archive", data={"csrf_token": CSRF}
    )
    assert archived.status_code == 303
    page = signed_in("editor", "fr").get(archived.location).get_data(as_text=True)
    assert "Archivé : il n'est plus dans la file de relecture ni dans le catalogue." in page
    assert member.get(item_page.group(1)).status_code == 404
    assert "Archived" in member.get(f"/contributions/{shared}").get_data(as_text=True)


def test_archiving_an_archived_contribution_is_refused_and_shown(signed_in, shared):
    editor = signed_in("editor")
    editor.post(f"{PAGES}/{shared}/archive", data={"csrf_token": CSRF})
    again = editor.post(f"{PAGES}/{shared}/archive", data={"csrf_token": CSRF, "note": "Encore"})
    assert again.status_code == 303 and "error=" in again.location
    page = editor.get(again.location).get_data(as_text=True)
    assert 'role="alert"' in page and "Archived" in page and "Encore" not in page


def test_only_editors_archive_and_with_the_forms_csrf_token(signed_in, shared):
    assert (
        signed_in("member").post(f"{PAGES}/{shared}/archive", data={"csrf_token": CSRF}).status_code
        == 403
    )
    assert (
        signed_in("editor")
        .post(f"{PAGES}/{shared}/archive", data={"csrf_token": "forged"})
        .status_code
        == 403
    )
    anonymous = signed_in("anonymous").post(f"{PAGES}/{shared}/archive", data={"csrf_token": CSRF})
    assert anonymous.status_code == 302 and anonymous.location.startswith("/login?next=")
    assert "In review" in signed_in("editor").get(f"{PAGES}/{shared}").get_data(as_text=True)
