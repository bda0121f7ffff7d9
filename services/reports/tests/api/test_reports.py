import hashlib
import json

from sqlalchemy import select

from reports import jobs
from reports.models import ReportJob

URL = "/api/v1/reports/reports"


def _jobs(app):
    with app.extensions["db"].session() as session:
        return list(session.scalars(select(ReportJob).order_by(ReportJob.created_at)))


def test_a_ready_report_lists_its_formats(client, auth, make_report):
    job = make_report()
    response = client.get(f"{URL}/{job.id}", headers=auth())
    assert response.status_code == 200
    body = response.json
    assert body["status"] == "ready"
    assert body["reason"] is None
    assert (body["assessment_id"], body["version"], body["language"]) == ("asm-1", 1, "en")
    assert [f["format"] for f in body["formats"]] == ["html", "pdf", "xlsx"]
    html = body["formats"][0]
    assert html["url"] == f"{URL}/{job.id}/files/html"
    assert {f["media_type"] for f in body["formats"]} == {
        "text/html; charset=utf-8",
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }


def test_a_queued_report_has_no_formats_and_no_file(client, auth, make_report):
    job = make_report(build=False)
    body = client.get(f"{URL}/{job.id}", headers=auth()).json
    assert (body["status"], body["formats"]) == ("queued", [])
    assert client.get(f"{URL}/{job.id}/files/html", headers=auth()).status_code == 404


def test_a_failed_report_says_why(client, auth, make_report):
    job = make_report(areas=[{"area": "data", "level": 9.0}])
    body = client.get(f"{URL}/{job.id}", headers=auth()).json
    assert body["status"] == "failed"
    assert "level 9.0 is outside 1-5" in body["reason"]
    assert body["attempts"] == 1


def test_download_is_an_attachment_with_the_right_headers(client, auth, make_report):
    job = make_report()
    response = client.get(f"{URL}/{job.id}/files/html", headers=auth(roles=("respondent",)))
    assert response.status_code == 200
    assert response.content_type == "text/html; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=douanes-du-testland-readiness-2026-v1-en.html"
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "sandbox"
    assert "private" in response.headers["Cache-Control"]
    assert b"<h1>Readiness 2026</h1>" in response.data
    etag = hashlib.sha256(response.data).hexdigest()
    assert response.headers["ETag"] == f'"{etag}"'
    again = client.get(
        f"{URL}/{job.id}/files/html", headers={**auth(), "If-None-Match": f'"{etag}"'}
    )
    assert again.status_code == 304


def test_an_unknown_format_is_404(client, auth, make_report):
    job = make_report()
    assert client.get(f"{URL}/{job.id}/files/docx", headers=auth()).status_code == 404


def test_another_administration_gets_404_everywhere(client, auth, make_report):
    job = make_report()
    other = auth(sub="coord-9", administration_id="adm-2")
    for response in (
        client.get(f"{URL}/{job.id}", headers=other),
        client.get(f"{URL}/{job.id}/files/html", headers=other),
        client.post(f"{URL}/{job.id}/regenerate", json={"language": "fr"}, headers=other),
    ):
        assert response.status_code == 404
        assert response.content_type == "application/problem+json"
        assert response.json["code"] == "not_found"
    listed = client.get(URL, headers=other)
    assert listed.json == []
    assert listed.headers["X-Total-Count"] == "0"


def test_the_list_filters_by_assessment_and_pages(client, auth, make_report):
    for version in (1, 2, 3):
        make_report(version=version)
    make_report(assessment_id="asm-2")
    page = client.get(URL, query_string={"assessment_id": "asm-1", "page_size": 2}, headers=auth())
    assert page.status_code == 200
    assert len(page.json) == 2
    assert {item["assessment_id"] for item in page.json} == {"asm-1"}
    assert page.headers["X-Total-Count"] == "3"
    assert 'page=2&page_size=2>; rel="next"' in page.headers["Link"]
    assert 'page=2&page_size=2>; rel="last"' in page.headers["Link"]
    last = client.get(
        URL, query_string={"assessment_id": "asm-1", "page": 2, "page_size": 2}, headers=auth()
    )
    assert len(last.json) == 1
    assert len(client.get(URL, headers=auth()).json) == 4
    failed = client.get(URL, query_string={"status": "failed"}, headers=auth())
    assert failed.json == []


def test_regenerate_queues_the_other_language_once(client, auth, app, make_report, redis_client):
    job = make_report()
    url = f"{URL}/{job.id}/regenerate"
    created = client.post(url, json={"language": "fr"}, headers=auth(sub="coord-2"))
    assert created.status_code == 202
    assert created.json["language"] == "fr"
    assert created.json["status"] == "queued"
    assert created.json["id"] != job.id
    assert redis_client.llen("reports") == 1
    message = json.loads(redis_client.lindex("reports", 0))
    assert message["headers"]["task"] == "reports.build_report"
    assert message["headers"]["request_id"] == created.headers["X-Request-ID"]
    jobs = _jobs(app)
    assert len(jobs) == 2
    french = next(j for j in jobs if j.language == "fr")
    assert french.data == jobs[0].data
    assert french.notify == ["coord-1", "coord-2", "resp-1"]
    # the same language again: the same job; it is ready, so nothing is queued
    same = client.post(url, json={"language": "en"}, headers=auth())
    assert same.status_code == 200
    assert same.json["id"] == job.id
    assert redis_client.llen("reports") == 1


def test_regenerate_queues_a_failed_report_again(client, auth, make_report, redis_client):
    job = make_report(areas=[{"area": "data", "level": 9.0}])
    response = client.post(f"{URL}/{job.id}/regenerate", json={"language": "en"}, headers=auth())
    assert response.status_code == 202
    assert (response.json["id"], response.json["status"]) == (job.id, "queued")
    assert response.json["reason"] is None
    assert redis_client.llen("reports") == 1


def test_only_coordinators_regenerate_and_languages_are_checked(client, auth, make_report):
    job = make_report()
    url = f"{URL}/{job.id}/regenerate"
    respondent = client.post(url, json={"language": "fr"}, headers=auth(roles=("respondent",)))
    assert respondent.status_code == 403
    bad = client.post(url, json={"language": "de"}, headers=auth())
    assert bad.status_code == 422
    assert "language" in bad.json["errors"]


def test_a_token_without_an_administration_is_refused_in_its_language(client, auth):
    response = client.get(URL, headers={**auth(administration_id=None), "Accept-Language": "fr"})
    assert response.status_code == 403
    assert response.json["code"] == "administration_required"
    assert response.json["detail"].startswith("Seuls les membres")


def test_reports_need_a_token(client, make_report):
    job = make_report()
    assert client.get(URL).status_code == 401
    assert client.get(f"{URL}/{job.id}/files/html").status_code == 401


def test_the_api_is_documented(client):
    spec = client.get("/api/v1/reports/openapi.json").json
    assert "/api/v1/reports/reports/{report_id}/files/{file_format}" in spec["paths"]
    assert "/api/v1/reports/notifications/read-all" in spec["paths"]


def test_metrics_expose_queue_length_and_pending_events(client, make_report, redis_client):
    redis_client.rpush("reports", "x", "y")
    redis_client.rpush("reports-deliveries", "z")
    text = client.get("/metrics").get_data(as_text=True)
    assert 'reports_celery_queue_length{name="reports"} 2.0' in text
    assert 'reports_celery_queue_length{name="reports-deliveries"} 1.0' in text
    assert 'reports_events_pending{name="assessment:events/reports"} 0.0' in text
    assert 'reports_events_pending{name="reports:events/reports-notifications"} 0.0' in text
    assert 'reports_events_pending{name="portal:events/reports-content"} 0.0' in text
    assert 'reports_events_pending{name="assessment:events/reports-imports"} 0.0' in text
    assert 'reports_events_pending{name="portal:events/reports-administrations"} 0.0' in text


def test_a_report_regenerated_in_french_is_built_in_french(client, auth, app, make_report):
    job = make_report()
    created = client.post(f"{URL}/{job.id}/regenerate", json={"language": "fr"}, headers=auth())
    french_id = created.json["id"]
    with app.extensions["db"].session(write=True) as session:
        jobs.build_report(session=session, store=app.extensions["reports.store"], job_id=french_id)
    body = client.get(f"{URL}/{french_id}", headers=auth()).json
    assert [f["filename"] for f in body["formats"]] == [
        "douanes-du-testland-readiness-2026-v1-fr.html",
        "douanes-du-testland-readiness-2026-v1-fr.pdf",
        "douanes-du-testland-readiness-2026-v1-fr.xlsx",
    ]
    page = client.get(f"{URL}/{french_id}/files/html", headers=auth()).get_data(as_text=True)
    assert '<html lang="fr">' in page
    assert "Synthèse" in page
    english = client.get(f"{URL}/{job.id}/files/html", headers=auth()).get_data(as_text=True)
    assert "Executive summary" in english


def test_a_respondent_sees_only_the_reports_of_assessments_they_took_part_in(
    client, auth, make_report
):
    job = make_report()  # notify: coord-1, resp-1
    took_part = auth(sub="resp-1", roles=("respondent",))
    assert [r["id"] for r in client.get(URL, headers=took_part).json] == [job.id]
    assert client.get(f"{URL}/{job.id}/files/pdf", headers=took_part).status_code == 200
    outsider = auth(sub="resp-2", roles=("respondent",))
    assert client.get(URL, headers=outsider).json == []
    for path in (f"{URL}/{job.id}", f"{URL}/{job.id}/files/pdf"):
        assert client.get(path, headers=outsider).status_code == 404, path
    # a coordinator who did not submit it still reads every report of the administration
    coordinator = auth(sub="coord-7")
    assert [r["id"] for r in client.get(URL, headers=coordinator).json] == [job.id]


def test_a_subject_with_like_wildcards_matches_nothing_else(client, auth, make_report):
    make_report()
    assert client.get(URL, headers=auth(sub="%", roles=("respondent",))).json == []
    assert client.get(URL, headers=auth(sub="resp_1", roles=("respondent",))).json == []
