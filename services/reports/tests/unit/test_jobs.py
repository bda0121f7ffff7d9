import dataclasses
import json

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from reports import jobs
from reports.celery_app import BUILD_REPORT
from reports.models import OutboxMessage, ReportFile, ReportJob
from shared.events import InvalidEvent, new_event
from shared.logs import current_request_id


def _rows(app, model):
    with app.extensions["db"].session() as session:
        return list(session.scalars(select(model)))


def _events(app):
    return [(row.event_type, json.loads(row.payload)["data"]) for row in _rows(app, OutboxMessage)]


def _accept(app, event, enqueue):
    with app.extensions["db"].session(write=True) as session:
        return jobs.accept_submission(event, session=session, enqueue=enqueue)


def _build(app, job_id, **kw):
    with app.extensions["db"].session(write=True) as session:
        return jobs.build_report(
            session=session, store=app.extensions["reports.store"], job_id=job_id, **kw
        )


def test_a_duplicated_submission_creates_one_job(app, submitted_event, enqueued):
    event = submitted_event()
    first = _accept(app, event, enqueued)
    second = _accept(app, event, enqueued)
    assert first.id == second.id
    (job,) = _rows(app, ReportJob)
    assert (job.assessment_id, job.version, job.language, job.status) == (
        "asm-1",
        1,
        "en",
        "queued",
    )
    assert job.data["title"] == "Readiness 2026"
    assert job.notify == ["coord-1", "resp-1"]
    assert job.source_event_id == event.id
    # still queued: the second delivery enqueues again in case the first enqueue was lost
    assert enqueued.job_ids == [job.id, job.id]


def test_a_submission_whose_job_is_under_way_is_not_enqueued_again(app, submitted_event, enqueued):
    event = submitted_event()
    job = _accept(app, event, enqueued)
    _build(app, job.id)
    _accept(app, event, enqueued)
    assert enqueued.job_ids == [job.id]


def test_a_concurrent_first_delivery_is_found_instead_of_duplicated(
    app, submitted_event, enqueued, monkeypatch
):
    event = submitted_event()
    winner = _accept(app, event, enqueued)
    real_find = jobs._find
    calls = []

    def find_late(*args):
        # the first look misses the row another consumer is committing at that moment
        calls.append(args)
        return None if len(calls) == 1 else real_find(*args)

    monkeypatch.setattr(jobs, "_find", find_late)
    assert _accept(app, event, enqueued).id == winner.id
    assert len(calls) == 2
    assert len(_rows(app, ReportJob)) == 1


def test_a_new_version_or_language_is_a_new_job(app, submitted_event, enqueued):
    _accept(app, submitted_event(), enqueued)
    _accept(app, submitted_event(version=2), enqueued)
    _accept(app, submitted_event(language="fr"), enqueued)
    assert len(_rows(app, ReportJob)) == 3


def test_an_invalid_submission_payload_is_refused(app, enqueued):
    event = new_event(
        "assessment.submitted",
        source="assessment",
        data={
            "assessment_id": "a",
            "administration_id": "adm-1",
            "version": 1,
            "title": "t",
            "language": "en",
            "framework": {"key": "k", "version": "1"},
            "submitted_by": "u",
            "submitted_at": "2026-01-01",
        },
    )
    broken = dataclasses.replace(event, data={**event.data, "version": 0})
    with pytest.raises(InvalidEvent):
        _accept(app, broken, enqueued)
    assert _rows(app, ReportJob) == []


def test_building_twice_gives_one_file_set_and_one_ready_event(app, make_report):
    job = make_report(build=False)
    assert _build(app, job.id).status == "ready"
    assert _build(app, job.id).status == "ready"
    files = sorted(_rows(app, ReportFile), key=lambda row: row.format)
    assert [(f.format, f.backend) for f in files] == [
        ("html", "database"),
        ("pdf", "database"),
        ("xlsx", "database"),
    ]
    assert all(f.size > 500 and len(f.sha256) == 64 for f in files)
    ((event_type, data),) = _events(app)
    assert event_type == "report.ready"
    assert data["report_id"] == job.id
    assert data["formats"] == ["html", "pdf", "xlsx"]
    assert data["notify"] == ["coord-1", "resp-1"]
    (stored,) = _rows(app, ReportJob)
    assert stored.attempts == 1
    assert stored.finished_at is not None


def test_a_build_interrupted_midway_is_finished_by_the_next_run(app, make_report):
    job = make_report(build=False)

    def crash(data, language, **_):
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    with pytest.raises(OperationalError):
        _build(app, job.id, build=crash)
    assert _rows(app, ReportJob)[0].status == "building"
    assert _build(app, job.id).status == "ready"
    assert _rows(app, ReportJob)[0].attempts == 2
    assert [event_type for event_type, _ in _events(app)] == ["report.ready"]


def test_data_the_builder_rejects_fails_the_job_at_once(app, make_report):
    job = make_report(build=False, areas=[{"area": "data", "percentage": 250.0}])
    failed = _build(app, job.id)
    assert failed.status == "failed"
    assert "percentage 250.0 is outside 0-100" in failed.reason
    ((event_type, data),) = _events(app)
    assert event_type == "report.failed"
    assert data["reason"] == failed.reason
    assert _rows(app, ReportFile) == []
    # a later delivery of the same task leaves the verdict alone
    assert _build(app, job.id).status == "failed"
    assert len(_events(app)) == 1


def test_a_ready_report_is_never_marked_failed(app, make_report):
    job = make_report()
    with app.extensions["db"].session(write=True) as session:
        jobs.fail_report(session=session, job_id=job.id, reason="late failure")
    assert _rows(app, ReportJob)[0].status == "ready"
    assert [event_type for event_type, _ in _events(app)] == ["report.ready"]


def test_the_task_retries_transient_errors_then_records_the_failure(app, make_report, monkeypatch):
    job = make_report(build=False)
    calls = []

    def flaky(data, language, **_):
        calls.append(1)
        raise OperationalError("SELECT 1", {}, Exception("database is down"))

    original = jobs.build_report
    monkeypatch.setattr(jobs, "build_report", lambda **kw: original(**kw, build=flaky))
    task = app.extensions["celery"].tasks[BUILD_REPORT]
    result = task.apply(args=[job.id])
    assert result.failed()
    assert len(calls) == task.max_retries + 1
    (stored,) = _rows(app, ReportJob)
    assert stored.status == "failed"
    assert stored.attempts == task.max_retries + 1
    assert stored.reason.startswith(f"gave up after {task.max_retries + 1} tries")
    assert "database is down" in stored.reason
    assert [event_type for event_type, _ in _events(app)] == ["report.failed"]


def test_the_task_runs_with_the_senders_request_id(app, make_report, monkeypatch):
    job = make_report(build=False)
    seen = []
    original = jobs.build_report

    def spy(**kw):
        seen.append(current_request_id())
        return original(**kw)

    monkeypatch.setattr(jobs, "build_report", spy)
    task = app.extensions["celery"].tasks[BUILD_REPORT]
    assert task.apply(args=[job.id], headers={"request_id": "req-42"}).get() == "ready"
    assert seen == ["req-42"]


def test_the_task_is_configured_for_safe_redelivery(app):
    task = app.extensions["celery"].tasks[BUILD_REPORT]
    assert task.acks_late is True
    assert task.reject_on_worker_lost is True
    conf = app.extensions["celery"].conf
    assert conf.task_default_queue == "reports"
    assert conf.worker_prefetch_multiplier == 1
    assert conf.broker_transport_options["visibility_timeout"] == 300
    assert conf.broker_url == app.config["REDIS_URL"]
    assert conf.task_serializer == "json"
