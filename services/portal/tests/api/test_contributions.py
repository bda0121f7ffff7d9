"""Members' contributions over the API: upload with metadata, the editors' review, new
versions, and downloads authorized exactly like the item (a members' file: 404 to the public)."""

import hashlib
import io

import pytest
from sqlalchemy import select

from portal.contributions.models import Contribution, ContributionVersion

URL = "/api/v1/portal/contributions"
ITEMS = "/api/v1/portal/content/items"
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n"
PDF_V2 = b"%PDF-1.7\n% second version, with the changes asked\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 30


def fields(**changes):
    return {
        "kind": "case_study",
        "title_en": "Risk engine at the border",
        "summary_en": "How we score declarations",
        "title_fr": "Moteur de risque à la frontière",
        "technologies": ["ai"],
        "visibility": "members",
        **changes,
    }


@pytest.fixture
def upload(client, people):
    """Upload ``content`` as ``who``; return the response."""

    def send(content=PDF, name="case.pdf", who="member", url=URL, headers=None, **changes):
        form = {**fields(**changes), "file": (io.BytesIO(content), name)}
        if url != URL:
            form = {k: v for k, v in form.items() if k in ("file", "note")}
            form.update({k: v for k, v in changes.items() if k == "note"})
        return client.post(
            url,
            data=form,
            headers={**people[who], **(headers or {})},
            content_type="multipart/form-data",
        )

    return send


@pytest.fixture
def contributed(upload):
    response = upload()
    assert response.status_code == 201, response.json
    return response.json


def download(client, people, contribution, who, path="file"):
    return client.get(f"{URL}/{contribution['id']}/{path}", headers=people[who])


def act(client, people, contribution, action, who, **body):
    return client.post(f"{URL}/{contribution['id']}/{action}", json=body, headers=people[who])


def test_a_member_uploads_a_file_that_enters_review_with_its_checksum(contributed, people):
    assert contributed["status"] == "in_review" and contributed["kind"] == "case_study"
    assert contributed["titles"] == {
        "en": "Risk engine at the border",
        "fr": "Moteur de risque à la frontière",
    }
    current = contributed["current"]
    assert current == {
        **current,
        "number": 1,
        "file_name": "case.pdf",
        "media_type": "application/pdf",
        "size": len(PDF),
        "sha256": hashlib.sha256(PDF).hexdigest(),
    }
    assert [r["action"] for r in contributed["remarks"]] == ["submitted"]
    assert contributed["item"]["status"] == "in_review"


def test_a_file_in_review_reaches_only_its_contributor_and_the_editors(client, people, contributed):
    for who in ("anonymous", "other", "respondent", "operator"):
        response = download(client, people, contributed, who)
        assert response.status_code == 404, who
        assert response.mimetype == "application/problem+json"
    for who in ("member", "editor"):
        response = download(client, people, contributed, who)
        assert response.status_code == 200 and response.data == PDF
        assert response.headers["Cache-Control"] == "private, no-store"
    for who in ("other", "respondent"):
        assert client.get(f"{URL}/{contributed['id']}", headers=people[who]).status_code == 404


def test_a_download_is_an_attachment_of_the_type_found_never_sniffed(client, people, upload):
    made = upload(PDF, name="../../Étude de cas.html").json
    response = download(client, people, made, "member")
    assert response.mimetype == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"Etude de cas.pdf\"; filename*=UTF-8''%C3%89tude%20de%20cas.pdf"
    )
    assert response.headers["Content-Length"] == str(len(PDF))
    assert "sandbox" in response.headers["Content-Security-Policy"]


def test_only_a_plain_image_is_shown_inline(client, people, upload):
    made = upload(PNG, name="photo.png").json
    response = download(client, people, made, "member")
    assert response.mimetype == "image/png"
    assert response.headers["Content-Disposition"].startswith("inline; ")


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        (
            b"<!DOCTYPE html><html><script>fetch('/api/v1/portal/users')</script></html>",
            "balisage ou script (HTML, SVG, XML, JavaScript)",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>x</script></svg>',
            "balisage ou script (HTML, SVG, XML, JavaScript)",
        ),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 64, "contenu binaire d'un type inconnu"),
    ],
)
def test_a_disguised_or_unknown_type_named_pdf_is_refused_415_in_french(
    upload, count, content, detail
):
    response = upload(content, name="case.pdf", headers={"Accept-Language": "fr"})
    assert response.status_code == 415
    assert response.mimetype == "application/problem+json"
    assert response.json["code"] == "unsupported_file_type"
    assert response.json["title"].startswith("Ce type de fichier n'est pas accepté")
    assert response.json["detail"] == detail
    assert count(Contribution) == 0


def test_a_file_over_the_limit_is_refused_413_and_nothing_is_kept(make_app, people, tmp_path):
    from shared.conformance import conforming_client

    small = make_app(PORTAL_UPLOAD_MAX_BYTES=2000)
    client = conforming_client(small)
    sent = {**fields(), "file": (io.BytesIO(PDF + b"0" * 5000), "big.pdf")}
    response = client.post(
        URL,
        data=sent,
        headers={**people["member"], "Accept-Language": "fr"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413 and response.json["code"] == "file_too_large"
    assert response.json["detail"] == "le fichier dépasse 2000 octets"
    with small.extensions["db"].session() as session:
        assert session.scalars(select(Contribution)).all() == []
    files = tmp_path / "portal-files"
    assert not files.exists() or [p for p in files.rglob("*") if p.is_file()] == []


def test_a_body_far_over_the_limit_is_refused_before_it_is_read(make_app, people):
    from shared.conformance import conforming_client

    client = conforming_client(make_app(PORTAL_UPLOAD_MAX_BYTES=2000))
    sent = {**fields(), "file": (io.BytesIO(PDF + b"0" * 400_000), "big.pdf")}
    response = client.post(
        URL, data=sent, headers=people["member"], content_type="multipart/form-data"
    )
    assert response.status_code == 413 and response.mimetype == "application/problem+json"


@pytest.mark.parametrize("who", ["editor", "operator"])
def test_only_members_of_an_administration_contribute(upload, who):
    response = upload(who=who)
    assert response.status_code == 403 and response.json["code"] == "forbidden"


def test_anonymous_uploads_are_refused_401(upload):
    assert upload(who="anonymous").status_code == 401


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title_en": "", "title_fr": ""}, "title_en"),
        ({"kind": "news"}, "kind"),
        ({"visibility": "secret"}, "visibility"),
        ({"title_en": "a\x15b"}, "title_en"),
        ({"title_fr": "", "summary_fr": "Résumé sans titre"}, "title_fr"),
    ],
)
def test_bad_fields_are_refused_422_naming_them_in_french(upload, count, changes, field):
    response = upload(headers={"Accept-Language": "fr"}, **changes)
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]
    assert count(Contribution) == 0


def test_a_request_without_a_file_or_not_multipart_is_refused(client, people):
    response = client.post(
        URL, data=fields(), headers=people["member"], content_type="multipart/form-data"
    )
    assert response.status_code == 422 and "file" in response.json["errors"]
    response = client.post(URL, json=fields(), headers=people["member"])
    assert response.status_code == 415


def test_an_unknown_tag_is_refused_and_its_file_removed(upload, count, tmp_path):
    response = upload(technologies=["no-such-technology"])
    assert response.status_code == 422 and response.json["code"] == "item_rules_failed"
    assert count(ContributionVersion) == 0
    assert [p for p in (tmp_path / "portal-files").rglob("*") if p.is_file()] == []


def test_changes_requested_a_new_version_then_a_second_editor_publishes(
    client, people, contributed, upload, content
):
    asked = act(client, people, contributed, "request-changes", "editor", note="Add the results")
    assert asked.status_code == 200, asked.json
    assert asked.json["status"] == "changes_requested"
    assert asked.json["remarks"][-1] == {
        **asked.json["remarks"][-1],
        "action": "changes_requested",
        "note": "Add the results",
        "by": "Demo Editor",
    }
    seen = client.get(f"{URL}/{contributed['id']}", headers=people["member"]).json
    assert seen["status"] == "changes_requested" and seen["remarks"][-1]["note"]

    again = upload(
        PDF_V2,
        name="case v2.pdf",
        url=f"{URL}/{contributed['id']}/versions",
        note="Results added in section 3",
    )
    assert again.status_code == 201, again.json
    body = again.json
    assert body["status"] == "in_review" and [v["number"] for v in body["versions"]] == [1, 2]
    assert body["current"]["sha256"] == hashlib.sha256(PDF_V2).hexdigest()
    assert body["current"]["note"] == "Results added in section 3"
    assert body["remarks"][-1]["action"] == "new_version"

    published = act(client, people, contributed, "publish", "editor2")
    assert published.status_code == 200 and published.json["status"] == "published"

    # Another member reads the current file; the public still does not; old versions stay
    # with the contributor.
    for who in ("other", "respondent"):
        response = download(client, people, contributed, who)
        assert response.status_code == 200 and response.data == PDF_V2
        assert response.headers["Cache-Control"] == "private, no-store"
    assert download(client, people, contributed, "anonymous").status_code == 404
    assert download(client, people, contributed, "other", "versions/1/file").status_code == 404
    old = download(client, people, contributed, "member", "versions/1/file")
    assert old.status_code == 200 and old.data == PDF
    found = content.search("other", q="risk engine")
    assert [i["id"] for i in found["items"]] == [contributed["item"]["id"]]
    assert content.search("anonymous", q="risk engine")["items"] == []


def test_a_published_public_contribution_is_downloadable_by_anyone(client, people, upload):
    made = upload(visibility="public").json
    assert act(client, people, made, "publish", "editor").status_code == 200
    response = download(client, people, made, "anonymous")
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Cache-Control"] == "public, max-age=60"


def test_a_new_version_answers_a_change_request_only_and_only_from_its_contributor(
    client, people, contributed, upload
):
    versions = f"{URL}/{contributed['id']}/versions"
    refused = upload(url=versions, headers={"Accept-Language": "fr"})
    assert refused.status_code == 409 and refused.json["code"] == "no_change_requested"
    act(client, people, contributed, "request-changes", "editor", note="Shorter")
    assert upload(url=versions, who="other").status_code == 404
    assert upload(url=versions, who="respondent").status_code == 404
    assert upload(url=versions, who="editor").status_code == 403


def test_review_actions_are_for_editors_and_follow_the_workflow(client, people, contributed):
    assert act(client, people, contributed, "publish", "member").status_code == 403
    no_note = act(client, people, contributed, "request-changes", "editor")
    assert no_note.status_code == 422 and "note" in no_note.json["errors"]
    assert act(client, people, contributed, "publish", "editor").status_code == 200
    late = act(client, people, contributed, "request-changes", "editor", note="Too late")
    assert late.status_code == 409
    archived = act(client, people, contributed, "archive", "editor2", note="Withdrawn")
    assert archived.json["status"] == "archived"
    assert download(client, people, contributed, "other").status_code == 404


def test_members_list_their_own_contributions_and_editors_everyone_s(client, people, upload):
    mine = upload().json
    theirs = upload(who="other").json
    listed = client.get(URL, headers=people["member"])
    assert [c["id"] for c in listed.json] == [mine["id"]]
    assert listed.headers["X-Total-Count"] == "1"
    everyone = client.get(URL, headers=people["editor"], query_string={"status": "in_review"})
    assert {c["id"] for c in everyone.json} == {mine["id"], theirs["id"]}
    none = client.get(URL, headers=people["editor"], query_string={"status": "published"})
    assert none.json == []


def test_two_app_instances_on_s3_see_the_same_uploaded_file(make_app, s3_config, people):
    """Two replicas: the file uploaded through one is downloaded through the other."""
    from shared.conformance import conforming_client

    first = conforming_client(make_app(**s3_config))
    second = conforming_client(make_app(**s3_config))
    sent = {**fields(), "file": (io.BytesIO(PDF), "case.pdf")}
    made = first.post(URL, data=sent, headers=people["member"], content_type="multipart/form-data")
    assert made.status_code == 201, made.json
    response = second.get(f"{URL}/{made.json['id']}/file", headers=people["member"])
    assert response.status_code == 200 and response.data == PDF
