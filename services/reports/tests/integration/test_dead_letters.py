"""A submission the reports consumer gave up on, seen in /metrics and the dead-letter commands,
then replayed and turned into its report job (real database and Redis)."""

import pytest
from sqlalchemy import select

from reports import create_app, jobs
from reports.config import ASSESSMENT_STREAM
from reports.events import submissions_consumer
from reports.models import ReportJob
from shared.bus import dlq_name

pytestmark = pytest.mark.integration


@pytest.fixture
def app(service_config):
    """The reports app with one delivery per event: the first failure is a dead letter."""
    app = create_app({**service_config, "EVENTS_MAX_DELIVERIES": 1})
    yield app
    app.extensions["celery"].close()
    app.extensions["db"].dispose()


def _dead_letters(app) -> dict[str, float]:
    """Return the ``reports_events_dead_letters`` samples of /metrics (stream -> value)."""
    text = app.test_client().get("/metrics").get_data(as_text=True)
    prefix = 'reports_events_dead_letters{name="'
    samples = [line[len(prefix) :] for line in text.splitlines() if line.startswith(prefix)]
    return {sample.split('"')[0]: float(sample.split()[-1]) for sample in samples}


def test_a_dead_lettered_submission_is_replayed_into_its_report_job(
    app, submitted_event, redis_client, monkeypatch
):
    accept = jobs.accept_submission

    def database_down(*args, **kwargs):
        raise RuntimeError("database is down")

    monkeypatch.setattr(jobs, "accept_submission", database_down)
    consumer = submissions_consumer(app, name="test-1")
    consumer.ensure_groups()
    event = submitted_event()
    app.extensions["bus"].publish(ASSESSMENT_STREAM, event)
    consumer.poll(block_ms=100)
    assert redis_client.xlen(dlq_name(ASSESSMENT_STREAM)) == 1
    assert _dead_letters(app) == {
        "assessment:events:dlq": 1.0,
        "portal:events:dlq": 0.0,
        "reports:events:dlq": 0.0,
    }

    runner = app.test_cli_runner()
    listed = runner.invoke(args=["events", "dead-letters", "list"])
    assert listed.exit_code == 0, listed.output
    assert f"reports  assessment.submitted  {event.id}" in listed.output
    assert "RuntimeError: database is down" in listed.output
    entry_id = listed.output.split()[0]

    monkeypatch.setattr(jobs, "accept_submission", accept)  # the database is back
    replayed = runner.invoke(args=["events", "dead-letters", "replay", entry_id])
    assert replayed.exit_code == 0, replayed.output
    consumer.poll(block_ms=100)
    with app.extensions["db"].session() as session:
        (job,) = session.scalars(select(ReportJob))
    assert (job.source_event_id, job.status) == (event.id, "queued")
    assert redis_client.llen("reports") == 1
    assert _dead_letters(app)["assessment:events:dlq"] == 0.0
    assert redis_client.xpending(ASSESSMENT_STREAM, "reports")["pending"] == 0
