from typing import Any

import pytest

from reports import create_app, jobs
from reports.models import ReportJob
from shared.conformance import conforming_client
from shared.events import CloudEvent, new_event


@pytest.fixture
def app(service_config: dict[str, Any]):
    app = create_app(service_config)
    yield app
    app.extensions["celery"].close()
    app.extensions["db"].dispose()


@pytest.fixture
def client(app):
    return conforming_client(app)


@pytest.fixture
def auth(make_token):
    def headers(sub="coord-1", administration_id="adm-1", roles=("coordinator",), **kw):
        return {"Authorization": f"Bearer {make_token(sub, administration_id, roles, **kw)}"}

    return headers


def _submission_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "assessment_id": "asm-1",
        "administration_id": "adm-1",
        "administration_name": "Douanes du Testland",
        "version": 1,
        "title": "Readiness 2026",
        "language": "en",
        "framework": {"key": "ai-ml-readiness", "version": "1.0"},
        "submitted_by": "coord-1",
        "submitted_at": "2026-03-04T10:00:00+00:00",
        "areas": [
            {
                "area": "strategy",
                "name": {"en": "Strategy", "fr": "Stratégie"},
                "level": 2.4,
                "percentage": 35.0,
                "target": 4.0,
            },
            {
                "area": "data",
                "name": {"en": "Data", "fr": "Données"},
                "level": 3.0,
                "percentage": 50.0,
            },
        ],
        "overall": 2.7,
        "priorities": [
            {
                "indicator": "data.quality",
                "area": "data",
                "rank": 2,
                "text": {
                    "en": "Automate data quality checks",
                    "fr": "Automatiser les contrôles de qualité des données",
                },
                "horizon": "6-18",
                "tags": ["data-quality"],
            },
            {
                "indicator": "strategy.plan",
                "area": "strategy",
                "rank": 1,
                "text": {
                    "en": "Put AI in the strategic plan",
                    "fr": "Inscrire l'IA dans le plan stratégique",
                },
                "horizon": "0-6",
                "tags": ["strategy"],
            },
        ],
        "notify": ["coord-1", "resp-1"],
    }
    data.update(overrides)
    return data


def _submitted_event(**overrides: Any) -> CloudEvent:
    return new_event(
        "assessment.submitted",
        source="assessment",
        data=_submission_data(**overrides),
        subject=overrides.get("assessment_id", "asm-1"),
    )


@pytest.fixture
def submission_data():
    """Return a factory of valid ``assessment.submitted`` payloads."""
    return _submission_data


@pytest.fixture
def submitted_event():
    """Return a factory of ``assessment.submitted`` events."""
    return _submitted_event


def _import_event(**overrides: Any) -> CloudEvent:
    data: dict[str, Any] = {
        "import_id": "imp-1",
        "administration_id": "adm-1",
        "assessment_id": "asm-1",
        "assessment_ids": ["asm-1"],
        "status": "succeeded",
        "mode": "accept_valid",
        "language": "fr",
        "rows_total": 3,
        "answers_stored": 12,
        "errors_count": 0,
        "created_by": "coord-1",
        "finished_at": "2026-03-04T10:00:00+00:00",
        "notify": ["coord-1", "resp-1"],
    }
    data.update(overrides)
    return new_event(
        "answer_import.finished", source="assessment", data=data, subject=data["import_id"]
    )


@pytest.fixture
def import_event():
    """Return a factory of ``answer_import.finished`` events."""
    return _import_event


class Recorder:
    """Stands for the Celery queue where a test only needs to see what was enqueued."""

    def __init__(self) -> None:
        self.job_ids: list[str] = []

    def __call__(self, job_id: str) -> None:
        self.job_ids.append(job_id)


@pytest.fixture
def enqueued() -> Recorder:
    return Recorder()


@pytest.fixture
def make_report(app, enqueued):
    """Accept a submission and, unless told otherwise, build it; return the job."""

    def factory(*, build: bool = True, **overrides: Any) -> ReportJob:
        db = app.extensions["db"]
        with db.session(write=True) as session:
            job = jobs.accept_submission(
                _submitted_event(**overrides), session=session, enqueue=enqueued
            )
        if build:
            with db.session(write=True) as session:
                job = jobs.build_report(
                    session=session, store=app.extensions["reports.store"], job_id=job.id
                )
        return job

    return factory


class WebhookReceiver:
    """A real local HTTP server that records each POST and answers the scripted statuses."""

    def __init__(self, statuses: list[int] | None = None, *, delay_s: float = 0.0) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.statuses = list(statuses or [])
        self.delay_s = delay_s
        self.requests: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                import time

                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    receiver.requests.append(
                        {"path": self.path, "headers": dict(self.headers.items()), "body": body}
                    )
                    status = receiver.statuses.pop(0) if receiver.statuses else 204
                if receiver.delay_s:
                    time.sleep(receiver.delay_s)
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", "http://127.0.0.1:9/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/smart-customs"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def webhook_receiver():
    """Return a factory of real local webhook receivers (closed after the test)."""
    made: list[WebhookReceiver] = []

    def factory(statuses: list[int] | None = None, *, delay_s: float = 0.0) -> WebhookReceiver:
        receiver = WebhookReceiver(statuses, delay_s=delay_s)
        made.append(receiver)
        return receiver

    yield factory
    for receiver in made:
        receiver.close()
