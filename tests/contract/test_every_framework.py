"""Every framework folder, whatever it holds, runs the whole way with no code of its own.

For each ``frameworks/<key>/<version>`` folder: it validates; through the assessment service's
API a coordinator starts an assessment of it, downloads its offline questionnaire, answers every
indicator and submits; the ``assessment.submitted`` event it staged (the only thing the reports
service receives) checks against the payload schema, and the reports service's builder turns it
into the report in English and in French, every area named in the report's language. A new
framework folder is picked up by this test as it is.
"""

from __future__ import annotations

import csv
import io
import itertools

import openpyxl
import pytest
from markupsafe import escape
from sqlalchemy import select

from assessment import create_app
from assessment.framework_check import validate_folders
from assessment.frameworks import FRAMEWORKS_DIR, folders_under, repository_frameworks
from assessment.models import OutboxMessage
from reports.builder import build_files
from shared.conformance import conforming_client
from shared.events import CloudEvent, load_payload

BASE = "/api/v1/assessment"
FOLDERS = folders_under(FRAMEWORKS_DIR)
FRAMEWORKS = {(f.key, f.version): f for f in repository_frameworks()}
# Answers cycle through every kind of value, so each framework is scored with all of them.
VALUES = (1, 3, 5, 2, "dont_know", 4, "not_applicable", 3)


@pytest.fixture
def client(service_config):
    app = create_app({**service_config, "ASSESSMENT_WORKBOOK_SECRET": "every-framework"})
    yield app, conforming_client(app)
    app.extensions["db"].dispose()


def test_every_framework_folder_is_found():
    assert {f"{f.parent.name}/{f.name}" for f in FOLDERS} >= {
        "ai-ml-readiness/1.0",
        "blockchain-readiness/1.0",
    }


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda f: f"{f.parent.name}@{f.name}")
def test_a_framework_is_taken_from_start_to_report_in_both_languages(folder, client, make_token):
    assert validate_folders([folder]) == {f"{folder.parent.name}/{folder.name}": []}
    framework = FRAMEWORKS[(folder.parent.name, folder.name)]
    app, http = client
    coordinator = {"Authorization": f"Bearer {make_token('coord-1', 'adm-1', ('coordinator',))}"}
    started = http.post(
        f"{BASE}/assessments",
        json={
            "title": "Évaluation générique",
            "language": "fr",
            "framework_key": framework.key,
            "framework_version": framework.version,
        },
        headers=coordinator,
    )
    assert started.status_code == 201, started.json
    aid = started.json["id"]

    blank = http.get(
        f"{BASE}/frameworks/{framework.key}/{framework.version}/workbook",
        query_string={"format": "csv", "language": "fr"},
        headers=coordinator,
    )
    assert blank.status_code == 200
    listed = blank.get_data(as_text=True)
    assert all(indicator.key in listed for indicator in framework.indicators)
    assert len(list(csv.reader(io.StringIO(listed.lstrip("\ufeff"))))) > len(framework.indicators)

    answered = dict(zip((i.key for i in framework.indicators), itertools.cycle(VALUES)))
    for key, value in answered.items():
        saved = http.put(
            f"{BASE}/assessments/{aid}/answers/{key}", json={"value": value}, headers=coordinator
        )
        assert saved.status_code == 200, (key, saved.json)
    http.set_cookie("sc_session", make_token("coord-1", "adm-1", ("coordinator",)))
    for area in framework.areas:
        page = http.get(f"/assessment/{aid}/areas/{area.key}?lang=fr").get_data(as_text=True)
        assert str(escape(area.name["fr"])) in page
        assert all(f'data-indicator="{i.key}"' in page for i in area.indicators)
    results = http.get(f"/assessment/{aid}/results?lang=fr").get_data(as_text=True)
    assert "<svg" in results and str(escape(framework.areas[-1].name["fr"])) in results
    exported = http.get(f"{BASE}/assessments/{aid}/export", headers=coordinator).json
    assert exported["framework"] == {"key": framework.key, "version": framework.version}
    submitted = http.post(f"{BASE}/assessments/{aid}/submit", headers=coordinator)
    assert submitted.status_code == 200, submitted.json

    payload = _submitted_event(app, aid)
    assert [a["area"] for a in payload["areas"]] == [a.key for a in framework.areas]
    assert payload["framework"]["title"] == framework.title
    assert {a["indicator"] for a in payload["answers"]} == set(answered)
    for language in ("en", "fr"):
        html, workbook = build_files(payload, language, formats=("html", "xlsx"))
        page = html.content.decode("utf-8")
        assert str(escape(framework.title[language])) in page
        for area in framework.areas:
            assert str(escape(area.name[language])) in page
        scores = openpyxl.load_workbook(io.BytesIO(workbook.content)).worksheets[0]
        names = {row[0].value for row in scores.iter_rows(min_row=2)}
        assert {area.name[language] for area in framework.areas} <= names


def _submitted_event(app, assessment_id):
    with app.extensions["db"].session() as session:
        rows = session.scalars(
            select(OutboxMessage.payload).where(OutboxMessage.event_type == "assessment.submitted")
        ).all()
    events = [CloudEvent.from_json(row) for row in rows]
    (event,) = [e for e in events if e.subject == assessment_id]
    return load_payload(event)  # checked against the payload schema, as the consumer does
