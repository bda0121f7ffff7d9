"""The importer as a real process: killed with SIGKILL mid-import, restarted, the job ends once."""

import contextlib
import csv
import io
import os
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select

from assessment.models import Answer, HistoryEntry, ImportJob, OutboxMessage

from ..conftest import BASE, WORKBOOK_SECRET

pytestmark = pytest.mark.integration
RESPONDENTS = 150


class Importer:
    """One ``flask --app assessment imports run`` process."""

    def __init__(self, process: subprocess.Popen, log_path) -> None:
        self.process = process
        self.log_path = log_path

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def start_importer(database_url, redis_url, tmp_path):
    started: list[Importer] = []

    def start() -> Importer:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ASSESSMENT_")}
        env.update(
            REDIS_URL=redis_url,
            ASSESSMENT_DATABASE_URL=database_url,
            ASSESSMENT_WORKBOOK_SECRET=WORKBOOK_SECRET,
            ASSESSMENT_IMPORT_BATCH="100",
            ASSESSMENT_IMPORT_LEASE_S="2",
            ASSESSMENT_IMPORT_POLL_S="0.2",
            DATA_DIR=str(tmp_path),
            LOG_FORMAT="json",
            AUTH_JWKS_URL="http://127.0.0.1:9/unused",
        )
        log_path = tmp_path / f"importer-{len(started)}.log"
        argv = [sys.executable, "-m", "flask", "--app", "assessment", "imports", "run"]
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                argv, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        importer = Importer(process, log_path)
        started.append(importer)
        return importer

    yield start
    for importer in started:
        importer.stop()


def _job(app, job_id):
    with app.extensions["db"].session() as session:
        return session.get(ImportJob, job_id)


def _answers(app, assessment_id):
    with app.extensions["db"].session() as session:
        return session.scalar(
            select(func.count()).select_from(Answer).where(Answer.assessment_id == assessment_id)
        )


def _wait(predicate, timeout=120.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def campaign(client, auth, started, indicators):
    """An assessment with RESPONDENTS officers and a CSV of all their answers."""
    for n in range(RESPONDENTS):
        response = client.put(
            f"{BASE}/assessments/{started}/participants/off-{n}",
            json={"name": f"Officer {n}", "email": f"off{n}@douanes.example"},
            headers=auth(),
        )
        assert response.status_code == 200
    keys = [k for area in indicators.values() for k in area]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["respondent", "indicator", "answer", "confidence"])
    for n in range(RESPONDENTS):
        for i, key in enumerate(keys):
            writer.writerow([f"off{n}@douanes.example", key, 1 + (n + i) % 5, "medium"])
    return started, out.getvalue().encode(), RESPONDENTS * len(keys)


def _submit(client, auth, assessment_id, content, mode):
    response = client.post(
        f"{BASE}/assessments/{assessment_id}/imports?mode={mode}",
        data=content,
        content_type="text/csv",
        headers=auth(),
    )
    assert response.status_code == 202, response.json
    return response.json["id"]


def _finished_events(app, job_id):
    with app.extensions["db"].session() as session:
        return [
            m
            for m in session.scalars(
                select(OutboxMessage).where(OutboxMessage.event_type == "answer_import.finished")
            )
            if job_id in m.payload
        ]


def test_an_importer_killed_mid_import_leaves_exactly_what_it_reported_and_resumes_once(
    app, client, auth, campaign, start_importer
):
    assessment_id, content, expected = campaign
    job_id = _submit(client, auth, assessment_id, content, "accept_valid")
    first = start_importer()
    _wait(lambda: (_job(app, job_id).answers_stored or 0) >= 300, what="a few batches stored")
    first.kill()
    killed = _job(app, job_id)
    assert killed.status == "running"
    assert 0 < killed.answers_stored < expected
    # Exactly the rows it reported as stored: no batch half-written.
    assert _answers(app, assessment_id) == killed.answers_stored

    start_importer()
    done = _wait(
        lambda: (j := _job(app, job_id)).status in ("succeeded", "failed") and j,
        what="the job to finish after the restart",
    )
    assert done.status == "succeeded", done.problem
    assert done.attempts == 2
    assert done.answers_stored == expected
    assert done.rows_done == done.rows_total == expected
    assert _answers(app, assessment_id) == expected
    assert len(_finished_events(app, job_id)) == 1
    with app.extensions["db"].session() as session:
        entries = session.scalars(
            select(HistoryEntry).where(HistoryEntry.action == "answers_imported")
        ).all()
    assert [e.detail["answers"] for e in entries] == [expected]


def test_an_all_or_nothing_import_killed_before_its_end_stores_nothing_then_everything(
    app, client, auth, campaign, start_importer
):
    assessment_id, content, expected = campaign
    job_id = _submit(client, auth, assessment_id, content, "all_or_nothing")
    first = start_importer()
    _wait(lambda: (_job(app, job_id).rows_done or 0) >= 300, what="validation under way")
    first.kill()
    assert _job(app, job_id).status == "running"
    assert _answers(app, assessment_id) == 0

    start_importer()
    done = _wait(
        lambda: (j := _job(app, job_id)).status in ("succeeded", "failed", "rejected") and j,
        what="the job to finish after the restart",
    )
    assert done.status == "succeeded"
    assert _answers(app, assessment_id) == expected
    assert len(_finished_events(app, job_id)) == 1
