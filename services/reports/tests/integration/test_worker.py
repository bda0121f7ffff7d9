"""A real Celery worker process on real Redis builds the report of a published submission."""

import io
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from html import unescape
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from reports.config import ASSESSMENT_STREAM, PORTAL_STREAM
from reports.events import content_consumer, submissions_consumer
from reports.models import OutboxMessage, ReportJob
from shared.events import new_event
from shared.logs import bind_context

pytestmark = pytest.mark.integration

WAIT_S = 30
DATA = Path(__file__).parent.parent / "fixtures" / "submission.json"


@pytest.fixture
def worker(app, database_url, redis_url, tmp_path):
    """Start ``celery -A reports.worker worker`` on the test database and Redis; stop it after."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPORTS_")}
    env.update(
        REDIS_URL=redis_url,
        REPORTS_DATABASE_URL=database_url,
        DATA_DIR=str(tmp_path),
        LOG_FORMAT="json",
        LOG_LEVEL="INFO",
        AUTH_JWKS_URL="http://127.0.0.1:9/unused",
    )
    log_path = tmp_path / "worker.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "reports.worker",
                "worker",
                "--pool",
                "solo",
                "--queues",
                "reports",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--hostname",
                f"test-{uuid.uuid4().hex[:8]}@%h",
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    process.log_path = log_path
    yield process
    process.send_signal(signal.SIGTERM)  # warm shutdown: finishes the task under way
    try:
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _job(app):
    with app.extensions["db"].session() as session:
        return session.scalar(select(ReportJob))


def _wait_finished(app, worker):
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        job = _job(app)
        if job is not None and job.finished:
            return job
        assert worker.poll() is None, worker.log_path.read_text()
        time.sleep(0.1)
    pytest.fail(f"no verdict within {WAIT_S}s:\n{worker.log_path.read_text()}")


def _submit(app, event):
    app.extensions["bus"].publish(ASSESSMENT_STREAM, event)
    consumer = submissions_consumer(app, name="test-consumer")
    assert consumer.poll(block_ms=500) == 1


def _outbox_types(app):
    with app.extensions["db"].session() as session:
        return [row.event_type for row in session.scalars(select(OutboxMessage))]


def _publish_resource(app):
    """Publish a portal resource the way the portal will, and let the read model take it."""
    event = new_event(
        "content.published",
        source="portal",
        data={
            "item_id": "res-legal",
            "kind": "guide",
            "visibility": "members",
            "languages": ["fr"],
            "titles": {"fr": "Base juridique du ciblage automatisé"},
            "tags": ["legal"],
            "url": "/resources/base-juridique",
        },
        subject="res-legal",
    )
    app.extensions["bus"].publish(PORTAL_STREAM, event)
    assert content_consumer(app, name="test-content").poll(block_ms=500) == 1


def _download(client, auth, job, fmt):
    response = client.get(f"/api/v1/reports/reports/{job.id}/files/{fmt}", headers=auth())
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    return response


def test_a_submission_becomes_a_report_in_every_format(app, worker, client, auth, tmp_path):
    _publish_resource(app)
    data = json.loads(DATA.read_text(encoding="utf-8"))
    bind_context("trace-me-42", None)
    try:
        event = new_event("assessment.submitted", source="assessment", data=data)
    finally:
        bind_context(None, None)
    _submit(app, event)
    job = _wait_finished(app, worker)
    assert (job.status, job.attempts, job.reason) == ("ready", 1, None)
    assert _outbox_types(app) == ["report.ready"]
    listed = client.get(f"/api/v1/reports/reports/{job.id}", headers=auth()).json
    assert [f["format"] for f in listed["formats"]] == ["html", "pdf", "xlsx"]

    page = unescape(_download(client, auth, job, "html").get_data(as_text=True))
    assert "Rapport d'auto-évaluation" in page
    # AUTH_ISSUER is the public URL that makes the portal's relative links whole
    assert 'href="http://localhost:8080/resources/base-juridique"' in page
    assert "Base juridique du ciblage automatisé" in page

    pdf = _download(client, auth, job, "pdf")
    assert pdf.content_type == "application/pdf"
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf.data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout
    words = " ".join(text.decode("utf-8").split())  # lines joined: sentences wrap in the PDF
    for area in data["areas"]:
        assert area["name"]["fr"] in words, area["name"]["fr"]
    first = data["priorities"][0]["text"]["fr"]
    assert first[:60] in words  # the first recommendation, in French
    assert data["priorities"][0]["text"]["en"][:40] not in words
    assert '<figure class="radar">' in page and "<svg" in page  # the radar chart, inline

    xlsx = _download(client, auth, job, "xlsx")
    book = load_workbook(io.BytesIO(xlsx.data))
    assert book.sheetnames == ["Résultats", "Réponses", "Priorités", "Feuille de route"]
    assert book["Résultats"]["A2"].value == "Stratégie"
    worker.send_signal(signal.SIGTERM)
    worker.wait(timeout=15)
    ready_lines = [
        json.loads(line)
        for line in worker.log_path.read_text().splitlines()
        if line.startswith("{") and '"report ready"' in line
    ]
    assert [line["request_id"] for line in ready_lines] == ["trace-me-42"]


def test_the_same_submission_delivered_twice_gives_one_report(app, worker, submitted_event):
    event = submitted_event()
    _submit(app, event)
    app.extensions["bus"].publish(ASSESSMENT_STREAM, event)  # the same event again
    assert submissions_consumer(app, name="test-consumer").poll(block_ms=500) == 1
    retold = submitted_event()  # the same assessment version, told by another event
    assert retold.id != event.id
    _submit(app, retold)
    job = _wait_finished(app, worker)
    assert job.status == "ready"
    time.sleep(1)  # time for a second build, were one queued
    with app.extensions["db"].session() as session:
        assert len(list(session.scalars(select(ReportJob)))) == 1
    assert _outbox_types(app) == ["report.ready"]


def test_data_the_builder_rejects_ends_failed_with_a_reason(app, worker, submitted_event):
    _submit(app, submitted_event(areas=[{"area": "data", "percentage": 250.0}]))
    job = _wait_finished(app, worker)
    assert job.status == "failed"
    assert "percentage 250.0 is outside 0-100" in job.reason
    assert job.attempts == 1
    assert _outbox_types(app) == ["report.failed"]
