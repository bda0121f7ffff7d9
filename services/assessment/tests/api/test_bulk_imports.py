"""Bulk imports through the API: upload, job, progress, problems, modes, idempotency, tenancy."""

import csv
import io
import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from assessment.bulk import runner
from assessment.models import Answer, HistoryEntry, ImportJob, OutboxMessage

from ..conftest import BASE

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OFFICERS = {"off-1": "awa@douanes.example", "off-2": "moussa@douanes.example"}


def _invite(client, auth, aid, user, email, areas=()):
    response = client.put(
        f"{BASE}/assessments/{aid}/participants/{user}",
        json={"name": user, "email": email, "areas": list(areas)},
        headers=auth(),
    )
    assert response.status_code == 200, response.json


@pytest.fixture
def team(client, auth, started):
    for user, email in OFFICERS.items():
        _invite(client, auth, started, user, email)
    return started


def _csv(rows, separator=",", encoding="utf-8-sig"):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator)
    writer.writerow(["respondent", "indicator", "answer", "confidence", "evidence", "comment"])
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def _upload(client, auth, aid, content, name="answers.csv", mode=None, headers=None, **form):
    data = {"file": (io.BytesIO(content), name), **form}
    if mode:
        data["mode"] = mode
    return client.post(
        f"{BASE}/assessments/{aid}/imports",
        data=data,
        content_type="multipart/form-data",
        headers={**auth(), **(headers or {})},
    )


def _run(app):
    status = runner.run_once(app, owner="test-runner")
    assert status is not None
    return status


def _job(client, auth, job_id):
    response = client.get(f"{BASE}/imports/{job_id}", headers=auth())
    assert response.status_code == 200, response.json
    return response.json


def _count(app, model, *where):
    with app.extensions["db"].session() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def test_uploading_a_csv_answers_202_with_the_job_and_the_importer_stores_it(
    app, client, auth, team, indicators
):
    first, second = indicators["data"][:2]
    content = _csv(
        [
            [OFFICERS["off-1"], first, 3, "high", "ASYCUDA statistics", ""],
            ["off-2", first, 4, "", "", "Main offices only"],
            [OFFICERS["off-2"].upper(), second, "Don't know", "", "", ""],
        ]
    )
    accepted = _upload(client, auth, team, content)
    assert accepted.status_code == 202, accepted.json
    job = accepted.json
    assert accepted.headers["Location"] == f"{BASE}/imports/{job['id']}"
    assert job["status"] == "queued"
    assert job["files"][0]["format"] == "csv"

    assert _run(app) == "succeeded"
    done = _job(client, auth, job["id"])
    assert done["status"] == "succeeded"
    assert done["progress"] == {
        "rows_total": 3,
        "rows_done": 3,
        "errors": 0,
        "answers_stored": 3,
        "percent": 100,
    }
    assert done["summary"]["assessments"][team]["respondents"] == 2
    stored = client.get(f"{BASE}/assessments/{team}/answers", headers=auth()).json
    assert {(a["respondent_id"], a["indicator"], a["value"]) for a in stored} == {
        ("off-1", first, 3),
        ("off-2", first, 4),
        ("off-2", second, "dont_know"),
    }
    history = client.get(f"{BASE}/assessments/{team}/history", headers=auth()).json
    imported = [h for h in history if h["action"] == "answers_imported"]
    assert imported and imported[0]["detail"]["import_id"] == job["id"]
    with app.extensions["db"].session() as session:
        types = session.scalars(select(OutboxMessage.event_type)).all()
    assert "answer_import.finished" in types


def test_all_or_nothing_stores_nothing_when_a_row_is_wrong_and_reports_where(
    app, client, auth, team, indicators
):
    key = indicators["data"][0]
    content = _csv(
        [
            [OFFICERS["off-1"], key, 3, "", "", ""],
            [OFFICERS["off-1"], "data.nonsense", 3, "", "", ""],
            ["stranger@elsewhere.example", key, 2, "", "", ""],
            [OFFICERS["off-2"], key, 7, "", "", ""],
            [OFFICERS["off-2"], indicators["data"][1], "beaucoup", "", "", ""],
            [OFFICERS["off-2"], indicators["data"][2], 2, "", '=HYPERLINK("x")', ""],
        ],
        separator=";",
    )
    job = _upload(client, auth, team, content, language="fr").json
    assert _run(app) == "rejected"
    done = _job(client, auth, job["id"])
    assert done["progress"]["answers_stored"] == 0
    assert _count(app, Answer, Answer.assessment_id == team) == 0
    problems = client.get(f"{BASE}/imports/{job['id']}/problems", headers=auth()).json
    codes = {(p["row"], p["column"], p["code"]) for p in problems}
    assert (3, "indicator", "unknown_indicator") in codes
    assert (4, "respondent", "unknown_respondent") in codes
    assert (5, "answer", "level_out_of_range") in codes
    assert (6, "answer", "level_not_a_number") in codes
    assert all(p["message"] for p in problems)
    assert done["progress"]["errors"] == len(problems)

    report = client.get(f"{BASE}/imports/{job['id']}/error-report?format=csv", headers=auth())
    assert report.status_code == 200
    assert report.headers["Content-Type"].startswith("text/csv")
    text = report.data.decode("utf-8")
    assert text.startswith("\ufeffFichier,Feuille,Ligne,Colonne,Code,Motif")
    xlsx = client.get(f"{BASE}/imports/{job['id']}/error-report?format=xlsx", headers=auth())
    sheet = load_workbook(io.BytesIO(xlsx.data), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Fichier", "Feuille", "Ligne", "Colonne", "Code", "Motif")
    assert len(rows) == len(problems) + 1


def test_accept_valid_stores_the_valid_rows_and_reports_the_others(
    app, client, auth, team, indicators
):
    key = indicators["data"][0]
    content = _csv(
        [
            [OFFICERS["off-1"], key, 3, "", "", ""],
            [OFFICERS["off-2"], key, 9, "", "", ""],
        ]
    )
    job = _upload(client, auth, team, content, mode="accept_valid").json
    assert _run(app) == "completed_with_errors"
    done = _job(client, auth, job["id"])
    assert done["progress"]["answers_stored"] == 1
    assert done["progress"]["errors"] == 1
    stored = client.get(f"{BASE}/assessments/{team}/answers", headers=auth()).json
    assert [(a["respondent_id"], a["value"]) for a in stored] == [("off-1", 3)]


def test_a_respondent_answers_only_the_areas_assigned_to_them(
    app, client, auth, started, indicators
):
    _invite(client, auth, started, "off-3", "fatou@douanes.example", areas=("data",))
    content = _csv(
        [
            ["off-3", indicators["data"][0], 2, "", "", ""],
            ["off-3", indicators["legal"][0], 2, "", "", ""],
        ]
    )
    job = _upload(client, auth, started, content, mode="accept_valid").json
    _run(app)
    problems = client.get(f"{BASE}/imports/{job['id']}/problems", headers=auth()).json
    assert [(p["row"], p["code"]) for p in problems] == [(3, "not_assigned")]


def test_reuploading_a_corrected_file_replaces_that_respondents_answers(
    app, client, auth, team, indicators
):
    key = indicators["data"][0]
    first = _upload(client, auth, team, _csv([[OFFICERS["off-1"], key, 2, "", "", ""]])).json
    _run(app)
    second = _upload(client, auth, team, _csv([[OFFICERS["off-1"], key, 4, "", "", ""]])).json
    _run(app)
    with app.extensions["db"].session() as session:
        rows = session.execute(select(Answer.value, Answer.import_job_id)).all()
    assert rows == [("4", second["id"])]
    assert first["id"] != second["id"]
    listed = client.get(f"{BASE}/assessments/{team}/answers", headers=auth()).json
    assert [a["import_id"] for a in listed] == [second["id"]]
    retyped = client.put(
        f"{BASE}/assessments/{team}/answers/{key}",
        json={"value": 5},
        headers=auth(sub="off-1", roles=("respondent",)),
    )
    assert retyped.status_code == 200
    listed = client.get(f"{BASE}/assessments/{team}/answers", headers=auth()).json
    assert [(a["value"], a["import_id"]) for a in listed] == [(5, None)]


def test_an_accept_valid_reupload_that_meets_stored_answers_mid_way_replaces_them_once(
    app, client, auth, team, indicators
):
    # Batches of 3: the corrected file's first batch holds only new answers, its second meets
    # answers the first upload stored (on PostgreSQL: a COPY that succeeds, then one refused by
    # the key and done again as an upsert, each committed with its progress).
    app.config["ASSESSMENT_IMPORT_BATCH"] = 3
    keys = [k for area in indicators.values() for k in area][:6]
    officer = OFFICERS["off-1"]
    earlier = [[officer, k, 2, "", "", ""] for k in keys[3:]]
    _upload(client, auth, team, _csv(earlier), mode="accept_valid")
    assert _run(app) == "succeeded"
    corrected = [[officer, k, 4, "high", "", ""] for k in keys]
    second = _upload(client, auth, team, _csv(corrected), mode="accept_valid").json
    assert _run(app) == "succeeded"
    with app.extensions["db"].session() as session:
        rows = session.execute(
            select(Answer.indicator, Answer.value, Answer.confidence, Answer.import_job_id)
        ).all()
    assert sorted(rows) == sorted((k, "4", "high", second["id"]) for k in keys)
    done = _job(client, auth, second["id"])
    assert done["progress"]["answers_stored"] == 6
    assert done["progress"]["rows_done"] == 6


def test_the_same_idempotency_key_with_the_same_file_returns_the_first_job(
    app, client, auth, team, indicators
):
    content = _csv([[OFFICERS["off-1"], indicators["data"][0], 3, "", "", ""]])
    key = {"Idempotency-Key": "upload-2026-12-06"}
    first = _upload(client, auth, team, content, headers=key)
    again = _upload(client, auth, team, content, headers=key)
    assert first.status_code == again.status_code == 202
    assert again.json["id"] == first.json["id"]
    assert _count(app, ImportJob) == 1
    other = _upload(client, auth, team, content + b"\n", headers=key)
    assert other.status_code == 422
    assert other.json["code"] == "idempotency_key_reused"


def test_another_administrations_assessment_and_jobs_are_not_found(
    app, client, auth, team, indicators
):
    content = _csv([[OFFICERS["off-1"], indicators["data"][0], 3, "", "", ""]])
    stranger = auth(sub="coord-9", administration_id="adm-2")
    refused = client.post(
        f"{BASE}/assessments/{team}/imports",
        data={"file": (io.BytesIO(content), "a.csv")},
        content_type="multipart/form-data",
        headers=stranger,
    )
    assert refused.status_code == 404
    job = _upload(client, auth, team, content).json
    assert client.get(f"{BASE}/imports/{job['id']}", headers=stranger).status_code == 404
    assert client.get(f"{BASE}/imports", headers=stranger).json == []
    listed = client.get(f"{BASE}/imports", headers=auth())
    assert [j["id"] for j in listed.json] == [job["id"]]
    assert listed.headers["X-Total-Count"] == "1"


def test_respondents_cannot_submit_bulk_answers(client, auth, team, indicators):
    content = _csv([[OFFICERS["off-1"], indicators["data"][0], 3, "", "", ""]])
    response = client.post(
        f"{BASE}/assessments/{team}/imports",
        data={"file": (io.BytesIO(content), "a.csv")},
        content_type="multipart/form-data",
        headers=auth(sub="off-1", roles=("respondent",)),
    )
    assert response.status_code == 403


def test_a_50_mb_file_is_refused_while_it_streams(app, client, auth, team):
    big = b"respondent,indicator,answer\n" + b"x" * (50 * 1024 * 1024)
    response = client.post(
        f"{BASE}/assessments/{team}/imports", data=big, content_type="text/csv", headers=auth()
    )
    assert response.status_code == 413
    assert response.headers["Content-Type"] == "application/problem+json"
    assert _count(app, ImportJob) == 0


def test_a_multipart_upload_over_the_limit_is_refused_and_nothing_is_kept(app, client, auth, team):
    app.config["ASSESSMENT_IMPORT_MAX_BYTES"] = 64 * 1024
    boundary = "sc-boundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n'
        f"Content-Type: text/csv\r\n\r\n".encode()
        + b"x" * (200 * 1024)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = client.post(
        f"{BASE}/assessments/{team}/imports",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        headers=auth(),
    )
    assert response.status_code == 413
    assert _count(app, ImportJob) == 0


def test_an_empty_file_is_refused_at_once(client, auth, team):
    response = _upload(client, auth, team, b"")
    assert response.status_code == 422
    assert response.json["code"] == "empty_upload"


def test_a_json_document_is_imported_like_a_csv(app, client, auth, team, indicators):
    key = indicators["skills"][0]
    document = {
        "framework": {"key": "ai-ml-readiness", "version": "1.0"},
        "respondents": [
            {"respondent": OFFICERS["off-1"], "answers": [{"indicator": key, "answer": 2}]},
            {"respondent": "off-2", "answers": [{"indicator": key, "answer": "not_applicable"}]},
        ],
    }
    response = client.post(
        f"{BASE}/assessments/{team}/imports",
        data=json.dumps(document),
        content_type="application/json",
        headers=auth(),
    )
    assert response.status_code == 202, response.json
    assert response.json["files"][0]["format"] == "json"
    assert _run(app) == "succeeded"
    stored = client.get(f"{BASE}/assessments/{team}/answers", headers=auth()).json
    assert {(a["respondent_id"], a["value"]) for a in stored} == {
        ("off-1", 2),
        ("off-2", "not_applicable"),
    }


def test_a_file_of_another_framework_version_is_refused_as_a_whole(
    app, client, auth, team, indicators
):
    document = {
        "framework": {"key": "ai-ml-readiness", "version": "0.9"},
        "respondents": [
            {
                "respondent": OFFICERS["off-1"],
                "answers": [{"indicator": indicators["data"][0], "answer": 2}],
            }
        ],
    }
    job = client.post(
        f"{BASE}/assessments/{team}/imports",
        data=json.dumps(document),
        content_type="application/json",
        headers=auth(),
    ).json
    assert _run(app) == "rejected"
    problems = client.get(f"{BASE}/imports/{job['id']}/problems", headers=auth()).json
    assert [p["code"] for p in problems] == ["wrong_framework"]
    assert "0.9" in problems[0]["message"]


def test_an_interrupted_accept_valid_job_resumes_without_duplicates(
    app, client, auth, team, indicators
):
    app.config["ASSESSMENT_IMPORT_BATCH"] = 5
    keys = [k for area in indicators.values() for k in area][:20]
    rows = [[OFFICERS[u], k, 3, "", "", ""] for u in OFFICERS for k in keys]
    job = _upload(client, auth, team, _csv(rows), mode="accept_valid").json

    class StopAfterTwoBatches:
        calls = 0

        def is_set(self):
            self.calls += 1
            return self.calls >= 2

    assert runner.run_once(app, owner="dying", stop=StopAfterTwoBatches()) is None
    paused = _job(client, auth, job["id"])
    assert paused["status"] == "running"
    assert paused["progress"]["answers_stored"] == 10
    assert _count(app, Answer) == 10
    assert _run(app) == "succeeded"
    done = _job(client, auth, job["id"])
    assert done["progress"]["answers_stored"] == 40
    assert done["progress"]["rows_done"] == 40
    assert _count(app, Answer) == 40
    with app.extensions["db"].session() as session:
        finished = session.scalars(
            select(OutboxMessage.event_type).where(
                OutboxMessage.event_type == "answer_import.finished"
            )
        ).all()
        histories = session.scalars(
            select(HistoryEntry).where(HistoryEntry.action == "answers_imported")
        ).all()
    assert len(finished) == 1
    assert len(histories) == 1


def test_one_file_can_cover_several_assessments_of_the_administration(
    app, client, auth, indicators
):
    north = client.post(f"{BASE}/assessments", json={"title": "North"}, headers=auth()).json["id"]
    south = client.post(f"{BASE}/assessments", json={"title": "South"}, headers=auth()).json["id"]
    elsewhere = client.post(
        f"{BASE}/assessments",
        json={"title": "Elsewhere"},
        headers=auth(sub="coord-9", administration_id="adm-2"),
    ).json["id"]
    for aid in (north, south):
        _invite(client, auth, aid, "off-1", OFFICERS["off-1"])
    key = indicators["data"][0]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["assessment", "respondent", "indicator", "answer"])
    writer.writerows(
        [[north, "off-1", key, 2], [south, "off-1", key, 4], [elsewhere, "off-1", key, 5]]
    )
    accepted = client.post(
        f"{BASE}/imports?mode=accept_valid",
        data={"file": (io.BytesIO(out.getvalue().encode()), "directorates.csv")},
        content_type="multipart/form-data",
        headers=auth(),
    )
    assert accepted.status_code == 202, accepted.json
    assert accepted.json["assessment_id"] is None
    assert _run(app) == "completed_with_errors"
    problems = client.get(f"{BASE}/imports/{accepted.json['id']}/problems", headers=auth()).json
    # Another administration's assessment is unknown here, as everywhere else.
    assert [(p["row"], p["code"]) for p in problems] == [(4, "unknown_assessment")]
    for aid, level in ((north, 2), (south, 4)):
        stored = client.get(f"{BASE}/assessments/{aid}/answers", headers=auth()).json
        assert [(a["indicator"], a["value"]) for a in stored] == [(key, level)]
    summary = _job(client, auth, accepted.json["id"])["summary"]["assessments"]
    assert set(summary) == {north, south}


def test_a_zip_bomb_named_xlsx_is_refused_before_it_is_unpacked(app, client, auth, team):
    import zipfile

    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as entry:
            for _ in range(300):
                entry.write(b"\0" * (1024 * 1024))
    job = _upload(client, auth, team, bomb.getvalue(), name="answers.xlsx").json
    assert job["files"][0]["format"] == "xlsx"
    assert _run(app) == "rejected"
    problems = client.get(f"{BASE}/imports/{job['id']}/problems", headers=auth()).json
    assert [p["code"] for p in problems] == ["archive_too_large"]


def test_the_error_report_neutralises_what_a_spreadsheet_would_run(
    app, client, auth, team, indicators
):
    content = _csv([[OFFICERS["off-1"], indicators["data"][0], "=1+1", "", "", ""]])
    job = _upload(client, auth, team, content, name="=cmd.csv").json
    _run(app)
    report = client.get(f"{BASE}/imports/{job['id']}/error-report?format=csv", headers=auth())
    rows = list(csv.reader(io.StringIO(report.data.decode("utf-8-sig"))))
    assert rows[1][0] == "'=cmd.csv"
    assert rows[1][4] == "level_not_a_number"
    xlsx = client.get(f"{BASE}/imports/{job['id']}/error-report?format=xlsx", headers=auth())
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet["A2"].value == "'=cmd.csv"
    assert sheet["A2"].data_type == "s"


def test_a_job_that_keeps_killing_its_runner_ends_failed_and_is_announced(
    app, client, auth, team, indicators
):
    from assessment.bulk.lifecycle import MAX_ATTEMPTS, claim_next

    job = _upload(client, auth, team, _csv([[OFFICERS["off-1"], indicators["data"][0], 3]])).json
    with app.extensions["db"].session(write=True) as session, session.begin():
        session.get(ImportJob, job["id"]).attempts = MAX_ATTEMPTS
    assert claim_next(db=app.extensions["db"], owner="next", lease_s=5) is None
    done = _job(client, auth, job["id"])
    assert done["status"] == "failed"
    assert done["problem"] == {"code": "import_crashed"}
    with app.extensions["db"].session() as session:
        announced = session.scalars(
            select(OutboxMessage.payload).where(
                OutboxMessage.event_type == "answer_import.finished"
            )
        ).all()
    assert len(announced) == 1 and job["id"] in announced[0]


def test_a_refused_file_is_reported_once_when_a_job_is_resumed_after_it(
    app, client, auth, team, indicators
):
    rows = [[OFFICERS["off-1"], indicators["data"][0], 2, "", "", ""]]
    job = client.post(
        f"{BASE}/assessments/{team}/imports?mode=accept_valid",
        data={
            "file": [
                (io.BytesIO(_csv(rows)), "answers.csv"),
                (io.BytesIO(b'{"respondents": [oops'), "broken.json"),
            ]
        },
        content_type="multipart/form-data",
        headers=auth(),
    ).json
    assert _run(app) == "completed_with_errors"
    # As if the runner died after committing the last batch but before ending the job.
    with app.extensions["db"].session(write=True) as session, session.begin():
        row = session.get(ImportJob, job["id"])
        assert row.cursor == {"phase": "store", "file": 1, "item": 1}
        row.status, row.finished_at, row.lease_owner, row.lease_expires_at = (
            "running",
            None,
            None,
            None,
        )
    assert _run(app) == "completed_with_errors"
    problems = client.get(f"{BASE}/imports/{job['id']}/problems", headers=auth()).json
    assert [(p["file"], p["code"]) for p in problems] == [("broken.json", "bad_json")]
    done = _job(client, auth, job["id"])
    assert (done["progress"]["answers_stored"], done["progress"]["errors"]) == (1, 1)
