"""A real Celery worker process on real Redis builds the report of a published submission."""

import json
import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
from sqlalchemy import select

from reports.config import ASSESSMENT_STREAM
from reports.events import submissions_consumer
from reports.models import OutboxMessage, ReportJob
from shared.logs import bind_context

pytestmark = pytest.mark.integration

WAIT_S = 30


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


def test_a_submission_becomes_a_downloadable_report(app, worker, client, auth, submitted_event):
    bind_context("trace-me-42", None)
    try:
        event = submitted_event(language="fr")
    finally:
        bind_context(None, None)
    _submit(app, event)
    job = _wait_finished(app, worker)
    assert (job.status, job.attempts, job.reason) == ("ready", 1, None)
    assert _outbox_types(app) == ["report.ready"]
    response = client.get(f"/api/v1/reports/reports/{job.id}/files/html", headers=auth())
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    assert "Rapport d'auto-évaluation" in response.get_data(as_text=True)
    worker.send_signal(signal.SIGTERM)
    worker.wait(timeout=15)
    ready_lines = [
        json.loads(line)
        for line in worker.log_path.read_text().splitlines()
        if line.startswith("{") and '"report ready"' in line
    ]
    assert [line["request_id"] for line in ready_lines] == ["trace-me-42"]


def test_data_the_builder_rejects_ends_failed_with_a_reason(app, worker, submitted_event):
    _submit(app, submitted_event(areas=[{"area": "data", "percentage": 250.0}]))
    job = _wait_finished(app, worker)
    assert job.status == "failed"
    assert "percentage 250.0 is outside 0-100" in job.reason
    assert job.attempts == 1
    assert _outbox_types(app) == ["report.failed"]
