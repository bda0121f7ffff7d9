"""A submission carrying progress since the previous assessment (issue 16) becomes a report job
whose stored payload keeps it, and whose files hold the progress section; one without it gives
a report without the section."""

import io

from openpyxl import load_workbook

URL = "/api/v1/reports/reports"
PROGRESS = {
    "previous": {
        "assessment_id": "asm-0",
        "title": "Readiness 2025",
        "submitted_at": "2025-03-04T10:00:00+00:00",
    },
    "indicators": [
        {
            "indicator": "data.quality",
            "area": "data",
            "level_then": 1,
            "level_now": 3,
            "change": 2.0,
            "actions": [
                {
                    "id": "act-1",
                    "title": "Automate the quality checks",
                    "status": "done",
                    "owner_name": "Awa Diallo",
                    "target_date": "2026-06-30",
                    "evidence": "note",
                }
            ],
        }
    ],
}


def _file(client, auth, job, fmt):
    response = client.get(f"{URL}/{job.id}/files/{fmt}", headers=auth())
    assert response.status_code == 200
    return response.get_data()


def test_a_submission_with_progress_gives_a_report_with_the_section(client, auth, make_report):
    job = make_report(progress=PROGRESS)
    assert job.status == "ready"
    assert job.data["progress"]["indicators"][0]["actions"][0]["owner_name"] == "Awa Diallo"
    page = _file(client, auth, job, "html").decode("utf-8")
    assert 'id="progress-indicators"' in page
    assert (
        "Since the previous assessment, 1 indicator moved up, 0 stayed at the same level and 0 "
        "moved down. 1 action was planned for these indicators; 1 is done."
    ) in page
    book = load_workbook(io.BytesIO(_file(client, auth, job, "xlsx")))
    assert "Progress" in book.sheetnames
    first = next(book["Progress"].iter_rows(min_row=2, values_only=True))
    assert first[1:7] == (
        "data.quality",
        "data.quality",
        "1 \u2014 Initial",
        "3 \u2014 Operational",
        2,
        "Automate the quality checks",
    )


def test_a_first_assessments_report_has_no_progress_section(client, auth, make_report):
    job = make_report()
    page = _file(client, auth, job, "html").decode("utf-8")
    assert 'id="progress-indicators"' not in page
    book = load_workbook(io.BytesIO(_file(client, auth, job, "xlsx")))
    assert "Progress" not in book.sheetnames
