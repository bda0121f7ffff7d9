"""The read model of administration names and where a report, its files, the reports page and
the e-mails use it."""

import dataclasses
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from reports import administrations, jobs, mail
from reports.models import AdministrationName, EmailDelivery, Notification, ReportJob
from reports.storage import load_file
from shared.events import new_event

T0 = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
ADMIN = "adm-1"


def admin_event(event_type="administration.created", *, at=T0, **overrides):
    data = {
        "administration_id": ADMIN,
        "name": "Douanes du Testland",
        "country_code": "TL",
        "language": "fr",
        **overrides,
    }
    event = new_event(event_type, source="portal", data=data, subject=data["administration_id"])
    return dataclasses.replace(event, time=at.isoformat())


def _apply(app, event):
    with app.extensions["db"].session(write=True) as session:
        return administrations.apply_administration_event(event, session=session)


def _names(app):
    with app.extensions["db"].session() as session:
        return {
            row.administration_id: row.name for row in session.scalars(select(AdministrationName))
        }


def test_a_created_administration_is_known_by_its_name(app):
    _apply(app, admin_event())
    assert _names(app) == {ADMIN: "Douanes du Testland"}


def test_a_rename_replaces_the_name_and_a_late_older_event_changes_nothing(app):
    _apply(app, admin_event())
    later = T0 + timedelta(minutes=5)
    _apply(app, admin_event("administration.renamed", at=later, name="Douanes de Testland-Est"))
    _apply(app, admin_event("administration.renamed", at=T0 + timedelta(minutes=1), name="Old"))
    assert _names(app) == {ADMIN: "Douanes de Testland-Est"}


def test_the_same_event_applied_twice_leaves_one_row(app):
    event = admin_event()
    _apply(app, event)
    _apply(app, event)
    assert _names(app) == {ADMIN: "Douanes du Testland"}


def test_names_of_returns_only_known_administrations(app):
    _apply(app, admin_event())
    with app.extensions["db"].session() as session:
        assert administrations.names_of(session, [ADMIN, "adm-unknown"]) == {
            ADMIN: "Douanes du Testland"
        }
        assert administrations.names_of(session, []) == {}


def _job(app, submitted_event, **data):
    event = submitted_event(administration_name="", **data)
    with app.extensions["db"].session(write=True) as session:
        return jobs.accept_submission(event, session=session, enqueue=lambda job_id: None).id


def _build(app, job_id):
    with app.extensions["db"].session(write=True) as session:
        return jobs.build_report(
            session=session, store=app.extensions["reports.store"], job_id=job_id
        )


def _file_names(app, job_id):
    with app.extensions["db"].session() as session:
        return sorted(f.filename for f in session.get(ReportJob, job_id).files)


def test_a_report_built_before_the_name_arrives_says_your_administration_then_the_name(
    app, submitted_event
):
    job_id = _job(app, submitted_event, administration_id=ADMIN, language="fr")
    built = _build(app, job_id)
    assert built.status == "ready"
    names = _file_names(app, job_id)
    assert all(ADMIN not in name and not name.startswith("douanes") for name in names)
    assert "<dd>votre administration</dd>" in _html(app, job_id)
    # The name arrives; the operator's rebuild uses it and the report stays ready.
    _apply(app, admin_event())
    result = app.test_cli_runner().invoke(args=["jobs", "rebuild", "--administration", ADMIN])
    assert result.exit_code == 0, result.output
    assert f"{job_id}: rebuilt" in result.output
    assert all(name.startswith("douanes-du-testland-") for name in _file_names(app, job_id))
    assert "<dd>Douanes du Testland</dd>" in _html(app, job_id)
    with app.extensions["db"].session() as session:
        assert session.get(ReportJob, job_id).status == "ready"


def _html(app, job_id):
    with app.extensions["db"].session() as session:
        _row, content = load_file(
            session, app.extensions["reports.store"], report_id=job_id, fmt="html"
        )
        return content.decode()


def test_a_report_built_after_the_name_arrived_names_the_administration(app, submitted_event):
    _apply(app, admin_event(name="Direction générale des douanes"))
    job_id = _job(app, submitted_event, administration_id=ADMIN, language="en")
    _build(app, job_id)
    assert "<dd>Direction générale des douanes</dd>" in _html(app, job_id)
    assert _file_names(app, job_id)[0].startswith("direction-generale-des-douanes-")


def test_the_read_model_name_wins_over_the_one_the_submission_carried(app, submitted_event):
    _apply(app, admin_event())
    event = submitted_event(administration_id=ADMIN, administration_name="Typed by hand")
    with app.extensions["db"].session(write=True) as session:
        job = jobs.accept_submission(event, session=session, enqueue=lambda job_id: None)
        job_id = job.id
    _build(app, job_id)
    assert "<dd>Douanes du Testland</dd>" in _html(app, job_id)


def test_rebuild_refuses_no_target_and_reports_a_job_not_ready(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["jobs", "rebuild"]).exit_code == 2
    missing = runner.invoke(args=["jobs", "rebuild", "no-such-job"])
    assert missing.exit_code == 1 and "no-such-job: not ready: left alone" in missing.output


def test_the_reports_page_names_the_callers_administration(app, client, auth):
    _apply(app, admin_event())
    page = client.get("/reports/", headers=auth(administration_id=ADMIN))
    assert page.status_code == 200
    assert 'id="administration-name">Douanes du Testland<' in page.get_data(as_text=True)


def test_an_e_mail_names_the_administration(app):
    _apply(app, admin_event())
    notification = Notification(
        id="n-1",
        event_id="evt-1",
        user_id="coord-1",
        administration_id=ADMIN,
        code="report_ready",
        params={"title": "Évaluation", "version": 1, "language": "fr"},
    )
    email = EmailDelivery(id="e-1", language="fr", address="a@b.example")
    with app.extensions["db"].session(write=True) as session, session.begin():
        named = mail._administration(session, notification)
    message = mail.compose(
        email, notification, sender="s@x.example", public_url="https://x", administration=named
    )
    assert "Administration : Douanes du Testland" in message.get_content()
    unnamed = mail.compose(email, notification, sender="s@x.example", public_url="https://x")
    assert "Administration" not in unnamed.get_content()
