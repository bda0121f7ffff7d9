"""The operator's ``jobs`` commands on the real database and Redis (Flask's CLI runner): failed
and stalled jobs listed, retried through the Celery queue the API and the consumer use."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import update

from reports import jobs
from reports.models import ReportJob
from shared.timestamps import utcnow

pytestmark = pytest.mark.integration


@pytest.fixture
def cli(app):
    def run(*args: str):
        return app.test_cli_runner().invoke(args=["jobs", *args])

    return run


@pytest.fixture
def failed_job(app, make_report):
    """Return a factory of jobs whose build failed with ``reason``."""

    def factory(reason: str = "OperationalError: connection refused", **overrides):
        job = make_report(build=False, **overrides)
        with app.extensions["db"].session(write=True) as session:
            return jobs.fail_report(session=session, job_id=job.id, reason=reason)

    return factory


def _job(app, job_id: str) -> ReportJob:
    with app.extensions["db"].session() as session:
        return session.get(ReportJob, job_id)


def _set(app, job_id: str, **values) -> None:
    with app.extensions["db"].session(write=True) as session, session.begin():
        session.execute(update(ReportJob).where(ReportJob.id == job_id).values(**values))


def _tasks(redis_client) -> list[str]:
    """Return the job ids of the build tasks waiting in the Celery queue."""
    queued = [json.loads(raw) for raw in redis_client.lrange("reports", 0, -1)]
    return [task["headers"]["argsrepr"] for task in queued]


def test_failed_lists_failed_jobs_with_their_last_error(app, cli, failed_job, make_report):
    failed = failed_job("gave up after 6 tries; last error: OperationalError: gone")
    make_report(assessment_id="asm-ok")
    result = cli("failed", "--json")
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.output)
    assert row["id"] == failed.id
    assert row["status"] == "failed"
    assert row["reason"] == "gave up after 6 tries; last error: OperationalError: gone"
    assert row["attempts"] == 0
    assert (row["version"], row["revision"]) == (1, 1)
    assert row["finished_at"].endswith("+00:00")
    text = cli("failed")
    assert f"{failed.id}  failed" in text.output and " v1.1 en " in text.output
    assert "reports: 1 job" in text.output


def test_failed_since_leaves_out_older_failures(app, cli, failed_job):
    recent = failed_job()
    old = failed_job(assessment_id="asm-old")
    _set(app, old.id, finished_at=utcnow() - timedelta(days=10))
    for since in ("7d", "168h", (utcnow() - timedelta(days=7)).isoformat()):
        result = cli("failed", "--since", since, "--json")
        assert result.exit_code == 0, result.output
        assert [row["id"] for row in json.loads(result.output)] == [recent.id]
    assert len(json.loads(cli("failed", "--json").output)) == 2
    wrong = cli("failed", "--since", "last tuesday")
    assert wrong.exit_code == 2
    assert "neither an age" in wrong.output


def test_retry_queues_a_failed_job_again_and_the_worker_builds_it(
    app, cli, failed_job, redis_client
):
    job = failed_job()
    result = cli("retry", job.id)
    assert result.exit_code == 0, result.output
    assert f"{job.id}: requeued" in result.output
    again = _job(app, job.id)
    assert (again.status, again.reason, again.finished_at) == ("queued", None, None)
    assert _tasks(redis_client) == [repr([job.id])]
    with app.extensions["db"].session(write=True) as session:
        jobs.build_report(session=session, store=app.extensions["reports.store"], job_id=job.id)
    assert _job(app, job.id).status == "ready"
    ready = cli("retry", job.id)
    assert f"{job.id}: ready" in ready.output
    assert len(_tasks(redis_client)) == 1, "a ready job is left alone"


def test_retry_all_failed_leaves_other_jobs_alone(app, cli, failed_job, make_report, redis_client):
    first, second = failed_job(), failed_job(assessment_id="asm-2")
    make_report(assessment_id="asm-ok")
    queued = make_report(build=False, assessment_id="asm-queued")
    result = cli("retry", "--all-failed")
    assert result.exit_code == 0, result.output
    assert "reports: 2 jobs: 2 requeued" in result.output
    assert sorted(_tasks(redis_client)) == sorted([repr([first.id]), repr([second.id])])
    assert _job(app, queued.id).status == "queued"
    assert "reports: 0 jobs: none" in cli("retry", "--all-failed").output


def test_a_stalled_job_is_listed_and_re_enqueued_a_recent_one_is_not(
    app, cli, make_report, redis_client
):
    recent = make_report(build=False)
    stalled = make_report(build=False, assessment_id="asm-lost")
    _set(app, stalled.id, status="building", updated_at=utcnow() - timedelta(hours=2))
    listed = cli("stalled", "--json")
    assert [row["id"] for row in json.loads(listed.output)] == [stalled.id]
    assert json.loads(cli("stalled", "--older-than", "180", "--json").output) == []
    in_progress = cli("retry", recent.id)
    assert f"{recent.id}: in progress" in in_progress.output
    assert _tasks(redis_client) == []
    result = cli("retry", "--all-stalled")
    assert result.exit_code == 0, result.output
    assert f"{stalled.id}: re-enqueued" in result.output
    assert _tasks(redis_client) == [repr([stalled.id])]
    with app.extensions["db"].session(write=True) as session:
        jobs.build_report(session=session, store=app.extensions["reports.store"], job_id=stalled.id)
    assert _job(app, stalled.id).status == "ready"


def test_retry_needs_one_kind_of_target_and_says_when_a_job_is_missing(cli, failed_job):
    assert cli("retry").exit_code == 2
    assert cli("retry", "x", "--all-failed").exit_code == 2
    assert cli("retry", "--all-failed", "--all-stalled").exit_code == 2
    job = failed_job()
    result = cli("retry", "no-such-job", job.id)
    assert result.exit_code == 1
    assert "no-such-job: missing" in result.output
    assert f"{job.id}: requeued" in result.output
